// Custom::AmiLaunchPermissions: read the live permissions, plan, write (removals first), then read again until the
// AMI shows the plan's result or the time budget runs out.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { PUBLIC_ACCESS_KEY } from '../../src/validation';
import { readWaitingForImageAndAccess } from '../converge';
import { describeLaunchPermissions } from '../ec2';
import { checksEncryption, managesEncryption, readsStorage, readsStorageUpFront } from '../encryption/plan';
import { checkEncryption, readImage, readSnapshotKeys } from '../encryption/preflight';
import { convergeEncryption, revokeEncryption } from '../encryption/share';
import { accessLostOnDelete, DeclarationError, isAccessDenied, isImageGone } from '../errors';
import { log } from '../log';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { convergeSet, NO_CHANGES, sumChanges } from '../set-converge';
import { keptImageArns } from '../superseded/image-arns';
import { applyWindow, prepareWindow } from '../superseded/rollover';
import { recordedPhysicalId } from '../superseded/stack-record';
import { emptyWindow, formatWindow, parseWindow, sharedImages, SupersededWindow } from '../superseded/window';
import { undoingOnFailure } from '../undo';
import { launchPermissionSet, revokeDeclaration } from './permission-set';
import { planConverge } from './plan';
import { LaunchPermissionsDeclaration, parseLaunchPermissionsProperties } from './properties';
import { checkPublicSharingAllowed } from './public-sharing';

/** Keyed on the image: a new imageId means a new physical resource, and CloudFormation then deletes the old one. */
export function launchPermissionsPhysicalId(imageId: string): string {
  return formatWindow(emptyWindow(imageId));
}

export const handleLaunchPermissions: ResourceHandler = async (event, context) => {
  if (event.RequestType === 'Delete') {
    return deleteLaunchPermissions(event, context);
  }
  const desired = parseLaunchPermissionsProperties(event.ResourceProperties);
  const sameImage = event.RequestType === 'Update' && event.OldResourceProperties?.ImageId === desired.imageId;
  const oldDeclared = event.RequestType === 'Update' ? previousDeclaration(event.OldResourceProperties) : undefined;
  const previousDeclared = sameImage ? oldDeclared : undefined;
  const previous = previousDeclared?.permissions;
  // The superseded-images window (../superseded/): only resources that keep superseded AMIs, or kept them until now.
  const recorded = event.RequestType === 'Update' ? parseWindow(event.PhysicalResourceId) : undefined;
  const windowed = desired.supersededImages !== undefined || (recorded !== undefined && recorded.kept.length + recorded.pushedOut.length > 0);

  // A Create that fails is cleaned up by CloudFormation's rollback Delete; an Update that fails on another AMI is not,
  // and nothing rolls back an enforcement run.
  const replacing = event.RequestType === 'Update' && !sameImage;
  let window: SupersededWindow | undefined;
  const changes = await undoingOnFailure(replacing || windowed || context.outsideDeployment === true, desired.imageId, async undo => {
    // The reads before the first write go out together: one round trip, not two (BENCHMARKS.md, section 2).
    const storageUpFront = readsStorageUpFront(desired, previousDeclared) ? settled(readImage(context, desired.imageId)) : undefined;
    const windowUpFront = windowed
      ? prepareWindow(context, event, recorded ?? emptyWindow(desired.imageId), desired, oldDeclared?.supersededImages !== undefined)
      : undefined;
    const live = await readWaitingForImageAndAccess(context, desired.imageId, 'DescribeImageAttribute launchPermission',
      () => describeLaunchPermissions(context.ec2, desired.imageId));
    const prepared = await windowUpFront;
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
    if (!prepared) return sumChanges(launch, encryption);
    // The new AMI has everything before the superseded ones lose anything.
    const applied = await applyWindow(context, prepared, desired, oldDeclared, undo);
    window = applied.window;
    return sumChanges(launch, encryption, applied.changes);
  });
  const physicalResourceId = window ? formatWindow(window)
    : sameImage ? event.PhysicalResourceId : launchPermissionsPhysicalId(desired.imageId);
  return {
    physicalResourceId,
    data: {
      ImageId: desired.imageId,
      Principals: desired.permissions.size,
      ...(desired.supersededImages ? {
        KeptImages: (window?.kept ?? []).join(','),
        KeptImageArns: keptImageArns(event.StackId, desired.imageId, window?.kept ?? []),
      } : {}),
    },
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
  if (declared.supersededImages && await stillInWindow(event, context, declared.imageId)) {
    return { ...unchanged, data: { ImageId: declared.imageId } };
  }
  try {
    return { ...unchanged, data: { ImageId: declared.imageId }, changes: await revokeDeclaration(context, declared) };
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

/**
 * Whether the AMI of a deleted physical id is still shared by the resource's current one: the cleanup after a rollover
 * (the old AMI is now kept), or after an update that only changed the window. The event alone cannot tell this from a
 * removal or a rollback's cleanup, so CloudFormation's record of the resource decides (superseded/stack-record.ts). The
 * kept AMIs of a removed resource are revoked by its SupersededImages guard (superseded/guard.ts).
 */
async function stillInWindow(event: CloudFormationCustomResourceEvent & { RequestType: 'Delete' }, context: RequestContext, imageId: string): Promise<boolean> {
  const recordedId = await recordedPhysicalId(context, event);
  const current = recordedId !== event.PhysicalResourceId ? parseWindow(recordedId) : undefined;
  if (current && sharedImages(current).includes(imageId)) {
    log('INFO', 'superseded image stays shared: the current physical id keeps it', { imageId, current: recordedId });
    return true;
  }
  return false;
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
