import { referencedResources } from './intrinsics';

/** Each resource's dependencies: DependsOn and every Ref / Fn::GetAtt / Fn::Sub reference. */
export function dependenciesOf(template: any): Map<string, Set<string>> {
  const resources = template.Resources ?? {};
  const result = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries<any>(resources)) {
    const deps = referencedResources(resource.Properties ?? {}, resources);
    for (const d of [resource.DependsOn ?? []].flat()) deps.add(d);
    result.set(id, deps);
  }
  return result;
}

/**
 * The template's resources in an order CloudFormation could create them in: every resource after what it depends on.
 * CloudFormation runs independent resources in parallel; one fixed order keeps the tests repeatable.
 */
export function creationOrder(template: any): string[] {
  const deps = dependenciesOf(template);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`circular dependency through ${id}`);
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) if (deps.has(d)) visit(d);
    state.set(id, 'done');
    order.push(id);
  };
  [...deps.keys()].sort().forEach(visit);
  return order;
}
