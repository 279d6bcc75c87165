// The bad-input catalogue's entries for the description of Custom::AmiDescription: empty, too long, control
// characters, not a string, and the resource's properties themselves.
import { BadInput, create, DESCRIPTION, exact, EXAMPLE_IMAGE_ID, update } from './bad-inputs-builders';
import { AmiDescription } from '../../src';

/** 256 characters, one more than EC2 allows. */
const LONG_DESCRIPTION = 'Golden image: Amazon Linux 2023, CIS level 1 hardened, SSM agent, CloudWatch agent. '.repeat(4).slice(0, 256);
/** How messages show a value over 120 characters: its first 117, then '...'. */
const LONG_DESCRIPTION_SHOWN = `${LONG_DESCRIPTION.slice(0, 117)}...`;

function described(name: string, description: string, problem: string): BadInput {
  return {
    name,
    synth: {
      build: stack => { new AmiDescription(stack, 'Desc', { imageId: EXAMPLE_IMAGE_ID, description }); },
      error: `AmiDescription.description: ${problem}`,
    },
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId, Description: description }), `Description: ${problem}`),
  };
}

export const DESCRIPTIONS: BadInput[] = [
  described('empty description', '', "a non-empty description is required (got '')"),
  described('description of 256 characters', LONG_DESCRIPTION, `'${LONG_DESCRIPTION_SHOWN}' is 256 characters long; EC2 allows at most 255`),
  described('description with a newline', 'Golden image\nCIS hardened',
    "'Golden image\\nCIS hardened' contains a control character (U+000A) at position 12"),
  described('description with a tab', 'Golden\timage', "'Golden\\timage' contains a control character (U+0009) at position 6"),
  // DEL and the C1 controls (U+0080 to U+009F) are control characters too, and must show escaped like the others.
  described('description with DEL (U+007F)', 'Golden\u007fimage', "'Golden\\u007fimage' contains a control character (U+007F) at position 6"),
  described('description with a C1 control character, NEL (U+0085)', 'Golden\u0085image',
    "'Golden\\u0085image' contains a control character (U+0085) at position 6"),
  {
    name: 'Description is a list, not a string',
    synth: undefined,
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId, Description: ['Golden image', 'CIS hardened'] }),
      'Description: a non-empty description is required (got ["Golden image","CIS hardened"])'),
  },
  {
    name: 'Description missing',
    synth: undefined,
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId }), 'Description: a non-empty description is required (got undefined)'),
  },
  {
    name: 'an Update that empties the description',
    synth: {
      build: stack => { new AmiDescription(stack, 'Desc', { imageId: EXAMPLE_IMAGE_ID, description: '' }); },
      error: "AmiDescription.description: a non-empty description is required (got '')",
    },
    handler: exact(imageId => update(DESCRIPTION, { ImageId: imageId, Description: '' }, { ImageId: imageId, Description: 'Golden image' },
      `${imageId}/description/-`), "Description: a non-empty description is required (got '')"),
  },
  {
    name: 'AmiDescription: an extra property',
    synth: undefined,
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId, Description: 'Golden image', Name: 'golden' }),
      "Name: unknown property 'Name' (expected ImageId, Description)"),
  },
];
