// The AMI's launch permissions as a grant set (see ../set-converge.ts), and the revocation of a declaration on one AMI:
// used by the resource itself and by the superseded-images window (../superseded/), which shares and revokes the same
// way on the AMIs it keeps.
import { launchPermissionFromKey } from '../../src/validation';
import { describeLaunchPermissions, modifyLaunchPermissions } from '../ec2';
import { managesEncryption } from '../encryption/plan';
import { readImage } from '../encryption/preflight';
import { revokeEncryption } from '../encryption/share';
import { isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { RequestContext } from '../resource';
import { convergeSet, GrantSet, NO_CHANGES, SetChanges, sumChanges } from '../set-converge';
import { UndoLog } from '../undo';
import { planDelete } from './plan';
import { LaunchPermissionsDeclaration } from './properties';
import { checkPublicSharingAllowed, publicSharingRefusal } from './public-sharing';

/**
 * Revokes what `declared` shares on its AMI: the declared principals that are live, then (launch permissions first:
 * recipients stop seeing the AMI before they lose the means to launch it) the KMS grants and snapshot permissions.
 * Never undone: a Delete is retried by CloudFormation with the same properties. Throws InvalidAMIID.* when the AMI is gone.
 */
export async function revokeDeclaration(context: RequestContext, declared: LaunchPermissionsDeclaration): Promise<SetChanges> {
  const live = await describeLaunchPermissions(context.ec2, declared.imageId);
  const launch = await convergeSet(context, launchPermissionSet(context, declared.imageId),
    current => planDelete(declared.permissions, current), new UndoLog(), live);
  const encryption = managesEncryption(declared)
    ? await revokeEncryption(context, declared, declared.allowCopy ? await readImage(context, declared.imageId) : undefined)
    : NO_CHANGES;
  return sumChanges(launch, encryption);
}

/**
 * The AMI's launch permissions as a grant set (see convergeSet): read with DescribeImageAttribute, written with one
 * ModifyImageAttribute per side of a plan. Unless the pre-flight already did it, every plan is checked for public
 * sharing before its first write.
 */
export function launchPermissionSet(context: RequestContext, imageId: string, publicChecked = false): GrantSet {
  return {
    what: `launch permissions of ${imageId}`,
    read: () => describeLaunchPermissions(context.ec2, imageId),
    checkBeforeWrite: publicChecked ? undefined : todo => checkPublicSharingAllowed(context, imageId, todo.add),
    write: async (operation, keys, undo) => {
      await modify(context, imageId, operation, keys);
      undo.push(() => modify(context, imageId, operation === 'add' ? 'remove' : 'add', keys));
      return 1;
    },
  };
}

async function modify(context: RequestContext, imageId: string, operation: 'add' | 'remove', keys: string[]) {
  try {
    await modifyLaunchPermissions(context.ec2, imageId, { [operation]: keys.map(launchPermissionFromKey) });
  } catch (error) {
    if (isImageGone(error)) throw error;
    const refusal = operation === 'add' ? publicSharingRefusal(error, imageId, keys) : undefined;
    if (refusal) throw new Error(refusal);
    throw new Error(`ModifyImageAttribute (${operation} ${keys.length} launch permission${keys.length === 1 ? '' : 's'}) on ${imageId} failed: ${messageOf(error)}`);
  }
  log('INFO', `launch permissions: ${operation}`, { imageId, count: keys.length });
}
