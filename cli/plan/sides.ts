// Pairs each construct of this library as synthesised now with its deployed custom resource (by logical id), and works
// out what CloudFormation would do with it: the properties compared as CloudFormation compares them (resolved), and
// the AMI each side is on.
import { ConstructAction, ImageRef } from './model';
import type { DeployedSide, Side } from './planner';
import { isLibraryResource } from './planners';
import { constructPath, handlerFunctionIds } from '../../lambda/deployed-stack/library-resources';
import { imageIdOfPhysicalId } from '../../lambda/deployed-stack/physical-ids';
import type { DeployedStack } from '../../lambda/deployed-stack/read';
import { Resolver } from '../../lambda/deployed-stack/resolve';
import type { AssemblyStack } from '../assembly';

export interface ConstructPair {
  readonly logicalId: string;
  readonly path: string;
  readonly resourceType: string;
  readonly action: ConstructAction;
  readonly desired?: Side;
  readonly deployed?: DeployedSide;
}

export function pairConstructs(stack: AssemblyStack, deployed: DeployedStack | undefined, resolver: Resolver): ConstructPair[] {
  const now = libraryResources(stack.template);
  const before = libraryResources(deployed?.template);
  const ids = [...new Set([...Object.keys(now), ...Object.keys(before)])].sort();
  return ids.map(logicalId => {
    const synthesised = now[logicalId];
    const previous = before[logicalId];
    const deployedSide = previous && deployed ? deployedSideOf(previous, deployed.resources.get(logicalId)?.physicalId, resolver) : undefined;
    const moving = movingReferences(synthesised?.Properties?.ImageId, stack.template, deployed?.template);
    const desired = synthesised ? desiredSideOf(synthesised, previous, deployedSide, resolver, moving.length > 0) : undefined;
    return {
      logicalId,
      path: constructPath(synthesised ?? previous) ?? logicalId,
      resourceType: String((synthesised ?? previous).Type),
      action: actionOf(desired, deployedSide, synthesised?.Type !== previous?.Type),
      desired,
      deployed: deployedSide,
    };
  });
}

/**
 * The resources a token image id refers to (Ref, Fn::GetAtt) whose definition differs between the two templates:
 * CloudFormation may replace them in this deploy (e.g. a new Image Builder recipe version builds a new AMI), so the
 * token's deployed value says nothing about the next one.
 */
function movingReferences(expression: unknown, now: any, before: any): string[] {
  if (expression === undefined || typeof expression === 'string' || !before) return [];
  const ids = new Set<string>();
  JSON.stringify(expression, (key, value) => {
    if (key === 'Ref' && typeof value === 'string') ids.add(value);
    if (key === 'Fn::GetAtt') ids.add(Array.isArray(value) ? value[0] : String(value).split('.')[0]);
    return value;
  });
  return [...ids].filter(id => now?.Resources?.[id] !== undefined
    && JSON.stringify(now.Resources[id]) !== JSON.stringify(before.Resources?.[id]));
}

function actionOf(desired: Side | undefined, deployed: DeployedSide | undefined, typeChanged: boolean): ConstructAction {
  if (!deployed) return 'create';
  if (!desired) return 'delete';
  if (typeChanged) return 'replace';
  // CloudFormation sends an Update only when the resolved properties differ; otherwise the handler is not invoked.
  if (JSON.stringify(desired.properties) === JSON.stringify(deployed.properties)) return 'none';
  // An AMI only known at deploy may be a new one: planned as a replacement (the old AMI's cleanup shown).
  return desired.image.id !== undefined && desired.image.id === deployed.image.id ? 'update' : 'replace';
}

function desiredSideOf(resource: any, previous: any, deployed: DeployedSide | undefined, resolver: Resolver, moving: boolean): Side {
  const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
  const raw = resource.Properties?.ImageId;
  let image: ImageRef;
  if (typeof raw === 'string') {
    image = { id: raw, source: 'literal' };
  } else if (moving) {
    image = { source: 'unresolved', expression: raw };
    properties.ImageId = { $unresolved: raw };
  } else if (deployed?.image.id && JSON.stringify(raw) === JSON.stringify(previous?.Properties?.ImageId)) {
    // The same expression as deployed: the AMI it resolved to then, as the custom resource's physical id records it.
    image = { id: deployed.image.id, source: 'deployed', expression: raw };
    properties.ImageId = deployed.properties.ImageId;
  } else {
    const resolved = properties.ImageId;
    image = typeof resolved === 'string' ? { id: resolved, source: 'deployed', expression: raw } : { source: 'unresolved', expression: raw };
  }
  return { properties, image };
}

function deployedSideOf(resource: any, physicalId: string | undefined, resolver: Resolver): DeployedSide {
  const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
  const raw = resource.Properties?.ImageId;
  // The physical id names the AMI the resource was last applied to, whatever expression produced it.
  const id = imageIdOfPhysicalId(String(resource.Type), physicalId) ?? (typeof properties.ImageId === 'string' ? properties.ImageId : undefined);
  if (id !== undefined) properties.ImageId = id;
  return {
    properties,
    image: typeof raw === 'string' ? { id, source: 'literal' } : { id, source: id ? 'deployed' : 'unresolved', expression: raw },
    physicalId,
    deletionPolicy: resource.DeletionPolicy,
    updateReplacePolicy: resource.UpdateReplacePolicy,
  };
}

/** Library resources of a template, by logical id. */
function libraryResources(template: any): Record<string, any> {
  const resources: Record<string, any> = template?.Resources ?? {};
  const handlers = handlerFunctionIds(template);
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => isLibraryResource(r, handlers)));
}
