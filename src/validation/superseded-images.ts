// What AmiLaunchPermissions' supersededImages declares, as the construct checks it at synth and the handler receives
// it (SupersededImages: { Keep, DeprecateAfterMinutes }, numbers handed over as strings).
import { show } from './show';

/**
 * The most superseded AMIs a window keeps. The window lives in the custom resource's physical id, which CloudFormation
 * caps at 1 KB: 10 kept ids, the ids a rollover pushes out and the previous deprecation time stay far below it
 * (docs/superseded-images.md).
 */
export const MAX_KEPT_IMAGES = 10;

/** EC2 accepts a deprecation time at most 10 years ahead (EnableImageDeprecation, DeprecateAt). */
export const MAX_DEPRECATE_AFTER_MINUTES = 10 * 365 * 24 * 60;

export interface SupersededImagesEntry {
  /** How many superseded AMIs stay shared (and deprecated). */
  readonly keep: number;
  /** Minutes after the rollover at which a superseded AMI is deprecated (0: at once). */
  readonly deprecateAfterMinutes: number;
}

/** Errors of a keep count (an integer from 1 to MAX_KEPT_IMAGES). */
export function keepCountError(property: string, value: unknown): string | undefined {
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_KEPT_IMAGES) {
    return `${property}: ${show(value)} is not a whole number of superseded AMIs to keep from 1 to ${MAX_KEPT_IMAGES} `
      + '(use SupersededImages.revoke() to keep none; the window is limited by the 1 KB physical id that holds it)';
  }
  return undefined;
}

/** Errors of a deprecation delay in minutes (0 to 10 years, in whole minutes: EC2 rounds deprecation times to the minute). */
export function deprecateAfterError(property: string, minutes: unknown): string | undefined {
  const value = typeof minutes === 'string' && /^\d+$/.test(minutes) ? Number(minutes) : minutes;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_DEPRECATE_AFTER_MINUTES) {
    return `${property}: ${show(minutes)} is not a whole number of minutes from 0 to ${MAX_DEPRECATE_AFTER_MINUTES} `
      + '(EC2 deprecates at most 10 years ahead, to the minute)';
  }
  return undefined;
}

/** Parses the SupersededImages property (absent: revoke superseded AMIs), adding problems to `problems`. */
export function parseSupersededImages(problems: string[], value: unknown): SupersededImagesEntry | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`SupersededImages: ${show(value)} is not an object with Keep and DeprecateAfterMinutes`);
    return undefined;
  }
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter(k => !['Keep', 'DeprecateAfterMinutes'].includes(k));
  problems.push(...unknown.map(k => `SupersededImages.${k}: not a property of SupersededImages (Keep, DeprecateAfterMinutes)`));
  const keepError = keepCountError('SupersededImages.Keep', entry.Keep);
  const afterError = deprecateAfterError('SupersededImages.DeprecateAfterMinutes', entry.DeprecateAfterMinutes ?? '0');
  if (keepError) problems.push(keepError);
  if (afterError) problems.push(afterError);
  if (keepError || afterError || unknown.length > 0) return undefined;
  return { keep: Number(entry.Keep), deprecateAfterMinutes: Number(entry.DeprecateAfterMinutes ?? 0) };
}
