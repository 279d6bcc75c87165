// When the AMI behind imageId changes (a pipeline built a new golden AMI), the old AMI must lose exactly what the stack
// gave it, whatever kind of value imageId is. Deployed through the emulated CloudFormation (update phase in dependency
// order, cleanup phase dependents first, rollback), with the handler role's policies of each moment enforced by a real
// IAM policy evaluator in the EC2 peer.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { AmiDescription, AmiLaunchPermissions, LaunchPermission } from '../../src';
import { StackVersion } from '../support/cloudformation/stack';
import { EmulatedDeployments } from '../support/emulated-deployments';
import { liveValue, livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { deployInputs, IMAGE_ID_KINDS, ImageSource, imageIdOf, templateOf } from '../support/image-id-kinds';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();
const ACCOUNTS = ['111122223333', '444455556666'];
const OUTSIDER = 'UserId:999988887777';
const DECLARED = ACCOUNTS.map(a => `UserId:${a}`);

/** A golden-AMI stack: the image shared with two accounts and described, plus whatever `extra` adds. */
function version(source: ImageSource, extra?: (stack: Stack, imageId: string) => void): StackVersion {
  const template = templateOf(stack => {
    const imageId = imageIdOf(stack, source);
    new AmiLaunchPermissions(stack, 'Share', { imageId, permissions: ACCOUNTS.map(a => LaunchPermission.account(a)) });
    new AmiDescription(stack, 'Describe', { imageId, description: 'Golden image' });
    extra?.(stack, imageId);
  });
  return { template, ...deployInputs(source) };
}

async function golden(): Promise<string> {
  return createImage(env.ec2, { description: 'from the pipeline' });
}

async function stateOf(deployments: EmulatedDeployments, image: string) {
  return deployments.withoutIam(async () => ({
    permissions: await livePermissions(env.ec2, image),
    description: await liveValue(env.ec2, image, 'description'),
  }));
}

/** Deploys A, lets someone else share A with an outsider, then moves to B; returns both AMIs. */
async function rollOver(kind: ImageSource['kind']) {
  const [a, b] = kind === 'imageBuilder' ? ['1.0.0', '1.0.1'] : [await golden(), await golden()];
  const first = version({ kind, image: a });
  const deployments = new EmulatedDeployments(env, first.template);
  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  const oldImage = kind === 'imageBuilder' ? deployments.built.get(a)! : a;
  await deployments.withoutIam(() => env.ec2.send(new ModifyImageAttributeCommand({
    ImageId: oldImage, LaunchPermission: { Add: [{ UserId: OUTSIDER.slice('UserId:'.length) }] },
  })));

  const result = await deployments.deploy(version({ kind, image: b }), 'update');
  const newImage = kind === 'imageBuilder' ? deployments.built.get(b)! : b;
  return { deployments, result, oldImage, newImage };
}

describe.each(IMAGE_ID_KINDS)('imageId from %s', kind => {
  test('moving to a new AMI: the new one gets the declaration; the old one loses exactly what the stack gave it', async () => {
    const { deployments, result, oldImage, newImage } = await rollOver(kind);

    expect(result).toEqual({ status: 'COMPLETE', failures: [] });
    expect(deployments.denials()).toEqual([]);
    expect(await stateOf(deployments, newImage)).toEqual({ permissions: DECLARED, description: 'Golden image' });
    // ADDITIVE: the outsider someone else added stays; the original description is back.
    expect(await stateOf(deployments, oldImage)).toEqual({ permissions: [OUTSIDER], description: 'from the pipeline' });
  });
});

test('CfnParameter A -> B: the IAM evaluator allows the Update on B and, in the cleanup, the Delete on A', async () => {
  const { deployments, oldImage, newImage } = await rollOver('parameter');
  const update = deployments.invocations.filter(i => i.request.startsWith('update'));
  const summary = update.map(i => ({
    request: i.request,
    verdicts: [...new Set(i.verdicts.map(v => `${v.action} ${v.resource.split('/').pop()} ${v.result}`))],
  }));
  process.stdout.write(`[token-rollover] CfnParameter A=${oldImage} -> B=${newImage}: ${JSON.stringify(summary, undefined, 1)}\n`);
  expect(summary.map(s => s.request).sort()).toEqual([
    `update: Update ${logicalIdOf(deployments, 'Describe')} on ${newImage}`,
    `update: Update ${logicalIdOf(deployments, 'Share')} on ${newImage}`,
    `update: Delete ${logicalIdOf(deployments, 'Describe')} on ${oldImage}`,
    `update: Delete ${logicalIdOf(deployments, 'Share')} on ${oldImage}`,
  ].sort());
  for (const { request, verdicts } of summary) {
    const image = request.includes('Delete') ? oldImage : newImage;
    expect(verdicts.length).toBeGreaterThan(0);
    for (const verdict of verdicts) expect(verdict).toMatch(new RegExp(`^ec2:(Describe|Modify)ImageAttribute ${image} Allowed$`));
  }
});

test('once the rollover has settled, the role may touch the new AMI and no longer the old one', async () => {
  const { deployments, oldImage, newImage } = await rollOver('parameter');
  const policies = deployments.stack.rolePolicies();
  const mayModify = async (image: string) => {
    env.peer.enforceIdentityPolicies(policies);
    try {
      await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Description: { Value: 'probe' } }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'UnauthorizedOperation') return false;
      throw error;
    } finally {
      env.peer.enforceIdentityPolicies(undefined);
    }
  };
  expect({ old: await mayModify(oldImage), new: await mayModify(newImage), other: await mayModify(await golden()) })
    .toEqual({ old: false, new: true, other: false });
});

test('a removed construct and a deleted stack: the AMI they last applied to gets back what it had', async () => {
  const [a, c] = [await golden(), await golden()];
  const both = (stack: Stack) => new AmiLaunchPermissions(stack, 'Literal', { imageId: c, permissions: [LaunchPermission.account(ACCOUNTS[0])] });
  const first = version({ kind: 'parameter', image: a }, both);
  const deployments = new EmulatedDeployments(env, first.template);
  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });

  // The token constructs leave the stack; the literal one stays.
  const onlyLiteral = { template: templateOf(both) };
  expect(await deployments.deploy(onlyLiteral, 'update')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await stateOf(deployments, a)).toEqual({ permissions: [], description: 'from the pipeline' });
  expect(await stateOf(deployments, c)).toEqual({ permissions: [DECLARED[0]], description: 'from the pipeline' });

  expect(await deployments.destroy()).toEqual([]);
  expect(await stateOf(deployments, c)).toEqual({ permissions: [], description: 'from the pipeline' });
  expect(deployments.denials()).toEqual([]);
});

test('a failed update rolled back by CloudFormation: both AMIs end as they were before it', async () => {
  const [a, b] = [await golden(), await golden()];
  const first = version({ kind: 'parameter', image: a });
  const deployments = new EmulatedDeployments(env, first.template);
  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  const before = { a: await stateOf(deployments, a), b: await stateOf(deployments, b) };

  // A resource processed after the custom resources fails, so they have already moved to B when the rollback starts.
  const failing = version({ kind: 'parameter', image: b }, stack => {
    const later = new CfnResource(stack, 'Later', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    later.node.addDependency(stack.node.findChild('Share'), stack.node.findChild('Describe'));
  });
  const result = await deployments.deploy(failing, 'update', 'Later');

  expect(result.status).toBe('ROLLED_BACK');
  expect(deployments.invocations.some(i => i.request.includes(`on ${b}`))).toBe(true);
  expect({ a: await stateOf(deployments, a), b: await stateOf(deployments, b) }).toEqual(before);
  expect(deployments.denials()).toEqual([]);
});

test('literal and token ids in one stack, and one AMI declared by both a literal and a token construct', async () => {
  const [a, b, l1, l2] = [await golden(), await golden(), await golden(), await golden()];
  const stackWith = (token: string, literal: string) => version({ kind: 'parameter', image: token }, stack => {
    new AmiLaunchPermissions(stack, 'Literal', { imageId: literal, permissions: [LaunchPermission.account('777788889999')] });
    new AmiLaunchPermissions(stack, 'SameAmiLiteral', { imageId: a, permissions: [LaunchPermission.account('121212121212')] });
  });
  const first = stackWith(a, l1);
  const deployments = new EmulatedDeployments(env, first.template);
  expect(await deployments.deploy(first, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect((await stateOf(deployments, a)).permissions).toEqual(['UserId:121212121212', ...DECLARED].sort());

  expect(await deployments.deploy(stackWith(b, l2), 'update')).toEqual({ status: 'COMPLETE', failures: [] });

  expect(deployments.denials()).toEqual([]);
  // A keeps what the literal construct still declares, and only that.
  expect(await stateOf(deployments, a)).toEqual({ permissions: ['UserId:121212121212'], description: 'from the pipeline' });
  expect(await stateOf(deployments, b)).toEqual({ permissions: DECLARED, description: 'Golden image' });
  expect((await stateOf(deployments, l1)).permissions).toEqual([]);
  expect((await stateOf(deployments, l2)).permissions).toEqual(['UserId:777788889999']);
});

function logicalIdOf(deployments: EmulatedDeployments, constructId: string): string {
  const match = deployments.invocations.map(i => i.request.split(' ')[2]).find(id => id.startsWith(constructId));
  if (!match) throw new Error(`no request for ${constructId}`);
  return match;
}
