import { Duration } from 'aws-cdk-lib';

/** How long one invocation may take. The handler keeps a margin of this for itself to answer CloudFormation. */
export const HANDLER_TIMEOUT = Duration.minutes(5);

/**
 * How long CloudFormation waits for an answer before it fails the resource. Longer than one invocation plus the
 * minute Lambda waits before its first asynchronous retry, so a crashed invocation still gets a second chance; short
 * enough that a handler that never answers fails the stack in minutes instead of CloudFormation's default hour.
 */
export const SERVICE_TIMEOUT = Duration.minutes(12);
