// Custom::AmiSupersededImages: the guard that revokes the AMIs a window kept when its AmiLaunchPermissions leaves the
// stack (construct removed, stack deleted, or supersededImages back to revoke()). It exists because of CloudFormation's
// order: the kept AMIs are granted to the handler by a policy built from the launch-permissions resource's KeptImageArns
// attribute, so that policy depends on the resource and is deleted before it. The guard depends on that policy, so its
// Delete runs first, while the grant is still attached (docs/superseded-images.md). Create and Update write nothing.
import { show } from '../../src/validation';
import { accessLostOnDelete, DeclarationError, isAccessDenied, isImageGone } from '../errors';
import { revokeDeclaration } from '../launch-permissions/permission-set';
import { parseLaunchPermissionsProperties } from '../launch-permissions/properties';
import { log } from '../log';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { NO_CHANGES, SetChanges, sumChanges } from '../set-converge';

const AMI_LIST = /^(ami-[0-9a-f]{8,17}(,ami-[0-9a-f]{8,17})*)?$/;

/** The declaration the guard carries (the launch-permissions resource's properties) and the window's kept AMIs. */
function parseGuardProperties(properties: Record<string, unknown> | undefined) {
  const { KeptImages: kept, ...declaration } = properties ?? {};
  const problems: string[] = [];
  if (typeof kept !== 'string' || !AMI_LIST.test(kept)) {
    problems.push(`KeptImages: ${show(kept)} is not a comma-separated list of AMI ids`);
  }
  let declared;
  try {
    declared = parseLaunchPermissionsProperties(declaration);
  } catch (error) {
    if (!(error instanceof DeclarationError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new DeclarationError(problems);
  return { declared: declared!, kept: (kept as string).split(',').filter(id => id !== '') };
}

export const handleSupersededImages: ResourceHandler = async (event, context): Promise<Outcome> => {
  const physicalResourceId = event.RequestType === 'Create' ? `${event.LogicalResourceId}/supersededImages` : event.PhysicalResourceId;
  if (event.RequestType !== 'Delete') {
    parseGuardProperties(event.ResourceProperties);
    return { physicalResourceId, data: {}, changes: { writes: 0 } };
  }
  return revokeKeptImages(context, event.ResourceProperties, physicalResourceId);
};

/** The Delete: revoke the declaration on every kept AMI that still exists. */
async function revokeKeptImages(context: RequestContext, properties: Record<string, unknown> | undefined,
  physicalResourceId: string): Promise<Outcome> {
  let parsed;
  try {
    parsed = parseGuardProperties(properties);
  } catch (error) {
    if (!(error instanceof DeclarationError)) throw error;
    log('WARN', 'delete of a superseded-images guard that never validated: nothing to revoke', { problems: error.problems });
    return { physicalResourceId, data: {}, changes: { writes: 0 } };
  }
  let changes: SetChanges = NO_CHANGES;
  for (const imageId of parsed.kept) {
    try {
      changes = sumChanges(changes, await revokeDeclaration(context, { ...parsed.declared, imageId }));
      log('INFO', 'kept superseded image revoked: its construct left the stack', { imageId });
    } catch (error) {
      if (isImageGone(error)) {
        log('WARN', 'kept superseded image no longer exists: nothing to revoke on it', { imageId });
        continue;
      }
      if (isAccessDenied(error)) throw new Error(accessLostOnDelete(error, imageId, 'revoke what the construct shared on this kept AMI'));
      throw error;
    }
  }
  return { physicalResourceId, data: {}, changes };
}
