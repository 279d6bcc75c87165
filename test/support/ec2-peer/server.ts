// The peer itself: the HTTP proxy in front of moto, its request pipeline (record -> pre-dispatch steps -> stale
// reads -> emulate or forward -> record), and the settings tests use.
import * as http from 'http';
import { ManagedBy } from './account-settings';
import { AllowedImages, AllowedImagesValue } from './allowed-images';
import { PeerClock } from './clock';
import { ImageDeprecation } from './deprecation';
import { DeregistrationProtection } from './deregistration-protection';
import { Dispatcher } from './dispatch';
import { EncryptedImages } from './encrypted-images';
import { FaultInjector, FaultPlan } from './faults';
import { IamVerdict, IdentityPolicy, IdentityPolicyEnforcement } from './iam';
import { ImageAttributes } from './image-attributes';
import { ImageBlockPublicAccess, ImageBlockPublicAccessState } from './image-block-public-access';
import { MotoBackend } from './moto-backend';
import { MotoProcess } from './moto-process';
import { RequestStage, runStages } from './pipeline';
import { Answer, Call, DEFAULT_AUTHORIZATION, firstHeader, kmsOperation, kmsParams, parseParams, readBody, withoutAuth, XML_CONTENT_TYPE } from './protocol';
import { PublicSharing } from './public-sharing';
import { RateLimits } from './rate-limits';
import { loopbackServer } from '../loopback-server';
import { RecordedRequest, RequestLog } from './request-log';
import { StaleReads } from './stale-reads';
import { ImageUsageReports } from './usage-reports';
import type { TokenBuckets } from '../token-buckets';

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

export class Ec2Peer {
  /**
   * Starts moto on a free loopback port, waits until it answers, then starts the proxy on another
   * free loopback port. Rejects with moto's stderr if moto does not come up.
   */
  public static async start(options: Ec2PeerStartOptions = {}): Promise<Ec2Peer> {
    const moto = await MotoProcess.launch(options.python ?? 'python3', options.startTimeoutMs ?? 15_000);
    const server = loopbackServer();
    try {
      if (options.warmUp ?? true) {
        // moto imports its EC2 backend on the first EC2 request (~2 s). Pay that here, so the first
        // test or benchmark measurement does not.
        await new MotoBackend(moto).ec2({ 'Action': 'DescribeImages', 'Owner.1': 'self' }, DEFAULT_AUTHORIZATION);
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
  public readonly requests: RecordedRequest[];

  private readonly log = new RequestLog();
  private readonly moto: MotoProcess;
  private readonly server: http.Server;
  private readonly attributes: ImageAttributes;
  private readonly sharing: PublicSharing;
  private readonly blockPublicAccess = new ImageBlockPublicAccess();
  private readonly allowedImages = new AllowedImages();
  private readonly iam: IdentityPolicyEnforcement;
  private readonly faults = new FaultInjector();
  private readonly rateLimits = new RateLimits();
  private readonly staleReads: StaleReads;
  /** Encrypted AMIs and KMS (encrypted-images.ts). The handler's KMS requests come through the proxy too. */
  public readonly encryption: EncryptedImages;
  /** The time deprecation and the deregistration-protection cooldown see (clock.ts); tests may fix it. */
  public readonly clock = new PeerClock();
  private readonly deprecation: ImageDeprecation;
  private readonly protection: DeregistrationProtection;
  /**
   * AMI usage reports (usage-reports.ts): tests declare who uses an AMI (`usage.record(imageId, account, 'ec2:Instance',
   * n)`), how long a report stays pending (`usage.delayMs`, by `clock`), a failing report (`usage.failWith`) and
   * lastLaunchedTime (`usage.setLastLaunched`).
   */
  public readonly usage: ImageUsageReports;
  /** What may answer a request before it is dispatched, in order: permissions, EC2's rate limits, injected faults. */
  private readonly stages: RequestStage[];

  private constructor(moto: MotoProcess, server: http.Server) {
    this.moto = moto;
    this.server = server;
    this.requests = this.log.entries;
    const backend = new MotoBackend(moto);
    this.iam = new IdentityPolicyEnforcement(backend);
    this.attributes = new ImageAttributes(backend);
    this.sharing = new PublicSharing(backend, this.blockPublicAccess);
    this.deprecation = new ImageDeprecation(backend, this.clock);
    this.protection = new DeregistrationProtection(backend, this.clock);
    this.usage = new ImageUsageReports(backend, this.clock);
    const lifecycle = { deprecation: this.deprecation, protection: this.protection, usage: this.usage };
    const dispatcher = new Dispatcher(backend, this.attributes, this.sharing, this.blockPublicAccess, this.allowedImages, lifecycle,
      (imageId) => this.staleReads.forgetImage(imageId));
    this.encryption = new EncryptedImages(moto);
    this.staleReads = new StaleReads(this.faults, (call) => this.encryption.handle(call, (c) => dispatcher.dispatch(c)),
      (imageId, attribute, authorization) => dispatcher.describeImageAttribute(imageId, attribute, authorization, undefined));
    this.stages = [this.iam, this.rateLimits, this.faults];
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
    this.log.clear();
  }

  /**
   * Requests whose action mutates state (Modify*, Reset*, Enable*, Disable*, Cancel*, Replace*, Create/Revoke/RetireGrant,
   * CreateImageUsageReport).
   */
  public writes(): RecordedRequest[] {
    return this.log.writes();
  }

  public countByAction(): Record<string, number> {
    return this.log.countByAction();
  }

  /** Empties moto (POST /moto-api/reset) and the peer's own state, settings, faults and log. */
  public async reset(): Promise<void> {
    const answer = await this.moto.request('POST', '/moto-api/reset', '', {});
    if (answer.status !== 200) {
      throw new Error(`moto reset answered ${answer.status}: ${answer.body}`);
    }
    this.attributes.clear();
    this.sharing.clear();
    this.blockPublicAccess.setting.clear();
    this.allowedImages.setting.clear();
    this.deprecation.clear();
    this.protection.clear();
    this.usage.clear();
    this.clock.set(undefined);
    this.encryption.clear();
    this.iam.enforce(undefined);
    this.rateLimits.buckets = undefined;
    this.clearFaults();
    this.clearLog();
  }

  /**
   * Enforces EC2's per-API request token buckets (see rate-limits.ts): while set, a request whose bucket is empty
   * answers RequestLimitExceeded (HTTP 503). undefined (the default, and what reset() restores) stops it.
   */
  public enforceTokenBuckets(buckets: TokenBuckets | undefined): void {
    this.rateLimits.buckets = buckets;
  }

  /**
   * Enforces IAM identity policies on every request the proxy receives, evaluated by @cloud-copilot/iam-simulate for
   * the principal HANDLER_PRINCIPAL of account PEER_ACCOUNT (moto's): each EC2 action is asked as `ec2:<Action>` on
   * the ARN of the image or snapshot it acts on ('*' for actions without resource-level permissions), with the
   * context keys EC2 supplies (the resource's live tags from moto, ec2:Attribute, ec2:ImageID, aws:RequestedRegion ...;
   * see iam-requests.ts). A request not 'Allowed' is answered UnauthorizedOperation (403) and never reaches moto.
   *
   * The peer cannot tell the handler's requests from a test's own (both sign with the same test credentials), so
   * while policies are set they apply to every request through `endpoint`: set up before, and read state after
   * calling `enforceIdentityPolicies(undefined)` (the default, and what reset() restores), or through motoEndpoint.
   */
  public enforceIdentityPolicies(policies: ReadonlyArray<IdentityPolicy> | undefined): void {
    this.iam.enforce(policies);
  }

  /** The IAM verdicts of the requests in the log (since the last clearLog/reset), in order of arrival. */
  public iamVerdicts(): IamVerdict[] {
    return this.log.iamVerdicts();
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

  /** Images the peer keeps a deprecation time or deregistration protection state for. */
  public imagesWithLifecycleState(): string[] {
    return [...new Set([...this.deprecation.imageIds(), ...this.protection.imageIds()])];
  }

  /**
   * Emulates the account's block public access for AMIs setting (all Regions alike), in force at once. `managedBy`
   * 'declarative-policy' makes it an organization's: Get says so and Enable/Disable are refused (account-settings.ts).
   */
  public setBlockPublicAccess(state: ImageBlockPublicAccessState, managedBy: ManagedBy = 'account'): void {
    this.blockPublicAccess.setting.set(state);
    this.blockPublicAccess.setting.managedBy = managedBy;
  }

  /** After each Enable/DisableImageBlockPublicAccess, Get shows the previous state `reads` more times (EC2 takes minutes). */
  public setBlockPublicAccessPropagation(reads: number): void {
    this.blockPublicAccess.setting.readsBeforeShown = reads;
  }

  /**
   * Emulates the account's Allowed AMIs settings (all Regions alike), in force at once; `managedBy` as for
   * setBlockPublicAccess.
   */
  public setAllowedImages(value: AllowedImagesValue, managedBy: ManagedBy = 'account'): void {
    this.allowedImages.setting.set(value);
    this.allowedImages.setting.managedBy = managedBy;
  }

  /** The Allowed AMIs settings EC2 would show now, read without counting as a request. */
  public allowedImagesShown(): AllowedImagesValue {
    return this.allowedImages.setting.shown;
  }

  /** After each write to Allowed AMIs, Get shows the previous settings `reads` more times. */
  public setAllowedImagesPropagation(reads: number): void {
    this.allowedImages.setting.readsBeforeShown = reads;
  }

  /** Emulates a Marketplace AMI: DescribeImages shows the codes and the image cannot be made public. */
  public setProductCodes(imageId: string, codes: string[]): void {
    this.sharing.setProductCodes(imageId, codes);
  }

  /** Public AMIs allowed per Region (EC2 default 5). */
  public setPublicImageQuota(n: number): void {
    this.sharing.publicImageQuota = n;
  }

  public injectFaults(plan: FaultPlan): void {
    this.faults.inject(plan);
    this.staleReads.clear();
  }

  public clearFaults(): void {
    this.faults.clear();
    this.staleReads.clear();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const kms = kmsOperation(req.headers);
    const params = kms ? kmsParams(body) : parseParams(req.url ?? '/', body);
    const action = kms ?? params.Action ?? `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    const log = this.log.start(action, withoutAuth(params));
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

    const fault = await runStages(this.stages, call);
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
      answer = await this.staleReads.answer(call);
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
}
