// AllowedImages through the custom-resource protocol against the EC2 peer (moto has none of these APIs; the peer
// emulates them, ec2-peer/allowed-images.ts, answering criteria in another order than they were written), with the
// handler role's policies from the synthesised template enforced on every request by the peer's IAM evaluator.
import { DisableAllowedImagesSettingsCommand } from '@aws-sdk/client-ec2';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AllowedImages, AllowedImagesProps, AllowedImagesState, ImageCriterion } from '../../src';
import type { DeclaredResource } from '../support/cfn-simulator';
import { synthesize } from '../support/cloud-assembly';
import type { AllowedImagesValue, IdentityPolicy } from '../support/ec2-peer';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { onlyRole, resolveResources, rolePolicies } from '../support/role-policies';

const env = useHandlerEnvironment();
const PRODUCER = '111122223333';

function recipientStack(props: AllowedImagesProps): { customResources: Record<string, DeclaredResource>; policies: IdentityPolicy[] } {
  const app = new App();
  const stack = new Stack(app, 'Recipient', { env: { account: '123456789012', region: 'us-east-1' } });
  new AllowedImages(stack, 'AllowedImages', props);
  const { template, customResources } = synthesize(app, stack);
  const resources = resolveResources(template.Resources, { stackName: stack.stackName });
  return { customResources, policies: rolePolicies(resources, onlyRole(resources)) };
}

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

const criteria = [
  ImageCriterion.providers('amazon', PRODUCER),
  ImageCriterion.of({ providers: ['444455556666'], imageNames: ['golden-al2023-*', 'golden-win-*'], maximumDaysSinceCreated: 90 }),
];
/** The same criteria as the peer keeps them. */
const PEER_CRITERIA = [
  { providers: ['amazon', PRODUCER], imageNames: [], marketplaceProductCodes: [] },
  { providers: ['444455556666'], imageNames: ['golden-al2023-*', 'golden-win-*'], marketplaceProductCodes: [], maximumDaysSinceCreated: 90 },
];
const NOTHING: AllowedImagesValue = { state: 'disabled', criteria: [] };

test('Create replaces the criteria, then enables; re-deploys compare as sets and make no write; Delete restores what it found', async () => {
  const { customResources, policies } = recipientStack({ criteria });
  const cfn = env.simulator();

  const created = await asHandler(policies, () => cfn.deploy(customResources));
  expect(created.answer).toBeUndefined();
  expect(created.calls).toEqual({ GetAllowedImagesSettings: 2, ReplaceImageCriteriaInAllowedImagesSettings: 1, EnableAllowedImagesSettings: 1 });
  expect(env.peer.writes().map(w => w.action)).toEqual(['ReplaceImageCriteriaInAllowedImagesSettings', 'EnableAllowedImagesSettings']);
  expect(env.peer.allowedImagesShown()).toEqual({ state: 'enabled', criteria: PEER_CRITERIA });

  // The peer answers the criteria and their values in reverse order: still the same set.
  const again = await asHandler(policies, () => cfn.deploy(customResources));
  expect(again).toEqual({ answer: undefined, calls: {} });
  const resent = await asHandler(policies, () => cfn.send({
    RequestType: 'Update',
    LogicalResourceId: Object.keys(customResources)[0],
    ResourceType: 'Custom::AllowedImages',
    PhysicalResourceId: cfn.physicalIdOf(Object.keys(customResources)[0])!,
    ResourceProperties: Object.values(customResources)[0].Properties,
    OldResourceProperties: Object.values(customResources)[0].Properties,
  } as any));
  expect(resent.answer).toMatchObject({ Status: 'SUCCESS' });
  expect(resent.calls).toEqual({ GetAllowedImagesSettings: 1 });

  const removed = await asHandler(policies, () => cfn.destroy());
  expect(removed.answer).toBeUndefined();
  expect(env.peer.writes().map(w => w.action)).toEqual(['DisableAllowedImagesSettings', 'ReplaceImageCriteriaInAllowedImagesSettings']);
  expect(env.peer.allowedImagesShown()).toEqual(NOTHING);
});

test('Updates: a new state is one Enable, new criteria one Replace; the first deployment\'s settings come back on Delete', async () => {
  const found: AllowedImagesValue = { state: 'audit-mode', criteria: [{ providers: ['amazon'], imageNames: [], marketplaceProductCodes: [] }] };
  env.peer.setAllowedImages(found);
  const cfn = env.simulator();
  const first = recipientStack({ criteria });
  expect((await asHandler(first.policies, () => cfn.deploy(first.customResources))).calls)
    .toEqual({ GetAllowedImagesSettings: 2, ReplaceImageCriteriaInAllowedImagesSettings: 1, EnableAllowedImagesSettings: 1 });

  const audit = recipientStack({ criteria, state: AllowedImagesState.AUDIT_MODE });
  expect((await asHandler(audit.policies, () => cfn.deploy(audit.customResources))).calls)
    .toEqual({ GetAllowedImagesSettings: 2, EnableAllowedImagesSettings: 1 });
  expect(env.peer.allowedImagesShown().state).toBe('audit-mode');

  const fewer = recipientStack({ criteria: [criteria[0]], state: AllowedImagesState.AUDIT_MODE });
  expect((await asHandler(fewer.policies, () => cfn.deploy(fewer.customResources))).calls)
    .toEqual({ GetAllowedImagesSettings: 2, ReplaceImageCriteriaInAllowedImagesSettings: 1 });
  expect(env.peer.allowedImagesShown().criteria).toEqual([PEER_CRITERIA[0]]);

  expect((await asHandler(fewer.policies, () => cfn.destroy())).calls)
    .toEqual({ GetAllowedImagesSettings: 2, ReplaceImageCriteriaInAllowedImagesSettings: 1 });
  expect(env.peer.allowedImagesShown()).toEqual(found);
});

test('RemovalPolicy.RETAIN: the settings stay when the construct goes, and the role may not disable them', async () => {
  const { customResources, policies } = recipientStack({ criteria, removalPolicy: RemovalPolicy.RETAIN });
  expect(Object.values(customResources)[0].DeletionPolicy).toBe('Retain');
  const cfn = env.simulator();
  expect((await asHandler(policies, () => cfn.deploy(customResources))).answer).toBeUndefined();
  expect(await asHandler(policies, () => cfn.destroy())).toEqual({ answer: undefined, calls: {} });
  expect(env.peer.allowedImagesShown()).toEqual({ state: 'enabled', criteria: PEER_CRITERIA });

  env.peer.enforceIdentityPolicies(policies);
  try {
    await expect(env.ec2.send(new DisableAllowedImagesSettingsCommand({}))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
  } finally {
    env.peer.enforceIdentityPolicies(undefined);
  }
});

test('EC2 shows the change after a few reads: the handler waits for it', async () => {
  env.peer.setAllowedImagesPropagation(2);
  const { customResources, policies } = recipientStack({ criteria });
  const created = await asHandler(policies, () => env.simulator().deploy(customResources));
  expect(created).toEqual({
    answer: undefined,
    calls: { GetAllowedImagesSettings: 4, ReplaceImageCriteriaInAllowedImagesSettings: 1, EnableAllowedImagesSettings: 1 },
  });
});

test('managed by a declarative policy: FAILED saying so and what to do, before any write', async () => {
  env.peer.setAllowedImages({ state: 'enabled', criteria: [{ providers: ['amazon'], imageNames: [], marketplaceProductCodes: [] }] }, 'declarative-policy');
  const { customResources, policies } = recipientStack({ criteria });
  const created = await asHandler(policies, () => env.simulator().deploy(customResources));
  expect(created.answer).toMatchObject({
    Status: 'FAILED',
    Reason: 'AllowedImages: Allowed AMIs in this account and Region is managed by an AWS Organizations declarative policy (managedBy '
      + "'declarative-policy'), which the account cannot change. Set it in the organization's declarative policy for EC2 "
      + '(ec2_attributes.allowed_images_settings) and remove AllowedImages from this stack; nothing was changed',
  });
  expect(created.calls).toEqual({ GetAllowedImagesSettings: 1 });
});

test('settings too large to remember for Delete: FAILED before any write with RemovalPolicy.DESTROY; RETAIN works', async () => {
  const accounts = Array.from({ length: 150 }, (_, i) => String(100000000000 + ((i * 7_919_113_331) % 899999999999)));
  env.peer.setAllowedImages({ state: 'enabled', criteria: [{ providers: accounts, imageNames: [], marketplaceProductCodes: [] }] });
  const destroy = recipientStack({ criteria });
  const created = await asHandler(destroy.policies, () => env.simulator().deploy(destroy.customResources));
  expect(created.answer).toMatchObject({
    Status: 'FAILED',
    Reason: 'RemovalPolicy: the Allowed AMIs settings this account and Region have now (1 criteria, 150 values) cannot be put back on Delete: '
      + 'they do not fit in the 1 KB CloudFormation keeps for a physical id. Use removalPolicy RemovalPolicy.RETAIN, or record them yourself '
      + '(aws ec2 get-allowed-images-settings); nothing was changed',
  });
  expect(env.peer.writes()).toEqual([]);

  const retain = recipientStack({ criteria, removalPolicy: RemovalPolicy.RETAIN });
  expect((await asHandler(retain.policies, () => env.simulator().deploy(retain.customResources))).answer).toBeUndefined();
  expect(env.peer.allowedImagesShown().criteria).toEqual(PEER_CRITERIA);
});
