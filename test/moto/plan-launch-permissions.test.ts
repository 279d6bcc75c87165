// `cdk-ami-sharing plan` (the shipped bundle) against the EC2 peer and the CloudFormation read peer, for launch
// permissions: no change, additions, ADDITIVE revocations, EXCLUSIVE revoking a hand-added principal, a made-public
// AMI. Every plan is checked against what the real handler then does when the same assembly is deployed, and every
// run against the peers' logs: no write, to EC2 or CloudFormation.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { Stack } from 'aws-cdk-lib';
import { AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../../src';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { PlanRun, usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const A = '111122223333';
const B = '444455556666';
const OUTSIDER = '999988887777';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const STACK = 'PlanShare';

function sharing(imageId: string, permissions: LaunchPermission[], mode?: LaunchPermissionMode) {
  return plans.synth(STACK, (stack: Stack) => new AmiLaunchPermissions(stack, 'Share', { imageId, permissions, mode }));
}

async function plan(dir: string): Promise<{ run: PlanRun; json: any }> {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, '--json']);
  const json = JSON.parse(run.stdout);
  // Read-only, whatever the plan found.
  expect(env.peer.writes()).toEqual([]);
  expect(plans.cfn.writes()).toEqual([]);
  expect(run.stderr).toBe('');
  return { run, json };
}

const keys = (principals: Array<Record<string, string>>) =>
  principals.map(p => Object.entries(p).map(([k, v]) => `${k}:${v}`)[0]).sort();
const changesOf = (json: any, kind: string) =>
  keys(json.stacks[0].constructs[0].changes.filter((c: any) => c.kind === kind).map((c: any) => c.principal));
const driftOf = (json: any) => json.stacks[0].constructs[0].drift.map((d: any) => ({ ...d, principal: keys([d.principal])[0] }));

/** Deploys `next` and checks the handler did exactly what the plan said (live before + grants - revocations). */
async function deployMatches(imageId: string, json: any, next: ReturnType<typeof sharing>) {
  const before = new Set(await livePermissions(env.ec2, imageId));
  await plans.deploy(STACK, next);
  changesOf(json, 'grant').forEach(k => before.add(k));
  changesOf(json, 'revoke').forEach(k => before.delete(k));
  expect(await livePermissions(env.ec2, imageId)).toEqual([...before].sort());
}

test('no change: exit 0, the only calls are reads', async () => {
  const image = await createImage(env.ec2);
  const app = sharing(image, [LaunchPermission.account(A), LaunchPermission.organization(ORG)]);
  await plans.deploy(STACK, app);

  const { run, json } = await plan(app.dir);

  expect(run.code).toBe(0);
  expect(json.exitCode).toBe(0);
  expect(json.stacks[0].constructs[0]).toMatchObject({ action: 'none', changes: [], drift: [], errors: [], image: { id: image, source: 'literal' } });
  expect(new Set(env.peer.requests.map(r => r.action))).toEqual(new Set(['DescribeImageAttribute']));
  expect(new Set(plans.cfn.requests.map(r => r.action))).toEqual(new Set(['DescribeStacks', 'GetTemplate', 'ListStackResources']));
});

test('a stack not deployed yet: every declared principal is a grant', async () => {
  const image = await createImage(env.ec2);
  const app = sharing(image, [LaunchPermission.account(A), LaunchPermission.organization(ORG)]);

  const { run, json } = await plan(app.dir);

  expect(run.code).toBe(2);
  expect(json.stacks[0].deployedStatus).toBeUndefined();
  expect(json.stacks[0].constructs[0].action).toBe('create');
  expect(changesOf(json, 'grant')).toEqual([`OrganizationArn:${ORG}`, `UserId:${A}`]);
  await deployMatches(image, json, app);
});

test('additions: the added principals are grants, nothing is revoked', async () => {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(image, [LaunchPermission.account(A)]));
  const next = sharing(image, [LaunchPermission.account(A), LaunchPermission.account(B), LaunchPermission.publicAccess()]);

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(json.stacks[0].constructs[0].action).toBe('update');
  expect(changesOf(json, 'grant')).toEqual(['Group:all', `UserId:${B}`]);
  expect(changesOf(json, 'revoke')).toEqual([]);
  await deployMatches(image, json, next);
});

test('ADDITIVE: only the principals the deployed declaration had and this one drops are revoked; a hand-added one stays', async () => {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(image, [LaunchPermission.account(A), LaunchPermission.organization(ORG)]));
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: OUTSIDER }] } }));
  const next = sharing(image, [LaunchPermission.account(A)]);

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(changesOf(json, 'revoke')).toEqual([`OrganizationArn:${ORG}`]);
  expect(json.stacks[0].constructs[0].changes[0]).toMatchObject({ kind: 'revoke', reason: 'dropped', imageId: image });
  expect(driftOf(json)).toEqual([{ kind: 'principal-added', imageId: image, principal: `UserId:${OUTSIDER}`, revokedByThisDeploy: false }]);
  await deployMatches(image, json, next);
  expect(await livePermissions(env.ec2, image)).toContain(`UserId:${OUTSIDER}`);
});

test('EXCLUSIVE: a principal added by hand is revoked by the next update, and the plan says so', async () => {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(image, [LaunchPermission.account(A)], LaunchPermissionMode.EXCLUSIVE));
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: OUTSIDER }] } }));
  const next = sharing(image, [LaunchPermission.account(A), LaunchPermission.account(B)], LaunchPermissionMode.EXCLUSIVE);

  const { run, json } = await plan(next.dir);

  expect(run.code).toBe(2);
  expect(json.stacks[0].constructs[0].mode).toBe('EXCLUSIVE');
  expect(changesOf(json, 'grant')).toEqual([`UserId:${B}`]);
  expect(json.stacks[0].constructs[0].changes.filter((c: any) => c.kind === 'revoke'))
    .toEqual([{ kind: 'revoke', imageId: image, principal: { UserId: OUTSIDER }, reason: 'not-declared' }]);
  expect(driftOf(json)).toEqual([{ kind: 'principal-added', imageId: image, principal: `UserId:${OUTSIDER}`, revokedByThisDeploy: true }]);
  await deployMatches(image, json, next);
  expect(await livePermissions(env.ec2, image)).toEqual([`UserId:${A}`, `UserId:${B}`]);
});

test('a made-public AMI is drift, even when the deploy changes nothing (no update is sent for an unchanged construct)', async () => {
  const image = await createImage(env.ec2);
  const app = sharing(image, [LaunchPermission.account(A)], LaunchPermissionMode.EXCLUSIVE);
  await plans.deploy(STACK, app);
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ Group: 'all' }], Remove: [{ UserId: A }] } }));

  const { run, json } = await plan(app.dir);

  expect(run.code).toBe(2);
  expect(json.stacks[0].constructs[0]).toMatchObject({ action: 'none', changes: [] });
  expect(driftOf(json)).toEqual([
    { kind: 'principal-added', imageId: image, principal: 'Group:all', revokedByThisDeploy: false },
    { kind: 'principal-removed', imageId: image, principal: `UserId:${A}`, restoredByThisDeploy: false },
  ]);
  // Deploying the same assembly indeed leaves the AMI public: CloudFormation does not invoke the handler.
  await plans.deploy(STACK, app);
  expect(await livePermissions(env.ec2, image)).toEqual(['Group:all']);
});

test('making an AMI public while block public access is on: the plan says the deploy would fail, with the handler\'s reason', async () => {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(image, [LaunchPermission.account(A)]));
  env.peer.setBlockPublicAccess('block-new-sharing');

  const { run, json } = await plan(sharing(image, [LaunchPermission.account(A), LaunchPermission.publicAccess()]).dir);

  expect(run.code).toBe(1);
  expect(changesOf(json, 'grant')).toEqual(['Group:all']);
  expect(json.stacks[0].constructs[0].errors).toEqual([expect.stringMatching(
    new RegExp(`^the deploy would fail: Permissions: LaunchPermission.publicAccess\\(\\) cannot make ${image} public: block public access for AMIs is on`))]);
  expect(env.peer.requests.map(r => r.action)).toContain('GetImageBlockPublicAccessState');
});
