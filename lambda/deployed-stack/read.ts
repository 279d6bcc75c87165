// The deployed declaration, as CloudFormation knows it. Only read calls: DescribeStacks (status, parameter values as
// resolved at the last deployment, outputs), GetTemplate (the template as deployed, intrinsics unresolved),
// ListStackResources (each resource's physical id; DescribeStackResources would stop at 100 resources) and, for
// templates that import values, ListExports. Shared by `cdk-ami-sharing plan` and the handler's scheduled enforcement
// (lambda/enforcement/), which differ only in how they report a failed call.
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListExportsCommand,
  ListStackResourcesCommand,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { awsErrorCode } from '../errors';

export interface DeployedResource {
  readonly type: string;
  readonly physicalId?: string;
}

export interface DeployedStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly template: any;
  /** Parameter values as CloudFormation resolved them at the last deployment (an SSM parameter's value, not its name). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly resources: ReadonlyMap<string, DeployedResource>;
  readonly outputs: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

/** CloudFormation's permissions these reads need, for access-denied messages. */
export const CLOUDFORMATION_READS = 'cloudformation:DescribeStacks, cloudformation:GetTemplate, cloudformation:ListStackResources (and cloudformation:ListExports for imported values)';

/**
 * What a failed call becomes: the error to throw, given the call (e.g. 'GetTemplate MyStack'). The plan names the
 * permissions a user needs; the handler names its role's.
 */
export type CallFailure = (error: unknown, what: string) => Error;

/**
 * The deployed stack, or undefined when no stack of that name (or stack id) exists, or only a change set was ever
 * created.
 */
export async function readDeployedStack(cfn: CloudFormationClient, stackName: string, failure: CallFailure): Promise<DeployedStack | undefined> {
  const call = <T>(what: string, send: () => Promise<T>) => calling(what, send, failure);
  const stack = await call(`DescribeStacks ${stackName}`, async () => {
    try {
      return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    } catch (error) {
      // CloudFormation answers a stack that does not exist with a ValidationError, not a dedicated code.
      if (awsErrorCode(error) === 'ValidationError' && /does not exist/.test(String((error as Error).message))) return undefined;
      throw error;
    }
  });
  if (!stack || stack.StackStatus === 'REVIEW_IN_PROGRESS') return undefined;

  const body = await call(`GetTemplate ${stackName}`, async () =>
    (await cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }))).TemplateBody);
  let template: any;
  try {
    template = JSON.parse(body ?? '');
  } catch {
    throw new Error(`GetTemplate ${stackName}: the deployed template is not JSON (CDK deploys JSON; a YAML template was not deployed by CDK)`);
  }

  const resources = new Map<string, DeployedResource>();
  let nextToken: string | undefined;
  do {
    const page = await call(`ListStackResources ${stackName}`, () =>
      cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken })));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.LogicalResourceId) resources.set(r.LogicalResourceId, { type: r.ResourceType ?? '', physicalId: r.PhysicalResourceId });
    }
    nextToken = page.NextToken;
  } while (nextToken);

  return {
    stackName: stack.StackName ?? stackName,
    stackId: stack.StackId ?? '',
    status: stack.StackStatus ?? 'UNKNOWN',
    template,
    parameters: parametersOf(stack),
    resources,
    outputs: (stack.Outputs ?? []).filter(o => o.OutputKey && o.OutputValue !== undefined)
      .map(o => ({ key: o.OutputKey!, value: o.OutputValue! })),
  };
}

/** Every export of the Region, for Fn::ImportValue. */
export async function readExports(cfn: CloudFormationClient, failure: CallFailure): Promise<Record<string, string>> {
  const exports: Record<string, string> = {};
  let nextToken: string | undefined;
  do {
    const page = await calling('ListExports', () => cfn.send(new ListExportsCommand({ NextToken: nextToken })), failure);
    for (const e of page.Exports ?? []) if (e.Name && e.Value !== undefined) exports[e.Name] = e.Value;
    nextToken = page.NextToken;
  } while (nextToken);
  return exports;
}

function parametersOf(stack: Stack): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const p of stack.Parameters ?? []) {
    if (!p.ParameterKey) continue;
    const value = p.ResolvedValue ?? p.ParameterValue;
    if (value !== undefined) parameters[p.ParameterKey] = value;
  }
  return parameters;
}

async function calling<T>(what: string, send: () => Promise<T>, failure: CallFailure): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw failure(error, what);
  }
}
