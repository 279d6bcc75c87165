// A time budget for one invocation. Waits back off exponentially and never run past the deadline, so the handler always
// keeps time to answer CloudFormation itself.
import { AsyncLocalStorage } from 'async_hooks';

export class Deadline {
  constructor(private readonly at: number) {}

  public remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  public passed(): boolean {
    return this.remainingMs() === 0;
  }

  /** A deadline that ends at `ms` from now, or at this one, whichever comes first. */
  public within(ms: number): Deadline {
    return new Deadline(Math.min(this.at, Date.now() + ms));
  }

  /**
   * Sleeps for the attempt's backoff, cut short at the deadline: between half and all of 1 s, 2 s, 4 s ... (capped at
   * 15 s), drawn at random. The waits this is for (IAM applying a new policy, a read-back still stale) start for every
   * construct of a stack at once; the random half keeps hundreds of invocations from reading again in the same instant.
   */
  public async backoff(attempt: number, random: () => number = Math.random): Promise<void> {
    const ceiling = Math.min(15_000, 1_000 * 2 ** attempt);
    const ms = Math.min(ceiling / 2 + random() * (ceiling / 2), this.remainingMs());
    await new Promise(resolve => setTimeout(resolve, ms));
  }
}

// The EC2 client lives for the whole container and is shared by its invocations, while its retries must stop at the
// current invocation's deadline: the deadline travels with the invocation's asynchronous work instead of through every
// call's arguments.
const current = new AsyncLocalStorage<Deadline>();

/** Runs `work` with `deadline` as the budget of every EC2 call it makes (see DeadlineRetryStrategy). */
export function withDeadline<T>(deadline: Deadline, work: () => Promise<T>): Promise<T> {
  return current.run(deadline, work);
}

/** The deadline of the invocation this code runs for, if any. */
export function currentDeadline(): Deadline | undefined {
  return current.getStore();
}
