// AmiDeregistrationProtection through the emulated CloudFormation against moto plus the EC2 peer (which emulates the
// protection, the refused DeregisterImage and the 24-hour cooldown on a clock the test can move), with the handler
// role's policies of each moment enforced by the peer's IAM evaluator.
import { DeregisterImageCommand, DescribeImagesCommand, EnableImageDeregistrationProtectionCommand } from '@aws-sdk/client-ec2';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { AmiDeregistrationProtection } from '../../src';
import { StackVersion } from '../support/cloudformation/stack';
import { EmulatedDeployments } from '../support/emulated-deployments';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { deployInputs, IMAGE_ID_KINDS, ImageSource, imageIdOf, templateOf } from '../support/image-id-kinds';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();
const HOUR = 3_600_000;

function version(source: ImageSource, withCooldown?: boolean, extra?: (stack: Stack) => void): StackVersion {
  const template = templateOf(stack => {
    new AmiDeregistrationProtection(stack, 'Protect', { imageId: imageIdOf(stack, source), withCooldown });
    extra?.(stack);
  });
  return { template, ...deployInputs(source) };
}

async function protectionOf(deployments: EmulatedDeployments, image: string): Promise<string | undefined> {
  return deployments.withoutIam(async () =>
    (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images?.[0]?.DeregistrationProtection);
}

/** DeregisterImage with the test's own access: the error code, or 'deregistered'. */
async function tryDeregister(deployments: EmulatedDeployments, image: string): Promise<string> {
  return deployments.withoutIam(async () => {
    try {
      await env.ec2.send(new DeregisterImageCommand({ ImageId: image }));
      return 'deregistered';
    } catch (error) {
      return (error as Error).name;
    }
  });
}

test('with cooldown: protected while declared, and for 24 hours after the stack is deleted', async () => {
  const start = new Date();
  env.peer.clock.set(start);
  const image = await createImage(env.ec2);
  const first = version({ kind: 'literal', image }, true);
  const deployments = new EmulatedDeployments(env, first.template);
  env.peer.clearLog();

  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(env.peer.countByAction()).toEqual({ DescribeImages: 2, EnableImageDeregistrationProtection: 1 });
  expect(await protectionOf(deployments, image)).toBe('enabled-with-cooldown');
  expect(await tryDeregister(deployments, image)).toBe('OperationNotPermitted');

  env.peer.clearLog();
  expect(await deployments.destroy()).toEqual([]);
  expect(env.peer.writes().map(w => w.action)).toEqual(['DisableImageDeregistrationProtection']);
  expect(await protectionOf(deployments, image)).toMatch(/^disabled-until /);
  expect(await tryDeregister(deployments, image)).toBe('OperationNotPermitted');

  env.peer.clock.set(new Date(start.getTime() + 24 * HOUR));
  expect(await tryDeregister(deployments, image)).toBe('deregistered');
  expect(deployments.denials()).toEqual([]);
});

test('switching the cooldown is one write; an AMI protected before keeps its protection after Delete', async () => {
  const image = await createImage(env.ec2);
  await env.ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: image, WithCooldown: false }));
  const deployments = new EmulatedDeployments(env, version({ kind: 'literal', image }).template);
  env.peer.clearLog();

  expect(await deployments.deploy(version({ kind: 'literal', image }), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(env.peer.writes()).toEqual([]);
  expect(await deployments.deploy(version({ kind: 'literal', image }, true), 'update')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(env.peer.writes().map(w => w.action)).toEqual(['EnableImageDeregistrationProtection']);
  expect(await protectionOf(deployments, image)).toBe('enabled-with-cooldown');

  expect(await deployments.destroy()).toEqual([]);
  expect(await protectionOf(deployments, image)).toBe('enabled-without-cooldown');
  expect(deployments.denials()).toEqual([]);
});

describe.each(IMAGE_ID_KINDS)('imageId from %s', kind => {
  test('moving to a new AMI protects it and unprotects the old one, every request allowed', async () => {
    const [a, b] = kind === 'imageBuilder' ? ['1.0.0', '1.0.1'] : [await createImage(env.ec2), await createImage(env.ec2)];
    const deployments = new EmulatedDeployments(env, version({ kind, image: a }).template);
    expect(await deployments.deploy(version({ kind, image: a }), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
    const oldImage = kind === 'imageBuilder' ? deployments.built.get(a)! : a;
    expect(await protectionOf(deployments, oldImage)).toBe('enabled-without-cooldown');

    expect(await deployments.deploy(version({ kind, image: b }), 'update')).toEqual({ status: 'COMPLETE', failures: [] });
    const newImage = kind === 'imageBuilder' ? deployments.built.get(b)! : b;
    expect(deployments.denials()).toEqual([]);
    expect(await protectionOf(deployments, newImage)).toBe('enabled-without-cooldown');
    expect(await protectionOf(deployments, oldImage)).toBe('disabled');
    expect(await tryDeregister(deployments, oldImage)).toBe('deregistered');
  });
});

test('a failed update rolled back by CloudFormation: both AMIs end as they were before it', async () => {
  const [a, b] = [await createImage(env.ec2), await createImage(env.ec2)];
  const deployments = new EmulatedDeployments(env, version({ kind: 'parameter', image: a }).template);
  expect(await deployments.deploy(version({ kind: 'parameter', image: a }), 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  const before = { a: await protectionOf(deployments, a), b: await protectionOf(deployments, b) };

  const failing = version({ kind: 'parameter', image: b }, false, stack => {
    new CfnResource(stack, 'Later', { type: 'AWS::CloudFormation::WaitConditionHandle' }).node.addDependency(stack.node.findChild('Protect'));
  });
  expect((await deployments.deploy(failing, 'update', 'Later')).status).toBe('ROLLED_BACK');
  expect(deployments.invocations.some(i => i.request.includes(`on ${b}`))).toBe(true);
  // b was never protected before: after the rollback it reports disabled (EC2 keeps reporting once it was touched).
  expect({ a: await protectionOf(deployments, a), b: (await protectionOf(deployments, b)) ?? 'disabled' })
    .toEqual({ a: before.a, b: before.b ?? 'disabled' });
  expect(deployments.denials()).toEqual([]);
});
