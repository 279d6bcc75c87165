// ImageBlockPublicAccess through the custom-resource protocol against the EC2 peer (moto has none of these APIs; the
// peer emulates them, ec2-peer/image-block-public-access.ts), with the handler role's policies from the synthesised
// template enforced on every request by the peer's IAM evaluator.
import { DisableImageBlockPublicAccessCommand, EnableImageBlockPublicAccessCommand, GetImageBlockPublicAccessStateCommand } from '@aws-sdk/client-ec2';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ImageBlockPublicAccess, ImageBlockPublicAccessProps } from '../../src';
import type { DeclaredResource } from '../support/cfn-simulator';
import { synthesize } from '../support/cloud-assembly';
import type { IdentityPolicy } from '../support/ec2-peer';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { onlyRole, resolveResources, rolePolicies } from '../support/role-policies';

const env = useHandlerEnvironment();

function guardStack(props?: ImageBlockPublicAccessProps): { customResources: Record<string, DeclaredResource>; policies: IdentityPolicy[] } {
  const app = new App();
  const stack = new Stack(app, 'Producer', { env: { account: '123456789012', region: 'us-east-1' } });
  new ImageBlockPublicAccess(stack, 'BlockPublicAccess', props);
  const { template, customResources } = synthesize(app, stack);
  const resources = resolveResources(template.Resources, { stackName: stack.stackName });
  return { customResources, policies: rolePolicies(resources, onlyRole(resources)) };
}

/** Runs `step` with the stack's role policies enforced; returns what it answered and the calls it made. */
async function asHandler<T>(policies: IdentityPolicy[], step: () => Promise<T>): Promise<{ answer: T; calls: Record<string, number> }> {
  env.peer.clearLog();
  env.peer.enforceIdentityPolicies(policies);
  try {
    const answer = await step();
    expect(env.peer.iamVerdicts().filter(v => v.result !== 'Allowed')).toEqual([]);
    return { answer, calls: env.peer.countByAction() };
  } finally {
    env.peer.enforceIdentityPolicies(undefined);
  }
}

async function liveState(): Promise<string | undefined> {
  return (await env.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState;
}

const MANAGED_BY_POLICY = 'ImageBlockPublicAccess: block public access for AMIs in this account and Region is managed by an AWS '
  + "Organizations declarative policy (managedBy 'declarative-policy'), which the account cannot change. Set it in the organization's "
  + 'declarative policy for EC2 (ec2_attributes.image_block_public_access) and remove ImageBlockPublicAccess from this stack; nothing was changed';

test('Create turns it on with one write and reads it back; a re-deploy makes no call; removal (RETAIN) leaves it on', async () => {
  const { customResources, policies } = guardStack();
  expect(Object.values(customResources)[0].DeletionPolicy).toBe('Retain');
  const cfn = env.simulator();

  const created = await asHandler(policies, () => cfn.deploy(customResources));
  expect(created.answer).toBeUndefined();
  expect(created.calls).toEqual({ GetImageBlockPublicAccessState: 2, EnableImageBlockPublicAccess: 1 });
  expect(await liveState()).toBe('block-new-sharing');

  const again = await asHandler(policies, () => cfn.deploy(customResources));
  expect(again).toEqual({ answer: undefined, calls: {} });

  const removed = await asHandler(policies, () => cfn.destroy());
  expect(removed).toEqual({ answer: undefined, calls: {} });
  expect(await liveState()).toBe('block-new-sharing');
});

test('already on: Create reads once and writes nothing', async () => {
  env.peer.setBlockPublicAccess('block-new-sharing');
  const { customResources, policies } = guardStack();
  const created = await asHandler(policies, () => env.simulator().deploy(customResources));
  expect(created).toEqual({ answer: undefined, calls: { GetImageBlockPublicAccessState: 1 } });
});

test('RemovalPolicy.DESTROY: Delete puts back the unblocked state the first deployment found, and waits until EC2 shows it', async () => {
  const { customResources, policies } = guardStack({ removalPolicy: RemovalPolicy.DESTROY });
  const cfn = env.simulator();
  expect((await asHandler(policies, () => cfn.deploy(customResources))).answer).toBeUndefined();
  expect(await liveState()).toBe('block-new-sharing');

  env.peer.setBlockPublicAccessPropagation(1);
  const removed = await asHandler(policies, () => cfn.destroy());
  expect(removed).toEqual({ answer: undefined, calls: { GetImageBlockPublicAccessState: 3, DisableImageBlockPublicAccess: 1 } });
  expect(await liveState()).toBe('unblocked');
});

test('RemovalPolicy.DESTROY on an account that was already blocked: Delete leaves it on', async () => {
  env.peer.setBlockPublicAccess('block-new-sharing');
  const { customResources, policies } = guardStack({ removalPolicy: RemovalPolicy.DESTROY });
  const cfn = env.simulator();
  expect((await asHandler(policies, () => cfn.deploy(customResources))).answer).toBeUndefined();
  const removed = await asHandler(policies, () => cfn.destroy());
  expect(removed).toEqual({ answer: undefined, calls: { GetImageBlockPublicAccessState: 1 } });
  expect(await liveState()).toBe('block-new-sharing');
});

test('EC2 applies the change after a few reads: the handler waits for it', async () => {
  env.peer.setBlockPublicAccessPropagation(2);
  const { customResources, policies } = guardStack();
  const created = await asHandler(policies, () => env.simulator().deploy(customResources));
  expect(created).toEqual({ answer: undefined, calls: { GetImageBlockPublicAccessState: 4, EnableImageBlockPublicAccess: 1 } });
});

test('EC2 has not applied it when the time budget runs out: FAILED saying the change is on its way; the next deployment finds it on', async () => {
  env.peer.setBlockPublicAccessPropagation(1_000);
  const { customResources, policies } = guardStack();
  const created = await asHandler(policies, () => env.simulator(23_000).deploy(customResources));
  expect(created.answer).toMatchObject({ Status: 'FAILED' });
  expect(created.answer!.Reason).toMatch(new RegExp('^EnableImageBlockPublicAccess was accepted, but after \\d+ reads over \\d+ s block public '
    + "access for AMIs still reads 'unblocked' instead of 'block-new-sharing'\\. EC2 can take up to 10 minutes to apply the change; deploy again "
    + 'in a few minutes: the handler then finds it on and makes no change$'));
  expect(created.calls.EnableImageBlockPublicAccess).toBe(1);

  // Minutes later EC2 shows it.
  env.peer.setBlockPublicAccess('block-new-sharing');
  const retried = await asHandler(policies, () => env.simulator().deploy(customResources));
  expect(retried).toEqual({ answer: undefined, calls: { GetImageBlockPublicAccessState: 1 } });
});

test.each(['unblocked', 'block-new-sharing'] as const)('managed by a declarative policy (%s): FAILED saying so, before any write', async state => {
  env.peer.setBlockPublicAccess(state, 'declarative-policy');
  const { customResources, policies } = guardStack();
  const created = await asHandler(policies, () => env.simulator().deploy(customResources));
  expect(created.answer).toMatchObject({ Status: 'FAILED', Reason: MANAGED_BY_POLICY });
  expect(created.calls).toEqual({ GetImageBlockPublicAccessState: 1 });
  expect(await liveState()).toBe(state);
});

test('RemovalPolicy.DESTROY after an organization took the setting over: Delete succeeds and leaves it to the policy', async () => {
  const { customResources, policies } = guardStack({ removalPolicy: RemovalPolicy.DESTROY });
  const cfn = env.simulator();
  expect((await asHandler(policies, () => cfn.deploy(customResources))).answer).toBeUndefined();
  env.peer.setBlockPublicAccess('block-new-sharing', 'declarative-policy');
  const removed = await asHandler(policies, () => cfn.destroy());
  expect(removed).toEqual({ answer: undefined, calls: { GetImageBlockPublicAccessState: 1 } });
});

test('the role may turn the guard off only with RemovalPolicy.DESTROY', async () => {
  const refused = async (policies: IdentityPolicy[], send: () => Promise<unknown>) => {
    env.peer.enforceIdentityPolicies(policies);
    try {
      return await send().then(() => 'allowed', (e: Error) => e.name);
    } finally {
      env.peer.enforceIdentityPolicies(undefined);
    }
  };
  const disable = () => env.ec2.send(new DisableImageBlockPublicAccessCommand({}));
  const enable = () => env.ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }));
  expect(await refused(guardStack().policies, disable)).toBe('UnauthorizedOperation');
  expect(await refused(guardStack().policies, enable)).toBe('allowed');
  expect(await refused(guardStack({ removalPolicy: RemovalPolicy.DESTROY }).policies, disable)).toBe('allowed');
});
