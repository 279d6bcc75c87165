// `cdk-ami-sharing plan` for descriptions and IMDSv2, an AMI that was deregistered, a changed AMI, a removed
// construct, and token image ids (an SSM parameter's value, an Image Builder image). Read-only throughout.
import { DeregisterImageCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { Stack } from 'aws-cdk-lib';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission } from '../../src';
import { liveValue } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { deployInputs, ImageSource, imageIdOf } from '../support/image-id-kinds';
import { createImage } from '../support/images';
import { usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const A = '111122223333';
const STACK = 'PlanImages';

interface Declaration { share?: boolean; description?: string; imds?: boolean }

function golden(imageId: string | ((stack: Stack) => string), d: Declaration) {
  return plans.synth(STACK, stack => {
    const image = typeof imageId === 'string' ? imageId : imageId(stack);
    if (d.share) new AmiLaunchPermissions(stack, 'Share', { imageId: image, permissions: [LaunchPermission.account(A)] });
    if (d.description) new AmiDescription(stack, 'Describe', { imageId: image, description: d.description });
    if (d.imds) new AmiImdsPolicy(stack, 'Imds', { imageId: image });
  });
}

async function plan(dir: string) {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, '--json']);
  expect(env.peer.writes()).toEqual([]);
  expect(plans.cfn.writes()).toEqual([]);
  const json = JSON.parse(run.stdout);
  const byId = Object.fromEntries(json.stacks[0].constructs.map((c: any) => [c.logicalId.replace(/[0-9A-F]{8}$/, ''), c]));
  return { code: run.code, json, byId };
}

test('description and IMDSv2: set on create, drift when changed by hand, restored when the construct goes', async () => {
  const image = await createImage(env.ec2, { description: 'from the pipeline' });
  const first = golden(image, { description: 'Golden', imds: true });

  const created = await plan(first.dir);
  expect(created.code).toBe(2);
  expect(created.byId.Describe.changes).toEqual([{ kind: 'set-description', imageId: image, from: 'from the pipeline', to: 'Golden' }]);
  expect(created.byId.Imds.changes).toEqual([{ kind: 'require-imdsv2', imageId: image }]);

  await plans.deploy(STACK, first);
  expect((await plan(first.dir)).code).toBe(0);

  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Description: { Value: 'edited in the console' } }));
  const drifted = await plan(first.dir);
  expect(drifted.code).toBe(2);
  expect(drifted.byId.Describe).toMatchObject({ action: 'none', changes: [] });
  expect(drifted.byId.Describe.drift).toEqual([{ kind: 'description', imageId: image, live: 'edited in the console', declared: 'Golden' }]);

  // The stack keeps one construct: CloudFormation has no stack without resources.
  const remaining = golden(image, { share: true });
  const removed = await plan(remaining.dir);
  expect(removed.byId.Describe).toMatchObject({ action: 'delete' });
  expect(removed.byId.Describe.changes).toEqual([{ kind: 'restore-description', imageId: image, from: 'edited in the console', to: 'from the pipeline' }]);
  expect(removed.byId.Imds).toMatchObject({ action: 'delete', changes: [] });
  expect(removed.byId.Imds.notes[0]).toMatch(/stays v2.0/);

  await plans.deploy(STACK, remaining);
  expect(await liveValue(env.ec2, image, 'description')).toBe('from the pipeline');
});

test('a changed AMI: the new one is granted, the old one loses the stack\'s principals and gets its description back', async () => {
  const [old, next] = [await createImage(env.ec2, { description: 'old own' }), await createImage(env.ec2, { description: 'new own' })];
  await plans.deploy(STACK, golden(old, { share: true, description: 'Golden' }));

  const { code, byId } = await plan(golden(next, { share: true, description: 'Golden' }).dir);

  expect(code).toBe(2);
  expect(byId.Share).toMatchObject({ action: 'replace', previousImageId: old, image: { id: next } });
  expect(byId.Share.changes).toEqual([
    { kind: 'grant', imageId: next, principal: { UserId: A } },
    { kind: 'revoke', imageId: old, principal: { UserId: A }, reason: 'removed' },
  ]);
  expect(byId.Describe.changes).toEqual([
    { kind: 'set-description', imageId: next, from: 'new own', to: 'Golden' },
    { kind: 'restore-description', imageId: old, from: 'Golden', to: 'old own' },
  ]);
});

test('a deregistered AMI: drift while the declaration is unchanged; an error when the deploy would write to it', async () => {
  const image = await createImage(env.ec2);
  const app = golden(image, { share: true, description: 'Golden' });
  await plans.deploy(STACK, app);
  await env.ec2.send(new DeregisterImageCommand({ ImageId: image }));

  const unchanged = await plan(app.dir);
  expect(unchanged.code).toBe(2);
  expect(unchanged.byId.Share.drift).toEqual([{ kind: 'image-gone', imageId: image }]);
  expect(unchanged.byId.Describe.drift).toEqual([{ kind: 'image-gone', imageId: image }]);

  const changed = await plan(golden(image, { share: true, description: 'Golden, v2' }).dir);
  expect(changed.code).toBe(1);
  expect(changed.byId.Describe.errors).toEqual([`the deploy would fail: AMI ${image} does not exist in us-east-1`]);
  expect(changed.byId.Share.errors).toEqual([]);
});

test('a token image id (SSM parameter): resolved from the deployed stack; unchanged is exit 0', async () => {
  const image = await createImage(env.ec2);
  const source: ImageSource = { kind: 'ssm', image };
  const app = golden(stack => imageIdOf(stack, source), { share: true, description: 'Golden' });
  await plans.deploy(STACK, app, deployInputs(source));

  const { code, json, byId } = await plan(app.dir);

  expect(json.stacks[0].constructs.flatMap((c: any) => [...c.changes, ...c.drift, ...c.errors])).toEqual([]);
  expect(code).toBe(0);
  expect(byId.Share.image).toMatchObject({ id: image, source: 'deployed' });
  expect(byId.Describe.image).toMatchObject({ id: image, source: 'deployed' });
});

test('a token image id CloudFormation only knows at deploy (a new Image Builder image): "resolved at deploy"', async () => {
  const built = await createImage(env.ec2);
  const build = async () => built;
  const app = (version: string) => golden(stack => imageIdOf(stack, { kind: 'imageBuilder', image: version }), { share: true });
  await plans.deploy(STACK, app('1.0.0'), {}, build);

  const same = await plan(app('1.0.0').dir);
  expect(same.code).toBe(0);
  expect(same.byId.Share.image).toMatchObject({ id: built, source: 'deployed' });

  // A new recipe version replaces the image resource: its AMI id is only known once CloudFormation has built it.
  const rebuilt = await plan(app('2.0.0').dir);
  expect(rebuilt.code).toBe(2);
  expect(rebuilt.byId.Share).toMatchObject({ action: 'replace', image: { source: 'unresolved' }, previousImageId: built });
  expect(rebuilt.byId.Share.changes).toEqual([
    { kind: 'grant', principal: { UserId: A } },
    { kind: 'revoke', imageId: built, principal: { UserId: A }, reason: 'removed' },
  ]);
});
