// What the handler puts on the wire, held against the sample requests of the ModifyImageAttribute API page
// (../shared/reference/ModifyImageAttribute.seed.txt). A wrong request shape only shows here: mocked SDK calls never
// serialise. Example 4 (ProductCode.N) is documented as "Not supported" and this library never sends it.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../../src';
import { stackResources } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();

/** The parameters of the handler's ModifyImageAttribute requests, without Action, Version and ImageId. */
function modifications(imageId: string): Array<Record<string, string>> {
  return env.peer.requests
    .filter(r => r.action === 'ModifyImageAttribute')
    .map(r => {
      expect(r.params.ImageId).toBe(imageId);
      expect(r.params.Version).toBe('2016-11-15');
      const { Action: _a, Version: _v, ImageId: _i, ...rest } = r.params;
      return rest;
    });
}

test('Example 1 and 2: LaunchPermission.Add.1.Group=all, then LaunchPermission.Remove.1.Group=all', async () => {
  const image = await createImage(env.ec2);
  const cfn = env.simulator();
  env.peer.clearLog();
  expect(await cfn.deploy(stackResources(s => {
    new AmiLaunchPermissions(s, 'Public', { imageId: image, permissions: [LaunchPermission.publicAccess()] });
  }))).toBeUndefined();
  expect(await cfn.destroy()).toBeUndefined();
  expect(modifications(image)).toEqual([
    { 'LaunchPermission.Add.1.Group': 'all' },
    { 'LaunchPermission.Remove.1.Group': 'all' },
  ]);
});

test('Example 3: LaunchPermission.Add.1.UserId=111122223333 (and the organization / OU forms)', async () => {
  const image = await createImage(env.ec2);
  env.peer.clearLog();
  expect(await env.simulator().deploy(stackResources(s => {
    new AmiLaunchPermissions(s, 'Share', { imageId: image, permissions: [LaunchPermission.account('111122223333')] });
  }))).toBeUndefined();
  expect(modifications(image)).toEqual([{ 'LaunchPermission.Add.1.UserId': '111122223333' }]);

  env.peer.clearLog();
  const org = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
  const ou = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';
  expect(await env.simulator().deploy(stackResources(s => {
    new AmiLaunchPermissions(s, 'Share', {
      imageId: image,
      mode: LaunchPermissionMode.EXCLUSIVE,
      permissions: [LaunchPermission.organization(org), LaunchPermission.organizationalUnit(ou)],
    });
  }))).toBeUndefined();
  expect(modifications(image)).toEqual([
    { 'LaunchPermission.Remove.1.UserId': '111122223333' },
    { 'LaunchPermission.Add.1.OrganizationArn': org, 'LaunchPermission.Add.2.OrganizationalUnitArn': ou },
  ]);
});

test('Example 5: Description.Value=New Description', async () => {
  const image = await createImage(env.ec2, { description: 'old' });
  env.peer.clearLog();
  expect(await env.simulator().deploy(stackResources(s => {
    new AmiDescription(s, 'Desc', { imageId: image, description: 'New Description' });
  }))).toBeUndefined();
  expect(modifications(image)).toEqual([{ 'Description.Value': 'New Description' }]);
});

test('Example 6: ImdsSupport.Value=v2.0', async () => {
  const image = await createImage(env.ec2);
  env.peer.clearLog();
  expect(await env.simulator().deploy(stackResources(s => { new AmiImdsPolicy(s, 'Imds', { imageId: image }); }))).toBeUndefined();
  expect(modifications(image)).toEqual([{ 'ImdsSupport.Value': 'v2.0' }]);
});

test('the peer itself holds these shapes as EC2 does: the SDK request for Example 3 matches the sample', async () => {
  const image = await createImage(env.ec2);
  env.peer.clearLog();
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: '111122223333' }] } }));
  expect(modifications(image)).toEqual([{ 'LaunchPermission.Add.1.UserId': '111122223333' }]);
});
