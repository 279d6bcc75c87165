// The live state of the AMIs, read once per AMI, attribute, snapshot and key however many constructs declare them, with
// the handler's own read functions: DescribeImageAttribute and, for deprecation and deregistration protection,
// DescribeImages (lambda/ec2.ts); for encrypted AMIs DescribeImages,
// DescribeSnapshots, DescribeSnapshotAttribute (lambda/snapshots.ts), ListGrants and DescribeKey (lambda/kms.ts).
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import { describeFailure, throwIfFatal } from './aws';
import { LiveDeprecation } from '../lambda/deprecation/plan';
import { LiveProtection, parseProtection } from '../lambda/deregistration-protection/plan';
import {
  AccountSettingState,
  allowedImagesSettings,
  describeAttributeValue,
  describeDeprecation,
  describeDeregistrationProtection,
  describeLaunchPermissions,
  imageBlockPublicAccess,
  LiveImageCriterion,
} from '../lambda/ec2';
import { grantName } from '../lambda/encryption/key-grants';
import { isImageGone } from '../lambda/errors';
import { keyManager, listGrantsNamed, OwnGrant } from '../lambda/kms';
import { describeCreateVolumeAccounts, describeImageStorage, describeSnapshotKeys, ImageStorage } from '../lambda/snapshots';

export type Read<T> =
  | { readonly ok: true; readonly value: T }
  /** EC2 does not know the AMI (deregistered, or never in this account and Region). */
  | { readonly ok: false; readonly gone: true }
  | { readonly ok: false; readonly gone: false; readonly error: string };

type Attribute = 'launchPermission' | 'description' | 'imdsSupport';

const EC2_READS = 'ec2:DescribeImageAttribute on the AMI';

export class LiveState {
  private readonly cache = new Map<string, Promise<Read<any>>>();

  /** The clients the reads go through (EC2 also for the handler's read-only pre-flight checks). */
  constructor(public readonly ec2: EC2Client, private readonly kms: KMSClient) {}

  public launchPermissions(imageId: string): Promise<Read<ReadonlySet<string>>> {
    return this.attribute(imageId, 'launchPermission', () => describeLaunchPermissions(this.ec2, imageId));
  }

  public description(imageId: string): Promise<Read<string | undefined>> {
    return this.attribute(imageId, 'description', () => describeAttributeValue(this.ec2, imageId, 'description'));
  }

  public imdsSupport(imageId: string): Promise<Read<string | undefined>> {
    return this.attribute(imageId, 'imdsSupport', () => describeAttributeValue(this.ec2, imageId, 'imdsSupport'));
  }

  /** The AMI's deprecation time, publicity and creation date, as the handler reads them (DescribeImages). */
  public deprecation(imageId: string): Promise<Read<LiveDeprecation>> {
    return this.read(`DescribeImages ${imageId} (deprecation)`, 'ec2:DescribeImages', () => describeDeprecation(this.ec2, imageId));
  }

  /** The AMI's deregistration protection, as the handler reads it (DescribeImages). */
  public deregistrationProtection(imageId: string): Promise<Read<LiveProtection>> {
    return this.read(`DescribeImages ${imageId} (deregistration protection)`, 'ec2:DescribeImages',
      async () => parseProtection(await describeDeregistrationProtection(this.ec2, imageId)));
  }

  /** The AMI's snapshots (block device mappings), as the handler reads them before sharing. */
  public storage(imageId: string): Promise<Read<ImageStorage>> {
    return this.read(`DescribeImages ${imageId}`, 'ec2:DescribeImages', () => describeImageStorage(this.ec2, imageId));
  }

  /** Each snapshot's KMS key ARN (undefined for an unencrypted one). */
  public snapshotKeys(snapshotIds: string[]): Promise<Read<ReadonlyMap<string, string | undefined>>> {
    return this.read(`DescribeSnapshots ${snapshotIds.join(', ')}`, 'ec2:DescribeSnapshots', () => describeSnapshotKeys(this.ec2, snapshotIds));
  }

  /** The accounts with createVolumePermission on a snapshot. */
  public createVolumeAccounts(snapshotId: string): Promise<Read<string[]>> {
    return this.read(`DescribeSnapshotAttribute createVolumePermission of ${snapshotId}`, 'ec2:DescribeSnapshotAttribute on the snapshot',
      () => describeCreateVolumeAccounts(this.ec2, snapshotId));
  }

  /** The grants on a key the handler made for `imageId` (named after it). */
  public keyGrants(keyArn: string, imageId: string): Promise<Read<OwnGrant[]>> {
    const name = grantName(imageId);
    return this.read(`ListGrants on ${keyArn}`, 'kms:ListGrants on the key', () => listGrantsNamed(this.kms, keyArn, name), name);
  }

  /** 'AWS' for an AWS-managed key, 'CUSTOMER' for a customer-managed one. */
  public keyManager(keyArn: string): Promise<Read<string | undefined>> {
    return this.read(`DescribeKey ${keyArn}`, 'kms:DescribeKey on the key', () => keyManager(this.kms, keyArn));
  }

  /** Block public access for AMIs in the account and Region. */
  public imageBlockPublicAccess(): Promise<Read<AccountSettingState>> {
    return this.read('GetImageBlockPublicAccessState', 'ec2:GetImageBlockPublicAccessState', () => imageBlockPublicAccess(this.ec2));
  }

  /** Allowed AMIs in the account and Region. */
  public allowedImages(): Promise<Read<AccountSettingState & { criteria: LiveImageCriterion[] }>> {
    return this.read('GetAllowedImagesSettings', 'ec2:GetAllowedImagesSettings', () => allowedImagesSettings(this.ec2));
  }

  private attribute<T>(imageId: string, attribute: Attribute, call: () => Promise<T>): Promise<Read<T>> {
    return this.read(`DescribeImageAttribute ${attribute} of ${imageId}`, EC2_READS, call);
  }

  /**
   * One read, cached by `what` (the call and what it reads) and `detail` (what else tells two reads apart); a denial
   * names `permission`, the one the plan needs.
   */
  private read<T>(what: string, permission: string, call: () => Promise<T>, detail = ''): Promise<Read<T>> {
    const key = `${what}\n${detail}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = call().then(
        value => ({ ok: true as const, value }),
        error => {
          throwIfFatal(error, what);
          return isImageGone(error) ? { ok: false as const, gone: true as const }
            : { ok: false as const, gone: false as const, error: describeFailure(error, what, permission) };
        });
      this.cache.set(key, pending);
    }
    return pending;
  }
}
