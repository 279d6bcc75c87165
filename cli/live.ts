// The live state of the AMIs, read once per AMI and attribute however many constructs declare it, with the handler's
// own EC2 read functions (lambda/ec2.ts): DescribeImageAttribute only.
import type { EC2Client } from '@aws-sdk/client-ec2';
import { describeFailure, throwIfFatal } from './aws';
import { describeAttributeValue, describeLaunchPermissions } from '../lambda/ec2';
import { isImageGone } from '../lambda/errors';

export type Read<T> =
  | { readonly ok: true; readonly value: T }
  /** EC2 does not know the AMI (deregistered, or never in this account and Region). */
  | { readonly ok: false; readonly gone: true }
  | { readonly ok: false; readonly gone: false; readonly error: string };

type Attribute = 'launchPermission' | 'description' | 'imdsSupport';

const EC2_READS = 'ec2:DescribeImageAttribute on the AMI';

export class LiveState {
  private readonly cache = new Map<string, Promise<Read<any>>>();

  /** The client the reads go through (also for the handler's read-only pre-flight checks). */
  constructor(public readonly ec2: EC2Client) {}

  public launchPermissions(imageId: string): Promise<Read<ReadonlySet<string>>> {
    return this.read(imageId, 'launchPermission', () => describeLaunchPermissions(this.ec2, imageId));
  }

  public description(imageId: string): Promise<Read<string | undefined>> {
    return this.read(imageId, 'description', () => describeAttributeValue(this.ec2, imageId, 'description'));
  }

  public imdsSupport(imageId: string): Promise<Read<string | undefined>> {
    return this.read(imageId, 'imdsSupport', () => describeAttributeValue(this.ec2, imageId, 'imdsSupport'));
  }

  private read<T>(imageId: string, attribute: Attribute, call: () => Promise<T>): Promise<Read<T>> {
    const key = `${imageId} ${attribute}`;
    let pending = this.cache.get(key);
    if (!pending) {
      pending = call().then(
        value => ({ ok: true as const, value }),
        error => {
          const what = `DescribeImageAttribute ${attribute} of ${imageId}`;
          throwIfFatal(error, what);
          return isImageGone(error) ? { ok: false as const, gone: true as const }
            : { ok: false as const, gone: false as const, error: describeFailure(error, what, EC2_READS) };
        });
      this.cache.set(key, pending);
    }
    return pending;
  }
}
