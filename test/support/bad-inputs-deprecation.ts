// The bad-input catalogue's entries for Custom::AmiDeprecation: times that are no date, not UTC, not a real day, more
// than 10 years ahead, and the resource's properties themselves. The rules that need the live AMI (a public AMI's
// limits) are in test/moto/deprecation-lifecycle.test.ts; a time that has passed is not an error.
import { BadInput, create, DEPRECATION, exact, EXAMPLE_IMAGE_ID } from './bad-inputs-builders';
import { AmiDeprecation } from '../../src';

/** More than 10 years ahead of any deployment before 2089. */
const FAR = '2099-01-01T00:00:00.000Z';
const TEN_YEARS = 'is more than 10 years from now, the latest time EC2 accepts (EnableImageDeprecation); '
  + 'choose a time at most 10 years after the deployment';

function deprecation(props: Record<string, unknown>): (imageId: string) => ReturnType<typeof create> {
  return imageId => create(DEPRECATION, { ImageId: imageId, ...props });
}

export const DEPRECATIONS: BadInput[] = [
  {
    name: 'deprecateAt more than 10 years from now',
    synth: {
      build: stack => { new AmiDeprecation(stack, 'Deprecate', { imageId: EXAMPLE_IMAGE_ID, deprecateAt: new Date(FAR) }); },
      error: `AmiDeprecation.deprecateAt: ${FAR} ${TEN_YEARS}`,
    },
    handler: exact(deprecation({ DeprecateAt: FAR }), `DeprecateAt: ${FAR} ${TEN_YEARS}`),
  },
  {
    name: 'deprecateAt is an invalid Date',
    synth: {
      build: stack => { new AmiDeprecation(stack, 'Deprecate', { imageId: EXAMPLE_IMAGE_ID, deprecateAt: new Date('31/12/2030') }); },
      error: 'AmiDeprecation.deprecateAt: an invalid Date was given',
    },
    handler: exact(deprecation({ DeprecateAt: 'Invalid Date' }), "DeprecateAt: 'Invalid Date' is not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)"),
  },
  {
    name: 'DeprecateAt with a time zone offset instead of UTC',
    synth: undefined,
    handler: exact(deprecation({ DeprecateAt: '2030-06-01T00:00:00+02:00' }),
      "DeprecateAt: '2030-06-01T00:00:00+02:00' is not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)"),
  },
  {
    name: 'DeprecateAt on a day that does not exist (30 February)',
    synth: undefined,
    handler: exact(deprecation({ DeprecateAt: '2030-02-30T00:00:00Z' }), "DeprecateAt: '2030-02-30T00:00:00Z' is not a valid date"),
  },
  {
    name: 'DeprecateAt missing',
    synth: undefined,
    handler: exact(deprecation({}), 'DeprecateAt: undefined is not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)'),
  },
  {
    name: 'DeprecateAt as epoch seconds',
    synth: undefined,
    handler: exact(deprecation({ DeprecateAt: '1906272000' }), "DeprecateAt: '1906272000' is not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)"),
  },
  {
    name: 'AmiDeprecation with a mistyped property (DeprecationTime)',
    synth: undefined,
    handler: exact(deprecation({ DeprecateAt: '2030-06-01T00:00:00Z', DeprecationTime: '2030-06-01T00:00:00Z' }),
      "DeprecationTime: unknown property 'DeprecationTime' (expected ImageId, DeprecateAt)"),
  },
  {
    name: 'AmiDeprecation with a malformed image id',
    synth: {
      build: stack => { new AmiDeprecation(stack, 'Deprecate', { imageId: 'ami-XYZ', deprecateAt: new Date('2030-06-01T00:00:00Z') }); },
      error: "AmiDeprecation.imageId: 'ami-XYZ' is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)",
    },
    handler: exact(() => create(DEPRECATION, { ImageId: 'ami-XYZ', DeprecateAt: '2030-06-01T00:00:00Z' }),
      "ImageId: 'ami-XYZ' is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)"),
  },
];
