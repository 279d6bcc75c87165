// EC2's request rate limiting as the EC2 test peer enforces it: a token bucket per API action, per account and Region.
// EC2 Developer Guide, "Request throttling for the Amazon EC2 API"
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): "each API is evaluated individually";
// every request takes one token from its API's bucket; a bucket refills at a set rate per second up to its maximum
// capacity; a request that finds the bucket empty fails with RequestLimitExceeded. Its "Request token limits" table
// sizes the buckets by category: non-mutating actions (Describe*, Get*) 100 tokens refilled at 20 a second; mutating
// actions (Modify*, and the rest) 50 tokens refilled at 5 a second. A refused request takes no token.
//
// Pure (no I/O, an injectable clock) so its arithmetic is unit-tested on its own; the peer only asks take(action).

export interface BucketSize {
  /** Tokens a full bucket holds: the burst a quiet account can send at once. */
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** The figures of the EC2 page above. */
export const EC2_BUCKETS: Readonly<Record<ActionCategory, BucketSize>> = {
  'non-mutating': { capacity: 100, refillPerSecond: 20 },
  'mutating': { capacity: 50, refillPerSecond: 5 },
};

export type ActionCategory = 'non-mutating' | 'mutating';

export interface TokenBucketOptions {
  /** Bucket sizes by category (default EC2_BUCKETS). */
  readonly sizes?: Readonly<Record<ActionCategory, BucketSize>>;
  /**
   * Multiplies capacity and refill rate alike. A run of n resources with scale n / 400 needs as long as 400 resources
   * against full-size buckets: the requests beyond the burst, divided by the refill rate, stay the same.
   */
  readonly scale?: number;
  /**
   * Multiplies the refill rate only: time runs `speedup` times faster for the buckets, so a test can go through the
   * same contention in a fraction of the wall-clock time. The default 1 is EC2's real time.
   */
  readonly speedup?: number;
  /** Milliseconds (default Date.now). */
  readonly now?: () => number;
}

/** Describe* and Get* read; everything else changes something (EC2's table puts uncategorized actions at 50 / 5 too). */
export function categoryOf(action: string): ActionCategory {
  return /^(Describe|Get)/.test(action) ? 'non-mutating' : 'mutating';
}

interface Bucket {
  tokens: number;
  at: number;
  readonly size: BucketSize;
}

export class TokenBuckets {
  /** Per action: requests let through and requests refused. */
  public readonly counts: Record<string, { allowed: number; throttled: number }> = {};
  private readonly buckets = new Map<string, Bucket>();
  private readonly sizes: Readonly<Record<ActionCategory, BucketSize>>;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions = {}) {
    const scale = options.scale ?? 1;
    const speedup = options.speedup ?? 1;
    for (const [name, value] of Object.entries({ scale, speedup })) {
      if (!(Number.isFinite(value) && value > 0)) throw new Error(`TokenBuckets: ${name} must be a positive number, not ${value}`);
    }
    const base = options.sizes ?? EC2_BUCKETS;
    const sized = (s: BucketSize): BucketSize => ({ capacity: s.capacity * scale, refillPerSecond: s.refillPerSecond * scale * speedup });
    this.sizes = { 'non-mutating': sized(base['non-mutating']), 'mutating': sized(base.mutating) };
    this.now = options.now ?? Date.now;
  }

  /** The size of the bucket `action` draws from, after scale and speedup. */
  public sizeOf(action: string): BucketSize {
    return this.sizes[categoryOf(action)];
  }

  /** Takes a token from the action's bucket: true when there was one, false when the request must be throttled. */
  public take(action: string): boolean {
    const bucket = this.bucketOf(action);
    const now = this.now();
    bucket.tokens = Math.min(bucket.size.capacity, bucket.tokens + ((now - bucket.at) / 1000) * bucket.size.refillPerSecond);
    bucket.at = now;
    const counts = (this.counts[action] ??= { allowed: 0, throttled: 0 });
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      counts.allowed++;
      return true;
    }
    counts.throttled++;
    return false;
  }

  /** Every bucket full again (an account that has been quiet for a while), and the counts cleared. */
  public refill(): void {
    this.buckets.clear();
    for (const key of Object.keys(this.counts)) delete this.counts[key];
  }

  /**
   * The shortest time in which `requests` (successful requests per action) can get through buckets that start full:
   * for each action, what its bucket must absorb beyond its capacity divided by its refill rate; the largest of them
   * (the binding bucket). In seconds of the buckets' time, so divided by speedup.
   */
  public bound(requests: Record<string, number>): { seconds: number; action?: string } {
    let worst: { seconds: number; action?: string } = { seconds: 0 };
    for (const [action, count] of Object.entries(requests)) {
      const size = this.sizeOf(action);
      const seconds = Math.max(0, count - Math.floor(size.capacity)) / size.refillPerSecond;
      if (seconds > worst.seconds) worst = { seconds, action };
    }
    return worst;
  }

  private bucketOf(action: string): Bucket {
    let bucket = this.buckets.get(action);
    if (!bucket) {
      const size = this.sizeOf(action);
      bucket = { tokens: size.capacity, at: this.now(), size };
      this.buckets.set(action, bucket);
    }
    return bucket;
  }
}
