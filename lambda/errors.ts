/**
 * A problem with what the stack declares. Raised before any write, so the AMI is left as it was; the message names the
 * property and the value and becomes the FAILED reason CloudFormation shows.
 */
export class DeclarationError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`);
    this.name = 'DeclarationError';
  }
}

/** The error code of an AWS service error (the SDK puts it in `name`), or undefined for anything else. */
export function awsErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && '$metadata' in error && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;
}

/** EC2 answers these for an AMI that is deregistered, and briefly for one just created (eventual consistency). */
export function isImageGone(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'InvalidAMIID.NotFound' || code === 'InvalidAMIID.Unavailable';
}

/**
 * EC2's (UnauthorizedOperation) or KMS's (AccessDeniedException) answer when the caller's IAM policies do not allow
 * the call. Right after CloudFormation creates or changes the handler's policies it can be IAM's eventual consistency
 * rather than a real denial.
 */
export function isAccessDenied(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'UnauthorizedOperation' || code === 'AccessDeniedException';
}

/**
 * The message of a failed call, and for a denial that outlasted the wait for IAM, what grants the access and what could
 * still block it.
 */
export function messageWithAccessHint(error: unknown): string {
  if (!isAccessDenied(error)) return messageOf(error);
  const hint = `${messageOf(error)}. The stack grants the handler's role this access in its CdkAmiSharingHandler policies; `
    + 'a service control policy, permissions boundary or Region restriction may be denying it';
  // A key of another account also needs its key policy to allow the role (docs/encrypted-amis.md).
  return awsErrorCode(error) === 'AccessDeniedException' ? `${hint}, or the key's policy does not allow the handler's role` : hint;
}

/**
 * The FAILED reason of a Delete the handler's role is not allowed to make. The stack keeps the grant of an AMI until
 * CloudFormation's cleanup phase has deleted every custom resource on it (see src/handler/image-access.ts), so this
 * means something outside the stack's own policies denies it, or they were changed by hand.
 */
export function accessLostOnDelete(error: unknown, imageId: string, what: string): string {
  return `${messageWithAccessHint(error)}. The handler could not ${what} on ${imageId}; if ${imageId} still exists, do it by hand`;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = awsErrorCode(error);
    const message = code && code !== 'Error' && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
    return message + retriesSpent(error);
  }
  return String(error);
}

/**
 * For an error the EC2 client kept retrying (throttling, 5xx, network) until the request's time budget ran out: how
 * many attempts it made. Without it, "RequestLimitExceeded" reads as if the handler had given up at the first refusal.
 */
function retriesSpent(error: Error): string {
  const metadata = (error as { $metadata?: { attempts?: number; totalRetryDelay?: number; httpStatusCode?: number } }).$metadata;
  const attempts = metadata?.attempts ?? 0;
  if (attempts < 2) return '';
  const code = awsErrorCode(error);
  const throttled = code === 'RequestLimitExceeded' || /Throttl/.test(code ?? '');
  const waited = Math.round((metadata?.totalRetryDelay ?? 0) / 1000);
  return ` (${attempts} attempts${waited > 0 ? ` over ${waited} s of backoff` : ''}; retries stop when the request's time budget runs out`
    + `${throttled ? ': EC2 throttles API requests per account and Region, and this stack shares that rate with everything else in the account' : ''})`;
}
