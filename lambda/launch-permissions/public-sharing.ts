// What EC2 requires before an AMI is made public, checked before the handler's first write so that a refusal never
// leaves a half-applied change (the removals of a plan are written before its additions).
import { PUBLIC_ACCESS_KEY } from '../../src/validation';
import { readPatiently } from '../converge';
import { imageBlockPublicAccess } from '../ec2';
import { awsErrorCode, messageOf } from '../errors';
import { RequestContext } from '../resource';
import { describeImageStorage, ImageStorage } from '../snapshots';

/**
 * `storage` is the AMI as the pre-flight read it (DescribeImages); without it, this reads it (a public principal that
 * only a later read asked for).
 */
export async function checkPublicSharingAllowed(
  context: Pick<RequestContext, 'ec2' | 'deadline'>, imageId: string, adding: readonly string[], storage?: ImageStorage): Promise<void> {
  if (!adding.includes(PUBLIC_ACCESS_KEY)) return;

  // Block public access for AMIs ("Understand block public access for AMIs", EC2 user guide): on by default for new
  // accounts, and EC2 then refuses Group=all with OperationNotPermitted.
  const { state } = await check(context, 'GetImageBlockPublicAccessState', () => imageBlockPublicAccess(context.ec2));
  if (state === 'block-new-sharing') {
    throw new Error(`Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: block public access for AMIs is on `
      + `in this account and Region (state '${state}'). Turn it off (aws ec2 disable-image-block-public-access; an AWS Organizations `
      + 'declarative policy that enforces it must be changed there), or remove publicAccess().');
  }

  // "Images with an AWS Marketplace product code cannot be made public" (ModifyImageAttribute API reference).
  const image = storage ?? await check(context, `DescribeImages ${imageId}`, () => describeImageStorage(context.ec2, imageId));
  const marketplace = image.productCodes.filter(c => c.type === 'marketplace');
  if (marketplace.length > 0) {
    throw new Error(`Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: it carries the AWS Marketplace product `
      + `code ${marketplace.map(c => c.id).join(', ')}, and EC2 never makes such AMIs public. Share it with accounts or organizations instead.`);
  }

  // EC2 refuses to make public an AMI with encrypted snapshots (EC2 user guide, "Share an AMI publicly") or with a
  // watermark attached (EC2 user guide, AMI watermarks).
  const encrypted = image.snapshots.filter(s => s.encrypted).map(s => s.snapshotId);
  if (encrypted.length > 0) {
    throw new Error(`Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: its snapshots ${encrypted.join(', ')} are encrypted, `
      + 'and EC2 never makes an AMI with encrypted snapshots public. Share it with accounts, organizations or OUs instead.');
  }
  if (image.watermarks.length > 0) {
    throw new Error(`Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: it carries the watermark `
      + `${image.watermarks.join(', ')}, and EC2 never makes a watermarked AMI public. Share it with accounts or organizations instead.`);
  }
}

/**
 * One pre-flight read. Its policy statement (PublicSharingChecks) is created by the deployment that first declares
 * publicAccess(), so a denial is waited out like the first read's.
 */
function check<T>(context: Pick<RequestContext, 'deadline'>, what: string, call: () => Promise<T>): Promise<T> {
  return readPatiently(context, `Permissions: the check before making an AMI public (${what})`, call);
}

/** A clearer reason for EC2's refusals to make an AMI public, or undefined for other errors. */
export function publicSharingRefusal(error: unknown, imageId: string, adding: readonly string[]): string | undefined {
  if (!adding.includes(PUBLIC_ACCESS_KEY)) return undefined;
  const code = awsErrorCode(error);
  if (code === 'ResourceLimitExceeded') {
    return `Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: the account has reached EC2's quota of public `
      + `AMIs in this Region (${messageOf(error)}). Make another AMI private, or request a higher "Public AMIs" quota in Service Quotas.`;
  }
  if (code === 'OperationNotPermitted') {
    return `Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: EC2 refused it (${messageOf(error)}). `
      + 'Check block public access for AMIs and the AMI\'s product codes.';
  }
  return undefined;
}
