// What an enforcement run converges: every construct of this library the stack has deployed, with its properties as
// CloudFormation last applied them (the deployed template resolved with the deployed parameter values and physical
// ids, as `cdk-ami-sharing plan` resolves it) and the AMI its physical id names. Pure: no AWS call.
import { constructPath, handlerFunctionIds, servedByHandler } from '../deployed-stack/library-resources';
import { imageIdOfPhysicalId } from '../deployed-stack/physical-ids';
import type { DeployedStack } from '../deployed-stack/read';
import { containsUnresolved, Resolver } from '../deployed-stack/resolve';

/** A deployed construct to converge, as an Update with unchanged properties would. */
export interface EnforcedDeclaration {
  readonly logicalId: string;
  /** The construct's path (template metadata), or its logical id. */
  readonly path: string;
  readonly resourceType: string;
  readonly physicalId: string;
  readonly imageId: string;
  /** Resolved; ImageId is the AMI the physical id names; without ServiceToken (the caller adds its own ARN). */
  readonly properties: Record<string, unknown>;
}

/** A deployed construct that is not converged, and why. */
export interface SkippedDeclaration {
  readonly logicalId: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * The stack statuses in which the deployed template is what the resources last applied: no operation in progress.
 * (ROLLBACK_COMPLETE is a stack whose creation failed and whose resources are gone; DELETE_COMPLETE has none.)
 */
const SETTLED = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

export function isSettled(status: string): boolean {
  return SETTLED.has(status);
}

/**
 * The deployed constructs served by the stack's handler and of a type it handles (`handledTypes`), in template order.
 */
export function declarationsToEnforce(deployed: DeployedStack, handledTypes: ReadonlySet<string>):
{ enforce: EnforcedDeclaration[]; skipped: SkippedDeclaration[] } {
  const resources: Record<string, any> = deployed.template?.Resources ?? {};
  const handlers = handlerFunctionIds(deployed.template);
  const resolver = new Resolver(deployed);
  const enforce: EnforcedDeclaration[] = [];
  const skipped: SkippedDeclaration[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const resourceType = String(resource?.Type ?? '');
    if (!handledTypes.has(resourceType) || !servedByHandler(resource, handlers)) continue;
    const path = constructPath(resource) ?? logicalId;
    const physicalId = deployed.resources.get(logicalId)?.physicalId;
    const imageId = imageIdOfPhysicalId(resourceType, physicalId);
    if (!physicalId || !imageId) {
      skipped.push({ logicalId, path, reason: `its physical id (${physicalId ?? 'none'}) names no AMI: it was never applied` });
      continue;
    }
    const { ServiceToken: _, ...declared } = resource.Properties ?? {};
    const properties: Record<string, unknown> = { ...resolver.resolve(declared) as Record<string, unknown>, ImageId: imageId };
    const unresolved = Object.keys(properties).filter(key => containsUnresolved(properties[key]));
    if (unresolved.length > 0) {
      skipped.push({ logicalId, path, reason: `${unresolved.join(', ')}: only the deployment knows the value (not a parameter or a resource's physical id)` });
      continue;
    }
    enforce.push({ logicalId, path, resourceType, physicalId, imageId, properties });
  }
  return { enforce, skipped };
}
