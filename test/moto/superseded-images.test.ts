// SupersededImages.keep(): a rollover keeps the previous AMIs shared and deprecated for a window, revokes the one it
// pushes out, and a rolled-back update leaves the window as it was. Deployed through the emulated CloudFormation
// (update, cleanup and rollback order) with the handler role's policies of each moment enforced by a real IAM policy
// evaluator, on EC2 (the peer emulates deprecation) and on CloudFormation's reads of the stack (the read peer, attached
// to the deploying stack so that its status and record are those of the moment).
import { DeregisterImageCommand, DescribeImageAttributeCommand, DescribeImagesCommand, EnableImageDeprecationCommand } from '@aws-sdk/client-ec2';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiLaunchPermissions, LaunchPermission, SupersededImages } from '../../src';
import { CloudFormationReadPeer } from '../support/cloudformation/read-peer';
import { StackVersion } from '../support/cloudformation/stack';
import { EmulatedDeployments } from '../support/emulated-deployments';
import { createEncryptedImage, createKey, kmsClient, liveGrants, liveSnapshotAccounts } from '../support/encrypted-images';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { deployInputs, imageIdOf, templateOf } from '../support/image-id-kinds';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();
let cfn: CloudFormationReadPeer;
beforeAll(async () => {
  cfn = await CloudFormationReadPeer.start();
  // The handler's CloudFormation client is made on first use, after this.
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cfn.endpoint;
});
afterAll(async () => cfn?.stop());

const ACCOUNTS = ['111122223333', '444455556666'];
const DECLARED = ACCOUNTS.map(a => `UserId:${a}`);

/** A golden-AMI stack whose AMI comes from a pipeline's CfnParameter, shared with two accounts (or `accounts`). */
function version(image: string, supersededImages?: SupersededImages, extra?: (stack: Stack) => void, accounts = ACCOUNTS): StackVersion {
  const template = templateOf(stack => {
    const imageId = imageIdOf(stack, { kind: 'parameter', image });
    new AmiLaunchPermissions(stack, 'Share', { imageId, permissions: accounts.map(a => LaunchPermission.account(a)), supersededImages });
    extra?.(stack);
  });
  return { template, ...deployInputs({ kind: 'parameter', image }) };
}

/** A resource processed after the share that fails, so the share has moved when the rollback starts. */
function failingLater(stack: Stack): void {
  new CfnResource(stack, 'Later', { type: 'AWS::CloudFormation::WaitConditionHandle' }).node.addDependency(stack.node.findChild('Share'));
}

async function golden(): Promise<string> {
  return createImage(env.ec2, { description: 'from the pipeline' });
}

/** Each AMI's launch permissions and whether it is deprecated, read with IAM out of the way. */
async function stateOf(deployments: EmulatedDeployments, images: string[]) {
  return deployments.withoutIam(async () => Object.fromEntries(await Promise.all(images.map(async image => {
    const described = (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0];
    return [image, { permissions: await livePermissions(env.ec2, image), deprecated: described?.DeprecationTime !== undefined }] as const;
  }))));
}

function shareId(deployments: EmulatedDeployments): string {
  const id = Object.keys(deployments.stack.deployedState()!.template.Resources).find(r => r.startsWith('Share') && !r.includes('Kept') && !r.includes('Superseded'));
  return deployments.stack.physicalId(id!)!;
}

/** Whether the role, with the policies attached now, may read each AMI's attributes (a probe that changes nothing). */
async function reach(deployments: EmulatedDeployments, images: string[]): Promise<Record<string, boolean>> {
  const result: Record<string, boolean> = {};
  for (const image of images) {
    result[image] = await deployments.asRole(() => env.ec2.send(new DescribeImageAttributeCommand({ ImageId: image, Attribute: 'launchPermission' })).then(
      () => true,
      (error: Error) => { if (error.name === 'UnauthorizedOperation') return false; throw error; }));
  }
  return result;
}

const shared = { permissions: DECLARED, deprecated: false };
const kept = { permissions: DECLARED, deprecated: true };
const revoked = (deprecated: boolean) => ({ permissions: [], deprecated });

test('keep(2) over four rollovers and a rollback: the window moves, the AMI pushed out is revoked, the rollback changes nothing', async () => {
  const g = await Promise.all([0, 1, 2, 3, 4, 5].map(() => golden()));
  const keep2 = SupersededImages.keep(2);
  const deployments = new EmulatedDeployments(env, version(g[0], keep2).template, cfn);
  expect(await deployments.deploy(version(g[0], keep2), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await stateOf(deployments, [g[0]])).toEqual({ [g[0]]: shared });

  const windows: string[] = [shareId(deployments)];
  for (let k = 1; k <= 4; k++) {
    expect(await deployments.deploy(version(g[k], keep2), `rollover ${k}`)).toEqual({ status: 'COMPLETE', failures: [] });
    windows.push(shareId(deployments));
  }
  expect(windows).toEqual([
    `${g[0]}/launchPermission`,
    `${g[1]}/launchPermission/kept:${g[0]}/before:none`,
    `${g[2]}/launchPermission/kept:${g[1]},${g[0]}/before:none`,
    `${g[3]}/launchPermission/kept:${g[2]},${g[1]}/pushedOut:${g[0]}/before:none`,
    `${g[4]}/launchPermission/kept:${g[3]},${g[2]}/pushedOut:${g[1]}/before:none`,
  ]);
  const settled = await stateOf(deployments, g.slice(0, 5));
  expect(settled).toEqual({ [g[0]]: revoked(true), [g[1]]: revoked(true), [g[2]]: kept, [g[3]]: kept, [g[4]]: shared });
  // Once settled, the role reaches the current AMI and the kept ones, and no other.
  expect(await reach(deployments, g)).toEqual({ [g[0]]: false, [g[1]]: false, [g[2]]: true, [g[3]]: true, [g[4]]: true, [g[5]]: false });

  // A rollover to g5 that CloudFormation rolls back after the share moved.
  const result = await deployments.deploy(version(g[5], keep2, failingLater), 'rollover 5 (rolled back)', 'Later');
  expect(result.status).toBe('ROLLED_BACK');
  expect(result.failures).toEqual([]);
  expect(shareId(deployments)).toBe(`${g[4]}/launchPermission/kept:${g[3]},${g[2]}`);
  expect(await stateOf(deployments, g)).toEqual({ ...settled, [g[5]]: revoked(false) });
  expect(await reach(deployments, g)).toEqual({ [g[0]]: false, [g[1]]: false, [g[2]]: true, [g[3]]: true, [g[4]]: true, [g[5]]: false });

  expect(deployments.denials()).toEqual([]);
  // The verdicts per request, for the record (the note quotes them).
  const perPhase = deployments.invocations.filter(i => i.request.includes('Share') && !i.request.includes('Kept')).map(i => ({
    request: i.request.replace(/Share[0-9A-F]{8}/, 'Share').replace(/ShareSupersededImages[0-9A-F]{8}/, 'Guard'),
    verdicts: [...new Set(i.verdicts.map(v => `${v.action} ${v.resource.split('/').pop()} ${v.result}`))],
    calls: i.verdicts.length,
  }));
  process.stdout.write(`[superseded-images] keep(2), AMIs ${JSON.stringify(g)}: ${JSON.stringify(perPhase, undefined, 1)}\n`);
});

test('removing the construct, then deleting the stack: the current AMI and every kept one are revoked', async () => {
  const g = await Promise.all([0, 1, 2].map(() => golden()));
  const keep2 = SupersededImages.keep(2);
  const deployments = new EmulatedDeployments(env, version(g[0], keep2).template, cfn);
  for (const [k, image] of g.entries()) {
    expect(await deployments.deploy(version(image, keep2), `deploy ${k}`)).toEqual({ status: 'COMPLETE', failures: [] });
  }
  expect(await stateOf(deployments, g)).toEqual({ [g[0]]: kept, [g[1]]: kept, [g[2]]: shared });

  // The construct leaves the stack (something else stays).
  const other = await golden();
  const without = { template: templateOf(stack => new AmiLaunchPermissions(stack, 'Other', { imageId: other, permissions: [LaunchPermission.account(ACCOUNTS[0])] })) };
  expect(await deployments.deploy(without, 'remove the construct')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await stateOf(deployments, g)).toEqual({ [g[0]]: revoked(true), [g[1]]: revoked(true), [g[2]]: revoked(false) });

  expect(await deployments.destroy()).toEqual([]);
  expect((await stateOf(deployments, [other]))[other].permissions).toEqual([]);
  expect(deployments.denials()).toEqual([]);
});

test('deleting the stack revokes the current AMI and the kept ones; back to revoke() revokes the kept ones only', async () => {
  const g = await Promise.all([0, 1, 2].map(() => golden()));
  const keep2 = SupersededImages.keep(2);
  const deployments = new EmulatedDeployments(env, version(g[0], keep2).template, cfn);
  for (const [k, image] of g.slice(0, 2).entries()) {
    expect(await deployments.deploy(version(image, keep2), `deploy ${k}`)).toEqual({ status: 'COMPLETE', failures: [] });
  }
  // Back to revoke() on the same AMI: the kept AMI loses its share; the current one keeps it.
  expect(await deployments.deploy(version(g[1]), 'back to revoke()')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await stateOf(deployments, g.slice(0, 2))).toEqual({ [g[0]]: revoked(true), [g[1]]: shared });
  expect(shareId(deployments)).toBe(`${g[1]}/launchPermission`);

  // keep(1) again, one rollover, then the stack goes.
  const keep1 = SupersededImages.keep(1);
  expect(await deployments.deploy(version(g[1], keep1), 'keep(1)')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await deployments.deploy(version(g[2], keep1), 'rollover')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await stateOf(deployments, g)).toEqual({ [g[0]]: revoked(true), [g[1]]: kept, [g[2]]: shared });
  expect(await deployments.destroy()).toEqual([]);
  expect(await stateOf(deployments, g)).toEqual({ [g[0]]: revoked(true), [g[1]]: revoked(true), [g[2]]: revoked(false) });
  expect(deployments.denials()).toEqual([]);
});

test('a kept AMI deregistered out of band drops out of the window with a warning, not a FAILED', async () => {
  const g = await Promise.all([0, 1, 2, 3].map(() => golden()));
  const keep2 = SupersededImages.keep(2);
  const deployments = new EmulatedDeployments(env, version(g[0], keep2).template, cfn);
  for (const [k, image] of g.slice(0, 3).entries()) {
    expect(await deployments.deploy(version(image, keep2), `deploy ${k}`)).toEqual({ status: 'COMPLETE', failures: [] });
  }
  await deployments.withoutIam(() => env.ec2.send(new DeregisterImageCommand({ ImageId: g[1] })));
  const warnings: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation(line => { if (String(line).includes('"WARN"')) warnings.push(String(line)); });
  try {
    expect(await deployments.deploy(version(g[3], keep2), 'rollover')).toEqual({ status: 'COMPLETE', failures: [] });
  } finally {
    spy.mockRestore();
  }
  expect(shareId(deployments)).toBe(`${g[3]}/launchPermission/kept:${g[2]},${g[0]}/before:none`);
  expect(warnings.some(w => w.includes('no longer exists') && w.includes(g[1]))).toBe(true);
  expect(await stateOf(deployments, [g[0], g[2], g[3]])).toEqual({ [g[0]]: kept, [g[2]]: kept, [g[3]]: shared });
  expect(deployments.denials()).toEqual([]);
});

test('deprecateAfter: the superseded AMI is deprecated that long after the rollover, never later than it already was', async () => {
  const [a, b, c] = await Promise.all([0, 1, 2].map(() => golden()));
  const weekLater = SupersededImages.keep(2, { deprecateAfter: Duration.days(7) });
  const deployments = new EmulatedDeployments(env, version(a, weekLater).template, cfn);
  expect(await deployments.deploy(version(a, weekLater), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  // b was already set to be deprecated tomorrow by its pipeline: that earlier time stays.
  const tomorrow = new Date(Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000);
  await deployments.withoutIam(() => env.ec2.send(new EnableImageDeprecationCommand({ ImageId: b, DeprecateAt: tomorrow })));
  const started = Date.now();
  expect(await deployments.deploy(version(b, weekLater), 'rollover to b')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await deployments.deploy(version(c, weekLater), 'rollover to c')).toEqual({ status: 'COMPLETE', failures: [] });
  const times = await deployments.withoutIam(async () => Object.fromEntries(await Promise.all([a, b].map(async image =>
    [image, (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0]?.DeprecationTime] as const))));
  const weekMs = 7 * 86_400_000;
  expect(Math.abs(Date.parse(times[a]!) - (started + weekMs))).toBeLessThan(120_000);
  expect(times[b]).toBe(tomorrow.toISOString());
  expect(shareId(deployments)).toBe(`${c}/launchPermission/kept:${b},${a}/before:${tomorrow.toISOString()}`);
  expect(deployments.denials()).toEqual([]);
});

test('moving back to the AMI just superseded, as a deployment (not a rollback): it is current again and undeprecated', async () => {
  const [a, b] = await Promise.all([0, 1].map(() => golden()));
  const keep2 = SupersededImages.keep(2);
  const deployments = new EmulatedDeployments(env, version(a, keep2).template, cfn);
  expect(await deployments.deploy(version(a, keep2), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await deployments.deploy(version(b, keep2), 'rollover to b')).toEqual({ status: 'COMPLETE', failures: [] });
  // The pipeline's b is bad: the team points the parameter back at a.
  expect(await deployments.deploy(version(a, keep2), 'back to a')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await stateOf(deployments, [a, b])).toEqual({ [a]: shared, [b]: kept });
  expect(shareId(deployments)).toBe(`${a}/launchPermission/kept:${b}/before:none`);
  expect(deployments.denials()).toEqual([]);
});

describe('the kept AMIs follow the declared principals', () => {
  const [X, Y] = ACCOUNTS;
  const Z = '777788889999';
  const keys = (...accounts: string[]) => accounts.map(a => `UserId:${a}`).sort();
  const keep2 = SupersededImages.keep(2);

  test('a dropped account loses them at once, an added one gets them, and an AMI pushed out is revoked for both declarations', async () => {
    const [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => golden()));
    const deployments = new EmulatedDeployments(env, version(a, keep2).template, cfn);
    expect(await deployments.deploy(version(a, keep2), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await deployments.deploy(version(b, keep2), 'rollover to b')).toEqual({ status: 'COMPLETE', failures: [] });

    // Same AMI: Y dropped, Z added. Without following, Y would keep a for as long as it stays in the window, and after.
    expect(await deployments.deploy(version(b, keep2, undefined, [X, Z]), 'drop Y, add Z')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await stateOf(deployments, [a, b])).toEqual({
      [a]: { permissions: keys(X, Z), deprecated: true },
      [b]: { permissions: keys(X, Z), deprecated: false },
    });

    // A rollover that adds Y back: the superseded AMI and the older kept one follow.
    expect(await deployments.deploy(version(c, keep2, undefined, [X, Y, Z]), 'rollover to c, Y back')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await stateOf(deployments, [a, b, c])).toEqual({
      [a]: { permissions: keys(X, Y, Z), deprecated: true },
      [b]: { permissions: keys(X, Y, Z), deprecated: true },
      [c]: { permissions: keys(X, Y, Z), deprecated: false },
    });

    // A rollover that drops Y and Z pushes a out: a is revoked for X, Y and Z, not only for the new declaration's X.
    expect(await deployments.deploy(version(d, keep2, undefined, [X]), 'rollover to d, only X')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await stateOf(deployments, [a, b, c, d])).toEqual({
      [a]: { permissions: [], deprecated: true },
      [b]: { permissions: keys(X), deprecated: true },
      [c]: { permissions: keys(X), deprecated: true },
      [d]: { permissions: keys(X), deprecated: false },
    });
    expect(shareId(deployments)).toBe(`${d}/launchPermission/kept:${c},${b}/pushedOut:${a}/before:none`);
    expect(deployments.denials()).toEqual([]);
  });

  test('with allowCopy: a dropped account loses the kept AMIs\' snapshots too; its key grants stay (documented limit)', async () => {
    const kmsApi = kmsClient(env.peer.endpoint);
    const key = await createKey(kmsApi);
    const [a, b] = [await createEncryptedImage(env.ec2, key), await createEncryptedImage(env.ec2, key)];
    const encrypted = (image: string, accounts: string[]): StackVersion => {
      const template = templateOf(stack => {
        const imageId = imageIdOf(stack, { kind: 'parameter', image });
        new AmiLaunchPermissions(stack, 'Share', {
          imageId,
          permissions: accounts.map(account => LaunchPermission.account(account)),
          supersededImages: keep2,
          encryptionKeys: [kms.Key.fromKeyArn(stack, 'Key', key)],
          allowCopy: true,
        });
      });
      return { template, ...deployInputs({ kind: 'parameter', image }) };
    };
    const deployments = new EmulatedDeployments(env, encrypted(a.imageId, [X, Y]).template, cfn);
    expect(await deployments.deploy(encrypted(a.imageId, [X, Y]), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await deployments.deploy(encrypted(b.imageId, [X, Y]), 'rollover to b')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await deployments.deploy(encrypted(b.imageId, [X]), 'drop Y')).toEqual({ status: 'COMPLETE', failures: [] });

    const live = await deployments.withoutIam(async () => ({
      launch: [await livePermissions(env.ec2, a.imageId), await livePermissions(env.ec2, b.imageId)],
      snapshots: [await liveSnapshotAccounts(env.ec2, a.snapshotId), await liveSnapshotAccounts(env.ec2, b.snapshotId)],
      grants: await liveGrants(kmsApi, key),
    }));
    expect(live.launch).toEqual([keys(X), keys(X)]);
    expect(live.snapshots).toEqual([[X], [X]]);
    // The current AMI's grants follow the declaration; the kept AMI's stay as they were at the rollover.
    expect(live.grants.sort()).toEqual([`${X} cdk-ami-sharing-${a.imageId}`, `${X} cdk-ami-sharing-${b.imageId}`, `${Y} cdk-ami-sharing-${a.imageId}`].sort());
    expect(deployments.denials()).toEqual([]);
    kmsApi.destroy();
  });

  test('an update that drops an account and is rolled back leaves the kept AMI shared with it', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => golden()));
    const deployments = new EmulatedDeployments(env, version(a, keep2).template, cfn);
    expect(await deployments.deploy(version(a, keep2), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
    expect(await deployments.deploy(version(b, keep2), 'rollover to b')).toEqual({ status: 'COMPLETE', failures: [] });
    const id = shareId(deployments);

    const result = await deployments.deploy(version(b, keep2, failingLater, [X]), 'drop Y (rolled back)', 'Later');
    expect(result.status).toBe('ROLLED_BACK');
    expect(result.failures).toEqual([]);
    expect(await stateOf(deployments, [a, b])).toEqual({ [a]: kept, [b]: shared });
    expect(shareId(deployments)).toBe(id);
    expect(deployments.denials()).toEqual([]);
  });
});
