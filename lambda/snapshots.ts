// The thin layer between the handler's decisions and EC2 for an AMI's storage: its block device mappings, its
// snapshots' encryption, and their createVolumePermission. One function per call, no decisions of its own.
import {
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';

/** What DescribeImages says about an AMI that matters for sharing it. */
export interface ImageStorage {
  readonly ownerId?: string;
  readonly productCodes: Array<{ id?: string; type?: string }>;
  /** The snapshots of its EBS block device mappings, and whether each mapping says it is encrypted. */
  readonly snapshots: Array<{ snapshotId: string; encrypted: boolean }>;
  readonly watermarks: string[];
}

export async function describeImageStorage(ec2: EC2Client, imageId: string): Promise<ImageStorage> {
  const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
  return {
    ownerId: image?.OwnerId,
    productCodes: (image?.ProductCodes ?? []).map(c => ({ id: c.ProductCodeId, type: c.ProductCodeType })),
    snapshots: (image?.BlockDeviceMappings ?? [])
      .filter(m => m.Ebs?.SnapshotId)
      .map(m => ({ snapshotId: m.Ebs!.SnapshotId!, encrypted: m.Ebs!.Encrypted === true })),
    watermarks: (image?.ImageWatermarks ?? []).map(w => w.WatermarkKey ?? 'unnamed'),
  };
}

/** Each snapshot's KMS key ARN (undefined for an unencrypted one). One call: DescribeSnapshots takes up to 1,000 ids. */
export async function describeSnapshotKeys(ec2: EC2Client, snapshotIds: string[]): Promise<Map<string, string | undefined>> {
  const answer = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }));
  return new Map((answer.Snapshots ?? []).map(s => [s.SnapshotId!, s.Encrypted ? s.KmsKeyId : undefined]));
}

/** The accounts with createVolumePermission on a snapshot (the `all` group is not an account and is left out). */
export async function describeCreateVolumeAccounts(ec2: EC2Client, snapshotId: string): Promise<string[]> {
  const answer = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission' }));
  return (answer.CreateVolumePermissions ?? []).filter(p => p.UserId).map(p => p.UserId!);
}

/** One ModifySnapshotAttribute call: EC2 forbids adding and removing in one call. */
export async function modifyCreateVolumeAccounts(
  ec2: EC2Client, snapshotId: string, operation: 'add' | 'remove', accounts: string[]): Promise<void> {
  const list = accounts.map(UserId => ({ UserId }));
  await ec2.send(new ModifySnapshotAttributeCommand({
    SnapshotId: snapshotId,
    Attribute: 'createVolumePermission',
    CreateVolumePermission: operation === 'add' ? { Add: list } : { Remove: list },
  }));
}
