// The helpers that turn a synthesised template into the identity policies the EC2 peer enforces.
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AmiLaunchPermissions, LaunchPermission } from '../src';
import { onlyRole, resolveResources, rolePolicies } from './support/role-policies';

function resourcesOf(build: (stack: Stack) => void): Record<string, any> {
  const stack = new Stack(new App(), 'Policies', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return Template.fromStack(stack).toJSON().Resources;
}

test('the handler role\'s managed policies, intrinsics resolved, named by logical id', () => {
  const raw = resourcesOf(stack => {
    const image = new CfnParameter(stack, 'ImageId').valueAsString;
    new AmiLaunchPermissions(stack, 'Share', { imageId: image, permissions: [LaunchPermission.publicAccess()] });
  });
  const resources = resolveResources(raw, { stackName: 'Policies', parameters: { ImageId: 'ami-12345678' } });

  const policies = rolePolicies(resources, onlyRole(resources));

  const byName = Object.fromEntries(policies.map(p => [p.name.replace(/[0-9A-F]{8,}$/, ''), p.document]));
  expect(Object.keys(byName).sort()).toEqual(['CdkAmiSharingHandlerImageAccess', 'CdkAmiSharingHandlerLogs', 'CdkAmiSharingHandlerPublicSharingChecks']);
  expect(byName.CdkAmiSharingHandlerImageAccess).toEqual({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
      Resource: 'arn:aws:ec2:us-east-1::image/ami-12345678',
    }],
  });
  expect(JSON.stringify(policies)).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
});

test('only policies attached to the given role, plus its inline policies', () => {
  const resources = {
    Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'Inline', PolicyDocument: { Statement: ['inline'] } }] } },
    Other: { Type: 'AWS::IAM::Role', Properties: {} },
    Mine: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: ['mine'] } } },
    MineByName: { Type: 'AWS::IAM::Policy', Properties: { Roles: ['Role'], PolicyDocument: { Statement: ['by name'] } } },
    Theirs: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'Other' }], PolicyDocument: { Statement: ['theirs'] } } },
  };
  expect(rolePolicies(resources, 'Role').map(p => p.name)).toEqual(['Mine', 'MineByName', 'Role/Inline']);
  expect(() => rolePolicies(resources, 'Mine')).toThrow(/'Mine' is not an AWS::IAM::Role of the template \(it is AWS::IAM::ManagedPolicy\)/);
  expect(() => onlyRole(resources)).toThrow(/expected exactly one AWS::IAM::Role, found 2: Role, Other/);
});

test('resolveResources: parameters, pseudo parameters, Fn::Join, Fn::Sub; resource Refs become logical ids, GetAtts ARNs naming them', () => {
  const resources = {
    Policy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        Roles: [{ Ref: 'Role' }],
        Joined: { 'Fn::Join': ['-', [{ Ref: 'P' }, { Ref: 'AWS::Region' }, { 'Fn::GetAtt': ['Log', 'Arn'] }]] },
        Substituted: { 'Fn::Sub': '${AWS::StackName}/${P}/${Log.Arn}' },
      },
    },
  };
  expect(resolveResources(resources, { stackName: 'Policies', parameters: { P: 'v' } }).Policy.Properties).toEqual({
    Roles: ['Role'],
    Joined: 'v-us-east-1-arn:aws:cloudformation:us-east-1:123456789012:getatt/Log/Arn',
    Substituted: 'Policies/v/arn:aws:cloudformation:us-east-1:123456789012:getatt/Log/Arn',
  });
});
