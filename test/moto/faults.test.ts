// The synthesised handler bundle under injected faults: throttling and 5xx, dropped connections, latency, stale reads
// (EC2 eventual consistency), the same event delivered twice, and CloudFormation's rollback after a failed Update.
// Faults come from the EC2 test peer (moto behind our proxy), seeded so every run injects the same faults at the same
// requests. State is inspected on moto directly (no proxy: nothing recorded, no faults).
import * as http from 'http';
import { EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { AmiLaunchPermissionsProps, LaunchPermission, LaunchPermissionMode } from '../../src';
import { CfnAnswer, CfnSimulator, lambdaContext } from '../support/cfn-simulator';
import { FaultPlan, RecordedRequest } from '../support/ec2-peer';
import { HandlerEnvironment, launchPermissionsStack, livePermissions, startHandlerEnvironment } from '../support/handler-environment';
import { createImage, ec2Client } from '../support/images';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const THIRD = '555566667777';
const OUTSIDER = '999988887777';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';
const RESOURCE_TYPE = 'Custom::AmiLaunchPermissions';

/** One request as it arrived at the peer's proxy: when, and the SDK's retry headers. */
interface WireRequest {
  readonly at: number;
  readonly invocationId: string;
  readonly attempt: number;
}

let env: HandlerEnvironment;
/** moto itself, bypassing the proxy: for setting up and inspecting state without faults or log entries. */
let moto: EC2Client;
/** Every request the proxy received since the last reset, in order of arrival (the same order as env.peer.requests). */
const wire: WireRequest[] = [];
/** The handler's structured log lines since the last reset. */
let handlerLog: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  env = await startHandlerEnvironment();
  moto = ec2Client(env.peer.motoEndpoint);
  // The peer's log has the parameters, not the headers. The SDK's retry strategy marks every attempt with
  // amz-sdk-invocation-id (one per logical call) and amz-sdk-request (attempt=N): listen for them on the
  // proxy's server too (a second 'request' listener that only reads headers; the peer's own handling is untouched).
  const proxy = (env.peer as unknown as { server: http.Server }).server;
  proxy.on('request', (request: http.IncomingMessage) => {
    const retry = /attempt=(\d+)/.exec(String(request.headers['amz-sdk-request'] ?? ''));
    wire.push({
      at: Date.now(),
      invocationId: String(request.headers['amz-sdk-invocation-id'] ?? ''),
      attempt: Number(retry?.[1] ?? 0),
    });
  });
});
afterAll(async () => {
  moto?.destroy();
  await env?.stop();
});
beforeEach(async () => {
  await env.peer.reset();
  clearLogs();
  handlerLog = [];
  const capture = (line: unknown) => {
    try {
      handlerLog.push(JSON.parse(String(line)));
    } catch {
      handlerLog.push({ message: String(line) });
    }
  };
  jest.spyOn(console, 'log').mockImplementation(capture);
  jest.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => jest.restoreAllMocks());

function clearLogs(): void {
  env.peer.clearLog();
  wire.length = 0;
}

/** The custom resource the construct synthesises (logical id and properties as CloudFormation hands them over). */
function declared(props: AmiLaunchPermissionsProps): { logicalId: string; properties: Record<string, unknown> } {
  const [[logicalId, resource]] = Object.entries(launchPermissionsStack({ Share: props }));
  return { logicalId, properties: resource.Properties };
}

/** The Create event CloudFormation sends for a declared resource. */
function createEvent(resource: { logicalId: string; properties: Record<string, unknown> }): any {
  return { RequestType: 'Create', LogicalResourceId: resource.logicalId, ResourceType: RESOURCE_TYPE, ResourceProperties: resource.properties };
}

/** Live launch permissions, read on moto directly, as sorted 'Field:value' strings. */
function live(imageId: string): Promise<string[]> {
  return livePermissions(moto, imageId);
}

async function grantOutsider(imageId: string, account = OUTSIDER): Promise<void> {
  await moto.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ UserId: account }] } }));
}

/** ModifyImageAttribute requests as 'status errorCode' (for the report). */
function writesOnTheWire(): string[] {
  return requestsOf('ModifyImageAttribute').map(r => `${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}`);
}

function requestsOf(action: string): RecordedRequest[] {
  return env.peer.requests.filter(r => r.action === action);
}

function injected(kind: string): RecordedRequest[] {
  return env.peer.requests.filter(r => r.injected === kind);
}

/** Logical writes as the handler reports them: one log line per ModifyImageAttribute it decided to make. */
function loggedWrites(): number {
  return handlerLog.filter(l => typeof l.message === 'string' && l.message.startsWith('launch permissions: ')).length;
}

/**
 * Every retry on the wire is the SDK's: an attempt that failed is followed by the next attempt of the same invocation
 * (same amz-sdk-invocation-id, attempt + 1) with exactly the same parameters, before any other request of that
 * invocation, and every invocation ends in one answer that was not a fault. (Not always the very next request on the
 * wire: the reads before the first write go out together.) Returns the invocations (logical calls) by action.
 */
function expectOnlySdkRetries(): Record<string, number> {
  const requests = env.peer.requests;
  expect(wire).toHaveLength(requests.length);
  const invocations: Record<string, number> = {};
  requests.forEach((request, i) => {
    const failed = request.injected !== undefined && request.injected !== 'latency' && request.injected !== 'stale-read';
    if (failed) {
      const next = wire.findIndex((w, j) => j > i && w.invocationId === wire[i].invocationId);
      expect(next).toBeGreaterThan(i);
      expect(requests[next]).toMatchObject({ action: request.action, params: request.params });
      expect(wire[next]).toMatchObject({ invocationId: wire[i].invocationId, attempt: wire[i].attempt + 1 });
    } else {
      invocations[request.action] = (invocations[request.action] ?? 0) + 1;
      expect(request.status).toBe(200);
    }
    if (wire[i].attempt === 1) {
      // A new logical call: the previous one (if any) has ended with a non-fault answer.
      expect(new Set(wire.slice(0, i).map(w => w.invocationId))).not.toContain(wire[i].invocationId);
    }
  });
  expect(new Set(wire.map(w => w.invocationId)).size).toBe(Object.values(invocations).reduce((a, b) => a + b, 0));
  return invocations;
}

/** The writes each invocation of this test made, from the handler's own 'answer' log lines, in order. */
function answerWrites(): number[] {
  return handlerLog.filter(l => l.message === 'answer').map(l => Number(l.writes ?? 0));
}

/** Reads the handler makes per request when nothing is stale: the planning read, plus one verification read after writes. */
function expectedReads(): number {
  return answerWrites().reduce((reads, writes) => reads + 1 + (writes > 0 ? 1 : 0), 0);
}

function totalWrites(): number {
  return answerWrites().reduce((total, writes) => total + writes, 0);
}

/** One line of numbers per scenario on stdout (the console is silenced, to keep the handler quiet). */
function report(title: string, facts: Record<string, unknown>): void {
  process.stdout.write(`[faults] ${title}: ${JSON.stringify(facts)}\n`);
}

/**
 * Create, Update and Delete of two resources on two AMIs (ADDITIVE, and EXCLUSIVE with a public grant), checking the
 * exact live state after each deployment: 6 requests, 23 EC2 calls without faults. Both AMIs start with someone
 * else's grant (the outsider): ADDITIVE keeps it, EXCLUSIVE revokes it.
 */
async function lifecycle(cfn: CfnSimulator, [one, two]: string[]): Promise<void> {
  expect(await cfn.deploy(launchPermissionsStack({
    A: { imageId: one, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)] },
    B: {
      imageId: two,
      permissions: [LaunchPermission.organizationalUnit(OU), LaunchPermission.publicAccess()],
      mode: LaunchPermissionMode.EXCLUSIVE,
    },
  }))).toBeUndefined();
  expect(await live(one)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`, `UserId:${OUTSIDER}`]);
  expect(await live(two)).toEqual(['Group:all', `OrganizationalUnitArn:${OU}`]);

  expect(await cfn.deploy(launchPermissionsStack({
    A: { imageId: one, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organizationalUnit(OU)] },
    B: { imageId: two, permissions: [LaunchPermission.account(OTHER_ACCOUNT)], mode: LaunchPermissionMode.EXCLUSIVE },
  }))).toBeUndefined();
  expect(await live(one)).toEqual([`OrganizationalUnitArn:${OU}`, `UserId:${ACCOUNT}`, `UserId:${OUTSIDER}`]);
  expect(await live(two)).toEqual([`UserId:${OTHER_ACCOUNT}`]);

  expect(await cfn.destroy()).toBeUndefined();
  expect(await live(one)).toEqual([`UserId:${OUTSIDER}`]);
  expect(await live(two)).toEqual([]);
}

async function lifecycleImages(): Promise<string[]> {
  const images = [await createImage(moto), await createImage(moto)];
  for (const image of images) await grantOutsider(image);
  return images;
}

describe('transient EC2 failures are retried by the SDK, and the handler still converges', () => {
  test('30 % of EC2 requests throttled (15 %) or answered 500 / 503 (15 %)', async () => {
    const images = await lifecycleImages();
    const cfn = env.simulator();
    clearLogs();
    // Every EC2 request the handler makes is exposed (the test's own set-up and checks go to moto directly).
    const plan: FaultPlan = { throttleRate: 0.15, serverErrorRate: 0.15, seed: 96 };
    env.peer.injectFaults(plan);
    const started = Date.now();

    await lifecycle(cfn, images);

    expect(cfn.answers.map(a => a.Status)).toEqual(Array(6).fill('SUCCESS'));
    const throttled = injected('throttle');
    const serverErrors = injected('server-error');
    const total = env.peer.requests.length;
    report('throttling + 5xx', {
      requests: total,
      throttled: throttled.length,
      serverErrors: serverErrors.length,
      serverErrors500: serverErrors.filter(r => r.status === 500).length,
      serverErrors503: serverErrors.filter(r => r.status === 503).length,
      faultedWrites: requestsOf('ModifyImageAttribute').filter(r => r.injected !== undefined).length,
      maxAttemptsUsed: Math.max(...wire.map(w => w.attempt)),
      ms: Date.now() - started,
    });

    // The seed fixes the faults: there must be several of each, including on writes (a write that is retried must
    // still be applied exactly once).
    expect(throttled.length).toBeGreaterThanOrEqual(4);
    expect(serverErrors.length).toBeGreaterThanOrEqual(4);
    expect(new Set(serverErrors.map(r => r.status))).toEqual(new Set([500, 503]));
    expect(throttled.every(r => r.status === 400 && r.errorCode === 'RequestLimitExceeded')).toBe(true);
    const faultedWrites = requestsOf('ModifyImageAttribute').filter(r => r.injected !== undefined);
    expect(faultedWrites.some(r => r.injected === 'throttle')).toBe(true);
    expect(faultedWrites.some(r => r.injected === 'server-error')).toBe(true);
    expect((throttled.length + serverErrors.length) / total).toBeGreaterThan(0.2);

    // Every retry is the SDK's (same invocation, next attempt, same parameters); the handler made exactly its
    // logical calls: one planning read per request, one verification read per request that wrote, and the writes it
    // reports (Data.Writes) and logs, each applied once (one 200 per logical write).
    const invocations = expectOnlySdkRetries();
    const writes = totalWrites();
    expect(invocations).toMatchObject({ DescribeImageAttribute: expectedReads(), ModifyImageAttribute: writes });
    expect(loggedWrites()).toBe(writes);
    expect(requestsOf('ModifyImageAttribute').filter(r => r.status === 200)).toHaveLength(writes);
    expect(requestsOf('ModifyImageAttribute').length).toBeGreaterThan(writes);
  });

  test('a throttled ModifyImageAttribute is retried by the SDK as the same request: one logical write', async () => {
    const image = await createImage(moto);
    const cfn = env.simulator();
    clearLogs();
    // Only writes are faulted; with seed 1 the first attempt is throttled and the second is not.
    env.peer.injectFaults({ throttleRate: 0.5, seed: 1, actions: ['ModifyImageAttribute'] });
    const share = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] });

    const answer = await cfn.send(createEvent(share));

    expect(answer).toMatchObject({ Status: 'SUCCESS' });
    expect(answerWrites().at(-1)).toBe(1);
    const onTheWire = env.peer.requests.map(r => [r.action, r.status, r.injected]);
    // The two reads before the write go out together (the check before sharing reads the AMI's snapshots).
    expect(new Set(onTheWire.slice(0, 2).map(r => r[0]))).toEqual(new Set(['DescribeImageAttribute', 'DescribeImages']));
    expect(onTheWire.slice(2)).toEqual([
      ['ModifyImageAttribute', 400, 'throttle'],
      ['ModifyImageAttribute', 200, undefined],
      ['DescribeImageAttribute', 200, undefined],
    ]);
    const [, , throttled, applied] = env.peer.requests;
    expect(throttled.errorCode).toBe('RequestLimitExceeded');
    expect(applied.params).toEqual(throttled.params);
    expect(applied.params).toMatchObject({ 'ImageId': image, 'LaunchPermission.Add.1.UserId': ACCOUNT });
    // The second attempt is the SDK's: the same invocation id, attempt 2 (after the pre-flight DescribeImages).
    expect(wire.map(w => w.attempt)).toEqual([1, 1, 1, 2, 1]);
    expect(wire[3]).toMatchObject({ invocationId: wire[2].invocationId, attempt: 2 });
    expect(loggedWrites()).toBe(1);
    expect(await live(image)).toEqual([`UserId:${ACCOUNT}`]);
  });

  test('dropped connections (20 %) and 50 ms of latency on every EC2 request', async () => {
    const images = await lifecycleImages();
    const cfn = env.simulator();
    clearLogs();
    env.peer.injectFaults({ dropRate: 0.2, latencyMs: 50, seed: 18 });
    const started = Date.now();

    await lifecycle(cfn, images);

    expect(cfn.answers.map(a => a.Status)).toEqual(Array(6).fill('SUCCESS'));
    const drops = injected('drop');
    const delayed = injected('latency');
    report('drops + latency', {
      requests: env.peer.requests.length,
      dropped: drops.length,
      droppedWrites: requestsOf('ModifyImageAttribute').filter(r => r.injected === 'drop').length,
      delayedNotDropped: delayed.length,
      ms: Date.now() - started,
    });

    expect(drops.length).toBeGreaterThanOrEqual(4);
    expect(drops.every(r => r.status === 0)).toBe(true);
    expect(requestsOf('ModifyImageAttribute').some(r => r.injected === 'drop')).toBe(true);
    // Latency is added before the fault is decided: every request was delayed, dropped or not.
    expect(drops.length + delayed.length).toBe(env.peer.requests.length);

    const invocations = expectOnlySdkRetries();
    const writes = totalWrites();
    expect(invocations).toMatchObject({ DescribeImageAttribute: expectedReads(), ModifyImageAttribute: writes });
    expect(requestsOf('ModifyImageAttribute').filter(r => r.status === 200)).toHaveLength(writes);
    expect(loggedWrites()).toBe(writes);
  });
});

describe('after a write, the handler reads back until the write shows', () => {
  test('reads stale for 2.5 s after the write: SUCCESS only after a read shows it, with backoff (0.5-1 s, 1-2 s ...)', async () => {
    const image = await createImage(moto);
    const cfn = env.simulator();
    clearLogs();
    env.peer.injectFaults({ staleReadsMs: 2_500, actions: ['DescribeImageAttribute'] });
    const share = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] });

    const answer = await cfn.send(createEvent(share));
    const answeredAt = Date.now();

    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${image}/launchPermission` });
    expect(answerWrites().at(-1)).toBe(1);
    const actions = env.peer.requests.map(r => r.action);
    const write = actions.indexOf('ModifyImageAttribute');
    expect(actions.filter(a => a === 'ModifyImageAttribute')).toHaveLength(1);
    const verification = env.peer.requests.slice(write + 1);
    const verificationWire = wire.slice(write + 1);
    expect(verification.every(r => r.action === 'DescribeImageAttribute')).toBe(true);
    expect(verification.length).toBeGreaterThan(1);
    // Every read but the last still showed the state from before the write; the last one showed the write.
    expect(verification.slice(0, -1).every(r => r.injected === 'stale-read')).toBe(true);
    expect(verification.at(-1)!.injected).toBeUndefined();
    expect(verificationWire.at(-1)!.at - wire[write].at).toBeGreaterThanOrEqual(2_500);
    expect(answeredAt - wire[write].at).toBeGreaterThanOrEqual(2_500);
    // Backoff between the reads (at least half of 1 s, 2 s ...), each its own logical call (attempt 1): the handler's documented
    // read-back, not SDK retries.
    const gaps = verificationWire.slice(1).map((w, i) => w.at - verificationWire[i].at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(500 * 2 ** i - 50));
    expect(verificationWire.every(w => w.attempt === 1)).toBe(true);
    expect(await live(image)).toEqual([`UserId:${ACCOUNT}`]);

    report('stale reads 2.5 s', {
      verificationReads: verification.length,
      staleReads: injected('stale-read').length,
      gapsMs: gaps,
      answerAfterWriteMs: answeredAt - wire[write].at,
    });
  });

  test('stale for longer than its time budget: FAILED, saying what is still different', async () => {
    const image = await createImage(moto);
    // 24 s of invocation time: 20 s are kept for answering, which leaves a 4 s budget to converge in.
    const cfn = env.simulator(24_000);
    clearLogs();
    env.peer.injectFaults({ staleReadsMs: 60_000, actions: ['DescribeImageAttribute'] });
    const share = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] });
    const started = Date.now();

    const answer = await cfn.send(createEvent(share));
    const elapsed = Date.now() - started;

    expect(answer.Status).toBe('FAILED');
    expect(answer.PhysicalResourceId).toBe(`${share.logicalId}-not-created`);
    expect(answer.Reason).toContain(`UserId:${ACCOUNT} is not live yet`);
    expect(answer.Reason).toMatch(new RegExp(`^launch permissions of ${image} did not converge within the time budget after \\d+ reads: `));
    // Answered by the verification at the end of its budget, not by the watchdog (which would fire at 16 s).
    expect(elapsed).toBeGreaterThanOrEqual(3_500);
    expect(elapsed).toBeLessThan(12_000);
    const reads = requestsOf('DescribeImageAttribute');
    expect(reads.filter(r => r.injected === 'stale-read').length).toBe(reads.length - 1);
    expect(answer.Reason).toContain(`after ${reads.length} reads`);
    expect(requestsOf('ModifyImageAttribute')).toHaveLength(1);
    // The write itself was made: only the handler's view of it is stale.
    expect(await live(image)).toEqual([`UserId:${ACCOUNT}`]);

    report('stale beyond budget', { reads: reads.length, elapsedMs: elapsed, reason: answer.Reason });
  });
});

describe('IAM still applying the handler\'s policies (the same deployment created them)', () => {
  test('every EC2 call denied for 2.5 s: the handler waits with backoff, then converges with one write', async () => {
    const image = await createImage(moto);
    const cfn = env.simulator();
    clearLogs();
    env.peer.injectFaults({ deniedForMs: 2_500 });

    const answer = await cfn.send(createEvent(declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] })));

    expect(answer.Status).toBe('SUCCESS');
    const denied = injected('denied');
    expect(denied.length).toBeGreaterThanOrEqual(2);
    // Only reads are ever denied (the first read, and the check before sharing that goes out with it): no write is tried
    // before IAM lets the handler read.
    expect(denied.every(r => ['DescribeImageAttribute', 'DescribeImages'].includes(r.action) && r.status === 403
      && r.errorCode === 'UnauthorizedOperation')).toBe(true);
    // Denials are not retried by the SDK: each one is a new read of the handler's, after its backoff.
    expect(new Set(wire.filter((_, i) => env.peer.requests[i].injected === 'denied').map(w => w.invocationId)).size).toBe(denied.length);
    expect(writesOnTheWire()).toEqual(['200']);
    expect(await live(image)).toEqual([`UserId:${ACCOUNT}`]);
    report('IAM propagation 2.5 s', { deniedReads: denied.length, requests: env.peer.requests.length });
  });
});

describe('a planning read that is stale', () => {
  test('an Update planned from a stale read still revokes what a later fresh read shows, before it answers', async () => {
    const image = await createImage(moto);
    const cfn = env.simulator();
    const previous = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.account(OUTSIDER)] });
    const next = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.account(THIRD)] });
    const created = await cfn.send(createEvent(declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] })));
    // OUTSIDER is granted through the peer while reads are stale for 2.5 s, so the Update's planning read does not
    // show it yet. Planning from that read alone would add THIRD and leave OUTSIDER, which this declaration dropped.
    env.peer.injectFaults({ staleReadsMs: 2_500, actions: ['DescribeImageAttribute'] });
    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: OUTSIDER }] } }));
    clearLogs();
    const answer = await cfn.send({
      RequestType: 'Update',
      LogicalResourceId: next.logicalId,
      ResourceType: RESOURCE_TYPE,
      PhysicalResourceId: created.PhysicalResourceId,
      ResourceProperties: next.properties,
      OldResourceProperties: previous.properties,
    } as any);

    expect(answer.Status).toBe('SUCCESS');
    expect(requestsOf('DescribeImageAttribute')[0].injected).toBe('stale-read');
    expect(await live(image)).toEqual([`UserId:${ACCOUNT}`, `UserId:${THIRD}`]);
    // The stale plan's addition is written once; the revocation a fresh read called for is written once.
    expect(requestsOf('ModifyImageAttribute').map(r => Object.entries(r.params).filter(([k]) => k.startsWith('LaunchPermission.')))).toEqual([
      [['LaunchPermission.Add.1.UserId', THIRD]],
      [['LaunchPermission.Remove.1.UserId', OUTSIDER]],
    ]);
  });
});

describe('the same event delivered twice', () => {
  let redeliveries = 0;

  /** Invokes the handler twice with the identical event (same RequestId and ResponseURL), as a redelivery would. */
  async function deliverTwice(event: Record<string, unknown>): Promise<{ answers: CfnAnswer[]; modifies: number[] }> {
    const requestId = `redelivered-${event.RequestType}-${++redeliveries}`;
    const full = {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:CdkAmiSharingHandler',
      ...event,
      ResponseURL: env.server.url(requestId),
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/AmiSharingTest/11111111-2222-3333-4444-555555555555',
      RequestId: requestId,
    } as unknown as CloudFormationCustomResourceEvent;
    const modifies: number[] = [];
    for (let delivery = 0; delivery < 2; delivery++) {
      clearLogs();
      await env.handler(full, lambdaContext(60_000));
      modifies.push(requestsOf('ModifyImageAttribute').length);
    }
    return { answers: env.server.answersFor(requestId), modifies };
  }

  function expectSameAnswer(answers: CfnAnswer[]): void {
    expect(answers).toHaveLength(2);
    const [first, second] = answers.map(({ bytes: _bytes, ...rest }) => rest);
    expect(first.Status).toBe('SUCCESS');
    expect(second).toEqual(first);
  }

  test('Create: the same answer, and no write the second time', async () => {
    const image = await createImage(moto);
    const share = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)] });

    const { answers, modifies } = await deliverTwice(createEvent(share));

    expect(modifies).toEqual([1, 0]);
    expect(answerWrites().slice(-2)).toEqual([1, 0]);
    expect(await live(image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`]);
    expectSameAnswer(answers);
  });

  test('Update: the same answer, and no write the second time', async () => {
    const image = await createImage(moto);
    await grantOutsider(image);
    const before = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)] });
    const after = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT), LaunchPermission.organizationalUnit(OU)] });
    const created = await env.simulator().send(createEvent(before));
    expect(created.Status).toBe('SUCCESS');

    const { answers, modifies } = await deliverTwice({
      RequestType: 'Update',
      LogicalResourceId: after.logicalId,
      ResourceType: RESOURCE_TYPE,
      PhysicalResourceId: created.PhysicalResourceId,
      ResourceProperties: after.properties,
      OldResourceProperties: before.properties,
    });

    expect(modifies).toEqual([2, 0]);
    expect(answerWrites().slice(-2)).toEqual([2, 0]);
    expect(await live(image)).toEqual([`OrganizationalUnitArn:${OU}`, `UserId:${ACCOUNT}`, `UserId:${OUTSIDER}`]);
    expectSameAnswer(answers);
  });

  test('Delete: the same answer, and no write the second time', async () => {
    const image = await createImage(moto);
    await grantOutsider(image);
    const share = declared({ imageId: image, permissions: [LaunchPermission.account(ACCOUNT)] });
    const created = await env.simulator().send(createEvent(share));
    expect(created.Status).toBe('SUCCESS');

    const { answers, modifies } = await deliverTwice({
      RequestType: 'Delete',
      LogicalResourceId: share.logicalId,
      ResourceType: RESOURCE_TYPE,
      PhysicalResourceId: created.PhysicalResourceId,
      ResourceProperties: share.properties,
    });

    expect(modifies).toEqual([1, 0]);
    expect(answerWrites().slice(-2)).toEqual([1, 0]);
    expect(await live(image)).toEqual([`UserId:${OUTSIDER}`]);
    expectSameAnswer(answers);
  });
});

describe('rollback: a failed Update, then CloudFormation\'s Update back to the old properties', () => {
  const A = [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)];
  const B = [LaunchPermission.organizationalUnit(OU), LaunchPermission.publicAccess()];

  /**
   * Create with A; Update to B, which fails; the rollback Update (A again, B as the old properties, the same physical
   * id). `beforeUpdate` sets up what makes B fail.
   */
  async function failThenRollBack(a: AmiLaunchPermissionsProps, b: AmiLaunchPermissionsProps, options: {
    beforeUpdate?: () => void; updateRemainingMs?: number; beforeRollback?: () => void;
  } = {}): Promise<{ failed: CfnAnswer; rolledBack: CfnAnswer; afterFailure: string[] }> {
    const cfn = env.simulator();
    const old = declared(a);
    const next = declared(b);
    expect(next.logicalId).toBe(old.logicalId);
    const created = await cfn.send(createEvent(old));
    expect(created.Status).toBe('SUCCESS');
    const physicalId = created.PhysicalResourceId;

    options.beforeUpdate?.();
    const failed = await env.simulator(options.updateRemainingMs).send({
      RequestType: 'Update',
      LogicalResourceId: old.logicalId,
      ResourceType: RESOURCE_TYPE,
      PhysicalResourceId: physicalId,
      ResourceProperties: next.properties,
      OldResourceProperties: old.properties,
    } as any);
    expect(failed).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalId });
    const afterFailure = await live(a.imageId);

    options.beforeRollback?.();
    const rolledBack = await cfn.send({
      RequestType: 'Update',
      LogicalResourceId: old.logicalId,
      ResourceType: RESOURCE_TYPE,
      PhysicalResourceId: physicalId,
      ResourceProperties: old.properties,
      OldResourceProperties: next.properties,
    } as any);
    expect(rolledBack).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalId });
    return { failed, rolledBack, afterFailure };
  }

  /** What makes B (which adds publicAccess()) fail: refused before any write, or by EC2 after B's revocations. */
  const failures: Record<string, { setUp: () => void; reason: string }> = {
    'block public access is on': {
      setUp: () => env.peer.setBlockPublicAccess('block-new-sharing'),
      reason: 'block public access for AMIs is on',
    },
    'the public AMI quota is used up': {
      setUp: () => env.peer.setPublicImageQuota(0),
      reason: 'quota of public AMIs',
    },
  };

  describe.each(Object.keys(failures))('B is refused because %s', failure => {
    test('ADDITIVE: the rollback leaves A\'s principals live and someone else\'s grant untouched', async () => {
      const image = await createImage(moto);
      await grantOutsider(image);
      clearLogs();

      const { failed, afterFailure } = await failThenRollBack(
        { imageId: image, permissions: A },
        { imageId: image, permissions: B },
        { beforeUpdate: failures[failure].setUp });

      expect(failed.Reason).toContain(failures[failure].reason);
      expect(await live(image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`, `UserId:${OUTSIDER}`]);
      report(`rollback ADDITIVE, ${failure}`, { liveAfterFailedUpdate: afterFailure, writes: writesOnTheWire() });
    });

    test('EXCLUSIVE: the rollback makes the live permissions exactly A again', async () => {
      const image = await createImage(moto);
      await grantOutsider(image);
      clearLogs();

      const { failed, afterFailure } = await failThenRollBack(
        { imageId: image, permissions: A, mode: LaunchPermissionMode.EXCLUSIVE },
        { imageId: image, permissions: [...B, LaunchPermission.account(OTHER_ACCOUNT)], mode: LaunchPermissionMode.EXCLUSIVE },
        { beforeUpdate: failures[failure].setUp });

      expect(failed.Reason).toContain(failures[failure].reason);
      expect(await live(image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`]);
      report(`rollback EXCLUSIVE, ${failure}`, { liveAfterFailedUpdate: afterFailure, writes: writesOnTheWire() });
    });
  });

  test('ADDITIVE: an Update to an AMI that does not exist fails, and the rollback leaves A on the old AMI', async () => {
    const image = await createImage(moto);
    await grantOutsider(image);
    clearLogs();

    // 22 s of invocation time: 2 s of waiting for the AMI to appear (it might just have been created), then FAILED.
    const { failed } = await failThenRollBack({ imageId: image, permissions: A }, { imageId: 'ami-0123456789abcdef0', permissions: B },
      { updateRemainingMs: 22_000 });

    expect(failed.Reason).toContain('ImageId: AMI ami-0123456789abcdef0 does not exist in this account and Region');
    expect(requestsOf('ModifyImageAttribute')).toHaveLength(1); // Create's add only
    expect(await live(image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`, `UserId:${OUTSIDER}`]);
  });

  // CloudFormation keeps the old physical id after a FAILED Update and never sends a Delete for the AMI the Update
  // moved to: the handler takes back its own writes there before it answers.
  describe('an Update that moves to another AMI and fails there after writing', () => {
    test('ADDITIVE, the write never shows within the budget: it is undone on the new AMI, A stays on the old', async () => {
      const [image, next] = [await createImage(moto), await createImage(moto)];
      await grantOutsider(next);
      clearLogs();

      // 24 s of invocation time leaves 4 s to verify in; reads of either AMI are stale until the rollback.
      const { failed } = await failThenRollBack({ imageId: image, permissions: A }, { imageId: next, permissions: B.slice(0, 1) }, {
        beforeUpdate: () => env.peer.injectFaults({ staleReadsMs: 60_000, actions: ['DescribeImageAttribute'] }),
        updateRemainingMs: 24_000,
        beforeRollback: () => env.peer.clearFaults(),
      });

      expect(failed.Reason).toContain(`OrganizationalUnitArn:${OU} is not live yet. This request's 1 write to ${next} was undone`);
      expect(await live(next)).toEqual([`UserId:${OUTSIDER}`]);
      expect(await live(image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`]);
      expect(writesOnTheWire()).toHaveLength(3); // Create's add; the Update's add and its undo; the rollback has none
      report('failed move, stale beyond budget', { reason: failed.Reason, writes: writesOnTheWire() });
    });

    test('EXCLUSIVE, EC2 refuses the public grant after the revocation: the revocation is undone', async () => {
      const [image, next] = [await createImage(moto), await createImage(moto)];
      await grantOutsider(next);
      clearLogs();

      const { failed } = await failThenRollBack(
        { imageId: image, permissions: A, mode: LaunchPermissionMode.EXCLUSIVE },
        { imageId: next, permissions: B, mode: LaunchPermissionMode.EXCLUSIVE },
        { beforeUpdate: () => env.peer.setPublicImageQuota(0) });

      expect(failed.Reason).toContain('quota of public AMIs');
      expect(failed.Reason).toMatch(new RegExp(`Service Quotas\\. This request's 1 write to ${next} was undone$`));
      expect(await live(next)).toEqual([`UserId:${OUTSIDER}`]);
      expect(await live(image)).toEqual([`OrganizationArn:${ORG}`, `UserId:${ACCOUNT}`]);
      // On the new AMI: revoke the outsider, the refused add, the outsider granted back.
      expect(requestsOf('ModifyImageAttribute').filter(r => r.params.ImageId === next)
        .map(r => Object.entries(r.params).filter(([k]) => k.startsWith('LaunchPermission.')))).toEqual([
        [['LaunchPermission.Remove.1.UserId', OUTSIDER]],
        [['LaunchPermission.Add.1.Group', 'all'], ['LaunchPermission.Add.2.OrganizationalUnitArn', OU]],
        [['LaunchPermission.Add.1.UserId', OUTSIDER]],
      ]);
      report('failed move, public quota', { reason: failed.Reason, writes: writesOnTheWire() });
    });
  });
});
