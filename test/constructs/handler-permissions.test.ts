// Least privilege, asserted on the policy documents themselves: the handler's role may write image attributes of the
// declared images only, read only what it needs, and log only to its own log group.
import { App, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AmiDeprecation, AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission } from '../../src';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}
const imageArn = (imageId: unknown) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:us-east-1::image/${imageId}`]] });
const hex17 = (i: number) => i.toString(16).padStart(17, '0');

/** Every policy statement that applies to the handler's role, inline or managed. */
function statements(template: Template): any[] {
  const inline = Object.values<any>(template.findResources('AWS::IAM::Role'))
    .flatMap(r => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
  const policies = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
  const managed = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(p => p.Properties.PolicyDocument.Statement);
  return [...inline, ...policies, ...managed];
}

test('one role; image attributes of the declared images only; logs to its own log group only', () => {
  const s = stack();
  new AmiLaunchPermissions(s, 'A', { imageId: 'ami-11111111', permissions: [LaunchPermission.account('111122223333')] });
  new AmiImdsPolicy(s, 'B', { imageId: 'ami-22222222' });
  new AmiDescription(s, 'C', { imageId: 'ami-11111111', description: 'd' });
  const template = Template.fromStack(s);
  template.resourceCountIs('AWS::IAM::Role', 1);
  template.resourceCountIs('AWS::IAM::Policy', 0);
  // No inline policies at all (NIST 800-53 IAMNoInlinePolicy): everything is in customer-managed policies.
  expect(Object.values<any>(template.findResources('AWS::IAM::Role'))[0].Properties.Policies).toBeUndefined();
  expect(statements(template)).toEqual([
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^CdkAmiSharingHandlerLogGroup/), 'Arn'] },
    },
    // Before sharing: the AMI's snapshots and whether their key is aws/ebs (src/handler/encryption-access.ts).
    { Effect: 'Allow', Action: ['ec2:DescribeImages', 'ec2:DescribeSnapshots'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: 'kms:DescribeKey',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:123456789012:key/*']] },
    },
    {
      Effect: 'Allow',
      Action: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
      Resource: [imageArn('ami-11111111'), imageArn('ami-22222222')],
    },
  ]);
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^CdkAmiSharingHandlerServiceRole') }] });
});

test('the public-sharing checks (reads without resource-level permissions) are granted only when publicAccess() is declared', () => {
  const without = stack();
  new AmiLaunchPermissions(without, 'A', { imageId: 'ami-11111111', permissions: [LaunchPermission.account('111122223333')] });
  expect(JSON.stringify(statements(Template.fromStack(without)))).not.toContain('GetImageBlockPublicAccessState');

  const withPublic = stack();
  new AmiLaunchPermissions(withPublic, 'A', { imageId: 'ami-11111111', permissions: [LaunchPermission.publicAccess()] });
  new AmiLaunchPermissions(withPublic, 'B', { imageId: 'ami-22222222', permissions: [LaunchPermission.publicAccess()] });
  const star = statements(Template.fromStack(withPublic)).filter(st => st.Resource === '*');
  expect(star).toEqual([
    { Effect: 'Allow', Action: ['ec2:DescribeImages', 'ec2:DescribeSnapshots'], Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:GetImageBlockPublicAccessState', 'ec2:DescribeImages'], Resource: '*' },
  ]);
});

test('no mutating action on a wildcard resource, whatever the stack holds', () => {
  const s = stack();
  new AmiLaunchPermissions(s, 'A', { imageId: Token.asString({ Ref: 'Image' }), permissions: [LaunchPermission.publicAccess()] });
  new AmiImdsPolicy(s, 'B', { imageId: 'ami-22222222' });
  new AmiDescription(s, 'C', { imageId: 'ami-33333333', description: 'd' });
  for (const statement of statements(Template.fromStack(s))) {
    const actions: string[] = [statement.Action].flat();
    if (actions.some(a => /:(Modify|Create|Put|Delete|Reset|Enable|Disable)/.test(a))) {
      expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|image\/\*/);
    }
  }
});

test('an AMI with a description and a deprecation counts twice towards a policy\'s 85 image ARNs', () => {
  const s = stack();
  for (let i = 0; i < 60; i++) {
    new AmiDescription(s, `Describe${i}`, { imageId: `ami-${hex17(i)}`, description: 'd' });
    new AmiDeprecation(s, `Deprecate${i}`, { imageId: `ami-${hex17(i)}`, deprecateAt: new Date(Date.now() + 86_400_000) });
  }
  const policies = Object.entries<any>(Template.fromStack(s).findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.includes('ImageAccess'));
  const listed = policies.map(([, p]) => p.Properties.PolicyDocument.Statement.map((st: any) => [st.Resource].flat().length));
  expect(listed).toEqual([[43, 42], [18, 17]]);
});

test('200 images spread over managed policies of 85 images each, and each resource depends on its own policy', () => {
  const s = stack();
  for (let i = 0; i < 200; i++) {
    new AmiLaunchPermissions(s, `Share${i}`, { imageId: `ami-${hex17(i)}`, permissions: [LaunchPermission.account('111122223333')] });
  }
  const template = Template.fromStack(s);
  template.resourceCountIs('AWS::Lambda::Function', 1);
  const policies = Object.fromEntries(Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.includes('ImageAccess')));
  expect(Object.values<any>(policies).map(p => p.Properties.PolicyDocument.Statement[0].Resource.length)).toEqual([85, 85, 30]);
  const resources = Object.values<any>(template.findResources('Custom::AmiLaunchPermissions'));
  const policyOf = (imageId: string) => Object.entries<any>(policies)
    .find(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(imageId))![0];
  for (const resource of [resources[0], resources[84], resources[85], resources[199]]) {
    expect(resource.DependsOn).toContain(policyOf(resource.Properties.ImageId));
  }
});

test('a token image id is scoped by its token', () => {
  const s = stack();
  const imageId = Token.asString({ 'Fn::GetAtt': ['GoldenImage', 'ImageId'] });
  new AmiLaunchPermissions(s, 'Share', { imageId, permissions: [LaunchPermission.account('111122223333')] });
  const ec2 = statements(Template.fromStack(s)).find(st => JSON.stringify(st.Action).includes('ec2:ModifyImageAttribute'));
  expect(ec2.Resource).toEqual({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1::image/', { 'Fn::GetAtt': ['GoldenImage', 'ImageId'] }]],
  });
});

test('nothing of the handler leaks into the user\'s own resources', () => {
  const build = (withLibrary: boolean) => {
    const s = stack();
    new iam.Role(s, 'UserRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new sns.Topic(s, 'UserTopic');
    if (withLibrary) {
      new AmiLaunchPermissions(s, 'A', { imageId: 'ami-11111111', permissions: [LaunchPermission.publicAccess()] });
      new AmiImdsPolicy(s, 'B', { imageId: 'ami-11111111' });
      new AmiDescription(s, 'C', { imageId: 'ami-11111111', description: 'd' });
    }
    return Template.fromStack(s).toJSON().Resources;
  };
  const before = build(false);
  const after = build(true);
  for (const id of Object.keys(before)) {
    expect(after[id]).toEqual(before[id]);
  }
  const added = Object.keys(after).filter(id => !(id in before));
  expect(added.filter(id => !id.startsWith('CdkAmiSharingHandler') && !/^[ABC][0-9A-F]{8}$/.test(id))).toEqual([]);
});
