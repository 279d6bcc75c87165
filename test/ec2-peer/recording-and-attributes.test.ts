// The EC2 test peer (test/support/ec2-peer/): what it records, and the image attributes it keeps where moto does not.
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  GetImageBlockPublicAccessStateCommand,
  ImageAttributeName,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer } from './peer-fixture';
import { createImage } from '../support/images';

const f = usePeer();
const { attribute, launchPermissions, shareWith } = f;

describe('recording', () => {
  test('records each request as sent on the wire, without auth, in order, and counts writes', async () => {
    const imageId = await createImage(f.ec2);
    await shareWith(imageId, '111122223333');
    await launchPermissions(imageId);

    expect(f.peer.requests.map((r) => r.action)).toEqual(['RegisterImage', 'ModifyImageAttribute', 'DescribeImageAttribute']);
    const modify = f.peer.requests[1];
    expect(modify.status).toBe(200);
    expect(modify.params).toMatchObject({
      'Action': 'ModifyImageAttribute',
      'ImageId': imageId,
      'LaunchPermission.Add.1.UserId': '111122223333',
    });
    expect(Object.keys(modify.params).filter((k) => /signature|credential|authorization/i.test(k))).toEqual([]);
    expect(f.peer.writes().map((r) => r.action)).toEqual(['ModifyImageAttribute']);
    expect(f.peer.countByAction()).toEqual({ RegisterImage: 1, ModifyImageAttribute: 1, DescribeImageAttribute: 1 });

    f.peer.clearLog();
    expect(f.peer.requests).toEqual([]);
  });

  test('records the EC2 error code of an error answer', async () => {
    await failure(attribute('ami-12345678', 'launchPermission'));
    expect(f.peer.requests).toEqual([expect.objectContaining({ status: 400, errorCode: 'InvalidAMIID.NotFound' })]);
  });

  test('forwards launch permission writes to moto, which applies them', async () => {
    const imageId = await createImage(f.ec2);
    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });

  test('reset empties moto and the peer state', async () => {
    const imageId = await createImage(f.ec2);
    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'kept by the peer' } }));
    f.peer.setBlockPublicAccess('block-new-sharing');
    await f.peer.reset();

    expect(f.peer.requests).toEqual([]);
    expect((await failure(attribute(imageId, 'description'))).name).toBe('InvalidAMIID.NotFound');
    expect((await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('unblocked');
  });
});

// EMULATION: ModifyImageAttribute Description (EC2 API Reference, ModifyImageAttribute, example 5);
// moto accepts the write and ignores it.
describe('description', () => {
  test('answers the RegisterImage description until it is modified, then the new one', async () => {
    const imageId = await createImage(f.ec2, { description: 'as registered' });
    expect((await attribute(imageId, 'description')).Description).toEqual({ Value: 'as registered' });

    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'hardened <v2> & "quoted"' } }));
    expect((await attribute(imageId, 'description')).Description).toEqual({ Value: 'hardened <v2> & "quoted"' });
    const images = await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(images.Images?.[0].Description).toBe('hardened <v2> & "quoted"');
  });

  test('accepts the Attribute=description + Value form', async () => {
    const imageId = await createImage(f.ec2);
    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Attribute: 'description', Value: 'flat form' }));
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('flat form');
  });

  test('DryRun is answered DryRunOperation and changes nothing', async () => {
    const imageId = await createImage(f.ec2, { description: 'before' });
    const err = await failure(f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'after' }, DryRun: true })));
    expect(err.name).toBe('DryRunOperation');
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('before');
  });
});

// EMULATION: ModifyImageAttribute ImdsSupport ("Set to v2.0", irreversible) and DescribeImageAttribute
// imdsSupport (moto answers 500).
describe('imdsSupport', () => {
  test('has no value until set to v2.0, then v2.0 (also in DescribeImages)', async () => {
    const imageId = await createImage(f.ec2);
    expect((await attribute(imageId, 'imdsSupport')).ImdsSupport?.Value).toBeUndefined();

    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
    expect((await attribute(imageId, 'imdsSupport')).ImdsSupport).toEqual({ Value: 'v2.0' });
    const images = await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(images.Images?.[0].ImdsSupport).toBe('v2.0');
  });

  test('any other value is InvalidParameterValue (v2.0 cannot be undone)', async () => {
    const imageId = await createImage(f.ec2);
    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
    const err = await failure(f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v1.0' } })));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((await attribute(imageId, 'imdsSupport')).ImdsSupport?.Value).toBe('v2.0');
  });
});

// EMULATION: InvalidAMIID.NotFound / InvalidAMIID.Malformed (EC2 API Reference, error codes); moto
// answers 500 to DescribeImageAttribute of a missing image.
describe('missing and malformed image ids', () => {
  test.each(['description', 'imdsSupport', 'launchPermission'] as ImageAttributeName[])(
    'DescribeImageAttribute %s of a missing AMI is InvalidAMIID.NotFound (400)', async (name) => {
      const err = await failure(attribute('ami-0123456789abcdef0', name));
      expect(err.name).toBe('InvalidAMIID.NotFound');
      expect(err.message).toBe('The image id \'[ami-0123456789abcdef0]\' does not exist');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    });

  test('ModifyImageAttribute description / imdsSupport of a missing AMI is InvalidAMIID.NotFound', async () => {
    for (const change of [{ Description: { Value: 'x' } }, { ImdsSupport: { Value: 'v2.0' } }]) {
      const err = await failure(f.ec2.send(new ModifyImageAttributeCommand({ ImageId: 'ami-12345678', ...change })));
      expect(err.name).toBe('InvalidAMIID.NotFound');
    }
  });

  test('a deregistered AMI is not found, and the peer forgets its description', async () => {
    const imageId = await createImage(f.ec2);
    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'gone soon' } }));
    await f.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    expect((await failure(attribute(imageId, 'description'))).name).toBe('InvalidAMIID.NotFound');
    expect((await failure(attribute(imageId, 'imdsSupport'))).name).toBe('InvalidAMIID.NotFound');
  });

  test.each(['foo', 'ami-xyz', 'ami-1234567', 'ami-0123456789ABCDEF0'])('%s is InvalidAMIID.Malformed', async (imageId) => {
    expect((await failure(attribute(imageId, 'description'))).name).toBe('InvalidAMIID.Malformed');
    expect((await failure(shareWith(imageId, '111122223333'))).name).toBe('InvalidAMIID.Malformed');
  });
});
