// `cdk-ami-sharing plan` for AmiDeprecation and AmiDeregistrationProtection: the change a deploy makes, drift from the
// deployed declaration, what the Delete restores (and until when the cooldown keeps the AMI protected), and a refusal
// the deploy would meet. Read-only throughout.
import {
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { AmiDeprecation, AmiDeregistrationProtection, AmiDescription } from '../../src';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);
const STACK = 'PlanLifecycle';
const MINUTE = 60_000;
const inDays = (days: number) => new Date(Math.floor(Date.now() / MINUTE) * MINUTE + days * 86_400_000);

interface Declaration { deprecateAt?: Date; protect?: { withCooldown?: boolean } }

function golden(imageId: string, d: Declaration) {
  return plans.synth(STACK, stack => {
    // Keeps the stack non-empty when both constructs leave it.
    new AmiDescription(stack, 'Describe', { imageId, description: 'Golden' });
    if (d.deprecateAt) new AmiDeprecation(stack, 'Deprecate', { imageId, deprecateAt: d.deprecateAt });
    if (d.protect) new AmiDeregistrationProtection(stack, 'Protect', { imageId, withCooldown: d.protect.withCooldown });
  });
}

async function plan(dir: string) {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, '--json']);
  expect(env.peer.writes()).toEqual([]);
  expect(plans.cfn.writes()).toEqual([]);
  const json = JSON.parse(run.stdout);
  const byId = Object.fromEntries(json.stacks[0].constructs.map((c: any) => [c.logicalId.replace(/[0-9A-F]{8}$/, ''), c]));
  return { code: run.code, byId, human: (await plans.run(['plan', '--app', dir])).stdout };
}

test('set on create, drift when changed by hand, restored when the constructs go', async () => {
  const image = await createImage(env.ec2);
  const at = inDays(60);
  const first = golden(image, { deprecateAt: at, protect: { withCooldown: true } });

  const created = await plan(first.dir);
  expect(created.code).toBe(2);
  expect(created.byId.Deprecate.changes).toEqual([{ kind: 'set-deprecation', imageId: image, to: at.toISOString() }]);
  expect(created.byId.Protect.changes).toEqual([
    { kind: 'set-deregistration-protection', imageId: image, from: 'disabled', to: 'enabled-with-cooldown' },
  ]);

  await plans.deploy(STACK, first);
  expect((await plan(first.dir)).code).toBe(0);

  await env.ec2.send(new DisableImageDeprecationCommand({ ImageId: image }));
  await env.ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: image }));
  const drifted = await plan(first.dir);
  expect(drifted.code).toBe(2);
  expect(drifted.byId.Deprecate.drift).toEqual([{ kind: 'deprecation', imageId: image, declared: at.toISOString() }]);
  expect(drifted.byId.Protect.drift).toEqual([
    { kind: 'deregistration-protection', imageId: image, live: 'disabled', declared: 'enabled-with-cooldown' },
  ]);
  expect(drifted.human).toContain(`drift   deprecation is (none), deployed as ${at.toISOString()}`);

  // Put them back (a changed declaration sends an Update; an unchanged one would not), then remove both constructs.
  await plans.deploy(STACK, golden(image, { deprecateAt: inDays(61), protect: { withCooldown: true } }));
  await plans.deploy(STACK, golden(image, { deprecateAt: at, protect: { withCooldown: true } }));
  await env.ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: image, WithCooldown: true }));
  const removed = await plan(golden(image, {}).dir);
  expect(removed.byId.Deprecate).toMatchObject({ action: 'delete' });
  expect(removed.byId.Deprecate.changes).toEqual([{ kind: 'restore-deprecation', imageId: image, from: at.toISOString() }]);
  expect(removed.byId.Protect.changes).toEqual([{
    kind: 'restore-deregistration-protection', imageId: image, from: 'enabled-with-cooldown', to: 'disabled', protectedUntil: expect.any(String),
  }]);
  const until = new Date(removed.byId.Protect.changes[0].protectedUntil).getTime();
  expect(until).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  expect(removed.human).toMatch(/\(the original, restored; EC2 keeps it protected until about /);
});

test('a passed time is shown as the earliest time the deploy would write; a public AMI beyond 2 years is the error the deploy would meet', async () => {
  const image = await createImage(env.ec2);
  const before = Date.now();
  const passed = await plan(golden(image, { deprecateAt: new Date('2024-01-01T00:00:00Z') }).dir);
  expect(passed.byId.Deprecate.changes).toEqual([{ kind: 'set-deprecation', imageId: image, to: expect.any(String), declaredTimePassed: true }]);
  const shown = new Date(passed.byId.Deprecate.changes[0].to).getTime();
  expect(shown).toBeGreaterThanOrEqual(before + MINUTE);
  expect(shown).toBeLessThanOrEqual(Date.now() + 2 * MINUTE);

  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ Group: 'all' }] } }));
  const refused = await plan(golden(image, { deprecateAt: inDays(800) }).dir);
  expect(refused.code).toBe(1);
  expect(refused.byId.Deprecate.errors).toEqual([expect.stringMatching(
    /^the deploy would fail: DeprecateAt: .* is more than 2 years after .* the latest deprecation EC2 accepts for a public AMI/)]);
});
