import { randomUUID } from 'crypto';
import { BlockDeviceMapping, EC2Client, EC2ClientConfig, RegisterImageCommand } from '@aws-sdk/client-ec2';

/**
 * An EC2 client for a local endpoint (the Ec2Peer proxy or moto itself).
 *
 * WHY these defaults: region us-east-1 because moto keys its backends on the region in the
 * signature; dummy credentials so the SDK never looks for real ones; `maxAttempts: 1` so a test
 * sees every fault the peer injects unless it opts into retries through `overrides`.
 */
export function ec2Client(endpoint: string, overrides: EC2ClientConfig = {}): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'test-secret-not-real' },
    maxAttempts: 1,
    ...overrides,
  });
}

/**
 * Creates a real AMI in moto and returns its id.
 *
 * WHY RegisterImage: moto 5.2.1 implements it directly (no instance needed), so it is the
 * cheapest way to get an image that DescribeImages, Modify/DescribeImageAttribute and
 * DeregisterImage all know. Names default to a unique value because EC2 requires image names to
 * be unique per account and Region.
 */
export async function createImage(ec2: EC2Client,
  opts: { name?: string; description?: string; blockDeviceMappings?: BlockDeviceMapping[] } = {}): Promise<string> {
  const out = await ec2.send(new RegisterImageCommand({
    Name: opts.name ?? `test-image-${randomUUID()}`,
    Description: opts.description,
    RootDeviceName: '/dev/xvda',
    Architecture: 'x86_64',
    VirtualizationType: 'hvm',
    BlockDeviceMappings: opts.blockDeviceMappings,
  }));
  if (!out.ImageId) {
    throw new Error('RegisterImage answered without an ImageId');
  }
  return out.ImageId;
}
