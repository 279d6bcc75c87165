/**
 * Ec2Peer: the project's EC2 test peer.
 *
 * A real EC2 query-protocol implementation (moto, started as a child process) behind a small HTTP
 * proxy of our own. The proxy records every request, forwards it to moto unchanged, and steps in
 * only where moto 5.2.1 does not behave like EC2 for the calls this library makes. Each such place
 * is marked `EMULATES:` with the EC2 behaviour and the AWS page it comes from. On top of that it can
 * inject faults (throttling, 5xx, dropped connections, latency, stale reads), decided before a
 * request is forwarded, so a faulted write is never applied.
 *
 * Used by jest tests, the demo script and the benchmark script: point the SDK's `endpoint` (or
 * AWS_ENDPOINT_URL_EC2) at `peer.endpoint`.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as http from 'http';
import { freePort } from './free-port';
import { TokenBuckets } from './token-buckets';

export interface RecordedRequest {
  /** e.g. 'ModifyImageAttribute'; for a request without an Action parameter, 'METHOD /path'. */
  readonly action: string;
  /** The decoded form (and query string) parameters as sent on the wire, minus authentication ones. */
  readonly params: Record<string, string>;
  /** HTTP status the peer answered; 0 while in flight, and for a dropped connection. */
  readonly status: number;
  /** EC2 error code when the answer was an error. */
  readonly errorCode?: string;
  /** Which fault was injected, if any: 'throttle', 'server-error', 'drop', 'latency', 'stale-read', 'denied' or 'iam'. */
  readonly injected?: string;
}

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
   * while IAM has not yet applied a policy that was just created or changed.
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

export interface Ec2PeerStartOptions {
  /** Python interpreter with moto installed (default 'python3'). */
  readonly python?: string;
  /** How long to wait for moto to answer (default 15 000 ms). */
  readonly startTimeoutMs?: number;
  /**
   * Make one EC2 request before start() resolves, so moto's lazy import of its EC2 backend is not
   * paid by the first real request (default true; tests of the process lifecycle turn it off).
   */
  readonly warmUp?: boolean;
}

export type ImageBlockPublicAccessState = 'block-new-sharing' | 'unblocked';

/** The actions restrictImageAccess applies to. */
const IMAGE_ATTRIBUTE_ACTIONS = ['DescribeImageAttribute', 'ModifyImageAttribute'];

/** EC2's XML namespace for API version 2016-11-15 (the only EC2 API version). */
const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const XML_CONTENT_TYPE = 'text/xml;charset=UTF-8';
/** Actions that change state, for `writes()`. */
const WRITE_ACTION = /^(Modify|Reset|Enable|Disable|Cancel)/;
/** EC2 resource ids are the prefix plus 8 (older) or 17 (current) hex digits. */
const IMAGE_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** Query-string authentication parameters (SigV4 presigned and legacy SigV2): not the caller's request. */
const AUTH_PARAMS = new Set([
  'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-Signature',
  'X-Amz-SignedHeaders', 'X-Amz-Security-Token', 'AWSAccessKeyId', 'Signature', 'SignatureMethod',
  'SignatureVersion', 'SecurityToken', 'Timestamp',
]);
/**
 * moto routes a request to its EC2 backend and Region from the credential scope of the SigV4
 * Authorization header (it does not verify the signature). Internal look-ups reuse the caller's
 * header so they reach the same Region; this one is for callers that sent none.
 */
const DEFAULT_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKIATESTTESTTESTTEST/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0';
const DEFAULT_PUBLIC_IMAGE_QUOTA = 5;
const DEFAULT_SEED = 1;

/** An HTTP answer as the proxy will send it. */
interface Answer {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
}

/** The mutable form of RecordedRequest: filled in as the request is handled. */
interface LogEntry {
  action: string;
  params: Record<string, string>;
  status: number;
  errorCode?: string;
  injected?: string;
}

/** One request from a client, as the handlers see it. */
interface Call {
  readonly action: string;
  readonly params: Record<string, string>;
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly authorization: string;
  readonly log: LogEntry;
}

/** The DescribeImageAttribute answer from just before a write. */
interface StaleSnapshot {
  /** Epoch ms when the write was answered; Infinity while it is in flight. */
  writtenAt: number;
  readonly answer: Answer;
}

/** What fault injection decided for one request. */
type Fault =
  | { readonly kind: 'drop' }
  | { readonly kind: 'latency' }
  | { readonly kind: 'answer'; readonly name: string; readonly answer: Answer };

export class Ec2Peer {
  /**
   * Starts moto on a free loopback port, waits until it answers, then starts the proxy on another
   * free loopback port. Rejects with moto's stderr if moto does not come up.
   */
  public static async start(options: Ec2PeerStartOptions = {}): Promise<Ec2Peer> {
    const moto = await MotoProcess.launch(options.python ?? 'python3', options.startTimeoutMs ?? 15_000);
    const server = http.createServer();
    try {
      if (options.warmUp ?? true) {
        // moto imports its EC2 backend on the first EC2 request (~2 s). Pay that here, so the first
        // test or benchmark measurement does not.
        await moto.ec2(formBody({ 'Action': 'DescribeImages', 'Version': '2016-11-15', 'Owner.1': 'self' }), DEFAULT_AUTHORIZATION);
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        // Port 0: the kernel picks a free port and we read it back, so no race with other processes.
        server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      await moto.kill();
      throw err;
    }
    return new Ec2Peer(moto, server);
  }

  /** 'http://127.0.0.1:PORT' of the proxy: what clients point their EC2 endpoint at. */
  public readonly endpoint: string;
  /** moto itself, bypassing the proxy (no recording, emulation or faults). */
  public readonly motoEndpoint: string;
  /** Every request the proxy saw, in order of arrival. */
  public readonly requests: RecordedRequest[] = [];

  private readonly log: LogEntry[];
  private readonly moto: MotoProcess;
  private readonly server: http.Server;
  // Emulated state moto does not keep, by image id.
  private readonly descriptions = new Map<string, string>();
  private readonly imdsSupport = new Map<string, string>();
  private readonly productCodes = new Map<string, string[]>();
  private blockPublicAccess: ImageBlockPublicAccessState = 'unblocked';
  private publicImageQuota = DEFAULT_PUBLIC_IMAGE_QUOTA;
  // Fault injection.
  private faults?: FaultPlan;
  /** EC2's per-API request token buckets, when enforced (see enforceTokenBuckets). */
  private buckets?: TokenBuckets;
  /** AMIs the caller may read and modify attributes of, when restricted (see restrictImageAccess). */
  private imageAccess?: ReadonlySet<string>;
  /** When the plan's deniedForMs window ends (epoch ms). */
  private deniedUntil = 0;
  private random: () => number = lehmer(DEFAULT_SEED);
  private readonly staleSnapshots = new Map<string, StaleSnapshot[]>();
  /** Serialises "make public" pre-flight + write, so two concurrent calls cannot both pass the quota check. */
  private publicSharingQueue: Promise<unknown> = Promise.resolve();

  private constructor(moto: MotoProcess, server: http.Server) {
    this.moto = moto;
    this.server = server;
    this.log = this.requests as LogEntry[];
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new Error(`unexpected proxy address: ${String(address)}`);
    }
    this.endpoint = `http://127.0.0.1:${address.port}`;
    this.motoEndpoint = moto.endpoint;
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        // Last resort: never leave a client hanging because of a bug in the peer.
        if (!res.headersSent) {
          res.writeHead(502, { 'Content-Type': 'text/plain' });
        }
        res.end(`ec2-peer error: ${String(err)}`);
      });
    });
  }

  /** The moto process id (to check it dies with its parent). */
  public get motoPid(): number | undefined {
    return this.moto.pid;
  }

  public clearLog(): void {
    this.log.length = 0;
  }

  /** Requests whose action mutates state (Modify*, Reset*, Enable*, Disable*, Cancel*). */
  public writes(): RecordedRequest[] {
    return this.requests.filter((r) => WRITE_ACTION.test(r.action));
  }

  public countByAction(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) {
      counts[r.action] = (counts[r.action] ?? 0) + 1;
    }
    return counts;
  }

  /** Empties moto (POST /moto-api/reset) and the peer's own state, settings, faults and log. */
  public async reset(): Promise<void> {
    const answer = await this.moto.request('POST', '/moto-api/reset', '', {});
    if (answer.status !== 200) {
      throw new Error(`moto reset answered ${answer.status}: ${answer.body}`);
    }
    this.descriptions.clear();
    this.imdsSupport.clear();
    this.productCodes.clear();
    this.blockPublicAccess = 'unblocked';
    this.publicImageQuota = DEFAULT_PUBLIC_IMAGE_QUOTA;
    this.imageAccess = undefined;
    this.buckets = undefined;
    this.clearFaults();
    this.clearLog();
  }

  /**
   * EMULATES the caller's IAM identity policy with resource-level permissions on image ARNs (Service Authorization
   * Reference, Amazon EC2: DescribeImageAttribute and ModifyImageAttribute on `image`): with a set, those two actions
   * on any other AMI answer UnauthorizedOperation (403). Undefined (the default) allows everything, as moto does.
   */
  public restrictImageAccess(allowed: ReadonlySet<string> | undefined): void {
    this.imageAccess = allowed;
  }

  /** Stops the proxy and kills moto. Safe to call twice. */
  public async stop(): Promise<void> {
    if (this.server.listening) {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      // Keep-alive sockets from SDK clients would otherwise hold close() open.
      this.server.closeAllConnections();
      await closed;
    }
    await this.moto.kill();
  }

  /** Emulates the account's block public access for AMIs setting (all Regions alike). */
  public setBlockPublicAccess(state: ImageBlockPublicAccessState): void {
    this.blockPublicAccess = state;
  }

  /** Emulates a Marketplace AMI: DescribeImages shows the codes and the image cannot be made public. */
  public setProductCodes(imageId: string, codes: string[]): void {
    if (codes.length === 0) {
      this.productCodes.delete(imageId);
    } else {
      this.productCodes.set(imageId, [...codes]);
    }
  }

  /** Public AMIs allowed per Region (EC2 default 5). */
  public setPublicImageQuota(n: number): void {
    this.publicImageQuota = n;
  }

  /**
   * EMULATES EC2's request rate limiting (EC2 Developer Guide "Request throttling for the Amazon EC2 API"): while set,
   * a request whose API's bucket is empty answers RequestLimitExceeded (HTTP 503) without reaching moto. Undefined
   * (the default) stops it.
   */
  public enforceTokenBuckets(buckets: TokenBuckets | undefined): void {
    this.buckets = buckets;
  }

  public injectFaults(plan: FaultPlan): void {
    this.faults = plan;
    this.deniedUntil = Date.now() + (plan.deniedForMs ?? 0);
    this.random = lehmer(plan.seed ?? DEFAULT_SEED);
    this.staleSnapshots.clear();
  }

  public clearFaults(): void {
    this.faults = undefined;
    this.deniedUntil = 0;
    this.random = lehmer(DEFAULT_SEED);
    this.staleSnapshots.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Request pipeline: record -> faults -> (stale-read snapshot) -> emulate or forward -> record.

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const params = parseParams(req.url ?? '/', body);
    const action = params.Action ?? `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    const log: LogEntry = { action, params: withoutAuth(params), status: 0 };
    this.log.push(log);
    const call: Call = {
      action,
      params,
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      authorization: firstHeader(req.headers.authorization) ?? DEFAULT_AUTHORIZATION,
      log,
    };

    const fault = this.imageAccessDenial(action, params) ?? this.bucketRefusal(action) ?? await this.decideFault(action);
    if (fault?.kind === 'drop') {
      log.injected = 'drop';
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    if (fault?.kind === 'answer') {
      log.injected = fault.name;
      answer = fault.answer;
    } else {
      if (fault?.kind === 'latency') {
        log.injected = 'latency';
      }
      answer = await this.answerWithStaleReads(call);
    }

    log.status = answer.status;
    if (answer.status >= 300) {
      log.errorCode = /<Code>([^<]*)<\/Code>/.exec(answer.body)?.[1];
    }
    const payload = Buffer.from(answer.body, 'utf8');
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': answer.contentType ?? XML_CONTENT_TYPE,
      'Content-Length': payload.length,
    };
    // EC2 also sends the request id as a header; the SDK reads it from there into $metadata.requestId.
    const requestId = /<(?:requestId|RequestID)>([^<]*)</.exec(answer.body)?.[1];
    if (requestId !== undefined) {
      headers['x-amzn-RequestId'] = requestId;
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
  }

  private bucketRefusal(action: string): Fault | undefined {
    if (!this.buckets || this.buckets.take(action)) return undefined;
    return { kind: 'answer', name: 'throttle', answer: ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.') };
  }

  private imageAccessDenial(action: string, params: Record<string, string>): Fault | undefined {
    if (!this.imageAccess || !IMAGE_ATTRIBUTE_ACTIONS.includes(action) || this.imageAccess.has(params.ImageId ?? '')) {
      return undefined;
    }
    return { kind: 'answer', name: 'iam', answer: unauthorized() };
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
  private async decideFault(action: string): Promise<Fault | undefined> {
    const plan = this.faults;
    if (plan === undefined || !affects(plan, action)) {
      return undefined;
    }
    const outcome = this.random();
    const which = this.random();
    if (plan.latencyMs !== undefined && plan.latencyMs > 0) {
      await sleep(plan.latencyMs);
    }
    // EMULATES: IAM eventual consistency ("Changes that I make are not always immediately visible", IAM User Guide,
    // troubleshooting): EC2 denies a call its caller's new policy allows until IAM has applied it everywhere.
    if (Date.now() < this.deniedUntil) {
      return {
        kind: 'answer',
        name: 'denied',
        answer: unauthorized(),
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

  /**
   * EMULATES: EC2 eventual consistency (EC2 Developer Guide "Eventual consistency in the Amazon EC2
   * API"): a read right after a write may still show the state from before the write.
   * Model: reads of an image attribute see it as it was staleReadsMs ago. Before a write to an
   * attribute is forwarded, the peer's own DescribeImageAttribute answer for it is snapshotted; a
   * read answers the snapshot of the earliest write made within the last staleReadsMs, if any.
   * So for staleReadsMs after a write, reads show the state from before it, and they converge
   * staleReadsMs after the last write, however often a client repeats its write.
   */
  private async answerWithStaleReads(call: Call): Promise<Answer> {
    const plan = this.faults;
    const staleMs = plan?.staleReadsMs ?? 0;
    const imageId = call.params.ImageId;
    if (staleMs <= 0 || plan === undefined || imageId === undefined) {
      return this.dispatch(call);
    }
    const now = Date.now();

    if (call.action === 'DescribeImageAttribute') {
      const key = snapshotKey(imageId, call.params.Attribute ?? '');
      const recent = (this.staleSnapshots.get(key) ?? []).filter((s) => s.writtenAt > now - staleMs);
      if (recent.length > 0 && affects(plan, call.action)) {
        call.log.injected = 'stale-read';
        return withNewRequestId(recent[0].answer);
      }
      return this.dispatch(call);
    }

    const attribute = writtenAttribute(call.action, call.params);
    if (attribute === undefined || call.params.DryRun === 'true') {
      return this.dispatch(call);
    }
    const before = await this.describeImageAttribute(imageId, attribute, call.authorization, undefined);
    const snapshot: StaleSnapshot = { writtenAt: Infinity, answer: before }; // Infinity: in flight, already stale
    const key = snapshotKey(imageId, attribute);
    const history = this.staleSnapshots.get(key) ?? [];
    // Prune in place (the array is shared with writes still in flight).
    for (let i = history.length - 1; i >= 0; i--) {
      if (history[i].writtenAt <= now - staleMs) {
        history.splice(i, 1);
      }
    }
    history.push(snapshot);
    this.staleSnapshots.set(key, history);
    const answer = await this.dispatch(call);
    if (answer.status === 200 && before.status === 200) {
      snapshot.writtenAt = Date.now();
    } else {
      // Nothing changed (or nothing to show): no stale window for this write.
      history.splice(history.indexOf(snapshot), 1);
    }
    return answer;
  }

  private async dispatch(call: Call): Promise<Answer> {
    switch (call.action) {
      case 'ModifyImageAttribute':
        return this.modifyImageAttribute(call);
      case 'DescribeImageAttribute':
        return this.describeImageAttribute(call.params.ImageId, call.params.Attribute, call.authorization, call);
      case 'DescribeImages':
        return this.describeImages(call);
      case 'DeregisterImage':
        return this.deregisterImage(call);
      case 'GetImageBlockPublicAccessState':
      case 'EnableImageBlockPublicAccess':
      case 'DisableImageBlockPublicAccess':
        return this.imageBlockPublicAccess(call);
      default:
        return this.forward(call);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Emulations.

  private async modifyImageAttribute(call: Call): Promise<Answer> {
    const p = call.params;
    const imageId = p.ImageId;
    // EMULATES: InvalidAMIID.Malformed for an id that is not "ami-" + 8 or 17 hex digits (EC2 API
    // Reference "Error codes"; EC2 User Guide "Resource IDs"). moto only checks the "ami-" prefix.
    if (imageId !== undefined && !IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    // DryRun checks permissions only (ModifyImageAttribute: "DryRunOperation if allowed"); moto does that.
    if (p.DryRun === 'true' || imageId === undefined) {
      return this.forward(call);
    }
    const attribute = writtenAttribute(call.action, p);

    if (attribute === 'description') {
      const value = p['Description.Value'] ?? p.Value;
      if (value === undefined) {
        return this.forward(call);
      }
      // EMULATES: ModifyImageAttribute Description ("A new description for the AMI", API Reference
      // example 5). moto accepts and ignores it; it still answers InvalidAMIID.NotFound for a
      // missing image, so it is forwarded first and the value kept only when moto accepted it.
      const moto = await this.forward(call);
      if (moto.status !== 200) {
        return moto;
      }
      this.descriptions.set(imageId, value);
      return modifySucceeded();
    }

    if (attribute === 'imdsSupport') {
      const value = p['ImdsSupport.Value'] ?? p.Value;
      // EMULATES: ModifyImageAttribute ImdsSupport: "Set to v2.0 ..."; v2.0 is the only value and,
      // once set, cannot be undone (API Reference, ModifyImageAttribute; EC2 User Guide "Configure
      // the AMI" for IMDSv2). Anything else is an InvalidParameterValue.
      if (value !== 'v2.0') {
        return ec2Error(400, 'InvalidParameterValue',
          `Value (${value ?? ''}) for parameter imdsSupport is invalid. Only v2.0 is supported, and it cannot be undone.`);
      }
      const moto = await this.forward(call);
      if (moto.status !== 200) {
        return moto;
      }
      this.imdsSupport.set(imageId, value);
      return modifySucceeded();
    }

    if (attribute === 'launchPermission' && addsPublicLaunchPermission(p)) {
      return this.serialisePublicSharing(async () => {
        const refusal = await this.publicSharingPreflight(imageId, call.authorization);
        return refusal ?? this.forward(call);
      });
    }
    return this.forward(call);
  }

  /**
   * EMULATES the checks EC2 makes before an AMI is made public (LaunchPermission Add Group=all),
   * none of which moto has:
   *  - block public access for AMIs (EC2 User Guide "Block public access to your AMIs"): with the
   *    account in block-new-sharing, EC2 answers OperationNotPermitted;
   *  - "Images with an AWS Marketplace product code cannot be made public" (API Reference,
   *    ModifyImageAttribute); EC2 answers OperationNotPermitted (as reported by users of it);
   *  - the public AMIs quota, 5 per Region by default (EC2 User Guide "AMI quotas"); EC2 answers
   *    ResourceLimitExceeded.
   * The image must exist first: EC2 answers InvalidAMIID.NotFound before anything else.
   */
  private async publicSharingPreflight(imageId: string, authorization: string): Promise<Answer | undefined> {
    const missing = await this.checkImageExists(imageId, authorization);
    if (missing !== undefined) {
      return missing;
    }
    if (this.blockPublicAccess === 'block-new-sharing') {
      return ec2Error(400, 'OperationNotPermitted',
        'You can\'t publicly share this image because block public access for AMIs is enabled for this account. '
        + 'To publicly share the image, you must call the DisableImageBlockPublicAccess API.');
    }
    if ((this.productCodes.get(imageId) ?? []).length > 0) {
      return ec2Error(400, 'OperationNotPermitted', 'Images with an AWS Marketplace product code cannot be made public.');
    }
    // The count comes from moto, which knows which of the caller's images are public in that Region
    // (including those made public by writes the peer forwarded, and minus deregistered ones).
    const publicIds = await this.publicImageIds(authorization);
    if (!publicIds.includes(imageId) && publicIds.length + 1 > this.publicImageQuota) {
      return ec2Error(400, 'ResourceLimitExceeded',
        `You have reached your quota of ${this.publicImageQuota} public images in this Region. `
        + 'Make one or more public images private, or request a quota increase.');
    }
    return undefined;
  }

  /**
   * `call` is the client's request when there is one (forwarded unchanged where moto is right), and
   * undefined for the peer's own look-ups (stale-read snapshots).
   */
  private async describeImageAttribute(
    imageId: string | undefined, attribute: string | undefined, authorization: string, call: Call | undefined,
  ): Promise<Answer> {
    const viaMoto = (): Promise<Answer> => call !== undefined
      ? this.forward(call)
      : this.moto.ec2(formBody({ Action: 'DescribeImageAttribute', Version: '2016-11-15', ImageId: imageId ?? '', Attribute: attribute ?? '' }), authorization);
    if (imageId === undefined || attribute === undefined) {
      return viaMoto();
    }
    // EMULATES: InvalidAMIID.Malformed (EC2 API Reference "Error codes"); moto answers 500.
    if (!IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }

    if (attribute === 'description' && this.descriptions.has(imageId)) {
      // EMULATES: DescribeImageAttribute description answers the value set by ModifyImageAttribute.
      return attributeAnswer(imageId, 'description', this.descriptions.get(imageId));
    }
    if (attribute === 'imdsSupport') {
      // EMULATES: DescribeImageAttribute imdsSupport (moto answers 500): { Value: 'v2.0' } once set,
      // and no value for an AMI without it, as EC2 does.
      const missing = await this.checkImageExists(imageId, authorization);
      return missing ?? attributeAnswer(imageId, 'imdsSupport', this.imdsSupport.get(imageId));
    }
    if (attribute === 'productCodes' && this.productCodes.has(imageId)) {
      // EMULATES: a Marketplace AMI's product codes (setProductCodes), as DescribeImages shows them.
      return {
        status: 200,
        body: xmlResponse('DescribeImageAttributeResponse',
          `<imageId>${escapeXml(imageId)}</imageId>${productCodesXml(this.productCodes.get(imageId) ?? [])}`),
      };
    }

    const answer = await viaMoto();
    if (answer.status >= 500) {
      // EMULATES: InvalidAMIID.NotFound (HTTP 400) for an image that does not exist; moto answers 500.
      const missing = await this.checkImageExists(imageId, authorization);
      if (missing !== undefined) {
        return missing;
      }
    }
    return answer;
  }

  /**
   * DescribeImages from moto, with the state only the peer keeps written into each image item
   * (description, imdsSupport, productCodes), so DescribeImages and DescribeImageAttribute agree.
   */
  private async describeImages(call: Call): Promise<Answer> {
    const answer = await this.forward(call);
    const touched = [...this.descriptions.keys(), ...this.imdsSupport.keys(), ...this.productCodes.keys()];
    if (answer.status !== 200 || !touched.some((id) => answer.body.includes(id))) {
      return answer;
    }
    const body = mapTopLevelItems(answer.body, 'imagesSet', (item) => {
      const id = tagText(item, 'imageId');
      if (id === undefined) {
        return item;
      }
      let out = item;
      const description = this.descriptions.get(id);
      if (description !== undefined) {
        out = replaceOrAppend(out, 'description', `<description>${escapeXml(description)}</description>`);
      }
      const imds = this.imdsSupport.get(id);
      if (imds !== undefined) {
        out = replaceOrAppend(out, 'imdsSupport', `<imdsSupport>${escapeXml(imds)}</imdsSupport>`);
      }
      const codes = this.productCodes.get(id);
      if (codes !== undefined) {
        out = replaceOrAppend(out, 'productCodes', productCodesXml(codes));
      }
      return out;
    });
    return { ...answer, body };
  }

  /** Forwarded; on success the peer forgets what it kept for the image, as EC2 does. */
  private async deregisterImage(call: Call): Promise<Answer> {
    const answer = await this.forward(call);
    const imageId = call.params.ImageId;
    if (answer.status === 200 && imageId !== undefined) {
      this.descriptions.delete(imageId);
      this.imdsSupport.delete(imageId);
      this.productCodes.delete(imageId);
      for (const key of [...this.staleSnapshots.keys()]) {
        if (key.startsWith(`${imageId}|`)) {
          this.staleSnapshots.delete(key);
        }
      }
    }
    return answer;
  }

  /**
   * EMULATES: Get/Enable/DisableImageBlockPublicAccess (API Reference; moto answers 500). EC2 can take
   * up to 10 minutes to apply Enable/Disable; the peer applies them at once (tests that need the
   * transition can call setBlockPublicAccess themselves).
   */
  private imageBlockPublicAccess(call: Call): Answer {
    if (call.params.DryRun === 'true') {
      return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    }
    if (call.action === 'EnableImageBlockPublicAccess') {
      const requested = call.params.ImageBlockPublicAccessState;
      if (requested !== 'block-new-sharing') {
        return ec2Error(400, 'InvalidParameterValue',
          `Value (${requested ?? ''}) for parameter ImageBlockPublicAccessState is invalid. Valid value: block-new-sharing.`);
      }
      this.blockPublicAccess = 'block-new-sharing';
    } else if (call.action === 'DisableImageBlockPublicAccess') {
      this.blockPublicAccess = 'unblocked';
    }
    const managedBy = call.action === 'GetImageBlockPublicAccessState' ? '<managedBy>account</managedBy>' : '';
    return {
      status: 200,
      body: xmlResponse(`${call.action}Response`,
        `<imageBlockPublicAccessState>${this.blockPublicAccess}</imageBlockPublicAccessState>${managedBy}`),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Talking to moto.

  /** The client's request, unchanged (method, path, headers, body), to moto. */
  private forward(call: Call): Promise<Answer> {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(call.headers)) {
      if (!['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'expect'].includes(name)) {
        headers[name] = value;
      }
    }
    return this.moto.request(call.method, call.url, call.body, headers);
  }

  /**
   * undefined if the image exists, else the EC2 error to answer (InvalidAMIID.NotFound or
   * .Malformed). moto's DescribeImages with one ImageId gives exactly EC2's answer for those.
   */
  private async checkImageExists(imageId: string, authorization: string): Promise<Answer | undefined> {
    if (!IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    const answer = await this.moto.ec2(formBody({ 'Action': 'DescribeImages', 'Version': '2016-11-15', 'ImageId.1': imageId }), authorization);
    if (answer.status === 200 && answer.body.includes(`<imageId>${imageId}</imageId>`)) {
      return undefined;
    }
    if (answer.status === 400) {
      return reissueError(answer);
    }
    if (answer.status === 200) {
      return imageNotFound(imageId);
    }
    return answer;
  }

  /** Ids of the caller's public images in the caller's Region. */
  private async publicImageIds(authorization: string): Promise<string[]> {
    const answer = await this.moto.ec2(formBody({
      'Action': 'DescribeImages',
      'Version': '2016-11-15',
      'Owner.1': 'self',
      'Filter.1.Name': 'is-public',
      'Filter.1.Value.1': 'true',
    }), authorization);
    if (answer.status !== 200) {
      throw new Error(`moto DescribeImages answered ${answer.status}: ${answer.body}`);
    }
    const ids: string[] = [];
    mapTopLevelItems(answer.body, 'imagesSet', (item) => {
      const id = tagText(item, 'imageId');
      if (id !== undefined) {
        ids.push(id);
      }
      return item;
    });
    return ids;
  }

  private serialisePublicSharing(fn: () => Promise<Answer>): Promise<Answer> {
    const run = this.publicSharingQueue.then(fn, fn);
    this.publicSharingQueue = run.catch(() => undefined);
    return run;
  }
}

// -----------------------------------------------------------------------------------------------
// moto child process.

/**
 * Runs moto's server and exits as soon as its stdin closes. WHY: the OS closes the pipe when the
 * parent dies for any reason, including SIGKILL or a jest worker being torn down, when no 'exit'
 * handler runs; without this moto would outlive the test run and hold its port.
 */
const MOTO_LAUNCHER = [
  'import os, sys, threading',
  'def _exit_when_parent_goes():',
  '    sys.stdin.buffer.read()',
  '    os._exit(0)',
  'threading.Thread(target=_exit_when_parent_goes, daemon=True).start()',
  'from moto.server import main',
  'main(["-H", "127.0.0.1", "-p", sys.argv[1]])',
].join('\n');
const STDERR_TAIL_BYTES = 8 * 1024;

class MotoProcess {
  /** Starts moto on a free port; retries on a fresh port if another process took it first. */
  public static async launch(python: string, timeoutMs: number): Promise<MotoProcess> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const moto = new MotoProcess(python, await freePort());
      try {
        await moto.waitUntilReady(timeoutMs);
        return moto;
      } catch (err) {
        lastError = err;
        await moto.kill();
        if (!moto.stderrTail.includes('Address already in use')) {
          break;
        }
      }
    }
    throw lastError;
  }

  public readonly endpoint: string;
  private readonly port: number;
  private readonly child: ChildProcess;
  private stderrTail = '';
  private exit?: string;
  private readonly exited: Promise<void>;
  /** Kept as a field so the same function can be removed from process 'exit' again. */
  private readonly killOnParentExit: () => void;

  private constructor(python: string, port: number) {
    this.port = port;
    this.endpoint = `http://127.0.0.1:${port}`;
    this.child = spawn(python, ['-c', MOTO_LAUNCHER, String(port)], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    // Always drain stderr (moto logs every request there): a full pipe would block moto.
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    this.child.stdin?.on('error', () => undefined); // EPIPE if moto is already gone
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.exit = `failed to spawn ${python}: ${err.message}`;
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        this.exit = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      });
    });
    // Synchronous: 'exit' handlers cannot wait. The stdin watchdog covers deaths that skip this.
    this.killOnParentExit = () => this.child.kill('SIGKILL');
    process.once('exit', this.killOnParentExit);
    // moto alone must not keep the parent alive; the proxy server (and stop()) decide that.
    this.child.unref();
    unrefStream(this.child.stdin);
    unrefStream(this.child.stderr);
  }

  public get pid(): number | undefined {
    return this.child.pid;
  }

  public async kill(): Promise<void> {
    process.off('exit', this.killOnParentExit);
    if (this.exit === undefined) {
      this.child.stdin?.end();
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** An EC2 query request of the peer's own (not recorded, no faults). */
  public ec2(body: string, authorization: string): Promise<Answer> {
    return this.request('POST', '/', body, {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'authorization': authorization,
    });
  }

  public request(method: string, path: string, body: string | Buffer, headers: http.OutgoingHttpHeaders): Promise<Answer> {
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return new Promise((resolve, reject) => {
      // A fresh connection per request (agent: false): the cost is negligible on loopback, and it
      // rules out the reuse-of-a-socket-the-server-just-closed race, which could replay a write.
      const req = http.request({
        host: '127.0.0.1',
        port: this.port,
        method,
        path,
        agent: false,
        headers: { ...headers, 'content-length': payload.length },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: firstHeader(res.headers['content-type']),
        }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit !== undefined) {
        throw new Error(`moto ${this.exit} before answering on port ${this.port}. stderr:\n${this.stderrTail}`);
      }
      if (await this.answers()) {
        return;
      }
      await sleep(100);
    }
    throw new Error(`moto did not answer on port ${this.port} within ${timeoutMs} ms. stderr:\n${this.stderrTail}`);
  }

  /** Any HTTP answer at all means the server is up. */
  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: this.port, path: '/', agent: false, timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
  }
}

// -----------------------------------------------------------------------------------------------
// Helpers: EC2 query protocol, XML (targeted string handling: this is a test peer), faults.

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** EC2 query parameters: the query string plus a form-encoded body. */
function parseParams(url: string, body: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const source of [query, body.toString('utf8')]) {
    for (const [key, value] of new URLSearchParams(source)) {
      params[key] = value;
    }
  }
  return params;
}

function withoutAuth(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([key]) => !AUTH_PARAMS.has(key)));
}

function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Which image attribute a write changes, if it is one of the attribute writes. */
function writtenAttribute(action: string, p: Record<string, string>): string | undefined {
  if (action === 'ResetImageAttribute' || action === 'CancelImageLaunchPermission') {
    return 'launchPermission'; // the only attribute either can change
  }
  if (action !== 'ModifyImageAttribute') {
    return undefined;
  }
  if (p.Attribute !== undefined) {
    return p.Attribute;
  }
  const keys = Object.keys(p);
  if (keys.some((k) => k.startsWith('Description.'))) {
    return 'description';
  }
  if (keys.some((k) => k.startsWith('ImdsSupport.'))) {
    return 'imdsSupport';
  }
  if (keys.some((k) => /^(LaunchPermission\.|UserId\.|UserGroup\.|OrganizationArn\.|OrganizationalUnitArn\.)/.test(k))) {
    return 'launchPermission';
  }
  return undefined;
}

/** LaunchPermission.Add.N.Group=all (structured form) or OperationType=add + UserGroup.N=all (legacy form). */
function addsPublicLaunchPermission(p: Record<string, string>): boolean {
  return Object.entries(p).some(([key, value]) => value === 'all'
    && (/^LaunchPermission\.Add\.\d+\.Group$/.test(key) || (p.OperationType === 'add' && /^UserGroup\.\d+$/.test(key))));
}

function affects(plan: FaultPlan, action: string): boolean {
  return plan.actions === undefined || plan.actions.includes(action);
}

function snapshotKey(imageId: string, attribute: string): string {
  return `${imageId}|${attribute}`;
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function unrefStream(stream: unknown): void {
  (stream as { unref?: () => void } | null)?.unref?.();
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, '\'').replace(/&amp;/g, '&');
}

/** Text of the first <tag>text</tag> in xml. */
function tagText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return match === null ? undefined : unescapeXml(match[1]);
}

/**
 * Replaces the first <tag>...</tag> (or <tag/>) in an item, or appends the element before the
 * item's closing tag. Used on image items, where description, imdsSupport and productCodes only
 * occur at the item's top level.
 */
function replaceOrAppend(item: string, tag: string, element: string): string {
  const existing = new RegExp(`<${tag}/>|<${tag}>[\\s\\S]*?</${tag}>`);
  if (existing.test(item)) {
    return item.replace(existing, () => element);
  }
  const close = item.lastIndexOf('</item>');
  return item.slice(0, close) + element + item.slice(close);
}

/** Applies fn to each top-level <item> of <setTag> (nested items such as block devices are skipped). */
function mapTopLevelItems(xml: string, setTag: string, fn: (item: string) => string): string {
  const open = `<${setTag}>`;
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(`</${setTag}>`);
  if (start < 0 || end < start) {
    return xml;
  }
  const contentStart = start + open.length;
  const content = xml.slice(contentStart, end);
  let out = '';
  let copied = 0;
  let depth = 0;
  let itemStart = 0;
  for (const match of content.matchAll(/<item>|<\/item>/g)) {
    const index = match.index ?? 0;
    if (match[0] === '<item>') {
      if (depth === 0) {
        itemStart = index;
      }
      depth++;
    } else if (--depth === 0) {
      const itemEnd = index + match[0].length;
      out += content.slice(copied, itemStart) + fn(content.slice(itemStart, itemEnd));
      copied = itemEnd;
    }
  }
  return xml.slice(0, contentStart) + out + content.slice(copied) + xml.slice(end);
}

function productCodesXml(codes: string[]): string {
  const items = codes.map((code) => `<item><productCode>${escapeXml(code)}</productCode><type>marketplace</type></item>`);
  return `<productCodes>${items.join('')}</productCodes>`;
}

function xmlResponse(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${EC2_XMLNS}"><requestId>${randomUUID()}</requestId>${inner}</${root}>`;
}

function modifySucceeded(): Answer {
  return { status: 200, body: xmlResponse('ModifyImageAttributeResponse', '<return>true</return>') };
}

/** DescribeImageAttribute's shape for a single-value attribute; no value gives an empty element. */
function attributeAnswer(imageId: string, attribute: string, value: string | undefined): Answer {
  const element = value === undefined
    ? `<${attribute}/>`
    : `<${attribute}><value>${escapeXml(value)}</value></${attribute}>`;
  return { status: 200, body: xmlResponse('DescribeImageAttributeResponse', `<imageId>${escapeXml(imageId)}</imageId>${element}`) };
}

/** EC2's XML error document. */
function ec2Error(status: number, code: string, message: string): Answer {
  return {
    status,
    body: '<?xml version="1.0" encoding="UTF-8"?>\n'
      + `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors>`
      + `<RequestID>${randomUUID()}</RequestID></Response>`,
  };
}

/** EC2's answer to a call the caller's IAM policies do not allow. */
function unauthorized(): Answer {
  return ec2Error(403, 'UnauthorizedOperation', 'You are not authorized to perform this operation.');
}

function imageNotFound(imageId: string): Answer {
  return ec2Error(400, 'InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
}

function malformedImageId(imageId: string): Answer {
  return ec2Error(400, 'InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
}

/** moto's error, re-issued in EC2's exact shape (fresh request id, no namespace on <Response>). */
function reissueError(answer: Answer): Answer {
  return ec2Error(answer.status, tagText(answer.body, 'Code') ?? 'InternalError', tagText(answer.body, 'Message') ?? '');
}

function withNewRequestId(answer: Answer): Answer {
  return { ...answer, body: answer.body.replace(/<requestId>[^<]*<\/requestId>/, `<requestId>${randomUUID()}</requestId>`) };
}
