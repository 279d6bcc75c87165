// The EC2 test peer's emulation of AMI deregistration protection (EC2 API Reference
// EnableImageDeregistrationProtection / DisableImageDeregistrationProtection; EC2 User Guide "Protect an Amazon EC2
// AMI from deregistration"), which moto does not have, with the peer's clock fixed to test the 24-hour cooldown.
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageDeregistrationProtectionCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer } from './peer-fixture';
import { createImage } from '../support/images';

const f = usePeer();
const NOW = new Date('2030-03-01T12:00:00.000Z');
const HOUR = 3_600_000;

async function reported(imageId: string) {
  const image = (await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
  const attribute = (await f.attribute(imageId, 'deregistrationProtection')).DeregistrationProtection?.Value;
  expect(attribute).toBe(image?.DeregistrationProtection ?? attribute);
  return image?.DeregistrationProtection;
}
const enable = (imageId: string, WithCooldown?: boolean) =>
  f.ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: imageId, WithCooldown }));
const disable = (imageId: string) => f.ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: imageId }));
const deregister = (imageId: string) => f.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));

beforeEach(() => f.peer.clock.set(NOW));

test('enabled: reported by DescribeImages and DescribeImageAttribute, and DeregisterImage is refused', async () => {
  const imageId = await createImage(f.ec2);
  await enable(imageId);
  expect(await reported(imageId)).toBe('enabled-without-cooldown');
  const err = await failure(deregister(imageId));
  expect(err.name).toBe('OperationNotPermitted');
  expect(err.message).toMatch(/deregistration protection enabled/);
  expect((await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images).toHaveLength(1);
});

test('disabled without cooldown: deregistration works at once', async () => {
  const imageId = await createImage(f.ec2);
  await enable(imageId, false);
  await disable(imageId);
  expect(await reported(imageId)).toBe('disabled');
  await deregister(imageId);
  expect(f.peer.imagesWithLifecycleState()).toEqual([]);
});

test('with cooldown: still protected for 24 hours after disabling, then deregistration works', async () => {
  const imageId = await createImage(f.ec2);
  await enable(imageId, true);
  expect(await reported(imageId)).toBe('enabled-with-cooldown');
  await disable(imageId);
  expect(await reported(imageId)).toBe('disabled-until 2030-03-02T12:00:00.000Z');

  f.peer.clock.set(new Date(NOW.getTime() + 24 * HOUR - 1));
  expect((await failure(deregister(imageId))).message).toMatch(/protected from deregistration until 2030-03-02T12:00:00.000Z/);

  f.peer.clock.set(new Date(NOW.getTime() + 24 * HOUR));
  expect(await reported(imageId)).toBe('disabled');
  await deregister(imageId);
});

test('enabling again replaces the cooldown setting', async () => {
  const imageId = await createImage(f.ec2);
  await enable(imageId, true);
  await enable(imageId, false);
  expect(await reported(imageId)).toBe('enabled-without-cooldown');
  await disable(imageId);
  await deregister(imageId);
});

test('an AMI never protected reports nothing through DescribeImages and disabled through DescribeImageAttribute', async () => {
  const imageId = await createImage(f.ec2);
  expect((await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0].DeregistrationProtection).toBeUndefined();
  expect((await f.attribute(imageId, 'deregistrationProtection')).DeregistrationProtection?.Value).toBe('disabled');
});

test('a missing AMI: InvalidAMIID.NotFound', async () => {
  expect((await failure(enable('ami-0123456789abcdef0'))).name).toBe('InvalidAMIID.NotFound');
});
