// The EC2 test peer's fault injection: throttling, server errors, drops, latency, IAM-propagation denials, stale reads.
import {
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer, sleep } from './peer-fixture';
import { createImage, ec2Client } from '../support/images';

const f = usePeer();
const { attribute, launchPermissions, shareWith } = f;

describe('fault injection', () => {
  test('throttle: RequestLimitExceeded (400) with EC2 XML, and the write is not applied', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.injectFaults({ throttleRate: 1 });
    const err = await failure(shareWith(imageId, '111122223333'));
    expect(err.name).toBe('RequestLimitExceeded');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(f.peer.requests[1]).toMatchObject({ action: 'ModifyImageAttribute', status: 400, errorCode: 'RequestLimitExceeded', injected: 'throttle' });

    f.peer.clearFaults();
    expect(await launchPermissions(imageId)).toEqual([]);
  });

  test('throttleStatus sets the HTTP status of an injected throttle', async () => {
    f.peer.injectFaults({ throttleRate: 1, throttleStatus: 503 });
    const err = await failure(f.ec2.send(new GetImageBlockPublicAccessStateCommand({})));
    expect(err.name).toBe('RequestLimitExceeded');
    expect(err.$metadata?.httpStatusCode).toBe(503);
  });

  test('server errors: InternalError (500) and Unavailable (503), nothing applied', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.injectFaults({ serverErrorRate: 1, seed: 7 });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const err = await failure(shareWith(imageId, '111122223333'));
      seen.add(`${err.name}/${err.$metadata?.httpStatusCode}`);
    }
    expect([...seen].sort()).toEqual(['InternalError/500', 'Unavailable/503']);
    expect(f.peer.requests.slice(1).every((r) => r.injected === 'server-error')).toBe(true);

    f.peer.clearFaults();
    expect(await launchPermissions(imageId)).toEqual([]);
  });

  test('denied: UnauthorizedOperation (403) for the first deniedForMs, only for the listed actions, then answered', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.injectFaults({ deniedForMs: 300, actions: ['ModifyImageAttribute'] });
    const err = await failure(shareWith(imageId, '111122223333'));
    expect(err.name).toBe('UnauthorizedOperation');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(f.peer.requests[1]).toMatchObject({ action: 'ModifyImageAttribute', status: 403, errorCode: 'UnauthorizedOperation', injected: 'denied' });
    expect(await launchPermissions(imageId)).toEqual([]); // a read is not in the plan's actions

    await sleep(350);
    await shareWith(imageId, '111122223333');
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
  });

  test('drop: the connection is destroyed without an answer, and the write is not applied', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.injectFaults({ dropRate: 1 });
    const err = await failure(shareWith(imageId, '111122223333'));
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(f.peer.requests[1]).toMatchObject({ action: 'ModifyImageAttribute', status: 0, injected: 'drop' });

    f.peer.clearFaults();
    expect(await launchPermissions(imageId)).toEqual([]);
  });

  test('latency: each affected request takes at least latencyMs', async () => {
    f.peer.injectFaults({ latencyMs: 250 });
    const started = Date.now();
    await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(f.peer.requests[0].injected).toBe('latency');
  });

  test('actions: only the listed actions are affected', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.injectFaults({ throttleRate: 1, actions: ['ModifyImageAttribute'] });
    expect((await failure(shareWith(imageId, '111122223333'))).name).toBe('RequestLimitExceeded');
    expect(await launchPermissions(imageId)).toEqual([]);
    expect(f.peer.requests.map((r) => r.injected)).toEqual([undefined, 'throttle', undefined]);
  });

  test('seed: the same plan gives the same faults, at about the planned rates', async () => {
    const imageId = await createImage(f.ec2);
    const plan = { throttleRate: 0.3, serverErrorRate: 0.2, dropRate: 0.1, seed: 42, actions: ['DescribeImageAttribute'] };
    const run = async (): Promise<Array<string | undefined>> => {
      f.peer.clearLog();
      f.peer.injectFaults(plan);
      for (let i = 0; i < 40; i++) {
        await launchPermissions(imageId).catch(() => undefined);
      }
      return f.peer.requests.map((r) => r.injected);
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const count = (name: string | undefined) => first.filter((x) => x === name).length;
    expect(count('throttle')).toBeGreaterThan(4);
    expect(count('server-error')).toBeGreaterThan(2);
    expect(count('drop')).toBeGreaterThan(0);
    expect(count(undefined)).toBeGreaterThan(8);

    f.peer.clearLog();
    f.peer.injectFaults({ ...plan, seed: 43 });
    for (let i = 0; i < 40; i++) {
      await launchPermissions(imageId).catch(() => undefined);
    }
    expect(f.peer.requests.map((r) => r.injected)).not.toEqual(first);
  });

  test('an SDK client with retries rides out throttling and server errors', async () => {
    const imageId = await createImage(f.ec2);
    const retrying = ec2Client(f.peer.endpoint, { maxAttempts: 6 });
    try {
      f.peer.injectFaults({ throttleRate: 0.2, serverErrorRate: 0.2, seed: 3, actions: ['ModifyImageAttribute'] });
      for (const account of ['111122223333', '444455556666', '777788889999']) {
        await retrying.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: account }] } }));
      }
    } finally {
      retrying.destroy();
    }
    const writes = f.peer.writes();
    expect(writes.some((w) => w.injected !== undefined)).toBe(true);
    expect(writes.filter((w) => w.status === 200)).toHaveLength(3);
    f.peer.clearFaults();
    expect(new Set((await launchPermissions(imageId)).map((p) => p.UserId))).toEqual(
      new Set(['111122223333', '444455556666', '777788889999']));
  });

  test('stale reads: for staleReadsMs after a write, reads answer the state from before it', async () => {
    const imageId = await createImage(f.ec2, { description: 'old' });
    f.peer.injectFaults({ staleReadsMs: 600 });
    await shareWith(imageId, '111122223333');
    await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'new' } }));

    expect(await launchPermissions(imageId)).toEqual([]);
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('old');
    expect(f.peer.requests.filter((r) => r.injected === 'stale-read')).toHaveLength(2);

    await sleep(650);
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
    expect((await attribute(imageId, 'description')).Description?.Value).toBe('new');
  });

  test('stale reads: a second write inside the window converges once that write is staleReadsMs old', async () => {
    const imageId = await createImage(f.ec2);
    f.peer.injectFaults({ staleReadsMs: 500 });
    await shareWith(imageId, '111122223333');
    await sleep(300);
    await shareWith(imageId, '444455556666');
    await sleep(250); // the first write is now older than the window, the second is not
    expect(await launchPermissions(imageId)).toEqual([{ UserId: '111122223333' }]);
    await sleep(300);
    expect(new Set((await launchPermissions(imageId)).map((p) => p.UserId))).toEqual(new Set(['111122223333', '444455556666']));
  });

  test('clearFaults stops injecting', async () => {
    f.peer.injectFaults({ throttleRate: 1 });
    await failure(f.ec2.send(new GetImageBlockPublicAccessStateCommand({})));
    f.peer.clearFaults();
    await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}));
    expect(f.peer.requests.map((r) => r.injected)).toEqual(['throttle', undefined]);
  });
});
