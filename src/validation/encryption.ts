// Encrypted AMIs: the keys that encrypt the AMI's snapshots, and copying (snapshot createVolumePermission).
import { keyPolicyStatements, organizationalUnitPathOf, organizationIdOf } from '../key-policy';
import { PARTITION } from './partitions';
import { LaunchPermissionEntry } from './principals';
import { show } from './show';

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
