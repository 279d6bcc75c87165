// Custom::AmiLaunchPermissions: read the live permissions, plan, write (removals first), then read again until the
// AMI shows the plan's result or the time budget runs out.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { launchPermissionFromKey, PUBLIC_ACCESS_KEY } from '../../src/validation';
import { readWaitingForImageAndAccess } from '../converge';
import { describeLaunchPermissions, modifyLaunchPermissions } from '../ec2';
import { checksEncryption, managesEncryption, readsStorage, readsStorageUpFront } from '../encryption/plan';
import { accessLostOnDelete, DeclarationError, isAccessDenied, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { undoingOnFailure, UndoLog } from '../undo';
import { planConverge, planDelete } from './plan';
import { LaunchPermissionsDeclaration, parseLaunchPermissionsProperties } from './properties';
import { checkPublicSharingAllowed, publicSharingRefusal } from './public-sharing';
import { checkEncryption, readImage, readSnapshotKeys } from '../encryption/preflight';
import { convergeEncryption, revokeEncryption } from '../encryption/share';
import { convergeSet, GrantSet, NO_CHANGES, sumChanges } from '../set-converge';

/** Keyed on the image: a new imageId means a new physical resource, and CloudFormation then deletes the old one. */
export function launchPermissionsPhysicalId(imageId: string): string {
  return `${imageId}/launchPermission`;
}

export const handleLaunchPermissions: ResourceHandler = async (event, context) => {
  if (event.RequestType === 'Delete') {
    return deleteLaunchPermissions(event, context);
  }
  const desired = parseLaunchPermissionsProperties(event.ResourceProperties);
  const sameImage = event.RequestType === 'Update' && event.OldResourceProperties?.ImageId === desired.imageId;
  const previousDeclared = sameImage ? previousDeclaration(event.OldResourceProperties) : undefined;
  const previous = previousDeclared?.permissions;

  // A Create that fails is cleaned up by CloudFormation's rollback Delete; an Update that fails on another AMI is not,
  // and nothing rolls back an enforcement run.
  const replacing = event.RequestType === 'Update' && !sameImage;
  const changes = await undoingOnFailure(replacing || context.outsideDeployment === true, desired.imageId, async undo => {
    // The reads before the first write go out together: one round trip, not two (BENCHMARKS.md, section 2).
    const storageUpFront = readsStorageUpFront(desired, previousDeclared) ? settled(readImage(context, desired.imageId)) : undefined;
    const live = await readWaitingForImageAndAccess(context, desired.imageId, 'DescribeImageAttribute launchPermission',
      () => describeLaunchPermissions(context.ec2, desired.imageId));
    const planFor = (current: Set<string>) => planConverge({ desired: desired.permissions, previous, live: current, mode: desired.mode });
    const first = planFor(live);
    let publicChecked = false;
    let encryption = NO_CHANGES;
    // Everything that could refuse the share is checked before the first write, so a refusal leaves nothing half done.
    if (readsStorage(first.add, desired, previousDeclared)) {
      // An up-front read that failed (e.g. an AMI EC2 did not show yet, which the first read waited for) is made again.
      const early = await storageUpFront;
      const storage = early?.ok ? early.value : await readImage(context, desired.imageId);
      if (first.add.includes(PUBLIC_ACCESS_KEY)) {
        await checkPublicSharingAllowed(context, desired.imageId, first.add, storage);
        publicChecked = true;
      }
      if (checksEncryption(desired)) {
        await checkEncryption(context, desired.imageId, await readSnapshotKeys(context, desired.imageId, storage), desired);
      }
      encryption = await convergeEncryption(context, desired, previousDeclared, storage, undo);
    }
    const launch = await convergeSet(context, launchPermissionSet(context, desired.imageId, publicChecked), planFor, undo, live);
    return sumChanges(launch, encryption);
  });
  return {
    physicalResourceId: sameImage ? event.PhysicalResourceId : launchPermissionsPhysicalId(desired.imageId),
    data: { ImageId: desired.imageId, Principals: desired.permissions.size },
    changes,
  };
};

async function deleteLaunchPermissions(
  event: CloudFormationCustomResourceEvent & { RequestType: 'Delete' }, context: RequestContext): Promise<Outcome> {
  const unchanged = { physicalResourceId: event.PhysicalResourceId, data: {}, changes: { writes: 0 } };
  let declared: LaunchPermissionsDeclaration;
  try {
    declared = parseLaunchPermissionsProperties(event.ResourceProperties);
  } catch (error) {
    // The handler never writes from a declaration that does not validate, so there is nothing of it to revoke. This is
    // the Delete CloudFormation sends after a Create that failed validation: failing it would wedge the stack.
    if (error instanceof DeclarationError) {
      log('WARN', 'delete of a declaration that never validated: nothing to revoke', { problems: error.problems });
      return unchanged;
    }
    throw error;
  }
  try {
    const live = await describeLaunchPermissions(context.ec2, declared.imageId);
    // Delete never undoes: CloudFormation retries it with the same properties.
    const launch = await convergeSet(context, launchPermissionSet(context, declared.imageId),
      current => planDelete(declared.permissions, current), new UndoLog(), live);
    // Launch permissions first: recipients stop seeing the AMI before they lose the means to launch it.
    const encryption = managesEncryption(declared)
      ? await revokeEncryption(context, declared, declared.allowCopy ? await readImage(context, declared.imageId) : undefined)
      : NO_CHANGES;
    return { ...unchanged, data: { ImageId: declared.imageId }, changes: sumChanges(launch, encryption) };
  } catch (error) {
    // A deregistered AMI has no launch permissions left to revoke; grants live on the keys and are still revoked.
    if (isImageGone(error)) {
      log('INFO', 'image no longer exists: nothing to revoke on it', { imageId: declared.imageId });
      return managesEncryption(declared) ? { ...unchanged, changes: await revokeEncryption(context, declared, undefined) } : unchanged;
    }
    if (isAccessDenied(error)) {
      throw new Error(accessLostOnDelete(error, declared.imageId, `revoke the launch permissions this resource declared (${declared.permissions.size})`));
    }
    throw error;
  }
}

/** A read started early, whose failure is only looked at if its result is needed (never an unhandled rejection). */
function settled<T>(read: Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  return read.then(value => ({ ok: true as const, value }), () => ({ ok: false as const }));
}

/** The previous declaration, or undefined if it cannot be read (then nothing is revoked as "dropped"). */
function previousDeclaration(properties: Record<string, unknown> | undefined): LaunchPermissionsDeclaration | undefined {
  try {
    return parseLaunchPermissionsProperties(properties);
  } catch {
    return undefined;
  }
}

/**
 * The AMI's launch permissions as a grant set (see convergeSet): read with DescribeImageAttribute, written with one
 * ModifyImageAttribute per side of a plan. Unless the pre-flight already did it, every plan is checked for public
 * sharing before its first write.
 */
function launchPermissionSet(context: RequestContext, imageId: string, publicChecked = false): GrantSet {
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
