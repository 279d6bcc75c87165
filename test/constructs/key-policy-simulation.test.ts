// The key-policy statements the construct adds, evaluated by an IAM policy simulator (@cloud-copilot/iam-simulate):
// resource policy plus conditions, for principals in and outside the declared account, organization and OU. The
// recipients' own identity policies allow everything, so the key policy alone decides.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiLaunchPermissions, LaunchPermission } from '../../src';
import { resolveResources } from '../support/role-policies';

const OWNER = '123456789012';
const KEY_ARN = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ACCOUNT = '111122223333';
const ORG_ID = 'o-abcdefghij';
const ORG = `arn:aws:organizations::${OWNER}:organization/${ORG_ID}`;
const OU = `arn:aws:organizations::${OWNER}:ou/${ORG_ID}/ou-ab12-cdefghij`;

/** The key policy of a key shared with `permissions`, with its intrinsic functions resolved as CloudFormation would. */
function keyPolicy(permissions: LaunchPermission[]): any {
  const s = new Stack(new App(), 'Test', { env: { account: OWNER, region: 'us-east-1' } });
  const key = new kms.Key(s, 'Key');
  new AmiLaunchPermissions(s, 'Share', { imageId: 'ami-0123456789abcdef0', permissions, encryptionKeys: [key] });
  const [resource] = Object.values(resolveResources(Template.fromStack(s).findResources('AWS::KMS::Key'), { stackName: s.stackName }));
  return resource.Properties.KeyPolicy;
}

async function decide(policy: any, principalAccount: string, action: string, context: Record<string, string | string[]> = {}): Promise<string> {
  const result = await runSimulation({
    request: {
      principal: `arn:aws:iam::${principalAccount}:role/Launcher`,
      action,
      resource: { resource: KEY_ARN, accountId: OWNER },
      contextVariables: context,
    },
    identityPolicies: [{ name: 'all', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
  }, {});
  if (result.resultType !== 'single') throw new Error(`simulation failed: ${JSON.stringify(result)}`);
  return result.overallResult;
}

const forEbs = { 'kms:GrantIsForAWSResource': 'true' };

test('a principal of the declared account may use the key for EBS; one of another account may not', async () => {
  const policy = keyPolicy([LaunchPermission.account(ACCOUNT)]);
  for (const action of ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']) {
    expect([action, await decide(policy, ACCOUNT, action)]).toEqual([action, 'Allowed']);
  }
  expect(await decide(policy, ACCOUNT, 'kms:CreateGrant', forEbs)).toBe('Allowed');
  expect(await decide(policy, '444455556666', 'kms:Decrypt')).toBe('ImplicitlyDenied');
});

test('CreateGrant that is not for an AWS resource is denied, even to a declared account', async () => {
  const policy = keyPolicy([LaunchPermission.account(ACCOUNT)]);
  expect(await decide(policy, ACCOUNT, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' })).toBe('ImplicitlyDenied');
  expect(await decide(policy, ACCOUNT, 'kms:CreateGrant')).toBe('ImplicitlyDenied');
});

test('a principal of the declared organization may use the key; one of another organization may not', async () => {
  const policy = keyPolicy([LaunchPermission.organization(ORG)]);
  expect(await decide(policy, '444455556666', 'kms:Decrypt', { 'aws:PrincipalOrgID': ORG_ID })).toBe('Allowed');
  expect(await decide(policy, '444455556666', 'kms:CreateGrant', { 'aws:PrincipalOrgID': ORG_ID, ...forEbs })).toBe('Allowed');
  expect(await decide(policy, '444455556666', 'kms:Decrypt', { 'aws:PrincipalOrgID': 'o-zyxwvutsrq' })).toBe('ImplicitlyDenied');
  expect(await decide(policy, '444455556666', 'kms:CreateGrant', { 'aws:PrincipalOrgID': ORG_ID, 'kms:GrantIsForAWSResource': 'false' }))
    .toBe('ImplicitlyDenied');
});

test('a principal of the declared OU, or of an OU below it, may use the key; one of a sibling OU or another organization may not', async () => {
  const policy = keyPolicy([LaunchPermission.organizationalUnit(OU)]);
  const paths = (path: string) => ({ 'aws:PrincipalOrgPaths': [path] });
  expect(await decide(policy, '444455556666', 'kms:Decrypt', paths(`${ORG_ID}/r-ab12/ou-ab12-cdefghij/`))).toBe('Allowed');
  expect(await decide(policy, '444455556666', 'kms:Decrypt', paths(`${ORG_ID}/r-ab12/ou-ab12-cdefghij/ou-ab12-11111111/`))).toBe('Allowed');
  expect(await decide(policy, '444455556666', 'kms:CreateGrant', { ...paths(`${ORG_ID}/r-ab12/ou-ab12-cdefghij/`), ...forEbs })).toBe('Allowed');
  expect(await decide(policy, '444455556666', 'kms:Decrypt', paths(`${ORG_ID}/r-ab12/ou-ab12-99999999/`))).toBe('ImplicitlyDenied');
  expect(await decide(policy, '444455556666', 'kms:Decrypt', paths('o-zyxwvutsrq/r-cd34/ou-ab12-cdefghij/'))).toBe('ImplicitlyDenied');
});
