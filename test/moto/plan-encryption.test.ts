// `cdk-ami-sharing plan` (the shipped bundle) for encrypted AMIs: the KMS grants on imported keys (SharedBy GRANTS) and
// the snapshots' createVolumePermission (allowCopy) of AmiLaunchPermissions, against the EC2 peer (KMS through it too)
// and the CloudFormation read peer. Every plan is checked against what the real handler then does when the same
// assembly is deployed, and every run against the peers' logs: no write to EC2, KMS or CloudFormation.
import { KMSClient } from '@aws-sdk/client-kms';
import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { grantName } from '../../lambda/encryption/key-grants';
import { listGrantsNamed, revokeGrant } from '../../lambda/kms';
import { modifyCreateVolumeAccounts } from '../../lambda/snapshots';
import { AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../../src';
import { createEncryptedImage, createKey, kmsClient, liveGrants, liveSnapshotAccounts } from '../support/encrypted-images';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const A = '111122223333';
const B = '444455556666';
const C = '777766665555';
const OUTSIDER = '999988887777';
const STACK = 'PlanEncrypted';
/** What a plan may call: reads only. */
const READS = new Set(['DescribeImageAttribute', 'DescribeImages', 'DescribeSnapshots', 'DescribeSnapshotAttribute', 'ListGrants', 'DescribeKey',
  'GetImageBlockPublicAccessState']);

let client: KMSClient;
beforeAll(() => { client = kmsClient(env.peer.endpoint); });
afterAll(() => client.destroy());

interface Sharing {
  readonly accounts?: string[];
  readonly allowCopy?: boolean;
  readonly mode?: LaunchPermissionMode;
  /** Without the construct: the stack keeps one on another (unencrypted) AMI, as CloudFormation has no empty stacks. */
  readonly removed?: string;
}

/** One imported key (kms.Key.fromKeyArn: shared by grants) declared for the AMI. */
function sharing(imageId: string, keyArn: string, s: Sharing) {
  return plans.synth(STACK, (stack: Stack) => {
    if (s.removed) {
      new AmiLaunchPermissions(stack, 'Other', { imageId: s.removed, permissions: [LaunchPermission.account(A)] });
      return;
    }
    new AmiLaunchPermissions(stack, 'Share', {
      imageId,
      permissions: (s.accounts ?? [A]).map(a => LaunchPermission.account(a)),
      mode: s.mode,
      encryptionKeys: [kms.Key.fromKeyArn(stack, 'Key', keyArn)],
      allowCopy: s.allowCopy,
    });
  });
}

/** An imported key and an AMI whose snapshot it encrypts. */
async function encryptedImage() {
  const key = await createKey(client);
  return { key, ...await createEncryptedImage(env.ec2, key) };
}

async function plan(dir: string, args: string[] = ['--json']) {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, ...args]);
  // Read-only, whatever the plan found: no EC2 or KMS write (the peer's log has both), no CloudFormation write.
  expect(env.peer.writes()).toEqual([]);
  const calls = env.peer.countByAction();
  expect([calls.CreateGrant, calls.RevokeGrant, calls.RetireGrant]).toEqual([undefined, undefined, undefined]);
  expect(Object.keys(calls).filter(action => !READS.has(action))).toEqual([]);
  expect(plans.cfn.writes()).toEqual([]);
  expect(run.stderr).toBe('');
  return { run, json: args.includes('--json') ? JSON.parse(run.stdout) : undefined, calls };
}

const construct = (json: any, logicalId = 'Share') => json.stacks[0].constructs.find((c: any) => c.logicalId.startsWith(logicalId));
const ENCRYPTION_KINDS = ['grant-key', 'revoke-key', 'grant-snapshot', 'revoke-snapshot'];
const encryptionChanges = (json: any) => construct(json).changes.filter((c: any) => ENCRYPTION_KINDS.includes(c.kind));

/**
 * Deploys `next` and checks the handler did exactly what the plan said: the key's grants and the snapshots'
 * createVolumePermission are what was live before, plus the plan's grants, minus its revocations.
 */
async function deployMatches(json: any, next: ReturnType<typeof sharing>, key: string, snapshots: string[]) {
  const grants = new Set(await liveGrants(client, key));
  const permissions = new Set(await snapshotPermissions(snapshots));
  for (const c of json.stacks[0].constructs.flatMap((x: any) => x.changes)) {
    if (c.kind === 'grant-key') grants.add(`${c.account} ${grantName(c.imageId)}`);
    if (c.kind === 'revoke-key') grants.delete(`${c.account} ${grantName(c.imageId)}`);
    if (c.kind === 'grant-snapshot') permissions.add(`${c.account} on ${c.snapshotId}`);
    if (c.kind === 'revoke-snapshot') permissions.delete(`${c.account} on ${c.snapshotId}`);
  }
  await plans.deploy(STACK, next);
  expect(await liveGrants(client, key)).toEqual([...grants].sort());
  expect(await snapshotPermissions(snapshots)).toEqual([...permissions].sort());
}

async function snapshotPermissions(snapshots: string[]): Promise<string[]> {
  const all = await Promise.all(snapshots.map(async s => (await liveSnapshotAccounts(env.ec2, s)).map(a => `${a} on ${s}`)));
  return all.flat().sort();
}

test('not deployed: a grant per declared account on the imported key, and createVolumePermission on the snapshot', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  const app = sharing(imageId, key, { accounts: [A, B], allowCopy: true });

  const { run, json } = await plan(app.dir);

  expect(run.code).toBe(2);
  expect(construct(json).action).toBe('create');
  expect(encryptionChanges(json)).toEqual([
    { kind: 'grant-key', imageId, keyArn: key, account: A },
    { kind: 'grant-key', imageId, keyArn: key, account: B },
    { kind: 'grant-snapshot', imageId, snapshotId, account: A },
    { kind: 'grant-snapshot', imageId, snapshotId, account: B },
  ]);
  expect(json.summary).toMatchObject({ grants: 6, revocations: 0, attributes: 0, drift: 0, errors: 0 });
  await deployMatches(json, app, key, [snapshotId]);
  expect(await liveGrants(client, key)).toEqual([`${A} ${grantName(imageId)}`, `${B} ${grantName(imageId)}`]);
});

test('deployed and unchanged: exit 0, and the only calls are reads of the AMI, its snapshot and the key\'s grants', async () => {
  const { key, imageId } = await encryptedImage();
  const app = sharing(imageId, key, { accounts: [A, B], allowCopy: true });
  await plans.deploy(STACK, app);

  const { run, json, calls } = await plan(app.dir);

  expect(run.code).toBe(0);
  expect(construct(json)).toMatchObject({ action: 'none', changes: [], drift: [], errors: [] });
  expect(new Set(Object.keys(calls))).toEqual(new Set(['DescribeImageAttribute', 'DescribeImages', 'DescribeSnapshotAttribute', 'ListGrants']));
  expect(new Set(plans.cfn.requests.map(r => r.action))).toEqual(new Set(['DescribeStacks', 'GetTemplate', 'ListStackResources']));
});

test('an account added: its launch permission, its grant and its snapshot permission are planned, nothing is revoked', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  await plans.deploy(STACK, sharing(imageId, key, { accounts: [A], allowCopy: true }));
  const next = sharing(imageId, key, { accounts: [A, B], allowCopy: true });

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(construct(json).action).toBe('update');
  expect(construct(json).changes).toEqual([
    { kind: 'grant', imageId, principal: { UserId: B } },
    { kind: 'grant-key', imageId, keyArn: key, account: B },
    { kind: 'grant-snapshot', imageId, snapshotId, account: B },
  ]);
  await deployMatches(json, next, key, [snapshotId]);
  expect(await livePermissions(env.ec2, imageId)).toEqual([`UserId:${A}`, `UserId:${B}`]);
});

test('a grant revoked by hand and a snapshot permission added by hand are drift; EXCLUSIVE then puts both back', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  const app = sharing(imageId, key, { accounts: [A, B], allowCopy: true });
  await plans.deploy(STACK, app);
  const [grantOfB] = (await listGrantsNamed(client, key, grantName(imageId))).filter(g => g.account === B);
  await revokeGrant(client, key, grantOfB.grantId);
  await modifyCreateVolumeAccounts(env.ec2, snapshotId, 'add', [OUTSIDER]);

  const unchanged = await plan(app.dir);

  expect(unchanged.run.code).toBe(2);
  expect(construct(unchanged.json)).toMatchObject({ action: 'none', changes: [] });
  expect(construct(unchanged.json).drift).toEqual([
    { kind: 'key-grant-removed', imageId, keyArn: key, account: B, restoredByThisDeploy: false },
    { kind: 'snapshot-permission-added', imageId, snapshotId, account: OUTSIDER, revokedByThisDeploy: false },
  ]);
  // Deploying the same assembly changes nothing: CloudFormation does not invoke the handler.
  await deployMatches(unchanged.json, app, key, [snapshotId]);
  expect(await liveGrants(client, key)).toEqual([`${A} ${grantName(imageId)}`]);

  const exclusive = sharing(imageId, key, { accounts: [A, B], allowCopy: true, mode: LaunchPermissionMode.EXCLUSIVE });
  const fixed = await plan(exclusive.dir);

  expect(fixed.run.code).toBe(2);
  expect(encryptionChanges(fixed.json)).toEqual([
    { kind: 'grant-key', imageId, keyArn: key, account: B },
    { kind: 'revoke-snapshot', imageId, snapshotId, account: OUTSIDER, reason: 'not-declared' },
  ]);
  expect(construct(fixed.json).drift).toEqual([
    { kind: 'key-grant-removed', imageId, keyArn: key, account: B, restoredByThisDeploy: true },
    { kind: 'snapshot-permission-added', imageId, snapshotId, account: OUTSIDER, revokedByThisDeploy: true },
  ]);
  await deployMatches(fixed.json, exclusive, key, [snapshotId]);
  expect(await liveSnapshotAccounts(env.ec2, snapshotId)).toEqual([A, B]);
});

test('allowCopy turned off: the declared accounts\' snapshot permissions are revoked, their grants stay', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  await plans.deploy(STACK, sharing(imageId, key, { accounts: [A, B], allowCopy: true }));
  const next = sharing(imageId, key, { accounts: [A, B], allowCopy: false });

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(construct(json).changes).toEqual([
    { kind: 'revoke-snapshot', imageId, snapshotId, account: A, reason: 'copy-disallowed' },
    { kind: 'revoke-snapshot', imageId, snapshotId, account: B, reason: 'copy-disallowed' },
  ]);
  const human = (await plan(next.dir, [])).run.stdout;
  expect(human).toContain(`- revoke  account ${A} createVolumePermission on ${snapshotId} (allowCopy turned off)`);
  await deployMatches(json, next, key, [snapshotId]);
  expect(await liveSnapshotAccounts(env.ec2, snapshotId)).toEqual([]);
  expect(await liveGrants(client, key)).toHaveLength(2);
});

test('the construct removed: its launch permissions, grants and snapshot permissions are revoked', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  const other = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(imageId, key, { accounts: [A, B], allowCopy: true }));
  const next = sharing(imageId, key, { removed: other });

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(construct(json)).toMatchObject({ action: 'delete', image: { id: imageId } });
  expect(construct(json).changes).toEqual([
    { kind: 'revoke', imageId, principal: { UserId: A }, reason: 'removed' },
    { kind: 'revoke', imageId, principal: { UserId: B }, reason: 'removed' },
    { kind: 'revoke-key', imageId, keyArn: key, account: A, reason: 'removed' },
    { kind: 'revoke-key', imageId, keyArn: key, account: B, reason: 'removed' },
    { kind: 'revoke-snapshot', imageId, snapshotId, account: A, reason: 'removed' },
    { kind: 'revoke-snapshot', imageId, snapshotId, account: B, reason: 'removed' },
  ]);
  await deployMatches(json, next, key, [snapshotId]);
  expect(await liveGrants(client, key)).toEqual([]);
  expect(await livePermissions(env.ec2, imageId)).toEqual([]);
});

test('a new AMI: grants and snapshot permissions move to it, and the old AMI\'s are cleaned up', async () => {
  const key = await createKey(client);
  const first = await createEncryptedImage(env.ec2, key);
  const second = await createEncryptedImage(env.ec2, key);
  await plans.deploy(STACK, sharing(first.imageId, key, { accounts: [A], allowCopy: true }));
  const next = sharing(second.imageId, key, { accounts: [A], allowCopy: true });

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(construct(json)).toMatchObject({ action: 'replace', previousImageId: first.imageId });
  expect(encryptionChanges(json)).toEqual([
    { kind: 'grant-key', imageId: second.imageId, keyArn: key, account: A },
    { kind: 'grant-snapshot', imageId: second.imageId, snapshotId: second.snapshotId, account: A },
    { kind: 'revoke-key', imageId: first.imageId, keyArn: key, account: A, reason: 'removed' },
    { kind: 'revoke-snapshot', imageId: first.imageId, snapshotId: first.snapshotId, account: A, reason: 'removed' },
  ]);
  await deployMatches(json, next, key, [first.snapshotId, second.snapshotId]);
});

test('an AMI encrypted with a key not declared, or with aws/ebs: the plan says the deploy would fail, with the handler\'s reason', async () => {
  const declared = await createKey(client);
  const { key: actual, imageId } = await encryptedImage();
  const wrongKey = sharing(imageId, declared, { accounts: [A] });

  const { run, json } = await plan(wrongKey.dir);

  expect(run.code).toBe(1);
  const reason = `EncryptionKeys: ${imageId} is encrypted with KMS key ${actual}`;
  expect(construct(json).errors).toEqual([expect.stringMatching(new RegExp(`^the deploy would fail: ${reason}.*which is not among encryptionKeys`))]);
  await expect(plans.deploy(STACK, wrongKey)).rejects.toThrow(reason);

  const managed = await createEncryptedImage(env.ec2, undefined);
  const { json: ebs, calls } = await plan(sharing(managed.imageId, declared, { accounts: [A] }).dir);
  expect(construct(ebs).errors).toEqual([expect.stringMatching(new RegExp(`^the deploy would fail: ImageId: ${managed.imageId} is encrypted with the AWS-managed key`))]);
  expect(calls.DescribeKey).toBe(1);
});

test('denied reads: the construct\'s error names the call and the permission the plan needs; exit 1', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  const app = sharing(imageId, key, { accounts: [A], allowCopy: true });
  await plans.deploy(STACK, app);
  const allow = (...actions: string[]) => [{ name: 'PlanReads', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }];

  env.peer.enforceIdentityPolicies(allow('ec2:*'));
  const kmsDenied = await plan(app.dir);
  expect(kmsDenied.run.code).toBe(1);
  expect(construct(kmsDenied.json).errors).toEqual([
    `access denied: ListGrants on ${key} (AccessDeniedException); the plan needs kms:ListGrants on the key`,
  ]);

  env.peer.enforceIdentityPolicies(allow('ec2:DescribeImageAttribute', 'ec2:DescribeImages', 'kms:ListGrants'));
  const snapshotDenied = await plan(app.dir);
  expect(snapshotDenied.run.code).toBe(1);
  expect(construct(snapshotDenied.json).errors).toEqual([`access denied: DescribeSnapshotAttribute createVolumePermission of ${snapshotId} `
    + '(UnauthorizedOperation); the plan needs ec2:DescribeSnapshotAttribute on the snapshot']);
});

test('the human output (snapshot): grants, revocations and drift of key grants and snapshot permissions', async () => {
  const { key, imageId, snapshotId } = await encryptedImage();
  await plans.deploy(STACK, sharing(imageId, key, { accounts: [A, B], allowCopy: true }));
  await modifyCreateVolumeAccounts(env.ec2, snapshotId, 'add', [OUTSIDER]);
  const next = sharing(imageId, key, { accounts: [A, C], allowCopy: true, mode: LaunchPermissionMode.EXCLUSIVE });

  const { run } = await plan(next.dir, []);

  expect(run.code).toBe(2);
  expect(run.stdout.replaceAll(imageId, 'ami-GOLDEN').replaceAll(snapshotId, 'snap-GOLDEN').replaceAll(key, 'arn:aws:kms:KEY')).toMatchSnapshot();
});
