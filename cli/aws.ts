// The AWS SDK clients the plan reads with, and what their errors mean. Region, credentials and endpoints come from the
// user's standard SDK configuration (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_CLOUDFORMATION,
// AWS_ENDPOINT_URL_KMS, ...); a stack pinned to a Region is read in that Region, as `cdk deploy` would deploy it there.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { awsErrorCode, isAccessDenied, messageOf } from '../lambda/errors';

export class AwsClients {
  private readonly ec2Clients = new Map<string, EC2Client>();
  private readonly cfnClients = new Map<string, CloudFormationClient>();
  private readonly kmsClients = new Map<string, KMSClient>();

  public ec2(region: string | undefined): EC2Client {
    return cached(this.ec2Clients, region, () => new EC2Client({ region }));
  }

  public cloudFormation(region: string | undefined): CloudFormationClient {
    return cached(this.cfnClients, region, () => new CloudFormationClient({ region }));
  }

  /** For the key grants of imported keys (SharedBy GRANTS) and the pre-flight's DescribeKey. */
  public kms(region: string | undefined): KMSClient {
    return cached(this.kmsClients, region, () => new KMSClient({ region }));
  }

  /** The Region of the user's SDK configuration, for a stack not pinned to one. */
  public async configuredRegion(): Promise<string> {
    try {
      return await this.ec2(undefined).config.region();
    } catch {
      throw new FatalAwsError(NO_REGION);
    }
  }

  public destroy(): void {
    [...this.ec2Clients.values(), ...this.cfnClients.values(), ...this.kmsClients.values()].forEach(c => c.destroy());
  }
}

function cached<T>(clients: Map<string, T>, region: string | undefined, create: () => T): T {
  const key = region ?? '';
  let client = clients.get(key);
  if (!client) {
    client = create();
    clients.set(key, client);
  }
  return client;
}

/**
 * A failure that makes every further call pointless (no credentials, no Region, credentials refused, endpoint
 * unreachable): the plan stops and says only this.
 */
export class FatalAwsError extends Error {}

const NO_REGION = 'no AWS Region: the stack is not pinned to one and none is configured; set AWS_REGION or a profile\'s region';

const REJECTED_CREDENTIALS = new Set([
  'AuthFailure', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch',
  'UnrecognizedClientException', 'InvalidAccessKeyId',
]);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT']);

/** Rethrows `error` as a FatalAwsError when it is one of those; returns otherwise. */
export function throwIfFatal(error: unknown, what: string): void {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    throw new FatalAwsError('no AWS credentials found: set AWS_PROFILE (or run `aws sso login` / `aws configure`), '
      + `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run the plan again (while calling ${what})`);
  }
  if (/Region is missing/i.test(message)) {
    throw new FatalAwsError(`${NO_REGION} (while calling ${what})`);
  }
  const code = awsErrorCode(error) ?? '';
  if (REJECTED_CREDENTIALS.has(code)) {
    throw new FatalAwsError(`AWS refused the credentials (${code}) while calling ${what}: they are expired or invalid; refresh them and run the plan again`);
  }
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (UNREACHABLE.has(errno) || UNREACHABLE.has(code)) {
    throw new FatalAwsError(`cannot reach the AWS endpoint for ${what} (${errno || code}); check the network and any AWS_ENDPOINT_URL_* setting`);
  }
}

/** Access denied: EC2's and KMS's codes (the handler's isAccessDenied), and CloudFormation's. */
function isDenied(error: unknown): boolean {
  return isAccessDenied(error) || awsErrorCode(error) === 'AccessDenied';
}

/** A one-line reason naming the call that failed; for a denial, the permission the plan needs. */
export function describeFailure(error: unknown, what: string, permission: string): string {
  if (isDenied(error)) return `access denied: ${what} (${awsErrorCode(error)}); the plan needs ${permission}`;
  return `${what} failed: ${messageOf(error)}`;
}
