// The deprecation decision, shared by the handler and `cdk-ami-sharing plan`. No I/O: the clock is a parameter.
import { deprecateAtError, earliestDeprecationTime, publicDeprecationError, roundToMinute } from '../../src/validation';

/** What DescribeImages says about the AMI's deprecation and the facts EC2's rules depend on. */
export interface LiveDeprecation {
  readonly deprecationTime?: Date;
  readonly public: boolean;
  readonly creationDate: Date;
}

/** The one call (or none) that makes the AMI's deprecation what is declared. */
export type DeprecationChange =
  | { readonly action: 'none' }
  | { readonly action: 'enable'; readonly at: Date }
  | { readonly action: 'disable' };

export interface DeprecationDecision {
  readonly change: DeprecationChange;
  /**
   * The declared time had passed or is less than DEPRECATION_LEAD_MS away (EC2 could refuse it by the time the request
   * arrives): the AMI is deprecated at earliestDeprecationTime instead, unless it already is by then.
   */
  readonly passed: boolean;
  /** Why EC2 would refuse the change, naming the rule and what to do; nothing must be written. */
  readonly refusal?: string;
}

/**
 * How to bring the AMI from `live` to `target` (undefined: no deprecation) at `now`, with the fewest calls: none when
 * it is already there. `property` names the declaration in refusals.
 */
export function planDeprecation(imageId: string, target: Date | undefined, live: LiveDeprecation, now: Date, property: string): DeprecationDecision {
  const current = live.deprecationTime;
  const publicFacts = { imageId, creationDate: live.creationDate, deprecationTime: current };
  if (target === undefined) {
    if (current === undefined) return { change: { action: 'none' }, passed: false };
    const refusal = live.public ? publicDeprecationError(property, publicFacts, undefined) : undefined;
    return refusal ? { change: { action: 'none' }, passed: false, refusal } : { change: { action: 'disable' }, passed: false };
  }

  const earliest = earliestDeprecationTime(now);
  const rounded = roundToMinute(target);
  const passed = rounded < earliest;
  // A passed time asks for a deprecated AMI: one that already is (or will be by the earliest time) stays as it is, so a
  // repeated deployment writes nothing.
  if (passed && current !== undefined && current <= earliest) return { change: { action: 'none' }, passed };
  const at = passed ? earliest : rounded;
  if (current !== undefined && current.getTime() === at.getTime()) return { change: { action: 'none' }, passed };

  const refusal = deprecateAtError(property, at, now) ?? (live.public ? publicDeprecationError(property, publicFacts, at) : undefined);
  return refusal ? { change: { action: 'none' }, passed, refusal } : { change: { action: 'enable', at }, passed };
}
