// The one set of rules for what the constructs accept. The constructs apply them at synth time to every value that
// is not a token; the handler applies the same functions at deploy time to the resolved values, before its first write.
// This module must stay free of aws-cdk-lib and the AWS SDK: it is bundled into the handler.
import { keyPolicyStatements, organizationalUnitPathOf, organizationIdOf } from './key-policy';

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

// Partitions as they appear in ARNs. Anything else (a typo such as `arn:aws-us:`) is not an ARN EC2 will accept.
const PARTITION = '(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
// Shapes from EC2 Image Builder's LaunchPermissionConfiguration and the Organizations ARN reference.
const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}$`);
const OU_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$`);
const ANY_ORGANIZATIONS_ARN = /^arn:[^:]*:organizations:/;
const ACCOUNT_ID = /^\d{12}$/;
// EC2 resource ids: the prefix, then 8 (older) or 17 lowercase hex characters.
const IMAGE_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

// Characters that print as nothing or look like something else: DEL and the C1 controls, zero-width spaces and
// joiners, direction marks, line and paragraph separators, the byte-order mark.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

/** Shows a value in an error message: quoted, control and invisible characters escaped, long values shortened. */
export function show(value: unknown): string {
  if (typeof value !== 'string') {
    return value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  }
  const shown = JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value)
    .replace(INVISIBLE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${shown.slice(1, -1)}'`;
}

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

/** Returns why `value` is not an AMI id, or undefined when it is one. */
export function imageIdError(property: string, value: unknown): string | undefined {
  if (typeof value === 'string' && IMAGE_ID.test(value)) return undefined;
  if (value === '' || value === undefined) return `${property}: an AMI id is required (got ${show(value)})`;
  return `${property}: ${show(value)} is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)`;
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
  const entities = [...seen.keys()].filter(k => k !== 'Group:all').length;
  if (entities > MAX_SHARING_ENTITIES) {
    errors.push(`${property}: ${entities} accounts, organizations and OUs exceed EC2's quota of ${MAX_SHARING_ENTITIES} sharing entities per AMI`);
  }
  return errors;
}

/**
 * EC2 limits an AMI description to 255 characters (EC2 User Guide, "Create an Amazon EBS-backed AMI": "Image
 * description – ... Up to 255 characters"; the same limit applies to ModifyImageAttribute's Description). We also
 * refuse control characters: EC2's console and API reject them in descriptions, and a newline would not survive the
 * round trip through the query protocol unchanged on every SDK.
 */
export const MAX_DESCRIPTION_LENGTH = 255;

/** Returns why `value` cannot be an AMI description, or undefined when it can. */
export function descriptionError(property: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return `${property}: a non-empty description is required (got ${show(value)})`;
  }
  const length = [...value].length;
  if (length > MAX_DESCRIPTION_LENGTH) {
    return `${property}: ${show(value)} is ${length} characters long; EC2 allows at most ${MAX_DESCRIPTION_LENGTH}`;
  }
  // C0 controls, DEL and the C1 controls.
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(value);
  if (control) {
    return `${property}: ${show(value)} contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}) at position ${control.index}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Encrypted AMIs: the keys that encrypt the AMI's snapshots, and copying (snapshot createVolumePermission).

// A key ARN (KMS developer guide, "Key identifiers"): a key id is a UUID, or mrk- and 32 hex digits for a multi-Region key.
const KMS_KEY_ARN = new RegExp(`^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/(?:mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`);

/**
 * How a declared key reaches the recipients. KEY_POLICY: the key is created by the app, which adds statements for them
 * to its key policy. GRANTS: an imported key whose policy the app cannot change; the handler creates KMS grants.
 */
export const KEY_SHARING_METHODS = ['KEY_POLICY', 'GRANTS'] as const;
export type KeySharingMethod = typeof KEY_SHARING_METHODS[number];

/** One declared encryption key as the custom resource carries it. */
export interface EncryptionKeyEntry {
  readonly KeyArn: string;
  readonly SharedBy: KeySharingMethod;
}

/** Returns why `value` is not a KMS key ARN, or undefined when it is one. */
export function kmsKeyArnError(property: string, value: unknown): string | undefined {
  if (typeof value === 'string' && KMS_KEY_ARN.test(value)) return undefined;
  if (typeof value === 'string' && /^arn:[^:]*:kms:[^:]*:\d{12}:alias\//.test(value)) {
    return `${property}: ${show(value)} is an alias ARN, not a key ARN; EBS names the key itself (arn:<partition>:kms:<region>:<account>:key/<key id>)`;
  }
  return `${property}: ${show(value)} is not a KMS key ARN (arn:<partition>:kms:<region>:<12-digit account>:key/<key id>)`;
}

/** The property names of the encryption settings on either side (construct or custom resource). */
export interface EncryptionPropertyNames {
  readonly permissions: string;
  readonly encryptionKeys: string;
  readonly allowCopy: string;
}

/**
 * What EC2 and KMS cannot do with the declared principals and keys: make an encrypted AMI public, share snapshots with
 * an organization or OU, or grant an imported key to one. `entries` as in launchPermissionListErrors; keys that are
 * tokens at synth time are passed as undefined.
 */
export function encryptionErrors(names: EncryptionPropertyNames, entries: ReadonlyArray<LaunchPermissionEntry | undefined>,
  keys: ReadonlyArray<EncryptionKeyEntry | undefined>, allowCopy: boolean): string[] {
  const errors: string[] = [];
  const at = (i: number) => `${names.permissions}[${i}]`;
  entries.forEach((entry, i) => {
    if (entry?.Group !== undefined && keys.length > 0) {
      errors.push(`${at(i)}: LaunchPermission.publicAccess() cannot be combined with ${names.encryptionKeys}: EC2 never makes an AMI `
        + 'with encrypted snapshots public. Share it with accounts, organizations or OUs, or publish an unencrypted copy');
    }
    if (entry?.Group !== undefined && allowCopy) {
      errors.push(`${at(i)}: LaunchPermission.publicAccess() cannot be combined with ${names.allowCopy}: it grants createVolumePermission `
        + 'to the declared accounts only and never makes snapshots public');
    }
    const org = entry?.OrganizationArn ?? entry?.OrganizationalUnitArn;
    if (org !== undefined && allowCopy) {
      errors.push(`${at(i)}: ${names.allowCopy} cannot share snapshots with ${show(org)}: EC2 shares snapshots with accounts only `
        + '(ModifySnapshotAttribute has no organization or OU form). Declare the accounts that may copy the AMI in an AmiLaunchPermissions '
        + `with ${names.allowCopy}, and the organization or OU in another one without it`);
    }
  });
  const seen = new Map<string, number>();
  keys.forEach((key, k) => {
    if (key === undefined) return;
    const first = seen.get(key.KeyArn);
    if (first !== undefined) errors.push(`${names.encryptionKeys}[${k}]: ${show(key.KeyArn)} is declared twice (also at ${names.encryptionKeys}[${first}])`);
    else seen.set(key.KeyArn, k);
    if (key.SharedBy !== 'GRANTS') return;
    const orgs = entries.filter(e => e?.OrganizationArn !== undefined || e?.OrganizationalUnitArn !== undefined) as LaunchPermissionEntry[];
    if (orgs.length === 0) return;
    const partition = key.KeyArn.split(':')[1] || 'aws';
    const statements = keyPolicyStatements({
      accounts: [],
      organizationIds: orgs.filter(e => e.OrganizationArn).map(e => organizationIdOf(e.OrganizationArn!)),
      organizationalUnitPaths: orgs.filter(e => e.OrganizationalUnitArn).map(e => organizationalUnitPathOf(e.OrganizationalUnitArn!)),
    }, partition);
    errors.push(`${names.encryptionKeys}[${k}]: ${show(key.KeyArn)} is an imported key, and KMS grants name accounts only, so it cannot be `
      + `shared with ${orgs.map(e => show(e.OrganizationArn ?? e.OrganizationalUnitArn)).join(', ')}. Ask the key's owner to add these `
      + 'statements to its key policy, then remove the key from encryptionKeys and set keysSharedElsewhere: true: '
      + JSON.stringify(statements));
  });
  return errors;
}
