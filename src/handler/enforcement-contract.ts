// What the enforcement schedule, the handler and the metric agree on: the event the schedule sends (written into the
// schedule's Input by src/handler/enforcement.ts, read by lambda/enforcement/) and the metric the handler emits.
// No aws-cdk-lib import: the handler bundle includes this file.

/** The marker that tells an enforcement event from CloudFormation's custom-resource events. */
export const ENFORCE_MARKER = 'enforce';

export interface EnforcementEvent {
  readonly cdkAmiSharing: typeof ENFORCE_MARKER;
  /** The stack whose deployed declarations are enforced: its id (ARN), which the handler's role may read. */
  readonly stackId: string;
}

export function isEnforcementEvent(event: unknown): event is EnforcementEvent {
  const e = event as Partial<EnforcementEvent> | undefined;
  return typeof e === 'object' && e !== null && e.cdkAmiSharing === ENFORCE_MARKER && typeof e.stackId === 'string';
}

/** CloudWatch namespace of the enforcement metrics (embedded metric format in the handler's log). */
export const METRIC_NAMESPACE = 'CdkAmiSharing';
/** The one dimension: the stack's name. */
export const METRIC_DIMENSION = 'StackName';
/** Constructs whose AMI an enforcement run put back to the deployed declaration. */
export const CORRECTIONS_METRIC = 'Corrections';
/** Constructs an enforcement run could not converge (out of time, refused, denied). */
export const FAILURES_METRIC = 'EnforcementFailures';
