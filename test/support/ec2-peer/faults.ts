// Injected faults: throttling, server errors, dropped connections, latency and IAM-propagation denials, drawn from a
// seeded generator so a plan gives the same faults on every run.
import { setTimeout as sleep } from 'timers/promises';
import { Fault, RequestStage } from './pipeline';
import { accessDenied, Call, ec2Error } from './protocol';

export interface FaultPlan {
  /** Probability 0..1 of answering RequestLimitExceeded with EC2's XML error body. */
  readonly throttleRate?: number;
  /**
   * HTTP status of an injected RequestLimitExceeded (default 400). Real EC2 has been seen answering
   * it with 503; the SDK classifies throttling by the error code, so either status is retried.
   */
  readonly throttleStatus?: number;
  /** Probability of an HTTP 500 InternalError or 503 Unavailable (half each, seeded). */
  readonly serverErrorRate?: number;
  /** Probability of destroying the socket without answering. */
  readonly dropRate?: number;
  /** Latency added before each affected request is handled. */
  readonly latencyMs?: number;
  /**
   * For this many ms after a write to an image attribute, DescribeImageAttribute of that image and
   * attribute answers the state from before the write (EC2 eventual consistency).
   */
  readonly staleReadsMs?: number;
  /**
   * For this many ms after the plan is injected, affected requests answer UnauthorizedOperation (403), as EC2 does
   * while IAM has not yet applied a policy that was just created or changed (KMS requests: AccessDeniedException).
   */
  readonly deniedForMs?: number;
  /**
   * Only these actions are affected (default: all). For stale reads the filter applies to the read
   * (DescribeImageAttribute): every write is snapshotted while staleReadsMs is set.
   */
  readonly actions?: string[];
  /** Seed of the pseudo-random draws, so a plan gives the same faults on every run (default 1). */
  readonly seed?: number;
}

const DEFAULT_SEED = 1;

export function affects(plan: FaultPlan, action: string): boolean {
  return plan.actions === undefined || plan.actions.includes(action);
}

export class FaultInjector implements RequestStage {
  private current?: FaultPlan;
  /** When the plan's deniedForMs window ends (epoch ms). */
  private deniedUntil = 0;
  private random: () => number = lehmer(DEFAULT_SEED);

  /** The plan in force, if any. */
  public get plan(): FaultPlan | undefined {
    return this.current;
  }

  public inject(plan: FaultPlan): void {
    this.current = plan;
    this.deniedUntil = Date.now() + (plan.deniedForMs ?? 0);
    this.random = lehmer(plan.seed ?? DEFAULT_SEED);
  }

  public clear(): void {
    this.current = undefined;
    this.deniedUntil = 0;
    this.random = lehmer(DEFAULT_SEED);
  }

  /**
   * Decides the fault for one request before anything is forwarded, so a throttled, failed or
   * dropped write never reaches moto. Every affected request consumes exactly two draws, so the
   * sequence of outcomes depends only on the seed and the order of requests.
   *
   * EMULATES: EC2 request throttling (RequestLimitExceeded; EC2 Developer Guide "Request throttling
   * for the Amazon EC2 API") and server errors InternalError / Unavailable (EC2 API Reference
   * "Error codes for the Amazon EC2 API"), plus network failures and latency.
   */
  public async decide(call: Call): Promise<Fault | undefined> {
    const plan = this.current;
    if (plan === undefined || !affects(plan, call.action)) {
      return undefined;
    }
    const outcome = this.random();
    const which = this.random();
    if (plan.latencyMs !== undefined && plan.latencyMs > 0) {
      await sleep(plan.latencyMs);
    }
    // EMULATES: IAM eventual consistency ("Changes that I make are not always immediately visible", IAM User Guide,
    // troubleshooting): EC2 and KMS deny a call the caller's new policy allows until IAM has applied it everywhere.
    if (Date.now() < this.deniedUntil) {
      return {
        kind: 'answer',
        name: 'denied',
        answer: accessDenied(call),
      };
    }
    // The rates are probabilities of disjoint outcomes, laid end to end on [0, 1).
    let edge = plan.dropRate ?? 0;
    if (outcome < edge) {
      return { kind: 'drop' };
    }
    edge += plan.throttleRate ?? 0;
    if (outcome < edge) {
      return {
        kind: 'answer',
        name: 'throttle',
        answer: ec2Error(plan.throttleStatus ?? 400, 'RequestLimitExceeded', 'Request limit exceeded.'),
      };
    }
    edge += plan.serverErrorRate ?? 0;
    if (outcome < edge) {
      return {
        kind: 'answer',
        name: 'server-error',
        answer: which < 0.5
          ? ec2Error(500, 'InternalError', 'An internal error has occurred.')
          : ec2Error(503, 'Unavailable', 'The server is overloaded and can\'t handle the request.'),
      };
    }
    return plan.latencyMs ? { kind: 'latency' } : undefined;
  }
}

/**
 * Lehmer / Park-Miller "minimal standard" generator. WHY not mulberry32: it needs bitwise
 * operators, which the project's lint forbids; this one is exact in double arithmetic
 * (48271 * (2^31 - 1) < 2^53) and plenty for choosing faults.
 */
function lehmer(seed: number): () => number {
  const modulus = 2147483647;
  let state = Math.abs(Math.floor(seed)) % modulus || 1;
  return () => {
    state = (state * 48271) % modulus;
    return (state - 1) / (modulus - 1);
  };
}
