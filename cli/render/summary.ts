// Counts over a plan, shared by both renderings.
import { PlanReport } from '../plan/model';

export interface Summary {
  readonly stacks: number;
  readonly constructs: number;
  readonly grants: number;
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
    grants: changes.filter(c => c.kind === 'grant').length,
    revocations: changes.filter(c => c.kind === 'revoke').length,
    attributes: changes.filter(c => c.kind !== 'grant' && c.kind !== 'revoke').length,
    drift: constructs.reduce((n, c) => n + c.drift.length, 0),
    errors: report.stacks.reduce((n, s) => n + s.errors.length + s.constructs.reduce((m, c) => m + c.errors.length, 0), 0),
  };
}
