import { Construct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { rejectAtSynth } from './synth-check';
import { deprecateAtError, imageIdError } from './validation';

/**
 * Properties of `AmiDeprecation`.
 */
export interface AmiDeprecationProps {
  /**
   * The AMI to deprecate, e.g. 'ami-0123456789abcdef0'. A token works; its value is checked at deploy time.
   * Changing it deprecates the new AMI and gives the old AMI its own deprecation time back.
   */
  readonly imageId: string;

  /**
   * When EC2 deprecates the AMI. EC2 rounds it to the nearest minute and accepts at most 10 years from now (for a
   * public AMI, at most 2 years from its creation, and never later than the deprecation it already has).
   *
   * A time that has passed (or is less than a minute away) when the stack is deployed deprecates the AMI at the first
   * whole minute at least a minute away, unless it is already deprecated by then.
   */
  readonly deprecateAt: Date;
}

/**
 * Deprecates an AMI at a given time (EC2 `EnableImageDeprecation`): from then on it no longer appears in other
 * accounts' AMI listings and the console, while launch templates, Auto Scaling groups and anyone naming its id can
 * still launch it.
 *
 * The deprecation time the AMI had before this construct first set it (or none) is kept in the custom resource's
 * physical id and restored when the construct is removed or `imageId` changes.
 */
export class AmiDeprecation extends Construct {
  /** The AMI whose deprecation this construct manages. */
  public readonly imageId: string;

  constructor(scope: Construct, id: string, props: AmiDeprecationProps) {
    super(scope, id);
    rejectAtSynth(imageIdError('AmiDeprecation.imageId', props.imageId), props.imageId);
    // A Date is never a token; the handler checks it again against the clock and the AMI at deploy time.
    const error = deprecateAtError('AmiDeprecation.deprecateAt', props.deprecateAt, new Date());
    if (error !== undefined) throw new Error(error);
    this.imageId = props.imageId;
    AmiSharingHandler.of(this)._addResource(this, {
      resourceType: 'Custom::AmiDeprecation',
      imageId: props.imageId,
      attribute: 'deprecation',
      sole: true,
      properties: { ImageId: props.imageId, DeprecateAt: props.deprecateAt.toISOString() },
    });
  }
}
