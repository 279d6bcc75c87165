// Which resources of a deployed template belong to this library: the handler function(s) under the stack root's
// CdkAmiSharingHandler (a fixed construct id, so its logical ids start with it), and the custom resources whose
// ServiceToken names one of them.
import { SUPERSEDED_IMAGES_GUARD_TYPE } from '../../src/handler/superseded-contract';

/** Logical ids of the library's handler functions in a template. */
export function handlerFunctionIds(template: any): Set<string> {
  const resources: Record<string, any> = template?.Resources ?? {};
  return new Set(Object.keys(resources).filter(id => resources[id]?.Type === 'AWS::Lambda::Function' && id.startsWith('CdkAmiSharingHandler')));
}

/**
 * Whether a template resource is a construct's custom resource served by one of these handler functions (its
 * ServiceToken refers to one); a superseded-images guard is part of its AmiLaunchPermissions, so it is not.
 */
export function servedByHandler(resource: any, handlerIds: ReadonlySet<string>): boolean {
  if (resource?.Type === SUPERSEDED_IMAGES_GUARD_TYPE) return false;
  const token = JSON.stringify(resource?.Properties?.ServiceToken ?? '');
  return [...handlerIds].some(id => token.includes(`"${id}"`));
}

/** 'Stack/Share/Resource/Default' -> 'Stack/Share': the construct, not its custom resource (template metadata). */
export function constructPath(resource: any): string | undefined {
  const path = resource?.Metadata?.['aws:cdk:path'];
  return typeof path === 'string' ? path.replace(/\/Resource\/Default$/, '') : undefined;
}

/** The rate expression of the stack's enforcement schedule (CdkAmiSharingHandler/Enforcement/Schedule), if it has one. */
export function enforcementScheduleOf(template: any): string | undefined {
  const resources: Record<string, any> = template?.Resources ?? {};
  const schedule = Object.entries(resources)
    .find(([id, r]) => r?.Type === 'AWS::Scheduler::Schedule' && id.startsWith('CdkAmiSharingHandlerEnforcementSchedule'))?.[1];
  const expression = schedule?.Properties?.ScheduleExpression;
  return typeof expression === 'string' ? expression : undefined;
}
