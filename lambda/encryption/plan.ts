// Which key grants and snapshot permissions a request converges or revokes, and how: the handler acts on these
// decisions (share.ts) and `cdk-ami-sharing plan` shows them, so both decide alike. No I/O here.
import { declaredGrants, grantedKeys } from './key-grants';
import { declaredSnapshotPermissions } from './snapshot-permissions';
import { PUBLIC_ACCESS_KEY } from '../../src/validation';
import { Plan, planConverge, planDelete } from '../launch-permissions/plan';
import { LaunchPermissionsDeclaration } from '../launch-permissions/properties';

/** One set to converge: where its live state is read from, and the plan for what was read there. */
export interface SetDecision {
  /** The key ARNs whose grants, or the snapshot ids whose createVolumePermission, make up the live set; [] for none. */
  readonly targets: string[];
  plan(live: ReadonlySet<string>): Plan;
}

/** Whether a declaration (now or before, on the same AMI) has grants or snapshot permissions to manage. */
export function managesEncryption(desired: LaunchPermissionsDeclaration, previous?: LaunchPermissionsDeclaration): boolean {
  return [desired, previous].some(d => d !== undefined && (grantedKeys(d).length > 0 || d.allowCopy));
}

/**
 * Whether a Create or Update reads the AMI's storage (DescribeImages) before its first write: to check what it is
 * about to share (`adding`, the launch permissions it will grant) and to converge grants and snapshot permissions.
 */
export function readsStorage(adding: readonly string[], desired: LaunchPermissionsDeclaration, previous?: LaunchPermissionsDeclaration): boolean {
  return adding.length > 0 || managesEncryption(desired, previous);
}

/**
 * Whether the storage read (DescribeImages) can start together with the first read of the launch permissions, before
 * the plan is known: when the declaration alone says it will be needed, because it manages grants or snapshot
 * permissions, or declares principals the previous declaration on this AMI did not (on a Create or a new AMI, every
 * declared principal), which the plan will then add unless someone else already granted them. Otherwise the read
 * waits for the plan (a principal found missing only by the read, i.e. drift), so a request that adds nothing never
 * pays for it.
 */
export function readsStorageUpFront(desired: LaunchPermissionsDeclaration, previous?: LaunchPermissionsDeclaration): boolean {
  return managesEncryption(desired, previous) || [...desired.permissions].some(p => !previous?.permissions.has(p));
}

/** Whether the pre-flight encryption check runs: EC2 never makes an encrypted AMI public, so everyone alone needs none. */
export function checksEncryption(desired: LaunchPermissionsDeclaration): boolean {
  return [...desired.permissions].some(p => p !== PUBLIC_ACCESS_KEY);
}

/** Whether snapshot permissions are managed: allowCopy now, or before (turning it off revokes this construct's own). */
export function sharesSnapshots(desired: LaunchPermissionsDeclaration, previous?: LaunchPermissionsDeclaration): boolean {
  return desired.allowCopy || previous?.allowCopy === true;
}

/**
 * The grants for Create and Update, on the keys of both declarations (a key dropped from encryptionKeys still has the
 * grants this resource made). `previous` is the declaration before this Update on the same AMI, else undefined.
 */
export function keyGrantsToConverge(desired: LaunchPermissionsDeclaration, previous?: LaunchPermissionsDeclaration): SetDecision {
  return {
    targets: [...new Set([...grantedKeys(desired), ...(previous ? grantedKeys(previous) : [])])],
    plan: live => planConverge({ desired: declaredGrants(desired), previous: previous && declaredGrants(previous), live, mode: desired.mode }),
  };
}

/** The snapshot permissions for Create and Update, on the AMI's snapshots `snapshotIds`. */
export function snapshotPermissionsToConverge(desired: LaunchPermissionsDeclaration, previous: LaunchPermissionsDeclaration | undefined,
  snapshotIds: readonly string[]): SetDecision {
  return {
    targets: sharesSnapshots(desired, previous) ? [...snapshotIds] : [],
    plan: live => planConverge({
      desired: declaredSnapshotPermissions(desired, snapshotIds),
      previous: previous && declaredSnapshotPermissions(previous, snapshotIds),
      live,
      // EXCLUSIVE only governs snapshots while this construct shares them; turning allowCopy off revokes its own accounts.
      mode: desired.allowCopy ? desired.mode : 'ADDITIVE',
    }),
  };
}

/** The grants a Delete revokes: the ones the declaration asked for that are live. */
export function keyGrantsToRevoke(declared: LaunchPermissionsDeclaration): SetDecision {
  return { targets: grantedKeys(declared), plan: live => planDelete(declaredGrants(declared), live) };
}

/** The snapshot permissions a Delete revokes (with allowCopy), on the AMI's snapshots `snapshotIds`. */
export function snapshotPermissionsToRevoke(declared: LaunchPermissionsDeclaration, snapshotIds: readonly string[]): SetDecision {
  return {
    targets: sharesSnapshots(declared) ? [...snapshotIds] : [],
    plan: live => planDelete(declaredSnapshotPermissions(declared, snapshotIds), live),
  };
}
