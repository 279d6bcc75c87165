// cdk-nag 3 reads acknowledgements made with aws-cdk-lib's Validations (2.257 and later), which the floor this repository
// builds against does not have: a stand-in Validations checks the library acknowledges each suppressed finding, on
// its own resources, by the id cdk-nag 3 reports it under. The real cdk-nag 3 on the latest aws-cdk-lib is .ci/compat.
import * as cdk from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { AllowedImages, AmiDeprecation, AmiLaunchPermissions, ImageBlockPublicAccess, ImageCriterion, LaunchPermission } from '../../src';

type Acknowledged = { path: string; id: string; reason: string };

function acknowledgementsOf(build: (stack: Stack) => void): Acknowledged[] {
  const acknowledged: Acknowledged[] = [];
  const lib = cdk as unknown as Record<string, unknown>;
  expect(lib.Validations).toBeUndefined();
  lib.Validations = {
    of: (scope: cdk.CfnResource) => ({
      acknowledge: (...rules: Array<{ id: string; reason: string }>) =>
        acknowledged.push(...rules.map(r => ({ path: scope.node.path, ...r }))),
    }),
  };
  try {
    build(new Stack(new App(), 'Nag'));
  } finally {
    delete lib.Validations;
  }
  return acknowledged;
}

test('every suppression is acknowledged for cdk-nag 3 on the handler\'s own resources, with its reason', () => {
  const acknowledged = acknowledgementsOf(stack => new AmiLaunchPermissions(stack, 'Share', {
    imageId: 'ami-0123456789abcdef0',
    permissions: [LaunchPermission.publicAccess()],
  }));
  expect(acknowledged.map(a => `${a.path} ${a.id}`).sort()).toEqual([
    'Nag/CdkAmiSharingHandler/Function/Resource NIST.800.53.R5-LambdaConcurrency',
    'Nag/CdkAmiSharingHandler/Function/Resource NIST.800.53.R5-LambdaDLQ',
    'Nag/CdkAmiSharingHandler/Function/Resource NIST.800.53.R5-LambdaInsideVPC',
    'Nag/CdkAmiSharingHandler/LogGroup/Resource NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    // The checks before sharing (DescribeImages / DescribeSnapshots on *, kms:DescribeKey on the account's keys).
    'Nag/CdkAmiSharingHandler/Logs/Resource AwsSolutions-IAM5[Resource::*]',
    'Nag/CdkAmiSharingHandler/Logs/Resource AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
    'Nag/CdkAmiSharingHandler/PublicSharingChecks/Resource AwsSolutions-IAM5[Resource::*]',
  ]);
  for (const a of acknowledged) expect(a.reason.length).toBeGreaterThan(40);
});

test('the account guards\' policies on * are acknowledged with their reason', () => {
  const acknowledged = acknowledgementsOf(stack => {
    new ImageBlockPublicAccess(stack, 'BlockPublicAccess');
    new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.providers('amazon')] });
  });
  expect(acknowledged.filter(a => a.path.includes('Settings')).map(a => `${a.path} ${a.id}`)).toEqual([
    'Nag/CdkAmiSharingHandler/ImageBlockPublicAccessSettings/Resource AwsSolutions-IAM5[Resource::*]',
    'Nag/CdkAmiSharingHandler/AllowedImagesSettings/Resource AwsSolutions-IAM5[Resource::*]',
  ]);
  expect(acknowledged.find(a => a.path.includes('Settings'))!.reason).toBe('ec2:GetImageBlockPublicAccessState, ec2:EnableImageBlockPublicAccess act on '
    + 'a setting of the whole account and Region and support no resource-level permissions (Service Authorization Reference, Amazon EC2); '
    + 'granted only to stacks that declare ImageBlockPublicAccess, in a policy of their own.');
});

test('AmiDeprecation alone: DescribeImages on * is acknowledged on the log policy, with its own reason', () => {
  const acknowledged = acknowledgementsOf(stack => new AmiDeprecation(stack, 'Deprecation', {
    imageId: 'ami-0123456789abcdef0',
    deprecateAt: new Date(Date.now() + 86_400_000),
  }));
  expect(acknowledged.filter(a => a.id.startsWith('AwsSolutions-IAM5'))).toEqual([{
    path: 'Nag/CdkAmiSharingHandler/Logs/Resource',
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: expect.stringContaining('the only call that reports an AMI\'s deprecation time'),
  }]);
});

test('without Validations (aws-cdk-lib before 2.257) only the cdk-nag 2 metadata is written', () => {
  const stack = new Stack(new App(), 'Nag');
  new AmiLaunchPermissions(stack, 'Share', { imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.publicAccess()] });
  const metadata = stack.node.findAll().flatMap(c => c.node.metadata.map(m => m.type));
  expect(metadata).not.toContain('aws:cdk:acknowledged-rules');
});
