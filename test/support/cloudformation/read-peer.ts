// A CloudFormation read peer: the four read calls `cdk-ami-sharing plan` makes, answered from stacks the test hands
// it, over the same query protocol (form-encoded POST, XML answers) the AWS SDK speaks to CloudFormation.
//
// EMULATED, because moto 5.2.1 cannot hold a stack with this library's custom resources (it would have to run their
// Lambda function, and its custom-resource support gives none of the handler's physical ids): the stacks come from
// EmulatedStack.deployedState(), i.e. the real handler bundle driven through CloudFormation's update order against the
// EC2 peer, so physical ids and parameter values are what a deployment produced. The answers follow the
// CloudFormation API Reference pages DescribeStacks (Stacks.member: StackName, StackId, StackStatus, Parameters with
// ResolvedValue for SSM-typed parameters, Outputs; a ValidationError "Stack with id X does not exist" for an unknown
// stack), GetTemplate (TemplateBody of the Original stage), ListStackResources (StackResourceSummaries, NextToken)
// and ListExports (Exports: Name, Value, ExportingStackId). Every request is recorded, so a test can prove the plan
// made no other call.
//
// A stack can also be attached while it deploys (attach): DescribeStacks then answers its status of the moment and
// DescribeStackResource (StackResourceDetail: LogicalResourceId, PhysicalResourceId, ResourceType, ResourceStatus,
// LastUpdatedTimestamp) the physical id on record at that moment, which is how a resource that keeps superseded AMIs
// tells a rollback and a replacement's cleanup apart (lambda/superseded/stack-record.ts).
//
// The handler's scheduled enforcement reads its stack through it too, by stack id (StackName takes a name or an id),
// with the handler role's identity policies enforced when a test sets them (enforceIdentityPolicies): IAM evaluates
// cloudformation:<Action> on the stack's ARN (ListExports: '*'; Service Authorization Reference, AWS CloudFormation),
// and CloudFormation answers a denial with AccessDenied (403).
import type { DeployedState, EmulatedStack } from './stack';
import { evaluate, IamVerdict, IdentityPolicy } from '../ec2-peer/iam';
import { loopbackServer } from '../loopback-server';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const READ_ACTION = /^(Describe|Get|List)/;
const STATUS = 'UPDATE_COMPLETE';
/** The ListStackResources page size. */
const PAGE_SIZE = 100;

export interface CfnRequest {
  readonly action: string;
  readonly params: Record<string, string>;
  /** The IAM evaluation, while identity policies are enforced. */
  iam?: IamVerdict;
}

export class CloudFormationReadPeer {
  public static async start(): Promise<CloudFormationReadPeer> {
    const peer = new CloudFormationReadPeer();
    await new Promise<void>(resolve => peer.server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  /** Every request, in order of arrival. */
  public readonly requests: CfnRequest[] = [];
  private readonly stacks = new Map<string, DeployedState>();
  private readonly statuses = new Map<string, string>();
  private readonly live = new Map<string, Pick<EmulatedStack, 'status' | 'recordedPhysicalId' | 'deployedState'>>();
  private policies?: ReadonlyArray<IdentityPolicy>;
  private readonly server = loopbackServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const action = params.Action ?? `${req.method} ${req.url}`;
      const request: CfnRequest = { action, params };
      this.requests.push(request);
      void this.authorize(request).then(denied => {
        const { status, body } = denied ?? this.answer(action, params);
        res.writeHead(status, { 'Content-Type': 'text/xml' }).end(body);
      });
    });
  });

  private constructor() {}

  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Requests that are not Describe*, Get* or List* calls. */
  public writes(): CfnRequest[] {
    return this.requests.filter(r => !READ_ACTION.test(r.action));
  }

  /** Publishes a stack as deployed (or replaces it); undefined state removes it. */
  public setStack(stackName: string, state: DeployedState | undefined): void {
    if (state) this.stacks.set(stackName, state); else this.stacks.delete(stackName);
    this.statuses.delete(stackName);
  }

  /** Answers for a stack as it is at the moment of each request, while it deploys (see the file comment). */
  public attach(stackName: string, stack: Pick<EmulatedStack, 'status' | 'recordedPhysicalId' | 'deployedState'>): void {
    this.live.set(stackName, stack);
  }

  /** Stops answering for an attached stack (then setStack's state, if any, answers). */
  public detach(stackName: string): void {
    this.live.delete(stackName);
  }

  /** The StackStatus DescribeStacks answers for the stack (UPDATE_COMPLETE unless set), e.g. an operation under way. */
  public setStatus(stackName: string, status: string): void {
    this.statuses.set(stackName, status);
  }

  /** The caller's identity policies, evaluated on every request while set; undefined: none (the plan's user). */
  public enforceIdentityPolicies(policies: ReadonlyArray<IdentityPolicy> | undefined): void {
    this.policies = policies === undefined ? undefined : [...policies];
  }

  /** EMULATES: IAM's authorization of a CloudFormation request; the denial CloudFormation answers (AccessDenied). */
  private async authorize(request: CfnRequest): Promise<{ status: number; body: string } | undefined> {
    if (!this.policies) return undefined;
    const name = this.stackNameOf(request.params.StackName);
    const resource = name !== undefined ? stackId(name) : request.params.StackName ?? '*';
    request.iam = await evaluate({ action: `cloudformation:${request.action}`, resource, context: {} }, this.policies);
    return request.iam.result === 'Allowed' ? undefined : error('AccessDenied',
      `User: handler is not authorized to perform: cloudformation:${request.action} on resource: ${resource}`, 403);
  }

  /** A stack's name from the StackName parameter, which takes the name or the stack id (ARN). */
  private stackNameOf(nameOrId: string | undefined): string | undefined {
    if (nameOrId === undefined) return undefined;
    const match = /^arn:aws:cloudformation:[^:]+:\d{12}:stack\/([^/]+)\/[^/]+$/.exec(nameOrId);
    return match && stackId(match[1]) === nameOrId ? match[1] : nameOrId;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  private answerAttached(action: string, name: string, stack: Pick<EmulatedStack, 'status' | 'recordedPhysicalId' | 'deployedState'>,
    params: Record<string, string>): { status: number; body: string } {
    switch (action) {
      case 'DescribeStacks':
        return ok(action, `<Stacks><member>${stackXml(stack.deployedState() ?? emptyState(name), stack.status)}</member></Stacks>`);
      case 'DescribeStackResource': {
        const physicalId = stack.recordedPhysicalId(params.LogicalResourceId);
        if (physicalId === undefined) {
          return error('ValidationError', `Resource ${params.LogicalResourceId} does not exist for stack ${name}`);
        }
        const type = stack.deployedState()?.resources.find(r => r.logicalId === params.LogicalResourceId)?.type ?? 'AWS::CloudFormation::CustomResource';
        return ok(action, `<StackResourceDetail>${fields({
          StackName: name,
          StackId: stackId(name),
          LogicalResourceId: params.LogicalResourceId,
          PhysicalResourceId: physicalId,
          ResourceType: type,
          ResourceStatus: 'UPDATE_COMPLETE',
          LastUpdatedTimestamp: '2026-01-01T00:00:00.000Z',
        })}</StackResourceDetail>`);
      }
      default: return error('InvalidAction', `The action ${action} is not answered for a stack that is deploying (read peer)`);
    }
  }

  private answer(action: string, params: Record<string, string>): { status: number; body: string } {
    const name = this.stackNameOf(params.StackName);
    const attached = name !== undefined ? this.live.get(name) : undefined;
    if (attached) return this.answerAttached(action, name!, attached, params);
    const stack = name !== undefined ? this.stacks.get(name) : undefined;
    if (params.StackName !== undefined && !stack) {
      return error('ValidationError', `Stack with id ${params.StackName} does not exist`);
    }
    switch (action) {
      case 'DescribeStacks': return ok(action, `<Stacks><member>${stackXml(stack!, this.statuses.get(name!) ?? STATUS)}</member></Stacks>`);
      case 'GetTemplate': return ok(action,
        `<TemplateBody>${escape(JSON.stringify(stack!.template))}</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`);
      case 'ListStackResources': {
        const start = Number(params.NextToken ?? 0);
        const page = stack!.resources.slice(start, start + PAGE_SIZE);
        const next = start + PAGE_SIZE < stack!.resources.length ? `<NextToken>${start + PAGE_SIZE}</NextToken>` : '';
        return ok(action, `<StackResourceSummaries>${page.map(r => `<member>${fields({
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: r.physicalId,
          ResourceType: r.type,
          ResourceStatus: 'UPDATE_COMPLETE',
          LastUpdatedTimestamp: '2026-01-01T00:00:00.000Z',
        })}</member>`).join('')}</StackResourceSummaries>${next}`);
      }
      case 'ListExports': return ok(action, `<Exports>${[...this.stacks.values()].flatMap(s => s.outputs
        .filter(o => o.exportName).map(o => `<member>${fields({ ExportingStackId: stackId(s.stackName), Name: o.exportName!, Value: o.value })}</member>`))
        .join('')}</Exports>`);
      default: return error('InvalidAction', `The action ${action} is not valid for this web service (the read peer answers reads only).`);
    }
  }
}

function emptyState(stackName: string): DeployedState {
  return { stackName, template: {}, parameters: [], outputs: [], resources: [] };
}

export function stackId(name: string): string {
  return `arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/00000000-0000-0000-0000-000000000000`;
}

function stackXml(stack: DeployedState, status: string): string {
  const parameters = stack.parameters.map(p => `<member>${fields({
    ParameterKey: p.key, ParameterValue: p.value, ...p.resolvedValue !== p.value ? { ResolvedValue: p.resolvedValue } : {},
  })}</member>`).join('');
  const outputs = stack.outputs.map(o => `<member>${fields({ OutputKey: o.key, OutputValue: o.value, ...o.exportName ? { ExportName: o.exportName } : {} })}</member>`).join('');
  return fields({ StackName: stack.stackName, StackId: stackId(stack.stackName), StackStatus: status, CreationTime: '2026-01-01T00:00:00.000Z' })
    + `<Parameters>${parameters}</Parameters><Outputs>${outputs}</Outputs>`;
}

function fields(values: Record<string, string>): string {
  return Object.entries(values).map(([k, v]) => `<${k}>${escape(v)}</${k}>`).join('');
}

function ok(action: string, result: string) {
  return {
    status: 200,
    body: `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>`
      + `<ResponseMetadata><RequestId>read-peer</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function error(code: string, message: string, status = 400) {
  return {
    status,
    body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error>`
      + '<RequestId>read-peer</RequestId></ErrorResponse>',
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
