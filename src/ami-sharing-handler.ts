import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AmiAttributeHandler } from './ami-attribute-handler';

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
}

/**
 * The handler function cdk-ami-sharing adds to a stack (one per stack, at `CdkAmiSharingHandler` under the stack root,
 * however many constructs the stack holds).
 */
export class AmiSharingHandler {
  /**
   * Sets the stack's handler settings. Call it before adding any construct of this library to the stack.
   *
   * @param scope any construct in the stack
   */
  public static configure(scope: Construct, props: AmiSharingHandlerProps): void {
    AmiAttributeHandler.of(scope, props);
  }

  private constructor() {}
}
