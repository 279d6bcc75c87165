// A user's stack with every construct kind of cdk-ami-sharing, written against the packed library as a user would.
import { Annotations, CfnParameter, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AmiDeprecation, AmiDeregistrationProtection, AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, AmiSharingHandler, LaunchPermission,
  LaunchPermissionMode, SupersededImages,
} from 'cdk-ami-sharing';
import { Construct } from 'constructs';

export interface EveryConstructStackProps extends StackProps {
  /**
   * Configure the handler with a KMS key for its log group (the other branch of the library's nag suppressions), and
   * with the enforcement schedule (its role and the handler's read access to the stack).
   */
  readonly encryptLogs?: boolean;
}

export class EveryConstructStack extends Stack {
  constructor(scope: Construct, id: string, props: EveryConstructStackProps = {}) {
    super(scope, id, props);

    if (props.encryptLogs) {
      const key = new kms.Key(this, 'LogKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
      AmiSharingHandler.configure(this, {
        logRetention: logs.RetentionDays.THREE_MONTHS,
        logRemovalPolicy: RemovalPolicy.DESTROY,
        logEncryptionKey: key,
        enforceEvery: Duration.hours(1),
      });
    }

    new AmiLaunchPermissions(this, 'Share', {
      imageId: 'ami-0123456789abcdef0',
      permissions: [
        LaunchPermission.account('111122223333'),
        LaunchPermission.organizationalUnit('arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij'),
        LaunchPermission.publicAccess(),
      ],
    });
    new AmiLaunchPermissions(this, 'Exclusive', {
      imageId: 'ami-0fedcba9876543210',
      permissions: [LaunchPermission.organization('arn:aws:organizations::123456789012:organization/o-abcdefghij')],
      mode: LaunchPermissionMode.EXCLUSIVE,
    });
    const pipelineImage = new CfnParameter(this, 'PipelineImage', { type: 'AWS::EC2::Image::Id' });
    new AmiLaunchPermissions(this, 'FromParameter', {
      imageId: pipelineImage.valueAsString,
      permissions: [LaunchPermission.account('444455556666')],
    }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    // A golden-AMI rollover that keeps the last two AMIs shared and deprecated (the KeptImages policy, the guard).
    const goldenImage = new CfnParameter(this, 'GoldenImage', { type: 'AWS::EC2::Image::Id' });
    new AmiLaunchPermissions(this, 'Golden', {
      imageId: goldenImage.valueAsString,
      permissions: [LaunchPermission.account('777788889999')],
      supersededImages: SupersededImages.keep(2, { deprecateAfter: Duration.days(14) }),
    });

    const imds = new AmiImdsPolicy(this, 'Imds', { imageId: 'ami-0123456789abcdef0' });
    // What the README tells users to do once they have checked the AMI supports IMDSv2, so `cdk synth --strict` passes.
    Annotations.of(imds).acknowledgeWarning('cdk-ami-sharing:imdsV2Irreversible', 'This AMI\'s software supports IMDSv2');

    new AmiDescription(this, 'Desc', { imageId: 'ami-0123456789abcdef0', description: 'Golden image, CIS hardened' });
    // A fixed time, so the user's snapshot does not change from one synth to the next.
    new AmiDeprecation(this, 'Deprecate', { imageId: 'ami-0fedcba9876543210', deprecateAt: new Date('2028-06-30T00:00:00Z') });
    new AmiDeregistrationProtection(this, 'Protect', { imageId: 'ami-0fedcba9876543210', withCooldown: true });
  }
}
