// The EC2 test peer's emulation of AMI deprecation (EC2 API Reference EnableImageDeprecation and
// DisableImageDeprecation; EC2 User Guide "Deprecate an AMI"), which moto does not have.
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  DisableImageDeprecationCommand,
  EnableImageDeprecationCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer } from './peer-fixture';
import { createImage } from '../support/images';

const f = usePeer();
const NOW = new Date('2030-03-01T12:00:00.000Z');

async function deprecationTime(imageId: string): Promise<string | undefined> {
  const images = (await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images ?? [];
  return images[0]?.DeprecationTime;
}
const enable = (imageId: string, at: string) => f.ec2.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: new Date(at) }));
const disable = (imageId: string) => f.ec2.send(new DisableImageDeprecationCommand({ ImageId: imageId }));

beforeEach(() => {
  f.peer.clock.set(NOW);
});

describe('EnableImageDeprecation', () => {
  test('DescribeImages reports the time, rounded to the nearest minute', async () => {
    const imageId = await createImage(f.ec2);
    expect(await deprecationTime(imageId)).toBeUndefined();
    await enable(imageId, '2030-06-01T08:15:29.999Z');
    expect(await deprecationTime(imageId)).toBe('2030-06-01T08:15:00.000Z');
    await enable(imageId, '2030-06-01T08:15:30.000Z');
    expect(await deprecationTime(imageId)).toBe('2030-06-01T08:16:00.000Z');
  });

  test.each([
    ['in the past', '2030-03-01T11:58:00.000Z', /cannot be in the past/],
    ['more than 10 years from now', '2040-03-01T12:01:00.000Z', /more than 10 years from now/],
  ])('refuses a time %s with InvalidParameterValue and keeps the old one', async (_name, at, message) => {
    const imageId = await createImage(f.ec2);
    await enable(imageId, '2030-04-01T00:00:00.000Z');
    const err = await failure(enable(imageId, at));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toMatch(message);
    expect(await deprecationTime(imageId)).toBe('2030-04-01T00:00:00.000Z');
  });

  test('accepts exactly 10 years from now', async () => {
    const imageId = await createImage(f.ec2);
    await enable(imageId, '2040-03-01T12:00:00.000Z');
    expect(await deprecationTime(imageId)).toBe('2040-03-01T12:00:00.000Z');
  });

  test('a public AMI: at most 2 years from its creation, and never moved later', async () => {
    f.peer.clock.set(undefined);
    const imageId = await createImage(f.ec2);
    await f.makePublic(imageId);
    const created = new Date((await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0].CreationDate!);
    const twoYears = new Date(created);
    twoYears.setUTCFullYear(twoYears.getUTCFullYear() + 2);
    const tooLate = await failure(enable(imageId, new Date(twoYears.getTime() + 120_000).toISOString()));
    expect(tooLate.name).toBe('InvalidParameterValue');
    expect(tooLate.message).toMatch(/public image cannot be more than 2 years after its creation date/);

    const soon = new Date(Date.now() + 3_600_000);
    soon.setUTCSeconds(0, 0);
    await enable(imageId, soon.toISOString());
    const later = await failure(enable(imageId, new Date(soon.getTime() + 3_600_000).toISOString()));
    expect(later.message).toMatch(/cannot be moved later/);
    await enable(imageId, new Date(soon.getTime() - 600_000).toISOString());
    expect(await deprecationTime(imageId)).toBe(new Date(soon.getTime() - 600_000).toISOString());
  });

  test('a missing AMI: InvalidAMIID.NotFound; a malformed id: InvalidAMIID.Malformed', async () => {
    expect((await failure(enable('ami-0123456789abcdef0', '2030-04-01T00:00:00Z'))).name).toBe('InvalidAMIID.NotFound');
    expect((await failure(enable('ami-xyz', '2030-04-01T00:00:00Z'))).name).toBe('InvalidAMIID.Malformed');
  });

  test('DryRun answers DryRunOperation and sets nothing', async () => {
    const imageId = await createImage(f.ec2);
    const err = await failure(f.ec2.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: new Date('2030-04-01T00:00:00Z'), DryRun: true })));
    expect(err.name).toBe('DryRunOperation');
    expect(await deprecationTime(imageId)).toBeUndefined();
  });
});

describe('DisableImageDeprecation', () => {
  test('cancels the deprecation; cancelling none succeeds', async () => {
    const imageId = await createImage(f.ec2);
    await disable(imageId);
    await enable(imageId, '2030-04-01T00:00:00.000Z');
    await disable(imageId);
    expect(await deprecationTime(imageId)).toBeUndefined();
  });

  test('a public AMI\'s deprecation cannot be cancelled until it is private', async () => {
    const imageId = await createImage(f.ec2);
    await enable(imageId, '2030-04-01T00:00:00.000Z');
    await f.makePublic(imageId);
    const err = await failure(disable(imageId));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toMatch(/Make the image private first/);
    expect(await deprecationTime(imageId)).toBe('2030-04-01T00:00:00.000Z');
  });

  test('a deregistered AMI takes its deprecation with it', async () => {
    const imageId = await createImage(f.ec2);
    await enable(imageId, '2030-04-01T00:00:00.000Z');
    await f.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    expect(f.peer.imagesWithLifecycleState()).toEqual([]);
  });
});
