// The checks before an AMI is made public, against the peer's emulation of EC2's documented refusals: block public
// access for AMIs, Marketplace product codes, and the public-AMI quota.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();

const share = (imageId: string, permissions: object[], mode = 'EXCLUSIVE') => ({
  Share: { Type: 'Custom::AmiLaunchPermissions', Properties: { ImageId: imageId, Permissions: permissions, Mode: mode } },
});

test('block public access on: FAILED with how to fix it, before any write (not even the removals)', async () => {
  const image = await createImage(env.ec2);
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: '999988887777' }] } }));
  env.peer.setBlockPublicAccess('block-new-sharing');
  env.peer.clearLog();
  const answer = await env.simulator().deploy(share(image, [{ Group: 'all' }]));
  expect(answer).toMatchObject({ Status: 'FAILED' });
  expect(answer!.Reason).toBe(`Permissions: LaunchPermission.publicAccess() cannot make ${image} public: block public access for AMIs is on `
    + 'in this account and Region (state \'block-new-sharing\'). Turn it off (aws ec2 disable-image-block-public-access; an AWS Organizations '
    + 'declarative policy that enforces it must be changed there), or remove publicAccess().');
  expect(env.peer.writes()).toEqual([]);
  expect(await livePermissions(env.ec2, image)).toEqual(['UserId:999988887777']);
});

test('a Marketplace AMI: FAILED naming the product code, no write', async () => {
  const image = await createImage(env.ec2);
  env.peer.setProductCodes(image, ['abcdefghijklmnopqrstuvwxy']);
  env.peer.clearLog();
  const answer = await env.simulator().deploy(share(image, [{ Group: 'all' }, { UserId: '111122223333' }]));
  expect(answer!.Reason).toBe(`Permissions: LaunchPermission.publicAccess() cannot make ${image} public: it carries the AWS Marketplace product `
    + 'code abcdefghijklmnopqrstuvwxy, and EC2 never makes such AMIs public. Share it with accounts or organizations instead.');
  expect(env.peer.writes()).toEqual([]);
});

test('the public-AMI quota reached: FAILED saying so and how to fix it', async () => {
  env.peer.setPublicImageQuota(1);
  const [first, second] = [await createImage(env.ec2), await createImage(env.ec2)];
  expect(await env.simulator().deploy(share(first, [{ Group: 'all' }]))).toBeUndefined();
  const answer = await env.simulator().deploy(share(second, [{ Group: 'all' }]));
  expect(answer!.Reason).toMatch(new RegExp(`^Permissions: LaunchPermission.publicAccess\\(\\) cannot make ${second} public: the account has reached `
    + 'EC2\'s quota of public AMIs in this Region \\(ResourceLimitExceeded: .*\\)\\. Make another AMI private, or request a higher "Public AMIs" quota'));
  expect(await livePermissions(env.ec2, second)).toEqual([]);
});

test('with block public access off, the checks pass and the AMI becomes public', async () => {
  const image = await createImage(env.ec2);
  env.peer.clearLog();
  expect(await env.simulator().deploy(share(image, [{ Group: 'all' }]))).toBeUndefined();
  expect(env.peer.countByAction()).toEqual({
    DescribeImageAttribute: 2, GetImageBlockPublicAccessState: 1, DescribeImages: 1, ModifyImageAttribute: 1,
  });
  expect(await livePermissions(env.ec2, image)).toEqual(['Group:all']);
});
