// The entry point CloudFormation invokes (the custom resource's ServiceToken is this function's ARN). It always
// answers CloudFormation itself: SUCCESS for a verified state, FAILED with a reason for anything else, and FAILED
// shortly before the invocation would time out. The stack's enforcement schedule, when configured, invokes it too
// (enforcement/run.ts).
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { handleAllowedImages } from './allowed-images/resource';
import { CfnResponse, sendResponse } from './cfn-response';
import { createCloudFormationClient } from './cloudformation';
import { Deadline, withDeadline } from './deadline';
import { handleDeprecation } from './deprecation/resource';
import { handleDeregistrationProtection } from './deregistration-protection/resource';
import { handleDescription } from './description/resource';
import { createEc2Client } from './ec2';
import { emitEnforcementMetrics } from './enforcement/metric';
import { enforceStack } from './enforcement/run';
import { DeclarationError, messageOf } from './errors';
import { handleImageBlockPublicAccess } from './image-block-public-access/resource';
import { handleImdsPolicy } from './imds-policy/resource';
import { createKmsClient } from './kms';
import { handleLaunchPermissions } from './launch-permissions/resource';
import { log } from './log';
import { Outcome, ResourceHandler } from './resource';
import { handleSupersededImages } from './superseded/guard';
import { EnforcementEvent, isEnforcementEvent } from '../src/handler/enforcement-contract';
import { SUPERSEDED_IMAGES_GUARD_TYPE } from '../src/handler/superseded-contract';

const ec2 = createEc2Client();
const kms = createKmsClient();
/**
 * Only scheduled enforcement and resources that keep superseded AMIs read CloudFormation: made on first use, not on
 * every container's cold start.
 */
let cfn: ReturnType<typeof createCloudFormationClient> | undefined;
const cloudFormation = () => (cfn ??= createCloudFormationClient());

const HANDLERS: Record<string, ResourceHandler> = {
  'Custom::AmiLaunchPermissions': handleLaunchPermissions,
  'Custom::AmiImdsPolicy': handleImdsPolicy,
  'Custom::AmiDescription': handleDescription,
  'Custom::ImageBlockPublicAccess': handleImageBlockPublicAccess,
  'Custom::AllowedImages': handleAllowedImages,
  'Custom::AmiDeprecation': handleDeprecation,
  'Custom::AmiDeregistrationProtection': handleDeregistrationProtection,
  [SUPERSEDED_IMAGES_GUARD_TYPE]: handleSupersededImages,
};

/** Kept back from the invocation's time for answering CloudFormation (the answer itself retries). */
const ANSWER_MARGIN_MS = 20_000;
/** When the watchdog answers FAILED if the work has not finished. */
const WATCHDOG_MARGIN_MS = 8_000;

export async function handler(event: CloudFormationCustomResourceEvent | EnforcementEvent, context: Context): Promise<void> {
  if (isEnforcementEvent(event)) return enforce(event, context);
  const started = Date.now();
  const remaining = context.getRemainingTimeInMillis();
  const fields = {
    requestType: event.RequestType,
    resourceType: event.ResourceType,
    logicalResourceId: event.LogicalResourceId,
    imageId: typeof event.ResourceProperties?.ImageId === 'string' ? event.ResourceProperties.ImageId : undefined,
  };
  log('INFO', 'request', fields);

  // The physical id to answer with when the request fails: CloudFormation keeps the existing one on a failed Update
  // and Delete; a failed Create still needs one, and its Delete then finds a declaration it never applied.
  const existingId = event.RequestType === 'Create' ? undefined : event.PhysicalResourceId;
  const fallbackId = existingId ?? `${event.LogicalResourceId}-not-created`;

  let answered = false;
  const answer = async (response: CfnResponse, changes?: Outcome['changes']) => {
    if (answered) return;
    answered = true;
    log(response.Status === 'SUCCESS' ? 'INFO' : 'ERROR', 'answer', {
      ...fields,
      status: response.Status,
      reason: response.Reason,
      durationMs: Date.now() - started,
      ...changes,
    });
    await sendResponse(event, response);
  };

  const watchdog = setTimeout(() => {
    void answer({
      Status: 'FAILED',
      PhysicalResourceId: fallbackId,
      Reason: 'cdk-ami-sharing handler ran out of time before it could verify the AMI; see its log group for where it stopped',
    }).catch(error => log('ERROR', 'could not answer CloudFormation', { error: messageOf(error) }));
  }, Math.max(0, remaining - WATCHDOG_MARGIN_MS));

  try {
    const implementation = HANDLERS[event.ResourceType];
    if (!implementation) {
      throw new DeclarationError([`ResourceType: ${JSON.stringify(event.ResourceType)} is not handled by cdk-ami-sharing`]);
    }
    if (!['Create', 'Update', 'Delete'].includes(event.RequestType)) {
      throw new DeclarationError([`RequestType: ${JSON.stringify(event.RequestType)} is not Create, Update or Delete`]);
    }
    const deadline = new Deadline(started + remaining - ANSWER_MARGIN_MS);
    const outcome = await withDeadline(deadline, () => implementation(event, { ec2, kms, deadline, cloudFormation }));
    await answer({ Status: 'SUCCESS', PhysicalResourceId: outcome.physicalResourceId, Data: outcome.data }, outcome.changes);
  } catch (error) {
    await answer({ Status: 'FAILED', PhysicalResourceId: fallbackId, Reason: messageOf(error) });
  } finally {
    clearTimeout(watchdog);
  }
}

/**
 * A scheduled enforcement run. It never throws: the schedule does not retry (the next run comes soon enough), and a
 * failure is in the log and in the EnforcementFailures metric.
 */
async function enforce(event: EnforcementEvent, context: Context): Promise<void> {
  log('INFO', 'enforcement: start', { stackId: event.stackId });
  const deadline = new Deadline(Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS);
  try {
    const result = await withDeadline(deadline, () => enforceStack(event, {
      cfn: cloudFormation(),
      handlers: HANDLERS,
      functionArn: context.invokedFunctionArn,
      context: { ec2, kms, deadline, outsideDeployment: true, cloudFormation },
    }));
    if (result.stackName && !result.idle) emitEnforcementMetrics(result.stackName, result);
  } catch (error) {
    log('ERROR', 'enforcement: could not read the stack', { stackId: event.stackId, error: messageOf(error) });
    // The stack's name is the last part of its id but one: arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>.
    const stackName = event.stackId.split('/')[1];
    if (stackName) emitEnforcementMetrics(stackName, { corrections: 0, failures: 1 });
  }
}
