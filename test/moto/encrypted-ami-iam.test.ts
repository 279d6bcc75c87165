// The handler's role, as the stack declares it, enforced by the peer on every EC2 and KMS request (IAM policy
// evaluation with @cloud-copilot/iam-simulate): an imported key and allowCopy work end to end under it, and it does
// not let the handler give snapshots to an undeclared account, or grant a key it does not declare.
import { ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import { CreateGrantCommand } from '@aws-sdk/client-kms';
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiLaunchPermissions, LaunchPermission } from '../../src';
import { synthesize } from '../support/cloud-assembly';
import { createEncryptedImage, createKey, kmsClient, liveGrants, liveSnapshotAccounts } from '../support/encrypted-images';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { onlyRole, resolveResources, rolePolicies } from '../support/role-policies';

const A = '111122223333';
const OUTSIDER = '999988887777';
const env = useHandlerEnvironment();

/** The stack sharing `imageId` with A through the imported `keyArn`, with allowCopy: its custom resources and role policies. */
function stackFor(imageId: string, keyArn: string) {
  const app = new App();
  const stack = new Stack(app, 'Encrypted', { env: { account: '123456789012', region: 'us-east-1' } });
  new AmiLaunchPermissions(stack, 'Share', {
    imageId, permissions: [LaunchPermission.account(A)], encryptionKeys: [kms.Key.fromKeyArn(stack, 'Key', keyArn)], allowCopy: true,
  });
  const { template, customResources } = synthesize(app, stack);
  const resources = resolveResources(template.Resources, { stackName: stack.stackName });
  return { customResources, policies: rolePolicies(resources, onlyRole(resources)) };
}

test('Create and Delete succeed with only the stack\'s own policies; each KMS and snapshot call was allowed', async () => {
  const keys = kmsClient(env.peer.endpoint);
  const key = await createKey(keys);
  const { imageId, snapshotId } = await createEncryptedImage(env.ec2, key);
  const { customResources, policies } = stackFor(imageId, key);
  const cfn = env.simulator();
  env.peer.enforceIdentityPolicies(policies);
  env.peer.clearLog();
  try {
    expect(await cfn.deploy(customResources)).toBeUndefined();
    const verdicts = env.peer.iamVerdicts().map(v => `${v.action} ${v.result}`);
    expect(new Set(verdicts)).toEqual(new Set([
      'ec2:DescribeImageAttribute Allowed', 'ec2:DescribeImages Allowed', 'ec2:DescribeSnapshots Allowed', 'kms:ListGrants Allowed',
      'kms:CreateGrant Allowed', 'ec2:DescribeSnapshotAttribute Allowed', 'ec2:ModifySnapshotAttribute Allowed', 'ec2:ModifyImageAttribute Allowed',
    ]));
    expect(await cfn.destroy()).toBeUndefined();
    expect(env.peer.iamVerdicts().filter(v => v.result !== 'Allowed')).toEqual([]);
  } finally {
    env.peer.enforceIdentityPolicies(undefined);
  }
  expect(await livePermissions(env.ec2, imageId)).toEqual([]);
  expect(await liveGrants(keys, key)).toEqual([]);
  expect(await liveSnapshotAccounts(env.ec2, snapshotId)).toEqual([]);
  keys.destroy();
});

test('the role cannot give a snapshot to an undeclared account or to everyone, nor grant a key the stack does not declare', async () => {
  const keys = kmsClient(env.peer.endpoint);
  const [key, other] = [await createKey(keys), await createKey(keys)];
  const { snapshotId } = await createEncryptedImage(env.ec2, key);
  const { policies } = stackFor('ami-0123456789abcdef0', key);
  env.peer.enforceIdentityPolicies(policies);
  const refused = async (send: () => Promise<unknown>) => send().then(() => 'allowed', (e: Error) => e.name);
  try {
    const add = (entry: object) => env.ec2.send(new ModifySnapshotAttributeCommand({
      SnapshotId: snapshotId, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [entry] },
    }));
    expect(await refused(() => add({ UserId: OUTSIDER }))).toBe('UnauthorizedOperation');
    expect(await refused(() => add({ Group: 'all' }))).toBe('UnauthorizedOperation');
    expect(await refused(() => add({ UserId: A }))).toBe('allowed');
    const grant = (keyArn: string, operations: string[]) => keys.send(new CreateGrantCommand({
      KeyId: keyArn, GranteePrincipal: `arn:aws:iam::${A}:root`, Operations: operations as any, Name: 'probe',
    }));
    expect(await refused(() => grant(other, ['Decrypt']))).toBe('AccessDeniedException');
    expect(await refused(() => grant(key, ['Decrypt', 'Encrypt']))).toBe('AccessDeniedException');
    expect(await refused(() => grant(key, ['Decrypt']))).toBe('allowed');
  } finally {
    env.peer.enforceIdentityPolicies(undefined);
  }
  keys.destroy();
});
