// Where AmiDeregistrationProtection keeps the protection the AMI had before it: in the custom resource's physical id,
// for the reasons given in ../description/original.ts. A cooldown running at that moment is not kept: it ends by
// itself, and restoring means "unprotected".
import { ProtectionState } from './plan';

const MARKER = '/deregistration-protection/';
const STATES: ProtectionState[] = ['disabled', 'enabled-without-cooldown', 'enabled-with-cooldown'];

export function protectionPhysicalId(imageId: string, original: ProtectionState): string {
  return `${imageId}${MARKER}${original}`;
}

/** The image and original state a physical id holds, or undefined for an id this module did not make. */
export function parseProtectionPhysicalId(physicalId: string): { imageId: string; original: ProtectionState } | undefined {
  const at = physicalId.indexOf(MARKER);
  if (at < 0) return undefined;
  const original = physicalId.slice(at + MARKER.length) as ProtectionState;
  return STATES.includes(original) ? { imageId: physicalId.slice(0, at), original } : undefined;
}
