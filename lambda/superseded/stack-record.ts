// What CloudFormation has on record for the handler's own stack, read only by resources that keep superseded AMIs:
// whether an Update is a rollback, and which physical id of a resource is current when an old one is deleted. Both
// calls need cloudformation:DescribeStacks / DescribeStackResource on the stack's ARN (src/handler/superseded-access.ts).
import { DescribeStackResourceCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { RequestContext } from '../resource';

function client(context: RequestContext) {
  if (!context.cloudFormation) throw new Error('cdk-ami-sharing handler: no CloudFormation client for this request');
  return context.cloudFormation();
}

/**
 * Whether CloudFormation is rolling the stack back (UPDATE_ROLLBACK_IN_PROGRESS): an Update it sends then puts a
 * resource back to its old properties (CloudFormation User Guide, "Stack status codes").
 */
export async function isRollingBack(context: RequestContext, event: CloudFormationCustomResourceEvent): Promise<boolean> {
  const answer = await client(context).send(new DescribeStacksCommand({ StackName: event.StackId }));
  return answer.Stacks?.[0]?.StackStatus === 'UPDATE_ROLLBACK_IN_PROGRESS';
}

/**
 * The physical id CloudFormation has on record for the event's resource: after a replacement, the new one while the
 * old one is deleted (cleanup) or the old one while the new one is deleted (rollback cleanup); the deleted id itself
 * when the resource leaves the template or the stack is deleted.
 */
export async function recordedPhysicalId(context: RequestContext, event: CloudFormationCustomResourceEvent): Promise<string | undefined> {
  const answer = await client(context).send(new DescribeStackResourceCommand({
    StackName: event.StackId, LogicalResourceId: event.LogicalResourceId,
  }));
  return answer.StackResourceDetail?.PhysicalResourceId;
}
