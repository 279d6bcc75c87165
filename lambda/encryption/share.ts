// Key grants and snapshot permissions move with the launch permissions: converged on Create and Update (before the
// launch permissions, so an AMI is never visible to a recipient who cannot launch it yet), revoked on Delete.
import { planConverge, planDelete } from '../launch-permissions/plan';
import { LaunchPermissionsDeclaration } from '../launch-permissions/properties';
import { log } from '../log';
import { RequestContext } from '../resource';
import { convergeSet, SetChanges } from '../set-converge';
import { UndoLog } from '../undo';
import { declaredGrants, grantedKeys, keyGrantSet } from './key-grants';
import { ImageStorage } from '../snapshots';
import { declaredSnapshotPermissions, snapshotPermissionSet } from './snapshot-permissions';

const NOTHING: SetChanges = { writes: 0, added: 0, removed: 0 };

/** Whether a declaration (now or before, on the same AMI) has grants or snapshot permissions to manage. */
export function managesEncryption(desired: LaunchPermissionsDeclaration, previous?: LaunchPermissionsDeclaration): boolean {
  return [desired, previous].some(d => d !== undefined && (grantedKeys(d).length > 0 || d.allowCopy));
}

/**
 * Converges both sets for Create and Update. `previous` is the declaration before this Update on the same AMI (its
 * grants and permissions are the ones ADDITIVE may revoke), undefined otherwise.
 */
export async function convergeEncryption(context: RequestContext, desired: LaunchPermissionsDeclaration,
  previous: LaunchPermissionsDeclaration | undefined, storage: ImageStorage, undo: UndoLog): Promise<SetChanges> {
  const imageId = desired.imageId;
  const keys = [...new Set([...grantedKeys(desired), ...(previous ? grantedKeys(previous) : [])])];
  const grants = keys.length === 0 ? NOTHING : await convergeSet(context, keyGrantSet(context, imageId, keys), live => planConverge({
    desired: declaredGrants(desired), previous: previous && declaredGrants(previous), live, mode: desired.mode,
  }), undo);

  const snapshotIds = storage.snapshots.map(s => s.snapshotId);
  const copying = desired.allowCopy || previous?.allowCopy === true;
  const snapshots = !copying || snapshotIds.length === 0 ? NOTHING : await convergeSet(context, snapshotPermissionSet(context, imageId, snapshotIds),
    live => planConverge({
      desired: declaredSnapshotPermissions(desired, snapshotIds),
      previous: previous && declaredSnapshotPermissions(previous, snapshotIds),
      live,
      // EXCLUSIVE only governs snapshots while this construct shares them; turning allowCopy off revokes its own accounts.
      mode: desired.allowCopy ? desired.mode : 'ADDITIVE',
    }), undo);
  return sum(grants, snapshots);
}

/**
 * Revokes what a declaration granted, for Delete. `storage` is undefined when the AMI no longer exists: its snapshots
 * cannot be found through it any more, so only the grants (which live on the keys) are revoked.
 */
export async function revokeEncryption(context: RequestContext, declared: LaunchPermissionsDeclaration,
  storage: ImageStorage | undefined): Promise<SetChanges> {
  const imageId = declared.imageId;
  const undo = new UndoLog(); // Delete never undoes: CloudFormation retries it with the same properties.
  const keys = grantedKeys(declared);
  const grants = keys.length === 0 ? NOTHING
    : await convergeSet(context, keyGrantSet(context, imageId, keys), live => planDelete(declaredGrants(declared), live), undo);
  let snapshots = NOTHING;
  if (declared.allowCopy && storage === undefined) {
    log('WARN', 'image no longer exists: its snapshots\' createVolumePermission cannot be found through it', { imageId });
  } else if (declared.allowCopy && storage) {
    const ids = storage.snapshots.map(s => s.snapshotId);
    snapshots = await convergeSet(context, snapshotPermissionSet(context, imageId, ids),
      live => planDelete(declaredSnapshotPermissions(declared, ids), live), undo);
  }
  return sum(grants, snapshots);
}

function sum(a: SetChanges, b: SetChanges): SetChanges {
  return { writes: a.writes + b.writes, added: a.added + b.added, removed: a.removed + b.removed };
}

