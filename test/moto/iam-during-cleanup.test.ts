// The handler against moto with IAM enforced the way the stack's own policies would enforce it, through a stack update
// as CloudFormation runs it: in the update phase the role has the new template's image policies; in the cleanup phase
// also the policies that left the template (CloudFormation deletes them after the custom resources that depended on
// them). The template-level version of this, with many more shapes, is test/constructs/access-during-cleanup.test.ts.
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { AmiDescription, AmiLaunchPermissions, LaunchPermission } from '../../src';
import { CfnSimulator, DeclaredResource } from '../support/cfn-simulator';
import { synthesize } from '../support/cloud-assembly';
import { liveValue, livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { imagesGrantedBy, managedPolicies, policiesLeaving } from '../support/image-grants';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();
const ACCOUNT = '111122223333';

interface Synthesized {
  readonly resources: Record<string, any>;
  readonly customResources: Record<string, DeclaredResource>;
}

/** A stack of AmiLaunchPermissions (and optionally AmiDescription) per AMI; `parameter` makes the image id a token. */
function synth(images: Record<string, string>, options: { description?: boolean; parameter?: string } = {}): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'IamCleanup', { env: { account: '123456789012', region: 'us-east-1' } });
  for (const [id, imageId] of Object.entries(images)) {
    const image = options.parameter ? new CfnParameter(stack, 'ImageId', { default: 'ami-00000000' }).valueAsString : imageId;
    new AmiLaunchPermissions(stack, id, { imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] });
    if (options.description) new AmiDescription(stack, `${id}Description`, { imageId: image, description: 'Golden' });
  }
  const { template, customResources } = synthesize(app, stack);
  // CloudFormation resolves the parameter before the handler sees the properties and before IAM sees the policy.
  const resolve = (value: unknown) => JSON.parse(JSON.stringify(value).replace(/\{"Ref":"ImageId"\}/g, JSON.stringify(options.parameter ?? '')));
  const resources = resolve(template.Resources);
  return { resources, customResources: resolve(customResources) };
}

/** Deploys `next` over `current` as CloudFormation would, with IAM enforced per phase; the first FAILED answer, if any. */
function update(cfn: CfnSimulator, current: Synthesized, next: Synthesized) {
  const now = Object.values(managedPolicies(next.resources));
  const leaving = policiesLeaving(current.resources, next.resources);
  env.peer.restrictImageAccess(imagesGrantedBy(now));
  return cfn.deploy(next.customResources, () => env.peer.restrictImageAccess(imagesGrantedBy([...now, ...leaving])));
}

async function create(stack: Synthesized): Promise<CfnSimulator> {
  env.peer.restrictImageAccess(imagesGrantedBy(Object.values(managedPolicies(stack.resources))));
  const cfn = env.simulator();
  expect(await cfn.deploy(stack.customResources)).toBeUndefined();
  return cfn;
}

/** Reads state with IAM out of the way. */
async function inspect<T>(read: () => Promise<T>): Promise<T> {
  env.peer.restrictImageAccess(undefined);
  return read();
}

test('a changed literal imageId: the old AMI\'s permissions are revoked and its description restored in the cleanup', async () => {
  const [a, b] = [await createImage(env.ec2, { description: 'from the pipeline' }), await createImage(env.ec2)];
  const v1 = synth({ Share: a }, { description: true });
  const cfn = await create(v1);

  expect(await update(cfn, v1, synth({ Share: b }, { description: true }))).toBeUndefined();

  expect(env.peer.requests.filter(r => r.injected === 'iam')).toEqual([]);
  expect(await inspect(() => livePermissions(env.ec2, a))).toEqual([]);
  expect(await inspect(() => liveValue(env.ec2, a, 'description'))).toBe('from the pipeline');
  expect(await inspect(() => livePermissions(env.ec2, b))).toEqual([`UserId:${ACCOUNT}`]);
});

test('a removed construct: its AMI\'s permissions are revoked, the other construct\'s stay', async () => {
  const [a, b] = [await createImage(env.ec2), await createImage(env.ec2)];
  const v1 = synth({ One: a, Two: b });
  const cfn = await create(v1);

  expect(await update(cfn, v1, synth({ Two: b }))).toBeUndefined();

  expect(env.peer.requests.filter(r => r.injected === 'iam')).toEqual([]);
  expect(await inspect(() => livePermissions(env.ec2, a))).toEqual([]);
  expect(await inspect(() => livePermissions(env.ec2, b))).toEqual([`UserId:${ACCOUNT}`]);
});
