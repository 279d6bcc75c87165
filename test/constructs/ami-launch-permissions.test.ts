import { App, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../../src';

const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}

describe('AmiLaunchPermissions', () => {
  test('declares a custom resource with the image, the principals in EC2 form, and the mode', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', {
      imageId: 'ami-0123456789abcdef0',
      permissions: [
        LaunchPermission.account('111122223333'),
        LaunchPermission.organization(ORG),
        LaunchPermission.organizationalUnit(OU),
        LaunchPermission.publicAccess(),
      ],
      mode: LaunchPermissionMode.EXCLUSIVE,
    });
    const template = Template.fromStack(s);
    template.hasResourceProperties('Custom::AmiLaunchPermissions', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkAmiSharingHandlerFunction'), 'Arn'] },
      ServiceTimeout: '720',
      ImageId: 'ami-0123456789abcdef0',
      Permissions: [{ UserId: '111122223333' }, { OrganizationArn: ORG }, { OrganizationalUnitArn: OU }, { Group: 'all' }],
      Mode: 'EXCLUSIVE',
    });
  });

  test('mode defaults to ADDITIVE', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', { imageId: 'ami-12345678', permissions: [LaunchPermission.account('111122223333')] });
    Template.fromStack(s).hasResourceProperties('Custom::AmiLaunchPermissions', { Mode: 'ADDITIVE' });
  });

  test('three constructs share one handler function (nodejs24.x on the aws-cdk-lib floor), with ServiceTimeout on each resource', () => {
    const s = stack();
    for (const [i, image] of ['ami-11111111', 'ami-22222222', 'ami-11111111'].entries()) {
      new AmiLaunchPermissions(s, `Share${i}`, { imageId: image, permissions: [LaunchPermission.account(`11112222333${i}`)] });
    }
    const template = Template.fromStack(s);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('Custom::AmiLaunchPermissions', 3);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 300 });
    template.allResourcesProperties('Custom::AmiLaunchPermissions', { ServiceTimeout: '720' });
  });

  test('a token image id is passed through to the resource', () => {
    const s = stack();
    const imageId = Token.asString({ 'Fn::GetAtt': ['GoldenImage', 'ImageId'] });
    new AmiLaunchPermissions(s, 'Share', { imageId, permissions: [LaunchPermission.account('111122223333')] });
    Template.fromStack(s).hasResourceProperties('Custom::AmiLaunchPermissions', { ImageId: { 'Fn::GetAtt': ['GoldenImage', 'ImageId'] } });
  });

  test('applyRemovalPolicy(RETAIN) keeps the permissions when the construct is removed', () => {
    const s = stack();
    const share = new AmiLaunchPermissions(s, 'Share', { imageId: 'ami-12345678', permissions: [LaunchPermission.account('111122223333')] });
    share.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Template.fromStack(s).hasResource('Custom::AmiLaunchPermissions', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the handler is created at the stack root under a fixed id, whatever the nesting', () => {
    const s = stack();
    const nested = new Construct(new Construct(s, 'Deep'), 'Deeper');
    new AmiLaunchPermissions(nested, 'Share', { imageId: 'ami-12345678', permissions: [] });
    expect(s.node.tryFindChild('CdkAmiSharingHandler')).toBeDefined();
  });

  test('the template matches the snapshot', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', {
      imageId: 'ami-0123456789abcdef0',
      permissions: [LaunchPermission.account('111122223333'), LaunchPermission.organization(ORG)],
    });
    expect(Template.fromStack(s).toJSON()).toMatchSnapshot();
  });
});

describe('bad input fails at synth time naming the property and the value', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['11-digit account', () => LaunchPermission.account('11112222333'), "LaunchPermission.account: '11112222333' is not a 12-digit AWS account id (it has 11 digits)"],
    ['account with letters', () => LaunchPermission.account('11112222333a'), "LaunchPermission.account: '11112222333a' is not a 12-digit AWS account id"],
    ['OU ARN as organization', () => LaunchPermission.organization(OU), `LaunchPermission.organization: '${OU}' is an organizational unit ARN, not an organization ARN; use LaunchPermission.organizationalUnit()`],
    ['organization ARN as OU', () => LaunchPermission.organizationalUnit(ORG), `LaunchPermission.organizationalUnit: '${ORG}' is an organization ARN, not an organizational unit ARN; use LaunchPermission.organization()`],
    ['malformed organization ARN', () => LaunchPermission.organization('o-abcdefghij'), "LaunchPermission.organization: 'o-abcdefghij' is not an organization ARN"],
    ['empty image id', () => new AmiLaunchPermissions(stack(), 'S', { imageId: '', permissions: [] }), "AmiLaunchPermissions.imageId: an AMI id is required (got '')"],
    ['malformed image id', () => new AmiLaunchPermissions(stack(), 'S', { imageId: 'ami-xyz', permissions: [] }), "AmiLaunchPermissions.imageId: 'ami-xyz' is not an AMI id"],
    ['duplicate principal', () => new AmiLaunchPermissions(stack(), 'S', {
      imageId: 'ami-12345678', permissions: [LaunchPermission.account('111122223333'), LaunchPermission.account('111122223333')],
    }), "AmiLaunchPermissions.permissions[1]: '111122223333' is declared twice (also at AmiLaunchPermissions.permissions[0])"],
  ];
  test.each(cases)('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('tokens are not judged at synth time', () => {
    const s = stack();
    const account = Token.asString({ Ref: 'ConsumerAccount' });
    expect(() => new AmiLaunchPermissions(s, 'S', {
      imageId: Token.asString({ Ref: 'Image' }),
      permissions: [LaunchPermission.account(account), LaunchPermission.account(account)],
    })).not.toThrow();
  });
});
