// The EC2 peer's token buckets on their own, with a hand-driven clock.
import { categoryOf, TokenBuckets } from '../support/token-buckets';

function clock() {
  let ms = 1_000_000;
  return { now: () => ms, advance: (by: number) => { ms += by; } };
}

/** How many of `n` requests at this instant get through. */
function burst(buckets: TokenBuckets, action: string, n: number): number {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (buckets.take(action)) allowed++;
  return allowed;
}

test('ModifyImageAttribute: 50 at once, then 5 a second', () => {
  const time = clock();
  const buckets = new TokenBuckets({ now: time.now });
  expect(burst(buckets, 'ModifyImageAttribute', 60)).toBe(50);
  time.advance(1_000);
  expect(burst(buckets, 'ModifyImageAttribute', 10)).toBe(5);
  time.advance(200);
  expect(burst(buckets, 'ModifyImageAttribute', 10)).toBe(1);
  expect(buckets.counts.ModifyImageAttribute).toEqual({ allowed: 56, throttled: 24 });
});

test('DescribeImageAttribute: 100 at once, then 20 a second; a full bucket does not overflow', () => {
  const time = clock();
  const buckets = new TokenBuckets({ now: time.now });
  expect(burst(buckets, 'DescribeImageAttribute', 150)).toBe(100);
  time.advance(2_000);
  expect(burst(buckets, 'DescribeImageAttribute', 50)).toBe(40);
  time.advance(60_000);
  expect(burst(buckets, 'DescribeImageAttribute', 150)).toBe(100);
});

test('each API has its own bucket: exhausting one leaves the others alone', () => {
  const buckets = new TokenBuckets({ now: clock().now });
  expect(burst(buckets, 'ModifyImageAttribute', 50)).toBe(50);
  expect(buckets.take('ModifyImageAttribute')).toBe(false);
  expect(buckets.take('ResetImageAttribute')).toBe(true);
  expect(buckets.take('DescribeImageAttribute')).toBe(true);
  expect(categoryOf('GetImageBlockPublicAccessState')).toBe('non-mutating');
  expect(categoryOf('DescribeImages')).toBe('non-mutating');
  expect(categoryOf('ModifyImageAttribute')).toBe('mutating');
});

test('scale n / 400 keeps the time 400 requests need; speedup shortens it', () => {
  const full = new TokenBuckets();
  expect(full.bound({ ModifyImageAttribute: 400, DescribeImageAttribute: 800 })).toEqual({ seconds: 70, action: 'ModifyImageAttribute' });
  const scaled = new TokenBuckets({ scale: 60 / 400 });
  expect(scaled.sizeOf('ModifyImageAttribute')).toEqual({ capacity: 7.5, refillPerSecond: 0.75 });
  // floor(7.5) = 7 requests fit the burst: (60 - 7) / 0.75.
  expect(scaled.bound({ ModifyImageAttribute: 60 }).seconds).toBeCloseTo(70.67, 2);
  const fast = new TokenBuckets({ scale: 60 / 400, speedup: 10 });
  expect(fast.bound({ ModifyImageAttribute: 60 }).seconds).toBeCloseTo(7.07, 2);
  expect(new TokenBuckets().bound({ ModifyImageAttribute: 50, DescribeImageAttribute: 100 })).toEqual({ seconds: 0 });
});

test('a scaled bucket lets through what its size says, fractional tokens included', () => {
  const time = clock();
  const buckets = new TokenBuckets({ scale: 0.15, now: time.now });
  expect(burst(buckets, 'ModifyImageAttribute', 20)).toBe(7);
  time.advance(2_000); // 0.5 left + 1.5 refilled
  expect(burst(buckets, 'ModifyImageAttribute', 5)).toBe(2);
});

test('refill() makes every bucket full again and clears the counts', () => {
  const buckets = new TokenBuckets({ now: clock().now });
  burst(buckets, 'ModifyImageAttribute', 60);
  buckets.refill();
  expect(buckets.counts).toEqual({});
  expect(burst(buckets, 'ModifyImageAttribute', 60)).toBe(50);
});

test('bad scale or speedup: a clear error naming it', () => {
  expect(() => new TokenBuckets({ scale: 0 })).toThrow('TokenBuckets: scale must be a positive number, not 0');
  expect(() => new TokenBuckets({ speedup: NaN })).toThrow('TokenBuckets: speedup must be a positive number, not NaN');
});
