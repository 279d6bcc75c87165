// The principals of a launch permission: accounts, organizations, OUs and the `all` group, alone and as a list.
import { PARTITION } from './partitions';
import { show } from './show';

/** One principal as EC2 spells it in a LaunchPermission: exactly one of these fields is set. */
export interface LaunchPermissionEntry {
  readonly UserId?: string;
  readonly Group?: string;
  readonly OrganizationArn?: string;
  readonly OrganizationalUnitArn?: string;
}

export type LaunchPermissionField = keyof LaunchPermissionEntry;
export const LAUNCH_PERMISSION_FIELDS: readonly LaunchPermissionField[] = ['UserId', 'Group', 'OrganizationArn', 'OrganizationalUnitArn'];

/** The values the custom resource accepts for `Mode`. */
export const LAUNCH_PERMISSION_MODES = ['ADDITIVE', 'EXCLUSIVE'] as const;

/**
 * Sharing entities per AMI per Region (accounts + organizations + OUs; `all` is not an entity).
 * EC2 user guide, "Amazon EC2 AMI quotas". The quota is adjustable, but a declaration past the default would fail
 * half-way through a deployment for most accounts, so we reject it before any write.
 */
export const MAX_SHARING_ENTITIES = 1000;

// Shapes from EC2 Image Builder's LaunchPermissionConfiguration and the Organizations ARN reference.
const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}$`);
const OU_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$`);
const ANY_ORGANIZATIONS_ARN = /^arn:[^:]*:organizations:/;
const ACCOUNT_ID = /^\d{12}$/;
function kindOfArn(value: string): string | undefined {
  if (!ANY_ORGANIZATIONS_ARN.test(value)) return undefined;
  if (value.includes(':ou/')) return 'an organizational unit ARN';
  if (value.includes(':organization/')) return 'an organization ARN';
  if (value.includes(':account/')) return 'an AWS Organizations account ARN';
  return 'an AWS Organizations ARN';
}

/** Returns why `value` is not a 12-digit account id, or undefined when it is one. */
export function accountIdError(property: string, value: unknown): string | undefined {
  if (typeof value === 'string' && ACCOUNT_ID.test(value)) return undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return `${property}: ${show(value)} is not a 12-digit AWS account id (it has ${value.length} digits)`;
  }
  if (typeof value === 'string' && kindOfArn(value)) {
    return `${property}: ${show(value)} is ${kindOfArn(value)}, not a 12-digit AWS account id`;
  }
  return `${property}: ${show(value)} is not a 12-digit AWS account id`;
}

/** Returns why `value` is not an organization ARN, or undefined when it is one. */
export function organizationArnError(property: string, value: unknown): string | undefined {
  if (typeof value === 'string' && ORGANIZATION_ARN.test(value)) return undefined;
  if (typeof value === 'string' && OU_ARN.test(value)) {
    return `${property}: ${show(value)} is an organizational unit ARN, not an organization ARN; use LaunchPermission.organizationalUnit()`;
  }
  if (typeof value === 'string' && ACCOUNT_ID.test(value)) {
    return `${property}: ${show(value)} is an AWS account id, not an organization ARN; use LaunchPermission.account()`;
  }
  return `${property}: ${show(value)} is not an organization ARN (arn:<partition>:organizations::<12-digit management account>:organization/o-<10 to 32 lowercase letters or digits>)`;
}

/** Returns why `value` is not an organizational unit ARN, or undefined when it is one. */
export function organizationalUnitArnError(property: string, value: unknown): string | undefined {
  if (typeof value === 'string' && OU_ARN.test(value)) return undefined;
  if (typeof value === 'string' && ORGANIZATION_ARN.test(value)) {
    return `${property}: ${show(value)} is an organization ARN, not an organizational unit ARN; use LaunchPermission.organization()`;
  }
  if (typeof value === 'string' && ACCOUNT_ID.test(value)) {
    return `${property}: ${show(value)} is an AWS account id, not an organizational unit ARN; use LaunchPermission.account()`;
  }
  return `${property}: ${show(value)} is not an organizational unit ARN (arn:<partition>:organizations::<12-digit management account>:ou/o-<org id>/ou-<root id>-<ou id>)`;
}

/** Returns why `entry` is not a valid launch permission, or undefined when it is one. */
export function launchPermissionError(property: string, entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return `${property}: ${show(entry)} is not a launch permission (an object with one of ${LAUNCH_PERMISSION_FIELDS.join(', ')})`;
  }
  const keys = Object.keys(entry);
  const unknown = keys.filter(k => !(LAUNCH_PERMISSION_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    return `${property}: unknown field ${show(unknown[0])} in a launch permission (expected one of ${LAUNCH_PERMISSION_FIELDS.join(', ')})`;
  }
  if (keys.length !== 1) {
    return `${property}: a launch permission has exactly one of ${LAUNCH_PERMISSION_FIELDS.join(', ')} (got ${keys.length === 0 ? 'none' : keys.join(' and ')})`;
  }
  const field = keys[0] as LaunchPermissionField;
  const value = (entry as Record<string, unknown>)[field];
  const where = `${property}.${field}`;
  switch (field) {
    case 'UserId': return accountIdError(where, value);
    case 'OrganizationArn': return organizationArnError(where, value);
    case 'OrganizationalUnitArn': return organizationalUnitArnError(where, value);
    case 'Group':
      // EC2 knows one group: `all`, which makes the AMI public.
      return value === 'all' ? undefined : `${where}: ${show(value)} is not a launch permission group (the only group is 'all', which makes the AMI public)`;
  }
}

/** A stable string for one principal, used to compare declared and live permissions as sets. */
/** The key of the `all` group (public access), as launchPermissionKey writes it. */
export const PUBLIC_ACCESS_KEY = 'Group:all';

export function launchPermissionKey(entry: LaunchPermissionEntry): string {
  for (const field of LAUNCH_PERMISSION_FIELDS) {
    const value = entry[field];
    if (value !== undefined) return `${field}:${value}`;
  }
  throw new Error(`launch permission without a principal: ${JSON.stringify(entry)}`);
}

/** The inverse of launchPermissionKey. */
export function launchPermissionFromKey(key: string): LaunchPermissionEntry {
  const colon = key.indexOf(':');
  return { [key.slice(0, colon)]: key.slice(colon + 1) };
}

/**
 * Checks a whole list of launch permissions for duplicates and EC2's entity quota. Entries that cannot be checked
 * (invalid ones, or tokens at synth time) are passed as undefined so the others keep their index in messages.
 */
export function launchPermissionListErrors(property: string, entries: ReadonlyArray<LaunchPermissionEntry | undefined>): string[] {
  const errors: string[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (entry === undefined) return;
    const key = launchPermissionKey(entry);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push(`${property}[${i}]: ${show(key.slice(key.indexOf(':') + 1))} is declared twice (also at ${property}[${first}])`);
    } else {
      seen.set(key, i);
    }
  });
  const entities = [...seen.keys()].filter(k => k !== PUBLIC_ACCESS_KEY).length;
  if (entities > MAX_SHARING_ENTITIES) {
    errors.push(`${property}: ${entities} accounts, organizations and OUs exceed EC2's quota of ${MAX_SHARING_ENTITIES} sharing entities per AMI`);
  }
  return errors;
}
