// The bad-input catalogue's entries for Custom::AmiDeregistrationProtection: WithCooldown that is no boolean, and the
// resource's properties themselves. The typed API cannot express a wrong WithCooldown (it is a boolean).
import { BadInput, create, DEREGISTRATION_PROTECTION, exact, EXAMPLE_IMAGE_ID } from './bad-inputs-builders';
import { AmiDeregistrationProtection } from '../../src';

const protection = (props: Record<string, unknown>) => (imageId: string) => create(DEREGISTRATION_PROTECTION, { ImageId: imageId, ...props });

export const DEREGISTRATION_PROTECTIONS: BadInput[] = [
  {
    name: 'WithCooldown is "yes"',
    synth: undefined,
    handler: exact(protection({ WithCooldown: 'yes' }), "WithCooldown: 'yes' is not true or false"),
  },
  {
    name: 'WithCooldown as a number of hours',
    synth: undefined,
    handler: exact(protection({ WithCooldown: '24' }), "WithCooldown: '24' is not true or false"),
  },
  {
    name: 'AmiDeregistrationProtection with a mistyped property (Cooldown)',
    synth: undefined,
    handler: exact(protection({ Cooldown: 'true' }), "Cooldown: unknown property 'Cooldown' (expected ImageId, WithCooldown)"),
  },
  {
    name: 'AmiDeregistrationProtection with a malformed image id',
    synth: {
      build: stack => { new AmiDeregistrationProtection(stack, 'Protect', { imageId: `${EXAMPLE_IMAGE_ID}0` }); },
      error: `AmiDeregistrationProtection.imageId: '${EXAMPLE_IMAGE_ID}0' is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)`,
    },
    handler: exact(() => create(DEREGISTRATION_PROTECTION, { ImageId: `${EXAMPLE_IMAGE_ID}0`, WithCooldown: 'false' }),
      `ImageId: '${EXAMPLE_IMAGE_ID}0' is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)`),
  },
];
