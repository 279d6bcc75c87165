import { Annotations, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { rejectAtSynth } from './synth-check';
import { imageIdError } from './validation';

/**
 * Properties of `AmiImdsPolicy`.
 */
export interface AmiImdsPolicyProps {
  /**
   * The AMI that must require IMDSv2, e.g. 'ami-0123456789abcdef0'. A token works; its value is checked at deploy time.
   * Changing it applies the policy to the new AMI; the old AMI keeps it (EC2 cannot take it back).
   */
  readonly imageId: string;
}

/**
 * Requires IMDSv2 for every instance launched from an AMI: sets the AMI's `imdsSupport` attribute to `v2.0`, so
 * instances get `HttpTokens: required` (and a hop limit of 2) by default.
 *
 * **This cannot be undone.** EC2 has no way to unset `imdsSupport`: removing this construct, deleting the stack, or
 * changing `imageId` leaves `v2.0` on every AMI it was applied to. The only way back is a new AMI registered from the
 * underlying snapshots. Apply it only to AMIs whose software supports IMDSv2. Synthesis warns about this
 * (`cdk-ami-sharing:imdsV2Irreversible`).
 */
export class AmiImdsPolicy extends Construct {
  /** The AMI this construct applies the policy to. */
  public readonly imageId: string;

  constructor(scope: Construct, id: string, props: AmiImdsPolicyProps) {
    super(scope, id);
    rejectAtSynth(imageIdError('AmiImdsPolicy.imageId', props.imageId), props.imageId);
    this.imageId = props.imageId;
    AmiSharingHandler.of(this)._addResource(this, {
      resourceType: 'Custom::AmiImdsPolicy',
      imageId: props.imageId,
      attribute: 'imdsSupport',
      sole: false,
      properties: { ImageId: props.imageId },
    });

    Annotations.of(this).addWarningV2('cdk-ami-sharing:imdsV2Irreversible',
      `Deploying this sets imdsSupport=v2.0 on ${Token.isUnresolved(props.imageId) ? 'the AMI' : props.imageId}, which EC2 cannot undo: `
      + 'removing the construct or the stack leaves it in place, and instances launched from the AMI require IMDSv2. '
      + 'Apply it only to AMIs whose software supports IMDSv2.');
  }
}
