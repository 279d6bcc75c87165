// Section 5: parallel deployment under throttling. N AmiLaunchPermissions (20 accounts each, one AMI each) created,
// updated (10 % of the accounts) and deleted all at once, each invocation in its own simulated Lambda container,
// against the EC2 peer enforcing EC2's per-API token buckets (test/support/parallel-deployment.ts). Per phase: the
// makespan against the token-bucket bound (what the binding bucket must absorb beyond its burst, divided by its refill
// rate: no client can finish sooner), throttled requests, ModifyImageAttribute requests per write, failures.
import { Cell, fmtInt, fmtRatio, progress } from './util';
import type { HandlerEnvironment } from '../../test/support/handler-environment';
import { PhaseResult, runParallelDeployment } from '../../test/support/parallel-deployment';

/** The issue's goal for makespan / bound. */
export const THROTTLING_GOAL = 1.5;
/** The largest stack the bound is scaled to: at smaller N (the CI run) the buckets shrink by N / 400. */
export const REFERENCE_CONSTRUCTS = 400;

export interface ThrottlingRun {
  readonly constructs: number;
  readonly mode: 'standard' | 'adaptive';
  /** Token-bucket scale (1 = EC2's sizes) and speedup (1 = EC2's real time). */
  readonly scale: number;
  readonly speedup: number;
  readonly phases: PhaseResult[];
  /**
   * The same deployment without token buckets, per phase (standard runs only): what the harness itself needs (the
   * containers' host processes, the peer and moto sharing the machine).
   */
  readonly unthrottledMs?: number[];
}

export interface ThrottlingPlan {
  readonly constructs: number;
  readonly mode: 'standard' | 'adaptive';
  /** Buckets scaled by constructs / 400, so the run needs as long as 400 constructs at full size (divided by speedup). */
  readonly scaledTo400: boolean;
  readonly speedup: number;
}

export async function measureParallelThrottling(env: HandlerEnvironment, plans: ThrottlingPlan[], violations: string[]): Promise<ThrottlingRun[]> {
  const runs: ThrottlingRun[] = [];
  for (const plan of plans) {
    const scale = plan.scaledTo400 ? plan.constructs / REFERENCE_CONSTRUCTS : 1;
    progress(`parallel deployment under throttling: ${plan.constructs} constructs at once, ${plan.mode} retries`
      + `${scale !== 1 ? `, buckets x${scale}` : ''}${plan.speedup !== 1 ? `, refill x${plan.speedup}` : ''}`);
    await env.peer.reset();
    let phases: PhaseResult[];
    try {
      phases = await runParallelDeployment(env, { constructs: plan.constructs, scale, speedup: plan.speedup, retryMode: plan.mode });
    } catch (error) {
      // The harness itself (container hosts, peer, moto) gave out; keep the other sizes' numbers.
      violations.push(`throttling, ${plan.constructs} constructs (${plan.mode}): the harness failed: ${String(error).split('\n')[0]}`);
      continue;
    }
    for (const p of phases) {
      progress(`  ${p.phase}: makespan ${(p.makespanMs / 1000).toFixed(1)} s, bound ${(p.boundMs / 1000).toFixed(1)} s, `
        + `${p.requests} requests, ${p.throttled} throttled, ${Object.keys(p.failures).length} failed`);
    }
    let unthrottledMs: number[] | undefined;
    if (plan.mode === 'standard') {
      await env.peer.reset();
      const unthrottled = await runParallelDeployment(env, { constructs: plan.constructs, retryMode: plan.mode, throttle: false });
      unthrottledMs = unthrottled.map(p => p.makespanMs);
    }
    for (const p of phases) {
      const where = `throttling, ${plan.constructs} constructs (${plan.mode}), ${p.phase}`;
      const failed = Object.entries(p.failures);
      if (failed.length > 0) violations.push(`${where}: ${failed.length} FAILED, e.g. ${failed[0][0]}: ${failed[0][1]}`);
      if (p.wrongImages.length > 0) violations.push(`${where}: ${p.wrongImages.length} AMIs do not have exactly their declared principals`);
    }
    runs.push({ constructs: plan.constructs, mode: plan.mode, scale, speedup: plan.speedup, phases, unthrottledMs });
  }
  return runs;
}

export function ratioOf(p: PhaseResult): number {
  return p.boundMs > 0 ? p.makespanMs / p.boundMs : NaN;
}

export function throttlingTable(runs: ThrottlingRun[]) {
  return {
    title: `5. Parallel deployment under throttling (N constructs at once; goal: makespan / bound <= ${THROTTLING_GOAL})`,
    headers: ['N', 'retries', 'buckets', 'phase', 'makespan s', 'bound s', 'makespan / bound', 'unthrottled s', 'requests', 'throttled',
      'Modify requests / write', 'failures'],
    rows: runs.flatMap(run => run.phases.map((p, i): Cell[] => [
      run.constructs,
      run.mode,
      run.scale === 1 && run.speedup === 1 ? 'EC2 size' : `x${+run.scale.toFixed(3)}${run.speedup !== 1 ? `, refill x${run.speedup}` : ''}`,
      p.phase,
      (p.makespanMs / 1000).toFixed(1),
      (p.boundMs / 1000).toFixed(1),
      p.boundMs > 0 ? fmtRatio(ratioOf(p)) : 'n/a (within burst)',
      run.unthrottledMs ? (run.unthrottledMs[i] / 1000).toFixed(1) : '-',
      fmtInt(p.requests),
      fmtInt(p.throttled),
      p.writes > 0 ? (p.modifyRequests / p.writes).toFixed(2) : 'n/a',
      Object.keys(p.failures).length + p.wrongImages.length,
    ])),
  };
}

export function throttlingSummary(runs: ThrottlingRun[] | undefined): string {
  if (!runs || runs.length === 0) return '';
  const standard = runs.filter(r => r.mode === 'standard');
  const bound = standard.flatMap(r => r.phases).filter(p => p.boundMs > 0);
  const worst = bound.reduce<PhaseResult | undefined>((w, p) => (w && ratioOf(w) >= ratioOf(p) ? w : p), undefined);
  const failures = runs.flatMap(r => r.phases).reduce((sum, p) => sum + Object.keys(p.failures).length + p.wrongImages.length, 0);
  const sentences = [
    failures === 0 ? 'No request failed and every AMI ended with exactly its declared principals.' : `**${failures} failures.**`,
  ];
  if (worst) {
    const over = bound.filter(p => ratioOf(p) > THROTTLING_GOAL);
    sentences.push(`Worst makespan / bound with the shipped (standard) retries: ${fmtRatio(ratioOf(worst))} (${worst.phase}); `
      + (over.length === 0 ? `every phase within the goal of ${THROTTLING_GOAL}.` : `**${over.length} phase(s) above the goal of ${THROTTLING_GOAL}.**`));
  }
  const adaptive = runs.filter(r => r.mode === 'adaptive');
  for (const a of adaptive) {
    const s = standard.find(r => r.constructs === a.constructs && r.scale === a.scale && r.speedup === a.speedup);
    if (!s) continue;
    const total = (r: ThrottlingRun, f: (p: PhaseResult) => number) => r.phases.reduce((sum, p) => sum + f(p), 0);
    sentences.push(`Adaptive against standard at N = ${a.constructs}: makespan ${(total(a, p => p.makespanMs) / 1000).toFixed(0)} s against `
      + `${(total(s, p => p.makespanMs) / 1000).toFixed(0)} s over the three phases, ${fmtInt(total(a, p => p.throttled))} throttled requests against `
      + `${fmtInt(total(s, p => p.throttled))}.`);
  }
  return sentences.join(' ');
}
