import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Deadline } from './deadline';

/** What one request may use: the EC2 and KMS clients and the time left before the handler must answer. */
export interface RequestContext {
  readonly ec2: EC2Client;
  readonly kms: KMSClient;
  readonly deadline: Deadline;
  /**
   * True when the request does not come from a deployment but from the enforcement schedule (lambda/enforcement/):
   * nothing was just created (no AMI or IAM policy to wait for), and no CloudFormation rollback follows a failure, so
   * the request takes back its own writes when it fails.
   */
  readonly outsideDeployment?: boolean;
  /**
   * The CloudFormation client (made on first use): resources that keep superseded AMIs read their own stack's status
   * and record (lambda/superseded/stack-record.ts), as enforcement reads the stack.
   */
  readonly cloudFormation?: () => CloudFormationClient;
}

/** A successful outcome; failures are thrown. */
export interface Outcome {
  readonly physicalResourceId: string;
  /**
   * Returned to CloudFormation. It describes the declared state, never what this invocation changed, so that the same
   * event delivered twice gets the same answer; and it stays small (CloudFormation caps a response at 4,096 bytes).
   */
  readonly data: Record<string, string | number>;
  /** What this invocation changed, for the logs only. */
  readonly changes: {
    readonly writes: number;
    readonly added?: number;
    readonly removed?: number;
    /** The grants written (launch permissions, key grants, snapshot permissions, as keys): who gained or lost what. */
    readonly addedKeys?: string[];
    readonly removedKeys?: string[];
  };
}

/** One custom resource type's implementation of Create, Update and Delete. */
export type ResourceHandler = (event: CloudFormationCustomResourceEvent, context: RequestContext) => Promise<Outcome>;
