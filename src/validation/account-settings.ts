// Account-level EC2 settings (one value per account and Region): block public access for AMIs and Allowed AMIs. The
// values EC2 uses for them, and the one message for a setting the account cannot change.

/** GetImageBlockPublicAccessState: public sharing of AMIs is refused in the Region. */
export const BLOCK_NEW_SHARING = 'block-new-sharing';
/** GetImageBlockPublicAccessState: AMIs may be made public. */
export const UNBLOCKED = 'unblocked';

/**
 * `managedBy` in the Get answers of both settings when an AWS Organizations declarative policy sets them: "the state is
 * managed by a declarative policy and can't be modified by the account" (GetImageBlockPublicAccessState and
 * GetAllowedImagesSettings, EC2 API Reference).
 */
export const MANAGED_BY_DECLARATIVE_POLICY = 'declarative-policy';

/**
 * Why a construct cannot manage a setting an organization's declarative policy owns, and what to do instead.
 *
 * @param construct the construct's class name, e.g. 'ImageBlockPublicAccess'
 * @param setting the setting as the EC2 User Guide names it, e.g. 'block public access for AMIs'
 * @param attribute the declarative policy's attribute under ec2_attributes, e.g. 'image_block_public_access'
 */
export function managedByDeclarativePolicyError(construct: string, setting: string, attribute: string): string {
  return `${construct}: ${setting} in this account and Region is managed by an AWS Organizations declarative policy `
    + `(managedBy '${MANAGED_BY_DECLARATIVE_POLICY}'), which the account cannot change. Set it in the organization's declarative `
    + `policy for EC2 (ec2_attributes.${attribute}) and remove ${construct} from this stack; nothing was changed`;
}
