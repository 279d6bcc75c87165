// One enforcement run: the schedule (src/handler/enforcement.ts) invokes the handler with its stack's id, and each
// construct the stack has deployed is converged exactly as an Update with unchanged properties would converge it, by
// the same resource handler: EXCLUSIVE back to the declaration, ADDITIVE re-grants what is missing and revokes nobody,
// attributes back to their declared values. Reads its own stack from CloudFormation (no write there), never while a
// stack operation is under way, never writes to an AMI that no longer exists, and takes its own writes back when a
// construct fails (RequestContext.outsideDeployment). docs/enforcement.md has the design.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import type { EnforcementEvent } from '../../src/handler/enforcement-contract';
import { CLOUDFORMATION_READS, DeployedStack, readDeployedStack } from '../deployed-stack/read';
import { awsErrorCode, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import type { Outcome, RequestContext, ResourceHandler } from '../resource';
import { declarationsToEnforce, EnforcedDeclaration, isSettled } from './declarations';
import { EnforcementCounts } from './metric';

export interface EnforcementDependencies {
  readonly cfn: CloudFormationClient;
  readonly context: RequestContext;
  readonly handlers: Readonly<Record<string, ResourceHandler>>;
  /** The function's own ARN: the ServiceToken of the events it hands its resource handlers. */
  readonly functionArn: string;
}

export interface EnforcementResult extends EnforcementCounts {
  /** Undefined when the stack could not be read or does not exist. */
  readonly stackName?: string;
  /** Why nothing was converged, when nothing was. */
  readonly idle?: string;
  readonly inLine: number;
  readonly skipped: number;
}

/** How old the last look at the stack's status may be before a construct is converged: a deployment may have started. */
const STATUS_RECHECK_MS = 10_000;

export async function enforceStack(event: EnforcementEvent, deps: EnforcementDependencies): Promise<EnforcementResult> {
  const stack = new StackWatch(deps.cfn, event.stackId);
  const deployed = await stack.read();
  const idle = (why: string, stackName?: string): EnforcementResult => {
    log('INFO', 'enforcement: nothing to do', { stackId: event.stackId, why });
    return { stackName, idle: why, corrections: 0, failures: 0, inLine: 0, skipped: 0 };
  };
  if (!deployed) return idle('the stack does not exist');
  if (!isSettled(deployed.status)) return idle(`the stack is ${deployed.status}: enforcement waits for a settled stack`, deployed.stackName);

  const { enforce, skipped } = declarationsToEnforce(deployed, new Set(Object.keys(deps.handlers)));
  for (const s of skipped) log('WARN', 'enforcement: construct skipped', { stackName: deployed.stackName, construct: s.path, reason: s.reason });

  const results: ConstructResult[] = [];
  for (const [index, declaration] of enforce.entries()) {
    if (deps.context.deadline.passed()) {
      results.push(...enforce.slice(index).map(d => ({ declaration: d, failure: 'out of time: the next run continues' })));
      break;
    }
    const status = await stack.currentStatus();
    if (!isSettled(status)) {
      log('WARN', 'enforcement: stopped, a stack operation started', { stackName: deployed.stackName, status });
      break;
    }
    results.push(await converge(declaration, deployed, deps, index));
  }

  const counts = report(deployed.stackName, results);
  return { stackName: deployed.stackName, ...counts, skipped: skipped.length + results.filter(r => r.gone).length };
}

interface ConstructResult {
  readonly declaration: EnforcedDeclaration;
  readonly outcome?: Outcome;
  /** The AMI was deregistered: nothing was written. */
  readonly gone?: boolean;
  readonly failure?: string;
}

async function converge(
  declaration: EnforcedDeclaration, deployed: DeployedStack, deps: EnforcementDependencies, index: number): Promise<ConstructResult> {
  const properties = { ...declaration.properties, ServiceToken: deps.functionArn };
  const event: CloudFormationCustomResourceUpdateEvent = {
    RequestType: 'Update',
    ServiceToken: deps.functionArn,
    ResponseURL: '',
    StackId: deployed.stackId,
    RequestId: `enforcement-${index}`,
    LogicalResourceId: declaration.logicalId,
    PhysicalResourceId: declaration.physicalId,
    ResourceType: declaration.resourceType,
    ResourceProperties: properties,
    OldResourceProperties: properties,
  };
  try {
    return { declaration, outcome: await deps.handlers[declaration.resourceType](event, deps.context) };
  } catch (error) {
    if (isImageGone(error) || isImageGone((error as Error).cause)) return { declaration, gone: true };
    return { declaration, failure: messageOf(error) };
  }
}

/** One log line per AMI with what was put back, one per failure, and the run's metrics. Returns the counts. */
function report(stackName: string, results: ConstructResult[]): EnforcementCounts & { inLine: number } {
  const byImage = new Map<string, string[]>();
  for (const { declaration, outcome, gone, failure: reason } of results) {
    if (gone) {
      log('WARN', 'enforcement: AMI no longer exists, nothing written', { stackName, construct: declaration.path, imageId: declaration.imageId });
    } else if (reason) {
      log('ERROR', 'enforcement: construct not converged', { stackName, construct: declaration.path, imageId: declaration.imageId, reason });
    } else if (outcome && outcome.changes.writes > 0) {
      byImage.set(declaration.imageId, [...byImage.get(declaration.imageId) ?? [], ...describeCorrection(declaration, outcome)]);
    }
  }
  for (const [imageId, corrections] of byImage) {
    log('WARN', 'enforcement: put back', { stackName, imageId, corrections });
  }
  const corrections = results.filter(r => r.outcome && r.outcome.changes.writes > 0).length;
  const failures = results.filter(r => r.failure).length;
  const inLine = results.filter(r => r.outcome && r.outcome.changes.writes === 0).length;
  log('INFO', 'enforcement: done', { stackName, constructs: results.length, corrections, failures, inLine });
  return { corrections, failures, inLine };
}

/** What one construct's convergence put back, as lines a reader of the log understands without the template. */
export function describeCorrection(declaration: Pick<EnforcedDeclaration, 'path' | 'resourceType'>, outcome: Outcome): string[] {
  const { removedKeys = [], addedKeys = [], writes } = outcome.changes;
  const grants = [...removedKeys.map(k => `revoked ${k}`), ...addedKeys.map(k => `granted ${k}`)];
  const what = grants.length > 0 ? grants : [`set back to the declared value (${writes} write${writes === 1 ? '' : 's'})`];
  return what.map(line => `${declaration.path} (${declaration.resourceType}): ${line}`);
}

/** The stack as deployed, and a fresh enough look at its status before each construct. */
class StackWatch {
  private checkedAt = 0;
  private status = '';

  constructor(private readonly cfn: CloudFormationClient, private readonly stackId: string) {}

  public async read(): Promise<DeployedStack | undefined> {
    const deployed = await readDeployedStack(this.cfn, this.stackId, failure);
    this.checkedAt = Date.now();
    this.status = deployed?.status ?? 'DELETE_COMPLETE';
    return deployed;
  }

  public async currentStatus(): Promise<string> {
    if (Date.now() - this.checkedAt < STATUS_RECHECK_MS) return this.status;
    let answer;
    try {
      answer = await this.cfn.send(new DescribeStacksCommand({ StackName: this.stackId }));
    } catch (error) {
      throw failure(error, `DescribeStacks ${this.stackId}`);
    }
    this.checkedAt = Date.now();
    this.status = answer.Stacks?.[0]?.StackStatus ?? 'DELETE_COMPLETE';
    return this.status;
  }
}

/** A failed CloudFormation read: the handler's role is the one that needs the permission. */
function failure(error: unknown, what: string): Error {
  const code = awsErrorCode(error);
  const denied = code === 'AccessDenied' ? `; the handler's role needs ${CLOUDFORMATION_READS} on this stack (its Enforcement policy)` : '';
  return new Error(`${what} failed: ${messageOf(error)}${denied}`, { cause: error });
}
