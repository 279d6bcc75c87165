// The rules EC2 applies to an AMI's deprecation time (API Reference, EnableImageDeprecation, DeprecateAt; EC2 User
// Guide, "Deprecate an AMI"). The construct applies the ones that need no live state at synth time; the handler applies
// all of them to the live AMI before its first write.
import { show } from './show';

const MINUTE_MS = 60_000;

/** EC2 rounds DeprecateAt to the nearest minute ("If you specify a value for seconds, Amazon EC2 rounds ..."). */
export function roundToMinute(time: Date): Date {
  return new Date(Math.round(time.getTime() / MINUTE_MS) * MINUTE_MS);
}

/**
 * How far ahead of the handler's clock a deprecation time it writes must lie. EC2 refuses a time that is in the past when
 * the request arrives (EnableImageDeprecation), and the write can wait before it arrives: in the SDK's retries of a
 * throttled call (up to 10 s a retry, lambda/retry.ts) or behind the request's earlier writes. The first whole minute
 * after `now` was refused in a test whose clock reached that minute before the request reached EC2.
 */
export const DEPRECATION_LEAD_MS = MINUTE_MS;

/**
 * The earliest deprecation time the handler writes: the first whole minute at least DEPRECATION_LEAD_MS after `now`
 * (one to two minutes away). "Deprecate now" and a declared time that has passed both mean this time.
 */
export function earliestDeprecationTime(now: Date): Date {
  return new Date(Math.ceil((now.getTime() + DEPRECATION_LEAD_MS) / MINUTE_MS) * MINUTE_MS);
}

/** `time` plus whole calendar years, in UTC (EC2 states both caps in years). */
export function addYears(time: Date, years: number): Date {
  const later = new Date(time.getTime());
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

/** DeprecateAt may be at most this many years from now. */
export const MAX_DEPRECATION_YEARS = 10;
/** For a public AMI, DeprecateAt may be at most this many years from the AMI's creation. */
export const MAX_PUBLIC_DEPRECATION_YEARS = 2;

/**
 * Parses a deprecation time as the custom resource receives it (an ISO 8601 string made by `Date.toISOString()`), or
 * returns why it is not one.
 */
export function parseDeprecateAt(property: string, value: unknown): Date | string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z$/.test(value)) {
    return `${property}: ${show(value)} is not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)`;
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) || time.toISOString().slice(0, 10) !== value.slice(0, 10)
    ? `${property}: ${show(value)} is not a valid date`
    : time;
}

/**
 * Why EC2 would refuse `deprecateAt` whatever the AMI, or undefined. A time that has already passed is not one of
 * them: the handler deprecates at earliestDeprecationTime instead (see docs/deprecation-and-deregistration-protection.md).
 */
export function deprecateAtError(property: string, deprecateAt: Date, now: Date): string | undefined {
  if (Number.isNaN(deprecateAt.getTime())) {
    return `${property}: an invalid Date was given`;
  }
  const latest = addYears(now, MAX_DEPRECATION_YEARS);
  if (roundToMinute(deprecateAt) > latest) {
    return `${property}: ${deprecateAt.toISOString()} is more than ${MAX_DEPRECATION_YEARS} years from now, the latest time EC2 accepts `
      + `(EnableImageDeprecation); choose a time at most ${MAX_DEPRECATION_YEARS} years after the deployment`;
  }
  return undefined;
}

/** What the handler knows about a public AMI when it checks a deprecation time against it. */
export interface PublicImageFacts {
  readonly imageId: string;
  readonly creationDate: Date;
  /** The deprecation time the AMI has now, if any. */
  readonly deprecationTime?: Date;
}

/**
 * Why EC2 would refuse to give a public AMI this deprecation time (`undefined`: cancel its deprecation), or undefined.
 * Each message names the rule and what the user can do.
 */
export function publicDeprecationError(property: string, image: PublicImageFacts, deprecateAt: Date | undefined): string | undefined {
  const live = image.deprecationTime;
  if (deprecateAt === undefined) {
    return live === undefined ? undefined
      : `${property}: ${image.imageId} is public, and EC2 does not let a public AMI's deprecation (${live.toISOString()}) be cancelled; `
        + 'make the AMI private first, or keep a deprecation time';
  }
  const latest = addYears(image.creationDate, MAX_PUBLIC_DEPRECATION_YEARS);
  if (deprecateAt > latest) {
    return `${property}: ${deprecateAt.toISOString()} is more than ${MAX_PUBLIC_DEPRECATION_YEARS} years after ${image.imageId} was created `
      + `(${image.creationDate.toISOString()}), the latest deprecation EC2 accepts for a public AMI; choose a time before `
      + `${latest.toISOString()}, or make the AMI private first`;
  }
  if (live !== undefined && deprecateAt > live) {
    return `${property}: ${image.imageId} is public, and EC2 does not let a public AMI's deprecation be moved later `
      + `(from ${live.toISOString()} to ${deprecateAt.toISOString()}); make the AMI private first, or declare ${live.toISOString()} or earlier`;
  }
  return undefined;
}
