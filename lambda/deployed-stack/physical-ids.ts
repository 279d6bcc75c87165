// What a deployed custom resource's physical id says about the AMI it was last applied to, whatever expression its
// ImageId property has (a token's value is only known to the deployment): read by the plan and by enforcement.
import { parseFoundState } from '../account-settings/found-state';
import { ALLOWED_IMAGES_ID } from '../allowed-images/resource';
import { parseDeprecationPhysicalId } from '../deprecation/original';
import { parseProtectionPhysicalId } from '../deregistration-protection/original';
import { parseDescriptionPhysicalId } from '../description/original';
import { IMAGE_BLOCK_PUBLIC_ACCESS_ID } from '../image-block-public-access/resource';
import { parseWindow } from '../superseded/window';

/**
 * The AMI in a physical id the handler made: '<ami>/launchPermission[/kept:...]' (../superseded/window.ts), '<ami>/imdsSupport', '<ami>/description/...',
 * '<ami>/deprecation/...', '<ami>/deregistration-protection/...' (lambda/*\/resource.ts, lambda/*\/original.ts).
 * Undefined for an id it did not make (a failed Create's).
 */
export function imageIdOfPhysicalId(type: string, physicalId: string | undefined): string | undefined {
  if (!physicalId) return undefined;
  if (type === 'Custom::AmiDescription') return parseDescriptionPhysicalId(physicalId)?.imageId;
  if (type === 'Custom::AmiDeprecation') return parseDeprecationPhysicalId(physicalId)?.imageId;
  if (type === 'Custom::AmiDeregistrationProtection') return parseProtectionPhysicalId(physicalId)?.imageId;
  if (type === 'Custom::AmiLaunchPermissions') return parseWindow(physicalId)?.imageId;
  const match = /^(ami-[0-9a-f]+)\/[A-Za-z]+$/.exec(physicalId);
  return match?.[1];
}

/** The account settings' resource types, by the setting name their physical ids start with. */
const ACCOUNT_SETTINGS: Readonly<Record<string, string>> = {
  'Custom::ImageBlockPublicAccess': IMAGE_BLOCK_PUBLIC_ACCESS_ID,
  'Custom::AllowedImages': ALLOWED_IMAGES_ID,
};

/**
 * The account setting and Region in a physical id the handler made for an account-wide construct
 * ('<setting>/<region>/<found state>', ../account-settings/found-state.ts); undefined for any other id.
 */
export function accountSettingOfPhysicalId(type: string, physicalId: string | undefined): { setting: string; region: string } | undefined {
  const setting = ACCOUNT_SETTINGS[type];
  const parsed = setting && physicalId ? parseFoundState(setting, physicalId) : undefined;
  return parsed && { setting, region: parsed.region };
}
