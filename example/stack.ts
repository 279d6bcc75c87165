// The example stack from the README: a golden AMI shared with one account, an organization and an OU.
import { App, CfnParameter, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, AmiSharingHandler, LaunchPermission, LaunchPermissionMode, SupersededImages } from '../src';

export const CONSUMER_ACCOUNT = '111122223333';
export const ORGANIZATION_ARN = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
export const OU_ARN = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';

export interface GoldenAmiSharingStackProps extends StackProps {
  /** The AMI, or undefined to take it from the stack's `GoldenAmi` parameter (as a pipeline sets it at each deploy). */
  readonly imageId?: string;
  readonly permissions?: LaunchPermission[];
  readonly mode?: LaunchPermissionMode;
  /** Also set the AMI's description (restored on removal). */
  readonly description?: string;
  /** Also require IMDSv2 for instances launched from the AMI (irreversible). */
  readonly requireImdsV2?: boolean;
  /** Put the AMI back to the declaration on a schedule, between deployments (AmiSharingHandler.configure). */
  readonly enforceEvery?: Duration;
  /** What a rollover does to the previous AMI (SupersededImages.keep: it stays shared for a window, deprecated). */
  readonly supersededImages?: SupersededImages;
}

export class GoldenAmiSharingStack extends Stack {
  constructor(scope: Construct, id: string, props: GoldenAmiSharingStackProps) {
    super(scope, id, props);
    if (props.enforceEvery) AmiSharingHandler.configure(this, { enforceEvery: props.enforceEvery });
    const imageId = props.imageId ?? new CfnParameter(this, 'GoldenAmi', { type: 'String' }).valueAsString;
    new AmiLaunchPermissions(this, 'ShareGoldenAmi', {
      imageId,
      permissions: props.permissions ?? [
        LaunchPermission.account(CONSUMER_ACCOUNT),
        LaunchPermission.organization(ORGANIZATION_ARN),
      ],
      mode: props.mode,
      supersededImages: props.supersededImages,
    });
    if (props.description) {
      new AmiDescription(this, 'DescribeGoldenAmi', { imageId, description: props.description });
    }
    if (props.requireImdsV2) {
      new AmiImdsPolicy(this, 'RequireImdsV2', { imageId });
    }
  }
}

if (require.main === module) {
  const app = new App();
  new GoldenAmiSharingStack(app, 'GoldenAmiSharing', { imageId: app.node.tryGetContext('imageId') ?? 'ami-0123456789abcdef0' });
  app.synth();
}
