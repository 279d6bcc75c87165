// The time the peer's time-dependent emulations see (deprecation times, the deregistration-protection cooldown): the
// real clock unless a test fixes it, so a 24-hour cooldown can be tested without waiting for it.
export class PeerClock {
  private fixed?: Date;

  public now(): Date {
    return this.fixed ?? new Date();
  }

  /** Fixes the time (undefined: the real clock again). The peer's reset() puts the real clock back. */
  public set(time: Date | undefined): void {
    this.fixed = time;
  }
}
