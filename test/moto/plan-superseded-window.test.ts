// `cdk-ami-sharing plan` (the shipped bundle) for an AmiLaunchPermissions with SupersededImages.keep(2), deployed
// through three rollovers by the real handler (the stack attached to the CloudFormation read peer while it deploys,
// as the handler reads its own stack): the window after a 4th rollover (kept AMIs and their deprecation, the AMI it
// supersedes and deprecates, the one it pushes out and revokes, never the previous AMI), --usage on the AMI pushed
// out, a kept AMI deregistered out of band, and no change; every plan then checked against what the handler does.
import { DeregisterImageCommand, DescribeImagesCommand, DisableImageDeprecationCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiLaunchPermissions, LaunchPermission, SupersededImages } from '../../src';
import { createEncryptedImage, createKey, kmsClient, liveSnapshotAccounts } from '../support/encrypted-images';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { PlanRun, usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const A = '111122223333';
const B = '444455556666';
const STACK = 'PlanWindow';
const DECLARED = [`UserId:${A}`, `UserId:${B}`];

function sharing(imageId: string, supersededImages = SupersededImages.keep(2), accounts = [A, B]) {
  return plans.synth(STACK, (stack: Stack) => new AmiLaunchPermissions(stack, 'Share', {
    imageId, permissions: accounts.map(a => LaunchPermission.account(a)), supersededImages,
  }));
}

/** g[0] deployed, then three rollovers to g[1], g[2], g[3]: the window keeps g[2] and g[1]; g[0] was pushed out. */
async function threeRollovers(): Promise<string[]> {
  const g = await Promise.all([0, 1, 2, 3, 4].map(() => createImage(env.ec2)));
  for (const image of g.slice(0, 4)) await plans.deployReadingItsStack(STACK, sharing(image));
  return g;
}

async function plan(dir: string, ...extra: string[]): Promise<{ run: PlanRun; json: any }> {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, '--json', ...extra]);
  expect(plans.cfn.writes()).toEqual([]);
  expect(env.peer.writes().map(w => w.action).filter(a => a !== 'CreateImageUsageReport')).toEqual([]);
  return { run, json: JSON.parse(run.stdout) };
}

async function deprecationOf(image: string): Promise<string | undefined> {
  const described = (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0];
  return described?.DeprecationTime === undefined ? undefined : new Date(described.DeprecationTime).toISOString();
}

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);

test('a 4th rollover: the window after it, the oldest kept AMI pushed out and revoked, the previous one kept and deprecated', async () => {
  const g = await threeRollovers();
  const next = sharing(g[4]);

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  const construct = json.stacks[0].constructs[0];
  expect(construct).toMatchObject({ action: 'replace', previousImageId: g[3] });
  expect(construct.supersededImages).toEqual({
    keep: 2,
    deprecateAfterMinutes: 0,
    imageId: g[4],
    kept: [{ imageId: g[3], deprecationTime: ISO }, { imageId: g[2], deprecationTime: await deprecationOf(g[2]) }],
    keptBefore: [g[2], g[1]],
    supersedes: { imageId: g[3], deprecationTime: ISO },
    pushedOut: [g[1]],
    dropped: [],
  });
  // The previous AMI stays shared: no revocation on it (CloudFormation's cleanup Delete leaves it to the window).
  expect(construct.changes).toEqual([
    { kind: 'grant', imageId: g[4], principal: { UserId: A } },
    { kind: 'grant', imageId: g[4], principal: { UserId: B } },
    { kind: 'set-deprecation', imageId: g[3], to: construct.supersededImages.supersedes.deprecationTime },
    { kind: 'revoke', imageId: g[1], principal: { UserId: A }, reason: 'pushed-out' },
    { kind: 'revoke', imageId: g[1], principal: { UserId: B }, reason: 'pushed-out' },
  ]);
  expect(construct.drift).toEqual([]);

  // g[2] was deprecated at the earliest time after its rollover: by now, or within two minutes.
  const human = (await plans.run(['plan', '--app', next.dir])).stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME');
  const name = (text: string) => g.reduce((t, image, i) => t.replaceAll(image, `ami-G${i}`), text);
  expect(name(human).replace('kept ami-G2: deprecated since', 'kept ami-G2: deprecated at')).toContain([
    `    ± ${STACK}/Share (AmiLaunchPermissions, ADDITIVE): replace (the AMI changes from ami-G3)`,
    '          window  SupersededImages.keep(2): current ami-G4, 2 of 2 kept',
    '          window    kept ami-G3: deprecated at TIME (superseded by this deploy)',
    '          window    kept ami-G2: deprecated at TIME',
    '          window    pushed out ami-G1: revoked by this deploy',
    '        + grant   account 111122223333',
    '        + grant   account 444455556666',
    '        ~ deprecation (none) -> TIME on ami-G3',
    '        - revoke  account 111122223333 on ami-G1 (pushed out of the superseded-images window of 2)',
    '        - revoke  account 444455556666 on ami-G1 (pushed out of the superseded-images window of 2)',
  ].join('\n'));

  // The handler does what the plan said.
  await plans.deployReadingItsStack(STACK, next);
  expect(await livePermissions(env.ec2, g[1])).toEqual([]);
  expect(await livePermissions(env.ec2, g[3])).toEqual(DECLARED);
  // The deploy reads its clock after the plan did: the earliest deprecation time may have moved on by a minute since.
  const planned = Date.parse(construct.supersededImages.supersedes.deprecationTime);
  expect([planned, planned + 60_000].map(t => new Date(t).toISOString())).toContain(await deprecationOf(g[3]));
});

test('--usage: a report on the AMI the rollover pushes out, naming the account still launching it', async () => {
  const g = await threeRollovers();
  env.peer.usage.record(g[1], B, 'ec2:Instance', 2);
  env.peer.usage.record(g[3], A, 'ec2:Instance', 5); // the previous AMI stays shared: not asked about

  const { run, json } = await plan(sharing(g[4]).dir, '--usage', '--fail-on-usage');

  expect(run.code).toBe(3);
  expect(json.usage.images).toEqual([expect.objectContaining({
    imageId: g[1],
    revoked: [{ UserId: A }, { UserId: B }],
    scope: 'accounts',
    status: 'complete',
    accounts: [{ accountId: A, instances: 0, launchTemplates: 0 }, { accountId: B, instances: 2, launchTemplates: 0 }],
  })]);
  expect(env.peer.requests.filter(r => r.action === 'CreateImageUsageReport').map(r => r.params.ImageId)).toEqual([g[1]]);
});

test('a kept AMI deregistered out of band: drift, and it drops out of the window instead of being pushed out', async () => {
  const g = await threeRollovers();
  await env.ec2.send(new DeregisterImageCommand({ ImageId: g[1] }));

  const same = await plan(sharing(g[3]).dir);
  expect(same.run.code).toBe(2);
  const deployed = same.json.stacks[0].constructs[0];
  expect(deployed.action).toBe('none');
  expect(deployed.drift).toEqual([{ kind: 'image-gone', imageId: g[1] }]);
  expect(deployed.supersededImages).toMatchObject({ imageId: g[3], kept: [{ imageId: g[2] }], dropped: [g[1]], pushedOut: [] });

  const { json } = await plan(sharing(g[4]).dir);
  const construct = json.stacks[0].constructs[0];
  expect(construct.supersededImages).toMatchObject({ kept: [{ imageId: g[3] }, { imageId: g[2] }], pushedOut: [], dropped: [g[1]] });
  expect(construct.changes.filter((c: any) => c.kind === 'revoke')).toEqual([]);
  expect(construct.drift).toEqual([{ kind: 'image-gone', imageId: g[1] }]);
  await plans.deployReadingItsStack(STACK, sharing(g[4]));
  expect(await livePermissions(env.ec2, g[2])).toEqual(DECLARED);
});

test('back to revoke() on the same AMI: every kept AMI leaves the window and is revoked; a revoke() rollover plans as before', async () => {
  const g = await threeRollovers();

  const { run, json } = await plan(sharing(g[3], SupersededImages.revoke()).dir);

  expect(run.code).toBe(2);
  const construct = json.stacks[0].constructs[0];
  expect(construct.action).toBe('update');
  expect(construct.supersededImages).toEqual({
    keep: 0, deprecateAfterMinutes: 0, imageId: g[3], kept: [], keptBefore: [g[2], g[1]], pushedOut: [g[2], g[1]], dropped: [],
  });
  expect(construct.changes.map((c: any) => `${c.kind} ${c.imageId} ${c.principal.UserId} ${c.reason}`)).toEqual(
    [g[2], g[1]].flatMap(image => [A, B].map(account => `revoke ${image} ${account} pushed-out`)));
  await plans.deployReadingItsStack(STACK, sharing(g[3], SupersededImages.revoke()));
  const live = await Promise.all([g[1], g[2], g[3]].map(image => livePermissions(env.ec2, image)));
  expect(live).toEqual([[], [], DECLARED]);

  // Without a window, a rollover's previous AMI is revoked by CloudFormation's cleanup, as the plan always said.
  const rollover = (await plan(sharing(g[4], SupersededImages.revoke()).dir)).json.stacks[0].constructs[0];
  expect(rollover.supersededImages).toBeUndefined();
  expect(rollover.changes.filter((c: any) => c.kind === 'revoke')).toEqual([A, B].map(account => ({
    kind: 'revoke', imageId: g[3], principal: { UserId: account }, reason: 'removed',
  })));
});

test('drift on a kept AMI: a principal revoked by hand and a deprecation cancelled by hand', async () => {
  const g = await threeRollovers();
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: g[2], LaunchPermission: { Remove: [{ UserId: B }] } }));
  await env.ec2.send(new DisableImageDeprecationCommand({ ImageId: g[1] }));

  const { run, json } = await plan(sharing(g[3]).dir);

  expect(run.code).toBe(2);
  const construct = json.stacks[0].constructs[0];
  expect(construct.drift).toEqual([
    { kind: 'principal-removed', imageId: g[2], principal: { UserId: B }, restoredByThisDeploy: false },
    { kind: 'deprecation', imageId: g[1], declared: 'deprecated (superseded, kept by the window)' },
  ]);
  expect(construct.supersededImages.kept).toEqual([{ imageId: g[2], deprecationTime: ISO }, { imageId: g[1] }]);
});

test('an account dropped from the declaration: revoked on the current AMI and on every kept one, as the handler does', async () => {
  const g = await threeRollovers();
  const onlyA = sharing(g[3], SupersededImages.keep(2), [A]);

  const { run, json } = await plan(onlyA.dir);

  expect(run.code).toBe(2);
  const construct = json.stacks[0].constructs[0];
  expect(construct.changes).toEqual([
    { kind: 'revoke', imageId: g[3], principal: { UserId: B }, reason: 'dropped' },
    { kind: 'revoke', imageId: g[2], principal: { UserId: B }, reason: 'dropped' },
    { kind: 'revoke', imageId: g[1], principal: { UserId: B }, reason: 'dropped' },
  ]);

  await plans.deployReadingItsStack(STACK, onlyA);
  for (const image of [g[1], g[2], g[3]]) expect(await livePermissions(env.ec2, image)).toEqual([`UserId:${A}`]);
  // Nothing left to do: the next plan is empty.
  expect((await plan(onlyA.dir)).json.stacks[0].constructs[0].changes).toEqual([]);
});

test('with allowCopy, an account dropped: its snapshot permissions on the kept AMI are revoked too, key grants left alone', async () => {
  const kmsApi = kmsClient(env.peer.endpoint);
  const key = await createKey(kmsApi);
  kmsApi.destroy();
  const [a, b] = [await createEncryptedImage(env.ec2, key), await createEncryptedImage(env.ec2, key)];
  const encrypted = (imageId: string, accounts: string[]) => plans.synth(STACK, (stack: Stack) => new AmiLaunchPermissions(stack, 'Share', {
    imageId,
    permissions: accounts.map(account => LaunchPermission.account(account)),
    supersededImages: SupersededImages.keep(2),
    encryptionKeys: [kms.Key.fromKeyArn(stack, 'Key', key)],
    allowCopy: true,
  }));
  await plans.deployReadingItsStack(STACK, encrypted(a.imageId, [A, B]));
  await plans.deployReadingItsStack(STACK, encrypted(b.imageId, [A, B]));
  const onlyA = encrypted(b.imageId, [A]);

  const changes = (await plan(onlyA.dir)).json.stacks[0].constructs[0].changes;

  const onKept = changes.filter((c: any) => c.imageId === a.imageId);
  expect(onKept).toEqual([
    { kind: 'revoke', imageId: a.imageId, principal: { UserId: B }, reason: 'dropped' },
    { kind: 'revoke-snapshot', imageId: a.imageId, snapshotId: a.snapshotId, account: B, reason: 'dropped' },
  ]);
  await plans.deployReadingItsStack(STACK, onlyA);
  expect([await livePermissions(env.ec2, a.imageId), await liveSnapshotAccounts(env.ec2, a.snapshotId)]).toEqual([[`UserId:${A}`], [A]]);
  expect((await plan(onlyA.dir)).json.stacks[0].constructs[0].changes).toEqual([]);
});
