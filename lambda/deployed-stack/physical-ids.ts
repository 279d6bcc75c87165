// What a deployed custom resource's physical id says about the AMI it was last applied to, whatever expression its
// ImageId property has (a token's value is only known to the deployment): read by the plan and by enforcement.
import { parseDeprecationPhysicalId } from '../deprecation/original';
import { parseProtectionPhysicalId } from '../deregistration-protection/original';
import { parseDescriptionPhysicalId } from '../description/original';

/**
 * The AMI in a physical id the handler made: '<ami>/launchPermission', '<ami>/imdsSupport', '<ami>/description/...',
 * '<ami>/deprecation/...', '<ami>/deregistration-protection/...' (lambda/*\/resource.ts, lambda/*\/original.ts).
 * Undefined for an id it did not make (a failed Create's).
 */
export function imageIdOfPhysicalId(type: string, physicalId: string | undefined): string | undefined {
  if (!physicalId) return undefined;
  if (type === 'Custom::AmiDescription') return parseDescriptionPhysicalId(physicalId)?.imageId;
  if (type === 'Custom::AmiDeprecation') return parseDeprecationPhysicalId(physicalId)?.imageId;
  if (type === 'Custom::AmiDeregistrationProtection') return parseProtectionPhysicalId(physicalId)?.imageId;
  const match = /^(ami-[0-9a-f]+)\/[A-Za-z]+$/.exec(physicalId);
  return match?.[1];
}
