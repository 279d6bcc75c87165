// The handler's retry strategy, alone and inside a real EC2 client whose HTTP layer is a stub answering EC2's
// throttling error (HTTP 503, RequestLimitExceeded, the EC2 error XML): retried until it succeeds, stopped at the
// deadline, with waits spread at random.
import { Readable } from 'stream';
import { DescribeImageAttributeCommand, EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/core/protocols';
import { Deadline, withDeadline } from '../../lambda/deadline';
import { createEc2Client } from '../../lambda/ec2';
import { messageOf } from '../../lambda/errors';
import { DeadlineRetryStrategy } from '../../lambda/retry';

const IMAGE = 'ami-0123456789abcdef0';
const THROTTLED = '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>'
  + '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>';
const DESCRIBED = `<DescribeImageAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId>
  <imageId>${IMAGE}</imageId><launchPermission><item><userId>111122223333</userId></item></launchPermission></DescribeImageAttributeResponse>`;
const MODIFIED = '<ModifyImageAttributeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-3</requestId><return>true</return></ModifyImageAttributeResponse>';

/** An HTTP layer that answers `failures` throttling errors, then `success`; it records when each attempt arrived. */
function stubEc2(failures: number, success: string, status = 503) {
  const attempts: Array<{ at: number; body: string }> = [];
  const answer = (code: number, xml: string) => ({
    response: new HttpResponse({ statusCode: code, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) }),
  });
  const requestHandler = {
    handle: async (request: { body?: unknown }) => {
      attempts.push({ at: Date.now(), body: String(request.body) });
      return attempts.length <= failures ? answer(status, THROTTLED) : answer(200, success);
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  };
  return { attempts, requestHandler };
}

function client(strategy: DeadlineRetryStrategy, requestHandler: unknown): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'test-secret-not-real' },
    retryStrategy: strategy,
    requestHandler: requestHandler as any,
  });
}

const describe1 = new DescribeImageAttributeCommand({ ImageId: IMAGE, Attribute: 'launchPermission' });

describe('the handler\'s EC2 client', () => {
  test('uses the deadline-bound strategy, standard unless AWS_RETRY_MODE=adaptive', async () => {
    const before = process.env.AWS_RETRY_MODE;
    try {
      delete process.env.AWS_RETRY_MODE;
      const standard = await createEc2Client().config.retryStrategy();
      expect(standard).toBeInstanceOf(DeadlineRetryStrategy);
      expect((standard as DeadlineRetryStrategy).mode).toBe('standard');
      process.env.AWS_RETRY_MODE = 'adaptive';
      expect(((await createEc2Client().config.retryStrategy()) as DeadlineRetryStrategy).mode).toBe('adaptive');
    } finally {
      if (before === undefined) delete process.env.AWS_RETRY_MODE;
      else process.env.AWS_RETRY_MODE = before;
    }
  });

  test('a read throttled 30 times in a row is retried until it succeeds: no attempt limit', async () => {
    const { attempts, requestHandler } = stubEc2(30, DESCRIBED);
    const ec2 = client(new DeadlineRetryStrategy({ baseDelayMs: 1, maxDelayMs: 4 }), requestHandler);

    const answer = await withDeadline(new Deadline(Date.now() + 30_000), () => ec2.send(describe1));

    expect(answer.LaunchPermissions).toEqual([{ UserId: '111122223333' }]);
    expect(answer.$metadata.attempts).toBe(31);
    expect(attempts).toHaveLength(31);
  });

  test('a throttled write is sent again unchanged and counts once', async () => {
    const { attempts, requestHandler } = stubEc2(5, MODIFIED);
    const ec2 = client(new DeadlineRetryStrategy({ baseDelayMs: 1, maxDelayMs: 4 }), requestHandler);
    const modify = new ModifyImageAttributeCommand({ ImageId: IMAGE, LaunchPermission: { Add: [{ UserId: '111122223333' }] } });

    const answer = await withDeadline(new Deadline(Date.now() + 30_000), () => ec2.send(modify));

    expect(answer.$metadata.attempts).toBe(6);
    expect(new Set(attempts.map(a => a.body)).size).toBe(1);
  });

  test('stops at the invocation\'s deadline and throws the last error, saying how many attempts it made', async () => {
    const { attempts, requestHandler } = stubEc2(Infinity, DESCRIBED);
    const ec2 = client(new DeadlineRetryStrategy({ baseDelayMs: 50, maxDelayMs: 200 }), requestHandler);
    const started = Date.now();

    const error = await withDeadline(new Deadline(started + 2_500), () => ec2.send(describe1)).catch(e => e);
    const elapsed = Date.now() - started;

    expect(error.name).toBe('RequestLimitExceeded');
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(error.$metadata.attempts).toBe(attempts.length);
    expect(attempts.length).toBeGreaterThan(5);
    // The last retry leaves a second for its attempt: it stops before the deadline, never after it.
    expect(elapsed).toBeLessThan(2_500);
    expect(elapsed).toBeGreaterThan(1_000);
    expect(messageOf(error)).toMatch(new RegExp(`^RequestLimitExceeded: Request limit exceeded\\. \\(${attempts.length} attempts.*`
      + 'retries stop when the request\'s time budget runs out: EC2 throttles API requests per account and Region'));
  });

  test('does not retry a client error', async () => {
    const strategy = new DeadlineRetryStrategy();
    const token = await strategy.acquireInitialRetryToken();
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'CLIENT_ERROR' })).rejects.toThrow('not retried: CLIENT_ERROR');
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'SERVER_ERROR' })).rejects.toThrow('not retried');
  });

  test('retries throttling and transient errors (5xx, timeouts, dropped connections) while the budget lasts', async () => {
    const strategy = new DeadlineRetryStrategy({ deadline: () => new Deadline(Date.now() + 60_000), random: () => 0.5 });
    let token = await strategy.acquireInitialRetryToken();
    for (const errorType of ['THROTTLING', 'TRANSIENT', 'THROTTLING'] as const) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType });
    }
    expect(token.getRetryCount()).toBe(3);
    // Half of min(10 s, 1 s * 2^2).
    expect(token.getRetryDelay()).toBe(2_000);
  });

  test('refuses a retry whose wait would end too close to the deadline', async () => {
    const strategy = new DeadlineRetryStrategy({ deadline: () => new Deadline(Date.now() + 4_500), random: () => 0.999 });
    let token = await strategy.acquireInitialRetryToken();
    token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }); // waits < 1 s
    token = await strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }); // < 2 s
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' })) // < 4 s, + 1 s for the attempt
      .rejects.toThrow('the time budget is spent');
  });
});

describe('full jitter', () => {
  test('waits are uniform below min(10 s, 1 s * 2^(retry - 1)): 400 invocations throttled together do not come back together', () => {
    const strategy = new DeadlineRetryStrategy();
    for (const [retry, ceiling] of [[1, 1_000], [3, 4_000], [4, 8_000], [5, 10_000], [40, 10_000]]) {
      const waits = Array.from({ length: 400 }, () => strategy.delayFor(retry));
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...waits)).toBeLessThan(ceiling);
      // Spread over the whole range: every tenth of it gets some of the 400 (expected 40 each).
      const tenths = new Array(10).fill(0);
      for (const wait of waits) tenths[Math.floor(wait / (ceiling / 10))]++;
      expect(Math.min(...tenths)).toBeGreaterThan(15);
      // And none of it gets a crowd: no tenth of the range has more than 70 of them (expected 40).
      expect(Math.max(...tenths)).toBeLessThan(70);
    }
  });

  test('the draws come from the injected source (the bounds are exact)', () => {
    expect(new DeadlineRetryStrategy({ random: () => 0 }).delayFor(4)).toBe(0);
    expect(new DeadlineRetryStrategy({ random: () => 0.999999 }).delayFor(4)).toBe(7_999);
    expect(() => new DeadlineRetryStrategy({ baseDelayMs: 0 })).toThrow('baseDelayMs 0 must be > 0');
  });
});

describe('the handler\'s own waits (IAM propagation, stale read-backs)', () => {
  afterEach(() => jest.useRealTimers());

  /** How long deadline.backoff(attempt) sleeps with the draw pinned to `draw`. */
  async function sleptFor(attempt: number, draw: number, budgetMs = 60_000): Promise<number> {
    jest.useFakeTimers();
    const deadline = new Deadline(Date.now() + budgetMs);
    let done = false;
    void deadline.backoff(attempt, () => draw).then(() => { done = true; });
    let ms = 0;
    while (!done) {
      await jest.advanceTimersByTimeAsync(10);
      ms += 10;
    }
    return ms;
  }

  test('wait between half and all of 1 s, 2 s, 4 s ... (at most 15 s), drawn at random, and never past the deadline', async () => {
    expect(await sleptFor(0, 0)).toBe(500);
    expect(await sleptFor(0, 0.999)).toBe(1_000);
    expect(await sleptFor(2, 0)).toBe(2_000);
    expect(await sleptFor(2, 0.5)).toBe(3_000);
    expect(await sleptFor(10, 0)).toBe(7_500);
    expect(await sleptFor(10, 0.999)).toBe(15_000);
    expect(await sleptFor(10, 0.999, 1_200)).toBe(1_200);
  });
});
