// The synthesised handler bundle driven through the custom-resource protocol, step by step as CloudFormation would,
// against moto. After every step: the exact live permissions, and the exact EC2 calls the step made.
import { DeregisterImageCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { LaunchPermission, LaunchPermissionMode } from '../../src';
import { launchPermissionsStack, livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';

const ACCOUNT = '111122223333';
const OUTSIDER = '999988887777';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';

const accountAndOu = () => [LaunchPermission.account(ACCOUNT), LaunchPermission.organizationalUnit(OU)];

const env = useHandlerEnvironment();

/** The EC2 calls the handler made since the last look, as 'Action' counts, then forgets them. */
function callsSinceLastStep(): Record<string, number> {
  const counts = env.peer.countByAction();
  env.peer.clearLog();
  return counts;
}

test('Create, Update (add / remove / mode switch), image change, Delete, Delete after deregistration', async () => {
  const image = await createImage(env.ec2);
  const cfn = env.simulator();
  env.peer.clearLog();
  // The logical id CloudFormation knows the resource by (construct path + hash).
  const share = Object.keys(launchPermissionsStack({ Share: { imageId: image, permissions: [] } }))[0];

  // Create, ADDITIVE: the account and the organization.
  expect(await cfn.deploy(launchPermissionsStack({
    Share: { imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)] },
  }))).toBeUndefined();
  // DescribeImages: the check before sharing that the AMI's snapshots are not encrypted with a key recipients lack.
  expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, DescribeImages: 1, ModifyImageAttribute: 1 });
  expect(await livePermissions(env.ec2, image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`]);

  // Someone else shares the AMI with another account: ADDITIVE must leave it alone.
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: OUTSIDER }] } }));
  env.peer.clearLog();

  // Update: the OU added, the organization dropped (revoked), the outsider kept.
  expect(await cfn.deploy(launchPermissionsStack({
    Share: { imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organizationalUnit(OU)] },
  }))).toBeUndefined();
  expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, DescribeImages: 1, ModifyImageAttribute: 2 });
  expect(await livePermissions(env.ec2, image)).toEqual([`OrganizationalUnitArn:${OU}`, `UserId:${ACCOUNT}`, `UserId:${OUTSIDER}`]);

  // Update with nothing changed on the AMI's side (same principals, re-deployed): one read, no write.
  env.peer.clearLog();
  expect(await cfn.send({
    RequestType: 'Update',
    LogicalResourceId: share,
    ResourceType: 'Custom::AmiLaunchPermissions',
    PhysicalResourceId: cfn.physicalIdOf(share)!,
    ResourceProperties: { ImageId: image, Permissions: [{ UserId: ACCOUNT }, { OrganizationalUnitArn: OU }], Mode: 'ADDITIVE' },
    OldResourceProperties: { ImageId: image, Permissions: [{ UserId: ACCOUNT }, { OrganizationalUnitArn: OU }], Mode: 'ADDITIVE' },
  } as any)).toMatchObject({ Status: 'SUCCESS' });
  expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 1 });

  // Mode switch to EXCLUSIVE: the outsider goes.
  env.peer.clearLog();
  expect(await cfn.deploy(launchPermissionsStack({
    Share: { imageId: image, permissions: accountAndOu(), mode: LaunchPermissionMode.EXCLUSIVE },
  }))).toBeUndefined();
  expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
  expect(await livePermissions(env.ec2, image)).toEqual([`OrganizationalUnitArn:${OU}`, `UserId:${ACCOUNT}`]);

  // Image change: Update creates the permissions on the new AMI (new physical id), then the cleanup Delete of the
  // old physical id revokes them on the old AMI.
  const newImage = await createImage(env.ec2);
  env.peer.clearLog();
  const oldPhysicalId = cfn.physicalIdOf(share);
  expect(await cfn.deploy(launchPermissionsStack({
    Share: { imageId: newImage, permissions: accountAndOu(), mode: LaunchPermissionMode.EXCLUSIVE },
  }))).toBeUndefined();
  expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 4, DescribeImages: 1, ModifyImageAttribute: 2 });
  expect(cfn.physicalIdOf(share)).toBe(`${newImage}/launchPermission`);
  expect(oldPhysicalId).toBe(`${image}/launchPermission`);
  expect(cfn.answers.slice(-2).map(a => [a.requestType, a.Status, a.PhysicalResourceId])).toEqual([
    ['Update', 'SUCCESS', `${newImage}/launchPermission`],
    ['Delete', 'SUCCESS', `${image}/launchPermission`],
  ]);
  expect(await livePermissions(env.ec2, newImage)).toEqual([`OrganizationalUnitArn:${OU}`, `UserId:${ACCOUNT}`]);
  expect(await livePermissions(env.ec2, image)).toEqual([]);

  // Delete: the declared principals are revoked.
  env.peer.clearLog();
  expect(await cfn.destroy()).toBeUndefined();
  expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
  expect(await livePermissions(env.ec2, newImage)).toEqual([]);
});

test('Delete after the AMI was deregistered succeeds without a write', async () => {
  const image = await createImage(env.ec2);
  const cfn = env.simulator();
  expect(await cfn.deploy(launchPermissionsStack({ Share: { imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] } }))).toBeUndefined();
  await env.ec2.send(new DeregisterImageCommand({ ImageId: image }));
  env.peer.clearLog();
  expect(await cfn.destroy()).toBeUndefined();
  expect(cfn.answers.at(-1)).toMatchObject({ requestType: 'Delete', Status: 'SUCCESS' });
  expect(env.peer.writes()).toEqual([]);
});

test('RETAIN: removing the construct leaves the permissions in place', async () => {
  const image = await createImage(env.ec2);
  const cfn = env.simulator();
  expect(await cfn.deploy(launchPermissionsStack({
    Share: { imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.publicAccess()], retain: true },
  }))).toBeUndefined();
  expect(await cfn.destroy()).toBeUndefined();
  expect(await livePermissions(env.ec2, image)).toEqual(['Group:all', `UserId:${ACCOUNT}`]);
});

test('three constructs on two AMIs in one stack converge independently', async () => {
  const [one, two] = [await createImage(env.ec2), await createImage(env.ec2)];
  const cfn = env.simulator();
  expect(await cfn.deploy(launchPermissionsStack({
    A: { imageId: one, permissions: [LaunchPermission.account(ACCOUNT)] },
    B: { imageId: one, permissions: [LaunchPermission.organization(ORG)] },
    C: { imageId: two, permissions: [LaunchPermission.publicAccess()], mode: LaunchPermissionMode.EXCLUSIVE },
  }))).toBeUndefined();
  expect(await livePermissions(env.ec2, one)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`]);
  expect(await livePermissions(env.ec2, two)).toEqual(['Group:all']);
});
