// `cdk-ami-sharing plan` (the shipped bundle) for the account-level settings, against the EC2 peer and the
// CloudFormation read peer: what a deploy would set, what removing the construct would put back, drift, and a setting an
// organization's declarative policy owns. Every plan is read-only, and checked against what the handler then does.
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AllowedImages, AmiDescription, ImageBlockPublicAccess, ImageCriterion } from '../../src';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);
const STACK = 'PlanGuards';
const PRODUCER = '111122223333';

async function plan(dir: string): Promise<{ code: number | null; json: any; text: string }> {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, '--json']);
  expect(env.peer.writes()).toEqual([]);
  expect(plans.cfn.writes()).toEqual([]);
  expect(run.stderr).toBe('');
  const human = await plans.run(['plan', '--app', dir]);
  return { code: run.code, json: JSON.parse(run.stdout), text: human.stdout };
}

const guards = (build: (stack: Stack) => void = stack => {
  new ImageBlockPublicAccess(stack, 'BlockPublicAccess', { removalPolicy: RemovalPolicy.DESTROY });
  new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.providers('amazon', PRODUCER)] });
}) => plans.synth(STACK, build);
const construct = (json: any, path: string) => json.stacks[0].constructs.find((c: any) => c.path.endsWith(path));

test('not deployed: both settings are planned; after the deploy nothing is left to change', async () => {
  const app = guards();
  const first = await plan(app.dir);
  expect(first.code).toBe(2);
  expect(construct(first.json, 'BlockPublicAccess')).toMatchObject({
    action: 'create',
    image: { source: 'account' },
    changes: [{ kind: 'account-setting', setting: 'block public access for AMIs', from: 'unblocked', to: 'block-new-sharing', restore: false }],
  });
  expect(construct(first.json, 'AllowedImages').changes).toEqual([{
    kind: 'account-setting', setting: 'Allowed AMIs', from: 'disabled, no criteria', to: `enabled: [${PRODUCER}, amazon]`, restore: false,
  }]);
  expect(first.text).toContain('Account and Region settings');
  expect(first.text).toContain('block public access for AMIs unblocked -> block-new-sharing');
  expect(new Set(env.peer.requests.map(r => r.action))).toEqual(new Set(['GetImageBlockPublicAccessState', 'GetAllowedImagesSettings']));

  await plans.deploy(STACK, app);
  const after = await plan(app.dir);
  expect(after.code).toBe(0);
  expect(after.json.stacks[0].constructs.map((c: any) => [c.action, c.changes, c.drift])).toEqual([['none', [], []], ['none', [], []]]);
});

test('drift: settings changed by hand since the deploy are reported', async () => {
  const app = guards();
  await plans.deploy(STACK, app);
  env.peer.setBlockPublicAccess('unblocked');
  env.peer.setAllowedImages({ state: 'audit-mode', criteria: [{ providers: ['amazon'], imageNames: [], marketplaceProductCodes: [] }] });
  const { code, json, text } = await plan(app.dir);
  expect(code).toBe(2);
  expect(construct(json, 'BlockPublicAccess').drift)
    .toEqual([{ kind: 'account-setting', setting: 'block public access for AMIs', live: 'unblocked', declared: 'block-new-sharing' }]);
  expect(construct(json, 'AllowedImages').drift)
    .toEqual([{ kind: 'account-setting', setting: 'Allowed AMIs', live: 'audit-mode: [amazon]', declared: `enabled: [${PRODUCER}, amazon]` }]);
  expect(text).toContain('drift   Allowed AMIs is audit-mode: [amazon], deployed as enabled: [111122223333, amazon]; this deploy sends no update, so it stays');
});

test('removing the constructs: the plan shows what Delete puts back, and the handler does exactly that', async () => {
  env.peer.setAllowedImages({ state: 'audit-mode', criteria: [{ providers: ['aws-marketplace'], imageNames: [], marketplaceProductCodes: [] }] });
  await plans.deploy(STACK, guards());
  const image = await createImage(env.ec2);
  const without = guards(stack => { new AmiDescription(stack, 'Desc', { imageId: image, description: 'unrelated' }); });
  const { json } = await plan(without.dir);
  expect(construct(json, 'BlockPublicAccess')).toMatchObject({
    action: 'delete', changes: [{ kind: 'account-setting', from: 'block-new-sharing', to: 'unblocked', restore: true }],
  });
  expect(construct(json, 'AllowedImages')).toMatchObject({
    action: 'delete', changes: [{ kind: 'account-setting', from: `enabled: [${PRODUCER}, amazon]`, to: 'audit-mode: [aws-marketplace]', restore: true }],
  });
  await plans.deploy(STACK, without);
  expect(env.peer.allowedImagesShown()).toEqual({ state: 'audit-mode', criteria: [{ providers: ['aws-marketplace'], imageNames: [], marketplaceProductCodes: [] }] });
  expect((await plan(without.dir)).code).toBe(0);
});

test('managed by a declarative policy: the plan says the deploy would fail, and why', async () => {
  env.peer.setBlockPublicAccess('unblocked', 'declarative-policy');
  const { code, json } = await plan(guards().dir);
  expect(code).toBe(1);
  expect(construct(json, 'BlockPublicAccess').errors).toEqual(['the deploy would fail: ImageBlockPublicAccess: block public access for AMIs in '
    + "this account and Region is managed by an AWS Organizations declarative policy (managedBy 'declarative-policy'), which the account cannot "
    + "change. Set it in the organization's declarative policy for EC2 (ec2_attributes.image_block_public_access) and remove "
    + 'ImageBlockPublicAccess from this stack; nothing was changed']);
});
