// AmiImdsPolicy and AmiDescription through the custom-resource protocol against moto plus the test peer (which keeps
// imdsSupport and description the way EC2 does; moto alone ignores both).
import { DeregisterImageCommand } from '@aws-sdk/client-ec2';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission } from '../../src';
import { livePermissions, liveValue, stackResources } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();

function callsSinceLastStep(): Record<string, number> {
  const counts = env.peer.countByAction();
  env.peer.clearLog();
  return counts;
}

const imds = (imageId: string) => stackResources(s => { new AmiImdsPolicy(s, 'Imds', { imageId }); });
const described = (imageId: string, description: string) => stackResources(s => { new AmiDescription(s, 'Desc', { imageId, description }); });

describe('AmiImdsPolicy', () => {
  test('Create sets v2.0 once; Update and a second image; Delete leaves v2.0 in place', async () => {
    const image = await createImage(env.ec2);
    const cfn = env.simulator();
    expect(await liveValue(env.ec2, image, 'imdsSupport')).toBeUndefined();
    env.peer.clearLog();

    expect(await cfn.deploy(imds(image))).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
    expect(await liveValue(env.ec2, image, 'imdsSupport')).toBe('v2.0');

    // Re-sent (e.g. a stack update that touched the resource): already v2.0, so one read and no write.
    env.peer.clearLog();
    const logicalId = Object.keys(imds(image))[0];
    expect(await cfn.send({
      RequestType: 'Update',
      LogicalResourceId: logicalId,
      ResourceType: 'Custom::AmiImdsPolicy',
      PhysicalResourceId: cfn.physicalIdOf(logicalId)!,
      ResourceProperties: { ImageId: image },
      OldResourceProperties: { ImageId: image },
    } as any)).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${image}/imdsSupport` });
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 1 });

    // A new image: the policy applies to it; the old one keeps v2.0 (the cleanup Delete makes no call).
    const second = await createImage(env.ec2);
    env.peer.clearLog();
    expect(await cfn.deploy(imds(second))).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
    expect(cfn.answers.slice(-2).map(a => `${a.requestType}:${a.Status}`)).toEqual(['Update:SUCCESS', 'Delete:SUCCESS']);
    expect(await liveValue(env.ec2, second, 'imdsSupport')).toBe('v2.0');
    expect(await liveValue(env.ec2, image, 'imdsSupport')).toBe('v2.0');

    env.peer.clearLog();
    expect(await cfn.destroy()).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({});
    expect(await liveValue(env.ec2, second, 'imdsSupport')).toBe('v2.0');
  });

  test('Delete after the AMI is gone succeeds', async () => {
    const image = await createImage(env.ec2);
    const cfn = env.simulator();
    expect(await cfn.deploy(imds(image))).toBeUndefined();
    await env.ec2.send(new DeregisterImageCommand({ ImageId: image }));
    expect(await cfn.destroy()).toBeUndefined();
  });

  test('Create on an AMI that does not exist fails with the image named', async () => {
    const answer = await env.simulator(21_500).deploy(imds('ami-0123456789abcdef0'));
    expect(answer).toMatchObject({ Status: 'FAILED' });
    expect(answer!.Reason).toContain('ImageId: AMI ami-0123456789abcdef0 does not exist in this account and Region (InvalidAMIID.NotFound');
    expect(env.peer.writes()).toEqual([]);
  });
});

describe('AmiDescription', () => {
  test('sets the description, survives updates, and restores the original on Delete', async () => {
    const image = await createImage(env.ec2, { description: 'Original from the build pipeline' });
    const cfn = env.simulator();
    env.peer.clearLog();

    expect(await cfn.deploy(described(image, 'Golden image, CIS hardened'))).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
    expect(await liveValue(env.ec2, image, 'description')).toBe('Golden image, CIS hardened');

    env.peer.clearLog();
    expect(await cfn.deploy(described(image, 'Golden image v2'))).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
    expect(await liveValue(env.ec2, image, 'description')).toBe('Golden image v2');

    expect(await cfn.deploy(described(image, 'Golden image v3'))).toBeUndefined();
    env.peer.clearLog();
    expect(await cfn.destroy()).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 2, ModifyImageAttribute: 1 });
    expect(await liveValue(env.ec2, image, 'description')).toBe('Original from the build pipeline');
  });

  test('no write when the live description already matches', async () => {
    const image = await createImage(env.ec2, { description: 'Already right' });
    env.peer.clearLog();
    expect(await env.simulator().deploy(described(image, 'Already right'))).toBeUndefined();
    expect(callsSinceLastStep()).toEqual({ DescribeImageAttribute: 1 });
  });

  test('an image change gives the new AMI the description and restores the old AMI\'s own', async () => {
    const first = await createImage(env.ec2, { description: 'first original' });
    const second = await createImage(env.ec2, { description: 'second original' });
    const cfn = env.simulator();
    expect(await cfn.deploy(described(first, 'Managed'))).toBeUndefined();
    expect(await cfn.deploy(described(second, 'Managed'))).toBeUndefined();
    expect(await liveValue(env.ec2, first, 'description')).toBe('first original');
    expect(await liveValue(env.ec2, second, 'description')).toBe('Managed');
    expect(await cfn.destroy()).toBeUndefined();
    expect(await liveValue(env.ec2, second, 'description')).toBe('second original');
  });

  test('an AMI that had no description gets an empty one back', async () => {
    const image = await createImage(env.ec2);
    const cfn = env.simulator();
    expect(await cfn.deploy(described(image, 'Temporary'))).toBeUndefined();
    expect(await cfn.destroy()).toBeUndefined();
    expect(await liveValue(env.ec2, image, 'description') ?? '').toBe('');
  });

  test('Delete after the AMI is gone succeeds', async () => {
    const image = await createImage(env.ec2, { description: 'x' });
    const cfn = env.simulator();
    expect(await cfn.deploy(described(image, 'y'))).toBeUndefined();
    await env.ec2.send(new DeregisterImageCommand({ ImageId: image }));
    env.peer.clearLog();
    expect(await cfn.destroy()).toBeUndefined();
    expect(env.peer.writes()).toEqual([]);
  });
});

test('three constructs of different kinds on one AMI do not fight', async () => {
  const image = await createImage(env.ec2, { description: 'before' });
  const cfn = env.simulator();
  const all = (description: string) => stackResources(s => {
    new AmiLaunchPermissions(s, 'Share', { imageId: image, permissions: [LaunchPermission.account('111122223333')] });
    new AmiImdsPolicy(s, 'Imds', { imageId: image });
    new AmiDescription(s, 'Desc', { imageId: image, description });
  });
  expect(await cfn.deploy(all('one'))).toBeUndefined();
  expect(await cfn.deploy(all('two'))).toBeUndefined();
  expect(await livePermissions(env.ec2, image)).toEqual(['UserId:111122223333']);
  expect(await liveValue(env.ec2, image, 'imdsSupport')).toBe('v2.0');
  expect(await liveValue(env.ec2, image, 'description')).toBe('two');
  expect(await cfn.destroy()).toBeUndefined();
  expect(await livePermissions(env.ec2, image)).toEqual([]);
  expect(await liveValue(env.ec2, image, 'imdsSupport')).toBe('v2.0');
  expect(await liveValue(env.ec2, image, 'description')).toBe('before');
});
