// createVolumePermission on the AMI's snapshots for the declared accounts (allowCopy): what a recipient needs to copy
// the AMI. EC2 grants it to accounts only, forbids adding and removing in one ModifySnapshotAttribute call, and takes
// at most 500 modifications per call (ModifySnapshotAttribute API reference).
import { readPatiently } from '../converge';
import { messageOf } from '../errors';
import { LaunchPermissionsDeclaration } from '../launch-permissions/properties';
import { log } from '../log';
import { RequestContext } from '../resource';
import { GrantSet, groupByTarget, pairKey } from '../set-converge';
import { describeCreateVolumeAccounts, modifyCreateVolumeAccounts } from '../snapshots';

const MODIFICATIONS_PER_CALL = 500;

/** What a declaration asks for on these snapshots, as "<account> on <snapshot id>" keys (none without allowCopy). */
export function declaredSnapshotPermissions(declaration: LaunchPermissionsDeclaration, snapshotIds: readonly string[]): Set<string> {
  if (!declaration.allowCopy) return new Set();
  const accounts = [...declaration.permissions].filter(p => p.startsWith('UserId:')).map(p => p.slice('UserId:'.length));
  return new Set(snapshotIds.flatMap(id => accounts.map(account => pairKey(id, account))));
}

export function snapshotPermissionSet(context: RequestContext, imageId: string, snapshotIds: readonly string[]): GrantSet {
  return {
    what: `createVolumePermission on the snapshots of ${imageId}`,
    read: async () => {
      const live = new Set<string>();
      for (const id of snapshotIds) {
        // The SnapshotSharing policy may be as new as this deployment.
        const accounts = await readPatiently(context, `DescribeSnapshotAttribute createVolumePermission of ${id} (of ${imageId})`,
          () => describeCreateVolumeAccounts(context.ec2, id));
        for (const account of accounts) live.add(pairKey(id, account));
      }
      return live;
    },
    write: async (operation, keys, undo) => {
      let calls = 0;
      const inverse = operation === 'add' ? 'remove' : 'add';
      for (const [snapshotId, accounts] of groupByTarget(keys)) {
        for (let i = 0; i < accounts.length; i += MODIFICATIONS_PER_CALL) {
          const chunk = accounts.slice(i, i + MODIFICATIONS_PER_CALL);
          try {
            await modifyCreateVolumeAccounts(context.ec2, snapshotId, operation, chunk);
          } catch (error) {
            throw new Error(`ModifySnapshotAttribute (${operation} createVolumePermission for ${chunk.length} account${chunk.length === 1 ? '' : 's'}) `
              + `on ${snapshotId} of ${imageId} failed: ${messageOf(error)}`);
          }
          undo.push(() => modifyCreateVolumeAccounts(context.ec2, snapshotId, inverse, chunk));
          calls++;
        }
      }
      log('INFO', `snapshot permissions: ${operation}`, { imageId, count: keys.length });
      return calls;
    },
  };
}
