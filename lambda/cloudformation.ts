// The CloudFormation client of the enforcement runs (lambda/enforcement/): read calls on the handler's own stack only.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { clientRetrySettings, DeadlineRetryOptions } from './retry';

/**
 * With the EC2 client's retry settings (retries until the invocation's deadline). Region, credentials and endpoint
 * (AWS_ENDPOINT_URL_CLOUDFORMATION) come from the standard SDK configuration chain.
 */
export function createCloudFormationClient(options: DeadlineRetryOptions = {}): CloudFormationClient {
  return new CloudFormationClient(clientRetrySettings(options));
}
