// The EC2 test peer's emulation of what EC2 checks before an AMI is made public.
import {
  DescribeImagesCommand,
  DisableImageBlockPublicAccessCommand,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer } from './peer-fixture';
import { createImage } from '../support/images';

const f = usePeer();
const { launchPermissions, makePublic, shareWith } = f;

// EMULATION: block public access for AMIs (EC2 User Guide, "Block public access to your AMIs").
describe('block public access for AMIs', () => {
  test('GetImageBlockPublicAccessState answers the emulated state (default unblocked)', async () => {
    expect((await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('unblocked');
    f.peer.setBlockPublicAccess('block-new-sharing');
    expect((await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('block-new-sharing');
  });

  test('block-new-sharing refuses Group=all with OperationNotPermitted and applies nothing; accounts still work', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.setBlockPublicAccess('block-new-sharing');
    const err = await failure(f.ec2.send(new ModifyImageAttributeCommand({
      ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }, { UserId: '111122223333' }] },
    })));
    expect(err.name).toBe('OperationNotPermitted');
    expect(err.message).toMatch(/block public access for AMIs is enabled/);
    expect(await launchPermissions(imageId)).toEqual([]);

    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });

  test('the legacy form (OperationType=add, UserGroups=[all]) is refused too', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.setBlockPublicAccess('block-new-sharing');
    const err = await failure(f.ec2.send(new ModifyImageAttributeCommand({
      ImageId: imageId, Attribute: 'launchPermission', OperationType: 'add', UserGroups: ['all'],
    })));
    expect(err.name).toBe('OperationNotPermitted');
  });

  test('Enable/DisableImageBlockPublicAccess switch the state', async () => {
    const enabled = await f.ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }));
    expect(enabled.ImageBlockPublicAccessState).toBe('block-new-sharing');
    const imageId = await createImage(f.ec2);
    expect((await failure(makePublic(imageId))).name).toBe('OperationNotPermitted');

    const disabled = await f.ec2.send(new DisableImageBlockPublicAccessCommand({}));
    expect(disabled.ImageBlockPublicAccessState).toBe('unblocked');
    await makePublic(imageId);
    expect(await launchPermissions(imageId)).toEqual([{ Group: 'all' }]);
  });
});

// EMULATION: "Images with an AWS Marketplace product code cannot be made public" (ModifyImageAttribute).
describe('Marketplace AMIs', () => {
  test('DescribeImages shows the product codes', async () => {
    const imageId = await createImage(f.ec2);
    const other = await createImage(f.ec2);
    f.peer.setProductCodes(imageId, ['abcdefghij0123456789klmno']);
    const images = await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId, other] }));
    const byId = Object.fromEntries((images.Images ?? []).map((i) => [i.ImageId, i]));
    expect(byId[imageId].ProductCodes).toEqual([{ ProductCodeId: 'abcdefghij0123456789klmno', ProductCodeType: 'marketplace' }]);
    expect(byId[other].ProductCodes ?? []).toEqual([]);
    expect(byId[imageId].BlockDeviceMappings?.length).toBe(1); // the rest of the item is untouched
  });

  test('cannot be made public, but can be shared with accounts', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.setProductCodes(imageId, ['abcdefghij0123456789klmno']);
    const err = await failure(makePublic(imageId));
    expect(err.name).toBe('OperationNotPermitted');
    expect(err.message).toMatch(/Marketplace product code/);
    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });
});

// EMULATION: public AMIs quota, 5 per Region by default (EC2 User Guide, "AMI quotas").
describe('public AMI quota', () => {
  test('making one more image public than the quota is ResourceLimitExceeded', async () => {
    f.peer.setPublicImageQuota(2);
    const [a, b, c] = [await createImage(f.ec2), await createImage(f.ec2), await createImage(f.ec2)];
    await makePublic(a);
    await makePublic(b);
    await makePublic(a); // already public: does not count twice

    const err = await failure(makePublic(c));
    expect(err.name).toBe('ResourceLimitExceeded');
    expect(await launchPermissions(c)).toEqual([]);

    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: b, LaunchPermission: { Remove: [{ Group: 'all' }] } }));
    await makePublic(c);
    expect(await launchPermissions(c)).toEqual([{ Group: 'all' }]);
  });

  test('the default quota is 5', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await createImage(f.ec2));
    }
    for (const id of ids.slice(0, 5)) {
      await makePublic(id);
    }
    expect((await failure(makePublic(ids[5]))).name).toBe('ResourceLimitExceeded');
  });

  test('a missing image is InvalidAMIID.NotFound before any quota or block check', async () => {
    f.peer.setBlockPublicAccess('block-new-sharing');
    expect((await failure(makePublic('ami-12345678'))).name).toBe('InvalidAMIID.NotFound');
  });
});
