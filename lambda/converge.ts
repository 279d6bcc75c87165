// The read / verify loops every resource type shares. EC2 is eventually consistent: an AMI just created may be unknown
// for a while, and a read right after a write may still show the state before it.
import { isAccessDenied, isImageGone, messageOf, messageWithAccessHint } from './errors';
import { RequestContext } from './resource';

/**
 * How long Create and Update wait for what the same deployment may have just created: the AMI (EC2 may not know it
 * yet), or the handler's access to it (CloudFormation may have just created or changed the role's policies, and IAM
 * takes a while to apply them everywhere).
 */
const PATIENCE_MS = 90_000;

/**
 * Calls `call` until it succeeds, retrying with backoff while it fails with an error `waitFor` accepts, up to a
 * bounded patience; then throws the last error. Only for calls that change nothing.
 */
export async function patiently<T>(
  context: Pick<RequestContext, 'deadline' | 'outsideDeployment'>, waitFor: (error: unknown) => boolean, call: () => Promise<T>): Promise<T> {
  // Outside a deployment nothing is new: an AMI that is not there, or a denial, will not go away by waiting.
  const patience = context.deadline.within(context.outsideDeployment ? 0 : PATIENCE_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!waitFor(error) || patience.passed()) throw error;
      await patience.backoff(attempt);
    }
  }
}

/**
 * A read the handler needs before its first write (a check before sharing, a grant set's current state). The policy
 * that allows it may be as new as this deployment, so a denial is waited out like the first read's; a failure names
 * `what` was read.
 */
export async function readPatiently<T>(context: Pick<RequestContext, 'deadline' | 'outsideDeployment'>, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await patiently(context, isAccessDenied, call);
  } catch (error) {
    throw new Error(`${what} failed: ${messageWithAccessHint(error)}`);
  }
}

/**
 * The first read of an attribute, waiting for the AMI and the handler's access to it to appear. `what` names the call
 * and what it reads, e.g. 'DescribeImageAttribute description'.
 */
export async function readWaitingForImageAndAccess<T>(context: RequestContext, imageId: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await patiently(context, error => isImageGone(error) || isAccessDenied(error), read);
  } catch (error) {
    // The cause stays attached: enforcement tells a deregistered AMI from a failure by it.
    if (isImageGone(error)) throw new Error(`ImageId: AMI ${imageId} does not exist in this account and Region (${messageOf(error)})`, { cause: error });
    throw new Error(`${what} of ${imageId} failed: ${messageWithAccessHint(error)}`, { cause: error });
  }
}

/**
 * Reads back until `differences` of the fresh value is empty. SUCCESS is only ever sent for a state that was read back;
 * when the time budget runs out first, this throws saying what is still different.
 */
export async function verify<T>(
  context: RequestContext, what: string, read: () => Promise<T>, differences: (live: T) => string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const remaining = differences(await read());
    if (remaining.length === 0) return;
    if (context.deadline.passed()) {
      const shown = remaining.slice(0, 10).join('; ');
      const more = remaining.length > 10 ? `; and ${remaining.length - 10} more` : '';
      throw new Error(`${what} did not converge within the time budget after ${attempt + 1} reads: ${shown}${more}`);
    }
    await context.deadline.backoff(attempt);
  }
}
