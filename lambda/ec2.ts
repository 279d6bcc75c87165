// The thin layer between the handler's decisions and EC2: one function per call, no decisions of its own.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DisableAllowedImagesSettingsCommand,
  DisableImageBlockPublicAccessCommand,
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  EC2Client,
  EnableAllowedImagesSettingsCommand,
  EnableImageBlockPublicAccessCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
  GetAllowedImagesSettingsCommand,
  GetImageBlockPublicAccessStateCommand,
  ImageCriterion,
  LaunchPermission,
  ModifyImageAttributeCommand,
  ReplaceImageCriteriaInAllowedImagesSettingsCommand,
} from '@aws-sdk/client-ec2';
import { clientRetrySettings, DeadlineRetryOptions } from './retry';
import { ImageCriterionEntry, LaunchPermissionEntry, launchPermissionKey } from '../src/validation';

/**
 * One client per container. Region, credentials and endpoint (AWS_ENDPOINT_URL_EC2) come from the standard SDK
 * configuration chain. Throttling and transient failures are retried until the invocation's deadline rather than for a
 * number of attempts (see DeadlineRetryStrategy); AWS_RETRY_MODE=adaptive adds the SDK's client-side rate limiter.
 */
export function createEc2Client(options: DeadlineRetryOptions = {}): EC2Client {
  return new EC2Client(clientRetrySettings(options));
}

/** The AMI's live launch permissions, as keys (see launchPermissionKey). */
export async function describeLaunchPermissions(ec2: EC2Client, imageId: string): Promise<Set<string>> {
  const answer = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
  return new Set((answer.LaunchPermissions ?? []).map(p => launchPermissionKey(toEntry(p))));
}

/** One ModifyImageAttribute call with the structured LaunchPermission form. */
export async function modifyLaunchPermissions(
  ec2: EC2Client, imageId: string, change: { add?: LaunchPermissionEntry[]; remove?: LaunchPermissionEntry[] }): Promise<void> {
  await ec2.send(new ModifyImageAttributeCommand({
    ImageId: imageId,
    LaunchPermission: {
      Add: change.add?.length ? change.add.map(toSdk) : undefined,
      Remove: change.remove?.length ? change.remove.map(toSdk) : undefined,
    },
  }));
}

/** An attribute EC2 answers as `{ Value }`; undefined when the AMI has none. */
export async function describeAttributeValue(
  ec2: EC2Client, imageId: string, attribute: 'description' | 'imdsSupport'): Promise<string | undefined> {
  const answer = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: attribute }));
  return (attribute === 'description' ? answer.Description : answer.ImdsSupport)?.Value;
}

/** ModifyImageAttribute with `Description.Value` (the seed's Example 5). */
export async function modifyDescription(ec2: EC2Client, imageId: string, description: string): Promise<void> {
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: description } }));
}

/** ModifyImageAttribute with `ImdsSupport.Value=v2.0` (the seed's Example 6). Irreversible. */
export async function requireImdsV2(ec2: EC2Client, imageId: string): Promise<void> {
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, ImdsSupport: { Value: 'v2.0' } }));
}

/** An account-level setting as its Get call answers: its state, and who manages it ('account' or 'declarative-policy'). */
export interface AccountSettingState {
  readonly state?: string;
  readonly managedBy?: string;
}

/** Block public access for AMIs in this account and Region: 'block-new-sharing' when on, else 'unblocked'. */
export async function imageBlockPublicAccess(ec2: EC2Client): Promise<AccountSettingState> {
  const answer = await ec2.send(new GetImageBlockPublicAccessStateCommand({}));
  return { state: answer.ImageBlockPublicAccessState, managedBy: answer.ManagedBy };
}

/** EnableImageBlockPublicAccess (block-new-sharing) or DisableImageBlockPublicAccess. */
export async function setImageBlockPublicAccess(ec2: EC2Client, on: boolean): Promise<void> {
  if (on) {
    await ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }));
  } else {
    await ec2.send(new DisableImageBlockPublicAccessCommand({}));
  }
}

/** A live criterion; `unsupported` names the fields it uses that this library cannot declare or write back. */
export interface LiveImageCriterion extends ImageCriterionEntry {
  readonly unsupported?: string[];
}

/** Allowed AMIs in this account and Region: 'enabled', 'audit-mode' or 'disabled', and the criteria. */
export async function allowedImagesSettings(ec2: EC2Client): Promise<AccountSettingState & { criteria: LiveImageCriterion[] }> {
  const answer = await ec2.send(new GetAllowedImagesSettingsCommand({}));
  return { state: answer.State, managedBy: answer.ManagedBy, criteria: (answer.ImageCriteria ?? []).map(toCriterionEntry) };
}

/** ReplaceImageCriteriaInAllowedImagesSettings: the criteria become exactly these (none: only the account's own AMIs). */
export async function replaceImageCriteria(ec2: EC2Client, criteria: ImageCriterionEntry[]): Promise<void> {
  await ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: criteria.map(c => ({ ...c })) }));
}

/** EnableAllowedImagesSettings ('enabled' or 'audit-mode') or DisableAllowedImagesSettings. */
export async function setAllowedImagesState(ec2: EC2Client, state: string): Promise<void> {
  if (state === 'disabled') {
    await ec2.send(new DisableAllowedImagesSettingsCommand({}));
  } else {
    await ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: state as 'enabled' | 'audit-mode' }));
  }
}

function toCriterionEntry(c: ImageCriterion): LiveImageCriterion {
  const nonEmpty = (values?: string[]) => (values?.length ? [...values] : undefined);
  const created = c.CreationDateCondition?.MaximumDaysSinceCreated;
  const deprecated = c.DeprecationTimeCondition?.MaximumDaysSinceDeprecated;
  // Newer criteria (watermarks, scan results) this library does not declare: kept by name so that a comparison sees them.
  const unsupported = Object.entries(c)
    .filter(([key, value]) => !['ImageProviders', 'MarketplaceProductCodes', 'ImageNames', 'CreationDateCondition', 'DeprecationTimeCondition'].includes(key)
      && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key]) => key);
  return {
    ...(nonEmpty(c.ImageProviders) ? { ImageProviders: nonEmpty(c.ImageProviders) } : {}),
    ...(nonEmpty(c.ImageNames) ? { ImageNames: nonEmpty(c.ImageNames) } : {}),
    ...(nonEmpty(c.MarketplaceProductCodes) ? { MarketplaceProductCodes: nonEmpty(c.MarketplaceProductCodes) } : {}),
    ...(created !== undefined ? { CreationDateCondition: { MaximumDaysSinceCreated: created } } : {}),
    ...(deprecated !== undefined ? { DeprecationTimeCondition: { MaximumDaysSinceDeprecated: deprecated } } : {}),
    ...(unsupported.length > 0 ? { unsupported } : {}),
  };
}

/** The AMI's deprecation time and the facts EC2's deprecation rules depend on (DescribeImages). */
export async function describeDeprecation(ec2: EC2Client, imageId: string): Promise<{ deprecationTime?: Date; public: boolean; creationDate: Date }> {
  const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.find(i => i.ImageId === imageId);
  if (!image) throw imageNotFound(imageId);
  return {
    deprecationTime: image.DeprecationTime ? new Date(image.DeprecationTime) : undefined,
    public: image.Public === true,
    creationDate: new Date(image.CreationDate ?? 0),
  };
}

/** EnableImageDeprecation: EC2 hides the AMI from other accounts' listings from `at` on. */
export async function enableImageDeprecation(ec2: EC2Client, imageId: string, at: Date): Promise<void> {
  await ec2.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: at }));
}

/** DisableImageDeprecation: the AMI has no deprecation time any more. */
export async function disableImageDeprecation(ec2: EC2Client, imageId: string): Promise<void> {
  await ec2.send(new DisableImageDeprecationCommand({ ImageId: imageId }));
}

/** DescribeImages' DeregistrationProtection of the AMI, as EC2 reports it (undefined: never protected). */
export async function describeDeregistrationProtection(ec2: EC2Client, imageId: string): Promise<string | undefined> {
  const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.find(i => i.ImageId === imageId);
  if (!image) throw imageNotFound(imageId);
  return image.DeregistrationProtection;
}

/** EnableImageDeregistrationProtection; with the cooldown, EC2 keeps the AMI protected for 24 hours after a disable. */
export async function enableDeregistrationProtection(ec2: EC2Client, imageId: string, withCooldown: boolean): Promise<void> {
  await ec2.send(new EnableImageDeregistrationProtectionCommand({ ImageId: imageId, WithCooldown: withCooldown }));
}

export async function disableDeregistrationProtection(ec2: EC2Client, imageId: string): Promise<void> {
  await ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: imageId }));
}

/** EC2 answers InvalidAMIID.NotFound for an explicit id it does not know; an empty DescribeImages list means the same. */
function imageNotFound(imageId: string): Error {
  return Object.assign(new Error(`The image id '[${imageId}]' does not exist`), { name: 'InvalidAMIID.NotFound', $metadata: {} });
}

function toEntry(p: LaunchPermission): LaunchPermissionEntry {
  if (p.UserId) return { UserId: p.UserId };
  if (p.Group) return { Group: p.Group };
  if (p.OrganizationArn) return { OrganizationArn: p.OrganizationArn };
  if (p.OrganizationalUnitArn) return { OrganizationalUnitArn: p.OrganizationalUnitArn };
  throw new Error(`EC2 returned a launch permission with no principal: ${JSON.stringify(p)}`);
}

function toSdk(entry: LaunchPermissionEntry): LaunchPermission {
  // Validation has already made sure Group can only be 'all'.
  return entry.Group !== undefined ? { Group: 'all' } : { ...entry, Group: undefined };
}
