import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Settings of the one handler function cdk-ami-sharing adds to a stack.
 */
export interface AmiSharingHandlerProps {
  /**
   * How long the handler's log events are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the handler's log group when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN - the record of what was shared outlives the stack
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * A KMS key to encrypt the handler's log group with. Its key policy must let CloudWatch Logs use it.
   *
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * The Lambda runtime of the handler function: a Node.js runtime, nodejs24.x or newer.
   *
   * The default follows your aws-cdk-lib: when an upgrade of it adds a Node.js runtime, the handler moves to it (and
   * cdk-nag's AwsSolutions-L1, which asks for the newest runtime aws-cdk-lib defines, stays satisfied). Choose one here
   * to stay on a runtime, e.g. in a Region the newest runtime has not reached yet; cdk-nag then reports AwsSolutions-L1
   * on the function once aws-cdk-lib defines a newer one, for you to acknowledge.
   *
   * @default - the newest Node.js runtime your aws-cdk-lib defines, and never older than nodejs24.x
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Puts the AMIs back to what the stack declares on a schedule, between deployments, and not only when a deployment
   * changes a construct's properties (CloudFormation invokes the handler only then).
   *
   * Every period an EventBridge Scheduler schedule invokes the handler, which reads the stack's deployed template,
   * parameter values and physical ids from CloudFormation and converges each construct as an Update with unchanged
   * properties would: EXCLUSIVE revokes anyone added by hand, ADDITIVE grants what is declared and missing (and revokes
   * nobody), attributes go back to their declared values. It skips a run while a stack operation is in progress. What
   * it puts back is logged and counted (`metricCorrections()`). At least 15 minutes, in whole minutes.
   *
   * @default - no schedule: the AMIs are converged when a deployment creates, updates or deletes a construct
   */
  readonly enforceEvery?: Duration;
}
