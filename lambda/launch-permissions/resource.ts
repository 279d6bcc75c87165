// Custom::AmiLaunchPermissions: read the live permissions, plan, write (removals first), then read again until the
// AMI shows the plan's result or the time budget runs out.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { launchPermissionFromKey } from '../../src/validation';
import { readWaitingForImage, verify } from '../converge';
import { describeLaunchPermissions, modifyLaunchPermissions } from '../ec2';
import { DeclarationError, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { Plan, planConverge, planDelete, remainingDifferences } from './plan';
import { LaunchPermissionsDeclaration, parseLaunchPermissionsProperties } from './properties';
import { checkPublicSharingAllowed, publicSharingRefusal } from './public-sharing';

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
  const previous = sameImage ? previousDeclaration(event.OldResourceProperties) : undefined;

  const live = await readWaitingForImage(context, desired.imageId, 'launchPermission',
    () => describeLaunchPermissions(context.ec2, desired.imageId));
  const plan = planConverge({ desired: desired.permissions, previous, live, mode: desired.mode });
  await checkPublicSharingAllowed(context, desired.imageId, plan.add);
  const writes = await apply(context, desired.imageId, plan);
  if (writes > 0) {
    await verifyPlan(context, desired.imageId, plan, desired.mode === 'EXCLUSIVE' ? desired.permissions : undefined);
  }
  return {
    physicalResourceId: sameImage ? event.PhysicalResourceId : launchPermissionsPhysicalId(desired.imageId),
    data: { ImageId: desired.imageId, Principals: desired.permissions.size },
    changes: { writes, added: plan.add.length, removed: plan.remove.length },
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
    const plan = planDelete(declared.permissions, live);
    const writes = await apply(context, declared.imageId, plan);
    if (writes > 0) await verifyPlan(context, declared.imageId, plan);
    return { ...unchanged, data: { ImageId: declared.imageId }, changes: { writes, removed: plan.remove.length } };
  } catch (error) {
    // A deregistered AMI has no launch permissions left to revoke.
    if (isImageGone(error)) {
      log('INFO', 'image no longer exists: nothing to revoke', { imageId: declared.imageId });
      return unchanged;
    }
    throw error;
  }
}

/** The previous declaration's principals, or undefined if it cannot be read (then nothing is revoked as "dropped"). */
function previousDeclaration(properties: Record<string, unknown> | undefined): ReadonlySet<string> | undefined {
  try {
    return parseLaunchPermissionsProperties(properties).permissions;
  } catch {
    return undefined;
  }
}

async function apply(context: RequestContext, imageId: string, plan: Plan): Promise<number> {
  let writes = 0;
  if (plan.remove.length > 0) {
    await modify(context, imageId, 'remove', plan.remove);
    writes++;
  }
  if (plan.add.length > 0) {
    await modify(context, imageId, 'add', plan.add);
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

function verifyPlan(context: RequestContext, imageId: string, plan: Plan, exactly?: ReadonlySet<string>): Promise<void> {
  return verify(context, `launch permissions of ${imageId}`,
    () => describeLaunchPermissions(context.ec2, imageId),
    live => remainingDifferences(plan, live, exactly));
}
