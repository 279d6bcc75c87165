// 60 AmiLaunchPermissions (20 accounts each, one AMI each) created, updated (10 % of the accounts) and deleted all at
// once, each invocation in its own simulated Lambda container, against the EC2 peer enforcing EC2's per-API token
// buckets (test/support/token-buckets.ts). The buckets are scaled by 60 / 400, so every phase asks of them what 400
// constructs ask of full-size buckets, and refilled `SPEEDUP` times faster to keep the run short (THROTTLE_SPEEDUP=1
// runs it at EC2's real rates: about five minutes). The makespans are measured by the benchmark
// ("parallel deployment under throttling"); here: nothing fails, and every AMI ends with exactly its declared principals.
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { runParallelDeployment } from '../support/parallel-deployment';

const env = useHandlerEnvironment();
const CONSTRUCTS = 60;
const SPEEDUP = Number(process.env.THROTTLE_SPEEDUP ?? 10);

test(`${CONSTRUCTS} constructs at once under EC2's request token buckets: 0 FAILED, exact principals after each phase`, async () => {
  const phases = await runParallelDeployment(env, { constructs: CONSTRUCTS, scale: CONSTRUCTS / 400, speedup: SPEEDUP });

  for (const { phase, makespanMs, boundMs, requests, throttled, modifyRequests, writes } of phases) {
    const facts = { makespanMs, boundMs: Math.round(boundMs), requests, throttled, modifyRequests, writes };
    process.stdout.write(`[parallel] ${phase}: ${JSON.stringify(facts)}\n`);
  }
  expect(phases.map(p => p.phase)).toEqual(['Create', 'Update 10%', 'Delete']);
  for (const p of phases) {
    expect({ phase: p.phase, failures: p.failures, wrongImages: p.wrongImages }).toEqual({ phase: p.phase, failures: {}, wrongImages: [] });
    expect(p.bindingAction).toBe('ModifyImageAttribute');
  }
  // The buckets were the constraint: the Update's 120 writes (16 times the scaled burst) cannot pass without throttling.
  // (How many Create and Delete requests are throttled depends on how fast this machine sends them.)
  expect(phases[1].throttled).toBeGreaterThan(0);
  // One logical write per construct to create and to delete, two (revoke, then grant) to update.
  expect(phases.map(p => p.writes)).toEqual([CONSTRUCTS, 2 * CONSTRUCTS, CONSTRUCTS]);
}, 180_000);
