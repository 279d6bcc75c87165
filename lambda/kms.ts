// The thin layer between the handler's decisions and KMS: one function per call, no decisions of its own.
import { CreateGrantCommand, DescribeKeyCommand, GrantOperation, KMSClient, ListGrantsCommand, RevokeGrantCommand } from '@aws-sdk/client-kms';
import { clientRetrySettings, DeadlineRetryOptions } from './retry';

/**
 * One client per container, with the EC2 client's retry settings (clientRetrySettings): retries until the
 * invocation's deadline (retrying CreateGrant is safe: the same Name and parameters return the same grant). Region,
 * credentials and endpoint (AWS_ENDPOINT_URL_KMS) come from the standard SDK configuration chain.
 */
export function createKmsClient(options: DeadlineRetryOptions = {}): KMSClient {
  return new KMSClient(clientRetrySettings(options));
}

/** A grant this handler made: the account it names and its id (for RevokeGrant). */
export interface OwnGrant {
  readonly account: string;
  readonly grantId: string;
}

/** The grants on `keyArn` named `name`, following ListGrants' pages. */
export async function listGrantsNamed(kms: KMSClient, keyArn: string, name: string): Promise<OwnGrant[]> {
  const grants: OwnGrant[] = [];
  let marker: string | undefined;
  do {
    const page = await kms.send(new ListGrantsCommand({ KeyId: keyArn, Marker: marker }));
    for (const grant of page.Grants ?? []) {
      // The handler names the account's root principal; anything else under our name was not made by us.
      const account = /^arn:[^:]+:iam::(\d{12}):root$/.exec(grant.GranteePrincipal ?? '')?.[1];
      if (grant.Name === name && account && grant.GrantId) grants.push({ account, grantId: grant.GrantId });
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return grants;
}

/** CreateGrant for one account. The name makes a retried call return the same grant (KMS's idempotency on Name). */
export async function createGrant(kms: KMSClient, keyArn: string, account: string, name: string, operations: readonly string[]): Promise<string> {
  const partition = keyArn.split(':')[1];
  const answer = await kms.send(new CreateGrantCommand({
    KeyId: keyArn,
    GranteePrincipal: `arn:${partition}:iam::${account}:root`,
    Operations: operations as GrantOperation[],
    Name: name,
  }));
  return answer.GrantId!;
}

export async function revokeGrant(kms: KMSClient, keyArn: string, grantId: string): Promise<void> {
  await kms.send(new RevokeGrantCommand({ KeyId: keyArn, GrantId: grantId }));
}

/** 'AWS' for an AWS-managed key (aws/ebs), 'CUSTOMER' for a customer-managed one. */
export async function keyManager(kms: KMSClient, keyArn: string): Promise<string | undefined> {
  return (await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyManager;
}
