// cdk-nag's AwsSolutions and NIST 800-53 rev 5 packs on a stack with every construct of the library: no finding may
// remain unsuppressed, and every suppression the library adds sits on its own resources with a reason.
import { App, Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  AllowedImages,
  AmiDeprecation,
  AmiDeregistrationProtection,
  AmiDescription,
  AmiImdsPolicy,
  AmiLaunchPermissions,
  AmiSharingHandler,
  ImageBlockPublicAccess,
  ImageCriterion,
  LaunchPermission,
  LaunchPermissionMode,
  SupersededImages,
} from '../../src';

function everyConstruct(): Stack {
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  // With the enforcement schedule, its role and the handler's read access to the stack.
  AmiSharingHandler.configure(stack, { enforceEvery: Duration.hours(1) });
  new AmiLaunchPermissions(stack, 'Share', {
    imageId: 'ami-0123456789abcdef0',
    permissions: [LaunchPermission.account('111122223333'), LaunchPermission.publicAccess()],
  });
  new AmiLaunchPermissions(stack, 'Exclusive', {
    imageId: 'ami-0fedcba9876543210',
    permissions: [LaunchPermission.organization('arn:aws:organizations::123456789012:organization/o-abcdefghij')],
    mode: LaunchPermissionMode.EXCLUSIVE,
    // With the KeptImages policy, the SupersededImages guard and the stack-record reads.
    supersededImages: SupersededImages.keep(2, { deprecateAfter: Duration.days(7) }),
  });
  new AmiLaunchPermissions(stack, 'Encrypted', {
    imageId: 'ami-0aaaaaaaaaaaaaaaa',
    permissions: [LaunchPermission.account('444455556666')],
    encryptionKeys: [kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab')],
    allowCopy: true,
  });
  new AmiImdsPolicy(stack, 'Imds', { imageId: 'ami-0123456789abcdef0' });
  new AmiDescription(stack, 'Desc', { imageId: 'ami-0123456789abcdef0', description: 'Golden image' });
  new AmiDeprecation(stack, 'Deprecation', { imageId: 'ami-0fedcba9876543210', deprecateAt: new Date(Date.now() + 30 * 86_400_000) });
  new AmiDeregistrationProtection(stack, 'Protection', { imageId: 'ami-0fedcba9876543210', withCooldown: true });
  return stack;
}

/** The account-level guards, which cannot share a stack with a public share (ImageBlockPublicAccess refuses it). */
function accountGuards(): Stack {
  const stack = new Stack(new App(), 'Guards', { env: { account: '123456789012', region: 'us-east-1' } });
  new ImageBlockPublicAccess(stack, 'BlockPublicAccess', { removalPolicy: RemovalPolicy.DESTROY });
  new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.providers('amazon', '111122223333')] });
  return stack;
}

test.each([
  ['AwsSolutions', 'every per-AMI construct', everyConstruct, () => new AwsSolutionsChecks({ verbose: true })],
  ['NIST.800.53.R5', 'every per-AMI construct', everyConstruct, () => new NIST80053R5Checks({ verbose: true })],
  ['AwsSolutions', 'the account guards', accountGuards, () => new AwsSolutionsChecks({ verbose: true })],
  ['NIST.800.53.R5', 'the account guards', accountGuards, () => new NIST80053R5Checks({ verbose: true })],
])('%s on %s: zero unsuppressed findings', (_pack, _stack, build, checks) => {
  const stack = build();
  Aspects.of(stack).add(checks());
  const annotations = Annotations.fromStack(stack);
  const findings = [
    ...annotations.findError('*', Match.stringLikeRegexp('.*')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('.*')),
  ].map(f => `${f.id}: ${String(f.entry.data).split('\n')[0]}`);
  // The IMDSv2 irreversibility warning is ours, on purpose.
  expect(findings.filter(f => !f.includes('cdk-ami-sharing:imdsV2Irreversible'))).toEqual([]);
});
