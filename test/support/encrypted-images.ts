// Encrypted AMIs in moto through the peer: a KMS key, a volume encrypted with it (or with aws/ebs), its snapshot, and an
// AMI registered from that snapshot; and the reads a test makes to see key grants and snapshot permissions.
import { randomUUID } from 'crypto';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotAttributeCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateKeyCommand, KMSClient, ListGrantsCommand } from '@aws-sdk/client-kms';
import { createImage } from './images';

export function kmsClient(endpoint: string): KMSClient {
  return new KMSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'test-secret-not-real' },
    maxAttempts: 1,
  });
}

/** A customer-managed key in moto; its ARN. */
export async function createKey(kms: KMSClient): Promise<string> {
  return (await kms.send(new CreateKeyCommand({ Description: 'golden AMI key' }))).KeyMetadata!.Arn!;
}

/**
 * An AMI whose one snapshot is encrypted with `keyArn`, or with the account's aws/ebs key when it is undefined.
 * Returns the AMI and snapshot ids.
 */
export async function createEncryptedImage(ec2: EC2Client, keyArn: string | undefined): Promise<{ imageId: string; snapshotId: string }> {
  const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: true, KmsKeyId: keyArn }));
  const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId! }));
  const imageId = await createImage(ec2, {
    name: `encrypted-${randomUUID()}`,
    blockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshot.SnapshotId! } }],
  });
  return { imageId, snapshotId: snapshot.SnapshotId! };
}

/** The grants on `keyArn` as sorted '<grantee account> <grant name>' strings. */
export async function liveGrants(kms: KMSClient, keyArn: string): Promise<string[]> {
  const answer = await kms.send(new ListGrantsCommand({ KeyId: keyArn }));
  return (answer.Grants ?? []).map(g => `${g.GranteePrincipal?.split(':')[4]} ${g.Name}`).sort();
}

/** The accounts with createVolumePermission on a snapshot, sorted. */
export async function liveSnapshotAccounts(ec2: EC2Client, snapshotId: string): Promise<string[]> {
  const answer = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }));
  return (answer.CreateVolumePermissions ?? []).map(p => p.UserId ?? `Group:${p.Group}`).sort();
}
