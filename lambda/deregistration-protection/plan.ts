// The deregistration-protection decision, shared by the handler and `cdk-ami-sharing plan`. No I/O.

/** The settings EnableImageDeregistrationProtection and DisableImageDeregistrationProtection leave an AMI in. */
export type ProtectionState = 'disabled' | 'enabled-without-cooldown' | 'enabled-with-cooldown';

export interface LiveProtection {
  readonly state: ProtectionState;
  /** After protection with a cooldown was disabled: EC2 still refuses DeregisterImage until then. */
  readonly protectedUntil?: Date;
}

/**
 * Reads DescribeImages' DeregistrationProtection: `enabled-with-cooldown`, `enabled-without-cooldown`, `disabled`, or
 * during a cooldown `disabled-until <time>` (EC2 User Guide, "Protect an Amazon EC2 AMI from deregistration"). An AMI
 * that was never protected reports nothing. An unknown value is an error rather than a guess, so nothing is written.
 */
export function parseProtection(value: string | undefined): LiveProtection {
  if (value === undefined || value === '' || value === 'disabled') return { state: 'disabled' };
  if (value === 'enabled-with-cooldown' || value === 'enabled-without-cooldown') return { state: value };
  const until = /^disabled-until (.+)$/.exec(value);
  const time = until ? new Date(until[1]) : undefined;
  if (time && !Number.isNaN(time.getTime())) return { state: 'disabled', protectedUntil: time };
  throw new Error(`EC2 reported a deregistration protection this handler does not know: ${JSON.stringify(value)}`);
}

export function protectionState(enabled: boolean, withCooldown: boolean): ProtectionState {
  if (!enabled) return 'disabled';
  return withCooldown ? 'enabled-with-cooldown' : 'enabled-without-cooldown';
}

/** The one call (or none) that brings the AMI's protection to `target`. */
export type ProtectionChange =
  | { readonly action: 'none' }
  | { readonly action: 'enable'; readonly withCooldown: boolean }
  | { readonly action: 'disable' };

/**
 * How to bring the AMI from `live` to `target` with the fewest calls. A cooldown still running after an earlier
 * disable is not a setting: an AMI that must be unprotected and reports `disabled-until` needs no call.
 */
export function planProtection(target: ProtectionState, live: LiveProtection): ProtectionChange {
  if (target === live.state) return { action: 'none' };
  // Enabling again replaces the cooldown setting, so switching it is one call.
  return target === 'disabled' ? { action: 'disable' } : { action: 'enable', withCooldown: target === 'enabled-with-cooldown' };
}
