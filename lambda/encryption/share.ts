// Key grants and snapshot permissions move with the launch permissions: converged on Create and Update (before the
// launch permissions, so an AMI is never visible to a recipient who cannot launch it yet), revoked on Delete. What to
// converge and how is decided in plan.ts; this file reads and writes.
import { LaunchPermissionsDeclaration } from '../launch-permissions/properties';
import { log } from '../log';
import { RequestContext } from '../resource';
import { convergeSet, GrantSet, NO_CHANGES, SetChanges, sumChanges } from '../set-converge';
import { UndoLog } from '../undo';
import { keyGrantSet } from './key-grants';
import { ImageStorage } from '../snapshots';
import { keyGrantsToConverge, keyGrantsToRevoke, SetDecision, sharesSnapshots, snapshotPermissionsToConverge, snapshotPermissionsToRevoke } from './plan';
import { snapshotPermissionSet } from './snapshot-permissions';

/**
 * Converges both sets for Create and Update. `previous` is the declaration before this Update on the same AMI (its
 * grants and permissions are the ones ADDITIVE may revoke), undefined otherwise.
 */
export async function convergeEncryption(context: RequestContext, desired: LaunchPermissionsDeclaration,
  previous: LaunchPermissionsDeclaration | undefined, storage: ImageStorage, undo: UndoLog): Promise<SetChanges> {
  const imageId = desired.imageId;
  const grants = await apply(context, keyGrantsToConverge(desired, previous), keys => keyGrantSet(context, imageId, keys), undo);
  return sumChanges(grants, await convergeSnapshotPermissions(context, desired, previous, storage, undo));
}

/** The snapshot permissions alone (allowCopy), as convergeEncryption converges them. */
export async function convergeSnapshotPermissions(context: RequestContext, desired: LaunchPermissionsDeclaration,
  previous: LaunchPermissionsDeclaration | undefined, storage: ImageStorage, undo: UndoLog): Promise<SetChanges> {
  return apply(context, snapshotPermissionsToConverge(desired, previous, storage.snapshots.map(s => s.snapshotId)),
    ids => snapshotPermissionSet(context, desired.imageId, ids), undo);
}

/**
 * Revokes what a declaration granted, for Delete. `storage` is undefined when the AMI no longer exists: its snapshots
 * cannot be found through it any more, so only the grants (which live on the keys) are revoked.
 */
export async function revokeEncryption(context: RequestContext, declared: LaunchPermissionsDeclaration,
  storage: ImageStorage | undefined): Promise<SetChanges> {
  const imageId = declared.imageId;
  const undo = new UndoLog(); // Delete never undoes: CloudFormation retries it with the same properties.
  const grants = await apply(context, keyGrantsToRevoke(declared), keys => keyGrantSet(context, imageId, keys), undo);
  let snapshots = NO_CHANGES;
  if (sharesSnapshots(declared) && storage === undefined) {
    log('WARN', 'image no longer exists: its snapshots\' createVolumePermission cannot be found through it', { imageId });
  } else if (storage) {
    snapshots = await apply(context, snapshotPermissionsToRevoke(declared, storage.snapshots.map(s => s.snapshotId)),
      ids => snapshotPermissionSet(context, imageId, ids), undo);
  }
  return sumChanges(grants, snapshots);
}

/** Converges one set as decided; nothing to read or write when the decision has no targets. */
async function apply(context: RequestContext, decision: SetDecision, set: (targets: string[]) => GrantSet, undo: UndoLog): Promise<SetChanges> {
  if (decision.targets.length === 0) return NO_CHANGES;
  return convergeSet(context, set(decision.targets), live => decision.plan(live), undo);
}
