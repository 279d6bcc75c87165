import type { EC2Client } from '@aws-sdk/client-ec2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Deadline } from './deadline';

/** What one request may use: the EC2 client and the time left before the handler must answer. */
export interface RequestContext {
  readonly ec2: EC2Client;
  readonly deadline: Deadline;
}

/** A successful outcome; failures are thrown. */
export interface Outcome {
  readonly physicalResourceId: string;
  /** Small on purpose: CloudFormation caps the whole response at 4,096 bytes. */
  readonly data: Record<string, string | number>;
  /** EC2 write calls made, for the logs. */
  readonly writes: number;
}

/** One custom resource type's implementation of Create, Update and Delete. */
export type ResourceHandler = (event: CloudFormationCustomResourceEvent, context: RequestContext) => Promise<Outcome>;
