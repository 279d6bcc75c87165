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

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = awsErrorCode(error);
    return code && code !== 'Error' && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
