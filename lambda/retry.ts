// How the handler's EC2 client retries. EC2 throttles per account and Region with token buckets per API (EC2 Developer
// Guide, "Request throttling for the Amazon EC2 API"): when CloudFormation creates hundreds of custom resources at once,
// hundreds of invocations share one ModifyImageAttribute bucket of 50 tokens refilled at 5 a second. Giving up after a
// fixed number of attempts then fails resources that had plenty of time left; so a throttled or transient failure is
// retried for as long as the invocation's time budget allows, and the wait before each retry is drawn at random
// ("full jitter") so that invocations throttled together do not all come back together.
//
// Retrying a ModifyImageAttribute is safe: the request is a set operation (adding a principal that is already there or
// removing one that is not changes nothing), the handler counts the logical write once whatever the attempts, and it
// answers SUCCESS only after a later read shows the result.
import { DefaultRateLimiter } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { currentDeadline, Deadline } from './deadline';

export interface DeadlineRetryOptions {
  /** Upper bound of the first retry's random wait; doubles with each retry up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** The time budget of the call being retried (default: the current invocation's, see withDeadline). */
  readonly deadline?: () => Deadline | undefined;
  /** Budget for a call made outside any invocation (scripts, tests): retries stop this long after its first attempt. */
  readonly fallbackBudgetMs?: number;
  /** A number in [0, 1) (injectable so tests can pin the draws). */
  readonly random?: () => number;
  /**
   * A client-side rate limiter (the SDK's adaptive mode): asked for a send token before every attempt and told about
   * every answer. Undefined for the standard mode.
   */
  readonly rateLimiter?: RateLimiter;
}

/** The part of the SDK's DefaultRateLimiter the strategy uses. */
export interface RateLimiter {
  getSendToken(): Promise<void>;
  updateClientSendingRate(response: unknown): void;
}

/** The token the SDK's retry middleware hands back on each failure: which retry this is and how long to wait. */
class Token implements RetryToken {
  constructor(readonly deadline: Deadline, private readonly retries: number, private readonly delayMs: number) {}
  public getRetryCount(): number {
    return this.retries;
  }
  public getRetryDelay(): number {
    return this.delayMs;
  }
}

/** Time an attempt needs to be worth starting: one that cannot finish inside the budget only delays the answer. */
const ATTEMPT_RESERVE_MS = 1_000;

export class DeadlineRetryStrategy implements RetryStrategyV2 {
  public readonly mode: 'standard' | 'adaptive';
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(private readonly options: DeadlineRetryOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.mode = options.rateLimiter ? 'adaptive' : 'standard';
    if (!(this.baseDelayMs > 0 && this.maxDelayMs >= this.baseDelayMs)) {
      throw new Error(`DeadlineRetryStrategy: baseDelayMs ${this.baseDelayMs} must be > 0 and <= maxDelayMs ${this.maxDelayMs}`);
    }
  }

  public async acquireInitialRetryToken(): Promise<RetryToken> {
    const deadline = (this.options.deadline ?? currentDeadline)()
      ?? new Deadline(Date.now() + (this.options.fallbackBudgetMs ?? 60_000));
    await this.options.rateLimiter?.getSendToken();
    return new Token(deadline, 0, 0);
  }

  /** The next attempt's token, or a rejection (the middleware then throws the call's last error). */
  public async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    this.options.rateLimiter?.updateClientSendingRate(errorInfo);
    if (errorInfo.errorType !== 'THROTTLING' && errorInfo.errorType !== 'TRANSIENT') {
      throw new Error(`not retried: ${errorInfo.errorType}`);
    }
    const { deadline } = token as Token;
    const retries = token.getRetryCount() + 1;
    const delayMs = this.delayFor(retries);
    if (deadline.remainingMs() < delayMs + ATTEMPT_RESERVE_MS) {
      throw new Error('not retried: the time budget is spent');
    }
    if (this.options.rateLimiter) {
      // The adaptive limiter may hold the attempt back further; it is charged against the same budget.
      await new Promise(resolve => setTimeout(resolve, delayMs));
      await this.options.rateLimiter.getSendToken();
      return new Token(deadline, retries, 0);
    }
    return new Token(deadline, retries, delayMs);
  }

  public recordSuccess(): void {
    this.options.rateLimiter?.updateClientSendingRate({});
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(retry - 1))). */
  public delayFor(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(retry - 1, 30));
    return Math.floor(this.random() * ceiling);
  }
}

/**
 * What the handler's SDK clients (EC2, KMS) share, so they retry alike: retries until the invocation's deadline, the
 * SDK's client-side rate limiter with AWS_RETRY_MODE=adaptive, and timeouts that let a hung connection fail and be
 * retried well inside the invocation's time budget.
 */
export function clientRetrySettings(options: DeadlineRetryOptions = {}) {
  const adaptive = process.env.AWS_RETRY_MODE === 'adaptive';
  return {
    retryStrategy: new DeadlineRetryStrategy({ rateLimiter: adaptive ? new DefaultRateLimiter() : undefined, ...options }),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  };
}
