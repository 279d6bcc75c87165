// What EC2 checks before an AMI is made public, none of which moto has: block public access for AMIs (its state is
// image-block-public-access.ts's), Marketplace product codes, and the public-AMI quota.
import { ImageBlockPublicAccess } from './image-block-public-access';
import { MotoBackend } from './moto-backend';
import { Answer, Call, ec2Error, xmlResponse } from './protocol';
import { escapeXml, replaceOrAppend } from './xml';

const DEFAULT_PUBLIC_IMAGE_QUOTA = 5;

/** LaunchPermission.Add.N.Group=all (structured form) or OperationType=add + UserGroup.N=all (legacy form). */
export function addsPublicLaunchPermission(p: Record<string, string>): boolean {
  return Object.entries(p).some(([key, value]) => value === 'all'
    && (/^LaunchPermission\.Add\.\d+\.Group$/.test(key) || (p.OperationType === 'add' && /^UserGroup\.\d+$/.test(key))));
}

export class PublicSharing {
  /** Public AMIs allowed per Region (EC2 default 5). */
  public publicImageQuota = DEFAULT_PUBLIC_IMAGE_QUOTA;
  private readonly productCodes = new Map<string, string[]>();
  /** Serialises "make public" pre-flight + write, so two concurrent calls cannot both pass the quota check. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly moto: MotoBackend, private readonly blockPublicAccess: ImageBlockPublicAccess) {}

  public clear(): void {
    this.productCodes.clear();
    this.publicImageQuota = DEFAULT_PUBLIC_IMAGE_QUOTA;
  }

  public forget(imageId: string): void {
    this.productCodes.delete(imageId);
  }

  /** Images the peer keeps product codes of. */
  public imageIds(): string[] {
    return [...this.productCodes.keys()];
  }

  public setProductCodes(imageId: string, codes: string[]): void {
    if (codes.length === 0) {
      this.productCodes.delete(imageId);
    } else {
      this.productCodes.set(imageId, [...codes]);
    }
  }

  /** A launch permission write that adds Group=all, after EC2's checks; the write itself is forwarded to moto. */
  public makePublic(call: Call, imageId: string): Promise<Answer> {
    const run = async () => await this.preflight(imageId, call.authorization) ?? this.moto.forward(call);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * EMULATES the checks EC2 makes before an AMI is made public (LaunchPermission Add Group=all),
   * none of which moto has:
   *  - block public access for AMIs (EC2 User Guide "Block public access to your AMIs"): with the
   *    account in block-new-sharing, EC2 answers OperationNotPermitted;
   *  - "Images with an AWS Marketplace product code cannot be made public" (API Reference,
   *    ModifyImageAttribute); EC2 answers OperationNotPermitted (as reported by users of it);
   *  - the public AMIs quota, 5 per Region by default (EC2 User Guide "AMI quotas"); EC2 answers
   *    ResourceLimitExceeded.
   * The image must exist first: EC2 answers InvalidAMIID.NotFound before anything else.
   */
  private async preflight(imageId: string, authorization: string): Promise<Answer | undefined> {
    const missing = await this.moto.checkImageExists(imageId, authorization);
    if (missing !== undefined) {
      return missing;
    }
    if (this.blockPublicAccess.blocking) {
      return ec2Error(400, 'OperationNotPermitted',
        'You can\'t publicly share this image because block public access for AMIs is enabled for this account. '
        + 'To publicly share the image, you must call the DisableImageBlockPublicAccess API.');
    }
    if ((this.productCodes.get(imageId) ?? []).length > 0) {
      return ec2Error(400, 'OperationNotPermitted', 'Images with an AWS Marketplace product code cannot be made public.');
    }
    // The count comes from moto, which knows which of the caller's images are public in that Region
    // (including those made public by writes the peer forwarded, and minus deregistered ones).
    const publicIds = await this.moto.publicImageIds(authorization);
    if (!publicIds.includes(imageId) && publicIds.length + 1 > this.publicImageQuota) {
      return ec2Error(400, 'ResourceLimitExceeded',
        `You have reached your quota of ${this.publicImageQuota} public images in this Region. `
        + 'Make one or more public images private, or request a quota increase.');
    }
    return undefined;
  }

  /** EMULATES: a Marketplace AMI's product codes (setProductCodes), as DescribeImages shows them. */
  public describeProductCodes(imageId: string): Answer | undefined {
    const codes = this.productCodes.get(imageId);
    return codes === undefined ? undefined : {
      status: 200,
      body: xmlResponse('DescribeImageAttributeResponse', `<imageId>${escapeXml(imageId)}</imageId>${productCodesXml(codes)}`),
    };
  }

  /** A DescribeImages item with the image's emulated product codes written in. */
  public decorate(item: string, imageId: string): string {
    const codes = this.productCodes.get(imageId);
    return codes === undefined ? item : replaceOrAppend(item, 'productCodes', productCodesXml(codes));
  }
}

function productCodesXml(codes: string[]): string {
  const items = codes.map((code) => `<item><productCode>${escapeXml(code)}</productCode><type>marketplace</type></item>`);
  return `<productCodes>${items.join('')}</productCodes>`;
}
