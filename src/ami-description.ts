import { Construct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { rejectAtSynth } from './synth-check';
import { descriptionError, imageIdError } from './validation';

/**
 * Properties of `AmiDescription`.
 */
export interface AmiDescriptionProps {
  /**
   * The AMI to describe, e.g. 'ami-0123456789abcdef0'. A token works; its value is checked at deploy time.
   * Changing it gives the new AMI the description and restores the old AMI's own.
   */
  readonly imageId: string;

  /**
   * The AMI's description: 1 to 255 characters, no control characters (EC2's limits).
   */
  readonly description: string;
}

/**
 * Sets an AMI's description.
 *
 * The description the AMI had before this construct first set it is kept (in the custom resource's physical id, so it
 * survives updates) and restored when the construct is removed or `imageId` changes.
 */
export class AmiDescription extends Construct {
  /** The AMI whose description this construct manages. */
  public readonly imageId: string;

  constructor(scope: Construct, id: string, props: AmiDescriptionProps) {
    super(scope, id);
    rejectAtSynth(imageIdError('AmiDescription.imageId', props.imageId), props.imageId);
    rejectAtSynth(descriptionError('AmiDescription.description', props.description), props.description);
    this.imageId = props.imageId;
    AmiSharingHandler.of(this)._addResource(this, {
      resourceType: 'Custom::AmiDescription',
      imageId: props.imageId,
      attribute: 'description',
      sole: true,
      properties: { ImageId: props.imageId, Description: props.description },
    });
  }
}
