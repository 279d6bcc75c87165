// Counts over a plan, shared by both renderings.
import { isGrant, isRevocation, PlanReport } from '../plan/model';

export interface Summary {
  readonly stacks: number;
  readonly constructs: number;
  /** Launch permissions, key grants and snapshot permissions a deploy gives. */
  readonly grants: number;
  /** Launch permissions, key grants and snapshot permissions a deploy takes away. */
  readonly revocations: number;
  readonly attributes: number;
  readonly drift: number;
  readonly errors: number;
}

export function summarize(report: PlanReport): Summary {
  const constructs = report.stacks.flatMap(s => s.constructs);
  const changes = constructs.flatMap(c => c.changes);
  return {
    stacks: report.stacks.length,
    constructs: constructs.length,
    grants: changes.filter(isGrant).length,
    revocations: changes.filter(isRevocation).length,
    attributes: changes.filter(c => !isGrant(c) && !isRevocation(c)).length,
    drift: constructs.reduce((n, c) => n + c.drift.length, 0),
    errors: report.stacks.reduce((n, s) => n + s.errors.length + s.constructs.reduce((m, c) => m + c.errors.length, 0), 0),
  };
}
