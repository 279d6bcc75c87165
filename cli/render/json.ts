// `--json`: the plan model as is, with the exit code and the counts. `formatVersion` changes only when a field changes
// meaning or goes away; new fields may appear in any version.
import { summarize } from './summary';
import { exitCodeOf, PlanReport } from '../plan/model';

export function renderJson(report: PlanReport): string {
  return JSON.stringify({ formatVersion: 1, exitCode: exitCodeOf(report), summary: summarize(report), stacks: report.stacks }, undefined, 2);
}
