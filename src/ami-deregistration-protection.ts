import { Construct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { rejectAtSynth } from './synth-check';
import { imageIdError } from './validation';

/**
 * Properties of `AmiDeregistrationProtection`.
 */
export interface AmiDeregistrationProtectionProps {
  /**
   * The AMI to protect, e.g. 'ami-0123456789abcdef0'. A token works; its value is checked at deploy time.
   * Changing it protects the new AMI and gives the old AMI its own protection setting back.
   */
  readonly imageId: string;

  /**
   * Keep the AMI protected for 24 hours after protection is disabled (EC2's cooldown), so that removing this
   * construct, or anyone disabling the protection, cannot be followed at once by a deregistration.
   *
   * @default false
   */
  readonly withCooldown?: boolean;
}

/**
 * Protects an AMI from deregistration (EC2 `EnableImageDeregistrationProtection`): `DeregisterImage` fails while it
 * is on.
 *
 * The protection the AMI had before this construct first set it is kept in the custom resource's physical id and
 * restored when the construct is removed or `imageId` changes. With `withCooldown`, EC2 keeps the AMI protected for 24
 * hours after that restore disables the protection.
 */
export class AmiDeregistrationProtection extends Construct {
  /** The AMI whose deregistration protection this construct manages. */
  public readonly imageId: string;

  constructor(scope: Construct, id: string, props: AmiDeregistrationProtectionProps) {
    super(scope, id);
    rejectAtSynth(imageIdError('AmiDeregistrationProtection.imageId', props.imageId), props.imageId);
    this.imageId = props.imageId;
    AmiSharingHandler.of(this)._addResource(this, {
      resourceType: 'Custom::AmiDeregistrationProtection',
      imageId: props.imageId,
      attribute: 'deregistrationProtection',
      sole: true,
      properties: { ImageId: props.imageId, WithCooldown: props.withCooldown ?? false },
    });
  }
}
