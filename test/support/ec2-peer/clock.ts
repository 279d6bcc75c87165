// The time the peer's time-dependent emulations see (deprecation times, the deregistration-protection cooldown): the
// real clock unless a test fixes it, so a 24-hour cooldown can be tested without waiting for it, or runs it ahead, so a
// request can arrive "late".
export class PeerClock {
  private fixed?: Date;
  private aheadMs = 0;

  public now(): Date {
    return this.fixed ?? new Date(Date.now() + this.aheadMs);
  }

  /** Fixes the time (undefined: the real clock again). The peer's reset() puts the real clock back. */
  public set(time: Date | undefined): void {
    this.fixed = time;
    if (time === undefined) this.aheadMs = 0;
  }

  /**
   * Runs the clock `ms` ahead of the caller's: what a request sees when it reaches EC2 that long after the handler read
   * its own clock (retries, earlier writes, clock skew).
   */
  public runAhead(ms: number): void {
    this.fixed = undefined;
    this.aheadMs = ms;
  }
}
