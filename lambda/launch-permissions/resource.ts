// Custom::AmiLaunchPermissions: read the live permissions, plan, write (removals first), then read again until the
// AMI shows the plan's result or the time budget runs out.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { launchPermissionFromKey } from '../../src/validation';
import { readWaitingForImageAndAccess } from '../converge';
import { describeLaunchPermissions, modifyLaunchPermissions } from '../ec2';
import { checksEncryption, managesEncryption, readsStorage } from '../encryption/plan';
import { accessLostOnDelete, DeclarationError, isAccessDenied, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { undoingOnFailure, UndoLog } from '../undo';
import { describeDifferences, isEmpty, Plan, planConverge, planDelete, unwritten } from './plan';
import { LaunchPermissionsDeclaration, parseLaunchPermissionsProperties } from './properties';
import { checkPublicSharingAllowed, publicSharingRefusal } from './public-sharing';
import { checkEncryption, readImage, readSnapshotKeys } from '../encryption/preflight';
import { convergeEncryption, revokeEncryption } from '../encryption/share';

const PUBLIC = 'Group:all';

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

  // A Create that fails is cleaned up by CloudFormation's rollback Delete; an Update that fails on another AMI is not.
  const replacing = event.RequestType === 'Update' && !sameImage;
  const changes = await undoingOnFailure(replacing, desired.imageId, async undo => {
    const live = await readWaitingForImageAndAccess(context, desired.imageId, 'launchPermission',
      () => describeLaunchPermissions(context.ec2, desired.imageId));
    const planFor = (current: Set<string>) => planConverge({ desired: desired.permissions, previous, live: current, mode: desired.mode });
    const first = planFor(live);
    let publicChecked = false;
    let encryption = { writes: 0, added: 0, removed: 0 };
    // Everything that could refuse the share is checked before the first write, so a refusal leaves nothing half done.
    if (readsStorage(first.add, desired, previousDeclared)) {
      const storage = await readImage(context, desired.imageId);
      if (first.add.includes(PUBLIC)) {
        await checkPublicSharingAllowed(context, desired.imageId, first.add, storage);
        publicChecked = true;
      }
      if (checksEncryption(desired)) {
        await checkEncryption(context, desired.imageId, await readSnapshotKeys(context, desired.imageId, storage), desired);
      }
      encryption = await convergeEncryption(context, desired, previousDeclared, storage, undo);
    }
    const launch = await converge(context, desired.imageId, live, planFor, undo, publicChecked);
    return { writes: launch.writes + encryption.writes, added: launch.added + encryption.added, removed: launch.removed + encryption.removed };
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
    const launch = await converge(context, declared.imageId, live, current => planDelete(declared.permissions, current));
    // Launch permissions first: recipients stop seeing the AMI before they lose the means to launch it.
    const encryption = managesEncryption(declared)
      ? await revokeEncryption(context, declared, declared.allowCopy ? await readImage(context, declared.imageId) : undefined)
      : { writes: 0, added: 0, removed: 0 };
    const changes = { writes: launch.writes + encryption.writes, added: launch.added, removed: launch.removed + encryption.removed };
    return { ...unchanged, data: { ImageId: declared.imageId }, changes };
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

/** The previous declaration, or undefined if it cannot be read (then nothing is revoked as "dropped"). */
function previousDeclaration(properties: Record<string, unknown> | undefined): LaunchPermissionsDeclaration | undefined {
  try {
    return parseLaunchPermissionsProperties(properties);
  } catch {
    return undefined;
  }
}

/**
 * Writes the plan for the live state (removals first), then reads back until a read shows nothing left to do. SUCCESS
 * is only ever sent for a state that was read back. A read that still asks for what was written is stale: the handler
 * waits (backoff) rather than write again. Anything new a fresh read reveals is planned and written. When the time
 * budget runs out first, this throws saying what is still different.
 */
async function converge(
  context: RequestContext, imageId: string, firstRead: Set<string>, planFor: (live: Set<string>) => Plan, undo = new UndoLog(),
  publicChecked = false) {
  const written: Plan = { remove: [], add: [] };
  let writes = 0;
  let waits = 0;
  for (let live = firstRead, reads = 1; ; reads++) {
    const plan = planFor(live);
    if (isEmpty(plan)) {
      return { writes, added: written.add.length, removed: written.remove.length };
    }
    if (reads > 1 && context.deadline.passed()) {
      const differences = describeDifferences(plan);
      const more = differences.length > 10 ? `; and ${differences.length - 10} more` : '';
      throw new Error(`launch permissions of ${imageId} did not converge within the time budget after ${reads} reads: `
        + `${differences.slice(0, 10).join('; ')}${more}`);
    }
    const todo = unwritten(plan, written);
    if (!isEmpty(todo)) {
      // Public sharing is refused before anything is written, so a refusal never leaves half a change behind.
      if (!publicChecked) await checkPublicSharingAllowed(context, imageId, todo.add);
      writes += await apply(context, imageId, todo, undo);
      written.remove.push(...todo.remove);
      written.add.push(...todo.add);
    } else {
      await context.deadline.backoff(waits++);
    }
    live = await describeLaunchPermissions(context.ec2, imageId);
  }
}

/** Writes removals, then additions; records the inverse of each write that succeeded. */
async function apply(context: RequestContext, imageId: string, plan: Plan, undo: UndoLog): Promise<number> {
  let writes = 0;
  if (plan.remove.length > 0) {
    await modify(context, imageId, 'remove', plan.remove);
    undo.push(() => modify(context, imageId, 'add', plan.remove));
    writes++;
  }
  if (plan.add.length > 0) {
    await modify(context, imageId, 'add', plan.add);
    undo.push(() => modify(context, imageId, 'remove', plan.add));
    writes++;
  }
  return writes;
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
