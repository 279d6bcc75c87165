// What Custom::ImageBlockPublicAccess writes, decided from the live setting alone (no I/O).
import { BLOCK_NEW_SHARING, UNBLOCKED } from '../../src/validation';
import type { AccountSettingState } from '../ec2';

export type BlockPublicAccessState = typeof BLOCK_NEW_SHARING | typeof UNBLOCKED;

/** The call that brings the setting to `desired`: 'enable', 'disable', or undefined when it already is. */
export function blockPublicAccessWrite(live: AccountSettingState, desired: BlockPublicAccessState): 'enable' | 'disable' | undefined {
  // Anything but block-new-sharing lets AMIs be made public, so it counts as unblocked.
  const on = live.state === BLOCK_NEW_SHARING;
  if (desired === BLOCK_NEW_SHARING) return on ? undefined : 'enable';
  return on ? 'disable' : undefined;
}

/** The state to remember for restoring on Delete: what the account had, reduced to the two states EC2 accepts. */
export function foundBlockPublicAccess(live: AccountSettingState): BlockPublicAccessState {
  return live.state === BLOCK_NEW_SHARING ? BLOCK_NEW_SHARING : UNBLOCKED;
}

/** How the live setting differs from `desired`, for the read-back. */
export function blockPublicAccessDifferences(live: AccountSettingState, desired: BlockPublicAccessState): string[] {
  return blockPublicAccessWrite(live, desired) === undefined ? [] : [`still reads '${live.state ?? 'unblocked'}' instead of '${desired}'`];
}
