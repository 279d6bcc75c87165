// A small stand-in for CloudFormation's side of the custom-resource protocol: it builds the events CloudFormation
// sends, serves the ResponseURL on loopback, reads the PUT answer, and keeps each resource's physical id and last
// properties the way a stack does (replacement when the physical id changes, then Delete of the old one; no Delete
// for a resource whose DeletionPolicy is Retain).
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { loopbackServer } from './loopback-server';

export type Handler = (event: CloudFormationCustomResourceEvent, context: Context) => Promise<void>;

export interface CfnAnswer {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, unknown>;
  /** Bytes of the body as received. */
  readonly bytes: number;
}

/** A custom resource as a template declares it. */
export interface DeclaredResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

interface ResourceState {
  readonly type: string;
  readonly physicalResourceId: string;
  readonly properties: Record<string, unknown>;
  readonly deletionPolicy?: string;
}

/** Serves ResponseURLs on 127.0.0.1 and hands back what the handler PUT there. */
export class ResponseServer {
  public static async start(): Promise<ResponseServer> {
    const server = new ResponseServer();
    await new Promise<void>(resolve => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  private readonly answers = new Map<string, CfnAnswer[]>();
  private readonly server = loopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const id = request.url!.slice(1);
      const list = this.answers.get(id) ?? [];
      list.push({ ...JSON.parse(body.toString('utf8')), bytes: body.length, method: request.method, contentType: request.headers['content-type'] });
      this.answers.set(id, list);
      response.writeHead(200).end();
    });
  });

  public url(id: string): string {
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}/${id}`;
  }

  public answersFor(id: string): CfnAnswer[] {
    return this.answers.get(id) ?? [];
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }
}

export function lambdaContext(remainingMs = 60_000): Context {
  const until = Date.now() + remainingMs;
  return {
    functionName: 'CdkAmiSharingHandler',
    awsRequestId: 'test-request',
    getRemainingTimeInMillis: () => Math.max(0, until - Date.now()),
  } as unknown as Context;
}

let requestCounter = 0;
const DEFAULT_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/AmiSharingTest/11111111-2222-3333-4444-555555555555';

export class CfnSimulator {
  /** The StackId of every event (an emulated stack's own id when a test reads the stack back through the read peer). */
  public readonly stackId: string;
  private readonly resources = new Map<string, ResourceState>();
  /** Every answer the handler gave, in order. */
  public readonly answers: Array<CfnAnswer & { requestType: string }> = [];

  /**
   * `repeatedAnswers`: accept the same answer PUT more than once for a request (CloudFormation keeps the first). The
   * handler repeats its PUT when one gets no HTTP answer in time, which hundreds of simulated containers answering one
   * loopback server on a two-core machine can cause; every other test insists on exactly one.
   */
  constructor(private readonly handler: Handler, private readonly server: ResponseServer, private readonly remainingMs = 60_000,
    private readonly options: { readonly repeatedAnswers?: boolean; readonly stackId?: string } = {}) {
    this.stackId = options.stackId ?? DEFAULT_STACK_ID;
  }

  /** Sends one event as CloudFormation would and returns the handler's PUT answer. */
  public async send(event: Omit<CloudFormationCustomResourceEvent, 'ResponseURL' | 'StackId' | 'RequestId' | 'ServiceToken'> & { ServiceToken?: string }): Promise<CfnAnswer> {
    const requestId = `req-${++requestCounter}`;
    const full = {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:CdkAmiSharingHandler',
      ...event,
      ResponseURL: this.server.url(requestId),
      StackId: this.stackId,
      RequestId: requestId,
    } as CloudFormationCustomResourceEvent;
    await this.handler(full, lambdaContext(this.remainingMs));
    const answers = this.server.answersFor(requestId);
    const repeated = answers.length > 1 && this.options.repeatedAnswers
      && new Set(answers.map(({ bytes: _bytes, ...answer }) => JSON.stringify(answer))).size === 1;
    if (answers.length !== 1 && !repeated) {
      throw new Error(`expected exactly one answer to ${event.RequestType} ${event.LogicalResourceId}, got ${answers.length}`);
    }
    this.answers.push({ ...answers[0], requestType: event.RequestType });
    return answers[0];
  }

  /**
   * Deploys a set of custom resources as a stack update does: creates new ones, updates changed ones, then (cleanup
   * phase) deletes replaced physical resources with their old properties and resources no longer declared. Stops at
   * the first FAILED answer and returns it (no rollback here; tests drive rollbacks explicitly with `send`).
   * `beforeCleanup` runs between the two phases (e.g. to change which AMIs the handler's role may touch).
   */
  public async deploy(declared: Record<string, DeclaredResource>, beforeCleanup?: () => void): Promise<CfnAnswer | undefined> {
    const cleanup: Array<{ logicalId: string; state: ResourceState }> = [];
    for (const [logicalId, resource] of Object.entries(declared)) {
      const current = this.resources.get(logicalId);
      if (!current) {
        const answer = await this.send({
          RequestType: 'Create', LogicalResourceId: logicalId, ResourceType: resource.Type, ResourceProperties: resource.Properties,
        } as any);
        if (answer.Status !== 'SUCCESS') return answer;
        this.resources.set(logicalId, this.stateOf(resource, answer.PhysicalResourceId));
      } else if (JSON.stringify(current.properties) !== JSON.stringify(resource.Properties)) {
        const answer = await this.send({
          RequestType: 'Update',
          LogicalResourceId: logicalId,
          ResourceType: resource.Type,
          PhysicalResourceId: current.physicalResourceId,
          ResourceProperties: resource.Properties,
          OldResourceProperties: current.properties,
        } as any);
        if (answer.Status !== 'SUCCESS') return answer;
        if (answer.PhysicalResourceId !== current.physicalResourceId && current.deletionPolicy !== 'Retain') {
          cleanup.push({ logicalId, state: current });
        }
        this.resources.set(logicalId, this.stateOf(resource, answer.PhysicalResourceId));
      } else if (resource.DeletionPolicy !== current.deletionPolicy) {
        this.resources.set(logicalId, this.stateOf(resource, current.physicalResourceId));
      }
    }
    for (const [logicalId, state] of this.resources) {
      if (!(logicalId in declared)) {
        this.resources.delete(logicalId);
        if (state.deletionPolicy !== 'Retain') cleanup.push({ logicalId, state });
      }
    }
    beforeCleanup?.();
    for (const { logicalId, state } of cleanup) {
      const answer = await this.send({
        RequestType: 'Delete',
        LogicalResourceId: logicalId,
        ResourceType: state.type,
        PhysicalResourceId: state.physicalResourceId,
        ResourceProperties: state.properties,
      } as any);
      if (answer.Status !== 'SUCCESS') return answer;
    }
    return undefined;
  }

  /** Deletes the whole stack. */
  public async destroy(): Promise<CfnAnswer | undefined> {
    return this.deploy({});
  }

  public physicalIdOf(logicalId: string): string | undefined {
    return this.resources.get(logicalId)?.physicalResourceId;
  }

  private stateOf(resource: DeclaredResource, physicalResourceId: string): ResourceState {
    return { type: resource.Type, physicalResourceId, properties: resource.Properties, deletionPolicy: resource.DeletionPolicy };
  }
}
