// Encrypted AMIs at synth time: what the construct puts in a key it creates, what it asks of the handler for an imported
// key and for allowCopy, and the IAM it gives the handler for them.
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiLaunchPermissions, LaunchPermission } from '../../src';

const IMAGE = 'ami-0123456789abcdef0';
const ACCOUNT = '111122223333';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';
const IMPORTED = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** The statements the construct added to the key (the key's default statements left out). */
function sharingStatements(s: Stack): any[] {
  const keys = Template.fromStack(s).findResources('AWS::KMS::Key');
  const [key] = Object.values(keys) as any[];
  return key.Properties.KeyPolicy.Statement.filter((st: any) => String(st.Sid ?? '').startsWith('CdkAmiSharing'));
}

describe('a key this app creates', () => {
  test('gets use and CreateGrant-for-AWS-resources statements for exactly the declared account, organization and OU', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    new AmiLaunchPermissions(s, 'Share', {
      imageId: IMAGE,
      permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG), LaunchPermission.organizationalUnit(OU)],
      encryptionKeys: [key],
    });
    const statements = sharingStatements(s);
    const use = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];
    const accountPrincipal = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] } };
    const grantIsForAwsResource = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };
    expect(statements.map(st => [st.Principal, st.Action, st.Condition])).toEqual([
      [accountPrincipal, use, undefined],
      [accountPrincipal, 'kms:CreateGrant', grantIsForAwsResource],
      [{ AWS: '*' }, use, { StringEquals: { 'aws:PrincipalOrgID': ['o-abcdefghij'] } }],
      [{ AWS: '*' }, 'kms:CreateGrant', { StringEquals: { 'aws:PrincipalOrgID': ['o-abcdefghij'] }, ...grantIsForAwsResource }],
      [{ AWS: '*' }, use, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abcdefghij/*/ou-ab12-cdefghij/*'] } }],
      [{ AWS: '*' }, 'kms:CreateGrant', {
        'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abcdefghij/*/ou-ab12-cdefghij/*'] }, ...grantIsForAwsResource,
      }],
    ]);
    Template.fromStack(s).hasResourceProperties('Custom::AmiLaunchPermissions', {
      EncryptionKeys: [{ KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] }, SharedBy: 'KEY_POLICY' }],
    });
    // No grants for a key whose policy the app writes.
    expect(Object.keys(Template.fromStack(s).findResources('AWS::IAM::ManagedPolicy')).some(id => id.includes('KeyGrants'))).toBe(false);
  });

  test('dropping a principal drops its statements', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    new AmiLaunchPermissions(s, 'Share', { imageId: IMAGE, permissions: [LaunchPermission.organization(ORG)], encryptionKeys: [key] });
    expect(sharingStatements(s).map(st => st.Sid.replace(/^CdkAmiSharing[0-9a-f]+/, ''))).toEqual(['UseOrganizations', 'GrantOrganizations']);
  });

  test('an organization ARN that is a token is taken apart by CloudFormation', () => {
    const s = stack();
    const key = new kms.Key(s, 'Key');
    const org = new CfnParameter(s, 'Org').valueAsString;
    new AmiLaunchPermissions(s, 'Share', { imageId: IMAGE, permissions: [LaunchPermission.organization(org)], encryptionKeys: [key] });
    expect(sharingStatements(s)[0].Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': [{ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Org' }] }] }] },
    });
  });
});

describe('an imported key', () => {
  test('is shared through grants: the handler may create (only the EBS operations), list and revoke grants on it, nothing else', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', {
      imageId: IMAGE, permissions: [LaunchPermission.account(ACCOUNT)], encryptionKeys: [kms.Key.fromKeyArn(s, 'Imported', IMPORTED)],
    });
    const template = Template.fromStack(s);
    template.hasResourceProperties('Custom::AmiLaunchPermissions', { EncryptionKeys: [{ KeyArn: IMPORTED, SharedBy: 'GRANTS' }] });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: ['kms:ListGrants', 'kms:RevokeGrant'], Effect: 'Allow', Resource: IMPORTED },
          {
            Action: 'kms:CreateGrant',
            Effect: 'Allow',
            Resource: IMPORTED,
            Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'DescribeKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant'] } },
          },
        ],
      },
    });
  });

  test('a different set of imported keys is a different policy (the old one keeps its access until cleanup)', () => {
    const ids = (arn: string) => {
      const s = stack();
      new AmiLaunchPermissions(s, 'Share', {
        imageId: IMAGE, permissions: [LaunchPermission.account(ACCOUNT)], encryptionKeys: [kms.Key.fromKeyArn(s, 'Imported', arn)],
      });
      return Object.keys(Template.fromStack(s).findResources('AWS::IAM::ManagedPolicy')).filter(id => id.includes('KeyGrants'));
    };
    const [one, two] = [ids(IMPORTED), ids(IMPORTED.replace('1234abcd', '5678abcd'))];
    expect(one).toHaveLength(1);
    expect(two).toHaveLength(1);
    expect(one).not.toEqual(two);
  });
});

describe('allowCopy', () => {
  test('lets the handler add only the declared accounts to snapshots of its account, never the all group', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', { imageId: IMAGE, permissions: [LaunchPermission.account(ACCOUNT)], allowCopy: true });
    const template = Template.fromStack(s);
    template.hasResourceProperties('Custom::AmiLaunchPermissions', { AllowCopy: true });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: 'ec2:DescribeSnapshotAttribute', Resource: Match.anyValue() },
          {
            Action: 'ec2:ModifySnapshotAttribute',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1::snapshot/*']] },
            Condition: { StringEquals: { 'ec2:Add/userId': [ACCOUNT] }, Null: { 'ec2:Add/group': 'true' } },
          },
          {
            Action: 'ec2:ModifySnapshotAttribute',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1::snapshot/*']] },
            Condition: { Null: { 'ec2:Add/userId': 'true', 'ec2:Add/group': 'true' } },
          },
        ],
      },
    });
  });

  test('stacks without allowCopy get no snapshot permission, and templates of plain shares gain no new property', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', { imageId: IMAGE, permissions: [LaunchPermission.account(ACCOUNT)] });
    const template = Template.fromStack(s);
    expect(JSON.stringify(template.toJSON())).not.toContain('ModifySnapshotAttribute');
    const [resource] = Object.values(template.findResources('Custom::AmiLaunchPermissions')) as any[];
    expect(Object.keys(resource.Properties).sort()).toEqual(['ImageId', 'Mode', 'Permissions', 'ServiceTimeout', 'ServiceToken']);
  });
});

test('every stack that shares an AMI may read its snapshots and tell aws/ebs apart (in the base policy); the resource waits for it', () => {
  const s = stack();
  new AmiLaunchPermissions(s, 'Share', { imageId: IMAGE, permissions: [LaunchPermission.account(ACCOUNT)] });
  const template = Template.fromStack(s);
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        { Action: ['ec2:DescribeImages', 'ec2:DescribeSnapshots'], Effect: 'Allow', Resource: '*' },
        { Action: 'kms:DescribeKey', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:123456789012:key/*']] } },
      ]),
    },
  });
  const [resource] = Object.values(template.findResources('Custom::AmiLaunchPermissions')) as any[];
  expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^CdkAmiSharingHandlerLogs/)]));
});
