// `--json`: the plan model as is, with the exit code and the counts. `formatVersion` changes only when a field changes
// meaning or goes away; new fields may appear in any version.
import { summarize } from './summary';
import { exitCodeOf, PlanReport } from '../plan/model';
import type { UsageCheck } from '../usage/check';

/** `usage` (with --usage) and the exit code it leads to are added when given. */
export function renderJson(report: PlanReport, usage?: { check: UsageCheck; exitCode: number }): string {
  return JSON.stringify({
    formatVersion: 1,
    exitCode: usage?.exitCode ?? exitCodeOf(report),
    summary: summarize(report),
    stacks: report.stacks,
    ...usage ? { usage: usage.check } : {},
  }, undefined, 2);
}
