// AmiDeprecation through the emulated CloudFormation (update, cleanup and rollback order) against moto plus the EC2
// peer, which emulates EnableImageDeprecation / DisableImageDeprecation / DeprecationTime (moto has none of them), with
// the handler role's policies of each moment enforced by the peer's IAM evaluator.
import { DescribeImagesCommand, EnableImageDeprecationCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { AmiDeprecation } from '../../src';
import { StackVersion } from '../support/cloudformation/stack';
import { EmulatedDeployments } from '../support/emulated-deployments';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { deployInputs, IMAGE_ID_KINDS, ImageSource, imageIdOf, templateOf } from '../support/image-id-kinds';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();
const MINUTE = 60_000;
/** A whole minute `days` from now (the handler and the peer both read the real clock). */
const inDays = (days: number) => new Date(Math.floor(Date.now() / MINUTE) * MINUTE + days * 86_400_000);
const DECLARED = inDays(90);
const ORIGINAL = inDays(400);

function version(source: ImageSource, deprecateAt: Date, extra?: (stack: Stack) => void): StackVersion {
  const template = templateOf(stack => {
    new AmiDeprecation(stack, 'Deprecate', { imageId: imageIdOf(stack, source), deprecateAt });
    extra?.(stack);
  });
  return { template, ...deployInputs(source) };
}

async function deprecationOf(deployments: EmulatedDeployments, image: string): Promise<string | undefined> {
  return deployments.withoutIam(async () =>
    (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0]?.DeprecationTime);
}

/** An AMI from the pipeline, which already deprecates its AMIs in `ORIGINAL` (so restoring is visible). */
async function golden(): Promise<string> {
  const image = await createImage(env.ec2);
  await env.ec2.send(new EnableImageDeprecationCommand({ ImageId: image, DeprecateAt: ORIGINAL }));
  return image;
}

function writesSinceLastStep(): string[] {
  const writes = env.peer.writes().map(w => w.action);
  env.peer.clearLog();
  return writes;
}

test('Create, Update, Delete: one write each, the original time back at the end, every request allowed', async () => {
  const image = await golden();
  const first = version({ kind: 'literal', image }, DECLARED);
  const deployments = new EmulatedDeployments(env, first.template);
  env.peer.clearLog();

  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(env.peer.countByAction()).toEqual({ DescribeImages: 2, EnableImageDeprecation: 1 });
  env.peer.clearLog();
  expect(await deprecationOf(deployments, image)).toBe(DECLARED.toISOString());

  const later = inDays(120);
  expect(await deployments.deploy(version({ kind: 'literal', image }, later), 'update')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(writesSinceLastStep()).toEqual(['EnableImageDeprecation']);
  expect(await deprecationOf(deployments, image)).toBe(later.toISOString());

  expect(await deployments.destroy()).toEqual([]);
  expect(writesSinceLastStep()).toEqual(['EnableImageDeprecation']);
  expect(await deprecationOf(deployments, image)).toBe(ORIGINAL.toISOString());
  expect(deployments.denials()).toEqual([]);
});

test('an AMI that had no deprecation has none again after Delete', async () => {
  const image = await createImage(env.ec2);
  const first = version({ kind: 'literal', image }, DECLARED);
  const deployments = new EmulatedDeployments(env, first.template);
  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  env.peer.clearLog();
  expect(await deployments.destroy()).toEqual([]);
  expect(writesSinceLastStep()).toEqual(['DisableImageDeprecation']);
  expect(await deprecationOf(deployments, image)).toBeUndefined();
  expect(deployments.denials()).toEqual([]);
});

test('a declared time that has passed: deprecated at the earliest time (a minute or two away), and the deployment completes', async () => {
  const image = await createImage(env.ec2);
  const passed = new Date('2024-01-01T00:00:00Z');
  const deployments = new EmulatedDeployments(env, version({ kind: 'literal', image }, passed).template);
  const before = Date.now();
  expect(await deployments.deploy(version({ kind: 'literal', image }, passed), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  const at = new Date((await deprecationOf(deployments, image))!).getTime();
  expect(at).toBeGreaterThanOrEqual(before + MINUTE);
  expect(at).toBeLessThanOrEqual(Date.now() + 2 * MINUTE);
  expect(at % MINUTE).toBe(0);
});

test('"deprecate now" still holds when the request reaches EC2 59 s after the handler read its clock', async () => {
  // A CI run deprecated at "the next minute" 50 ms before it began, and EC2 (the peer) refused the time as past.
  const image = await createImage(env.ec2);
  env.peer.clock.runAhead(59_000);
  const deployments = new EmulatedDeployments(env, version({ kind: 'literal', image }, new Date('2024-01-01T00:00:00Z')).template);
  expect(await deployments.deploy(version({ kind: 'literal', image }, new Date('2024-01-01T00:00:00Z')), 'create'))
    .toEqual({ status: 'COMPLETE', failures: [] });
  expect(new Date((await deprecationOf(deployments, image))!).getTime()).toBeGreaterThan(env.peer.clock.now().getTime());
});

test('a public AMI and a time more than 2 years after its creation: FAILED with the rule, and nothing written', async () => {
  const image = await createImage(env.ec2);
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ Group: 'all' }] } }));
  const tooLate = inDays(800);
  const deployments = new EmulatedDeployments(env, version({ kind: 'literal', image }, tooLate).template);
  env.peer.clearLog();
  const result = await deployments.deploy(version({ kind: 'literal', image }, tooLate), 'create');
  expect(result.status).toBe('ROLLED_BACK');
  expect(result.failures[0].Reason).toMatch(/^DeprecateAt: .* is more than 2 years after .* the latest deprecation EC2 accepts for a public AMI; .* or make the AMI private first$/);
  expect(env.peer.writes()).toEqual([]);
  expect(await deprecationOf(deployments, image)).toBeUndefined();
});

describe.each(IMAGE_ID_KINDS)('imageId from %s', kind => {
  test('moving to a new AMI: the new one is deprecated at the declared time, the old one gets its own time back', async () => {
    const [a, b] = kind === 'imageBuilder' ? ['1.0.0', '1.0.1'] : [await golden(), await golden()];
    const first = version({ kind, image: a }, DECLARED);
    const deployments = new EmulatedDeployments(env, first.template);
    expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
    const oldImage = kind === 'imageBuilder' ? deployments.built.get(a)! : a;
    if (kind === 'imageBuilder') expect(await deprecationOf(deployments, oldImage)).toBe(DECLARED.toISOString());

    expect(await deployments.deploy(version({ kind, image: b }, DECLARED), 'update')).toEqual({ status: 'COMPLETE', failures: [] });
    const newImage = kind === 'imageBuilder' ? deployments.built.get(b)! : b;

    expect(deployments.denials()).toEqual([]);
    expect(await deprecationOf(deployments, newImage)).toBe(DECLARED.toISOString());
    // Image Builder's AMIs had no deprecation of their own; the others had ORIGINAL.
    const own = kind === 'imageBuilder' ? undefined : ORIGINAL.toISOString();
    expect(await deprecationOf(deployments, oldImage)).toBe(own);
  });
});

test('once a token rollover has settled, the role may deprecate the new AMI only', async () => {
  const [a, b, other] = [await golden(), await golden(), await golden()];
  const deployments = new EmulatedDeployments(env, version({ kind: 'parameter', image: a }, DECLARED).template);
  expect(await deployments.deploy(version({ kind: 'parameter', image: a }, DECLARED), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await deployments.deploy(version({ kind: 'parameter', image: b }, DECLARED), 'update')).toEqual({ status: 'COMPLETE', failures: [] });
  const mayDeprecate = async (image: string) => {
    env.peer.enforceIdentityPolicies(deployments.stack.rolePolicies());
    try {
      await env.ec2.send(new EnableImageDeprecationCommand({ ImageId: image, DeprecateAt: inDays(10) }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'UnauthorizedOperation') return false;
      throw error;
    } finally {
      env.peer.enforceIdentityPolicies(undefined);
    }
  };
  expect({ old: await mayDeprecate(a), new: await mayDeprecate(b), other: await mayDeprecate(other) })
    .toEqual({ old: false, new: true, other: false });
});

test('a failed update rolled back by CloudFormation: both AMIs end as they were before it', async () => {
  const [a, b] = [await golden(), await golden()];
  const first = version({ kind: 'parameter', image: a }, DECLARED);
  const deployments = new EmulatedDeployments(env, first.template);
  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  const before = { a: await deprecationOf(deployments, a), b: await deprecationOf(deployments, b) };

  const failing = version({ kind: 'parameter', image: b }, inDays(30), stack => {
    const later = new CfnResource(stack, 'Later', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    later.node.addDependency(stack.node.findChild('Deprecate'));
  });
  const result = await deployments.deploy(failing, 'update', 'Later');

  expect(result.status).toBe('ROLLED_BACK');
  expect(deployments.invocations.some(i => i.request.includes(`on ${b}`))).toBe(true);
  expect({ a: await deprecationOf(deployments, a), b: await deprecationOf(deployments, b) }).toEqual(before);
  expect(deployments.denials()).toEqual([]);
});
