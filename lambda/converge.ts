// The read / verify loops every resource type shares. EC2 is eventually consistent: an AMI just created may be unknown
// for a while, and a read right after a write may still show the state before it.
import { isImageGone, messageOf } from './errors';
import { RequestContext } from './resource';

/** How long Create and Update wait for an AMI that EC2 does not know yet (it may have just been created). */
const WAIT_FOR_NEW_IMAGE_MS = 90_000;

/** Reads an attribute of an AMI, retrying while EC2 does not know the AMI yet, up to a bounded patience. */
export async function readWaitingForImage<T>(context: RequestContext, imageId: string, what: string, read: () => Promise<T>): Promise<T> {
  const patience = context.deadline.within(WAIT_FOR_NEW_IMAGE_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!isImageGone(error)) throw new Error(`DescribeImageAttribute ${what} of ${imageId} failed: ${messageOf(error)}`);
      if (patience.passed()) throw new Error(`ImageId: AMI ${imageId} does not exist in this account and Region (${messageOf(error)})`);
      await patience.backoff(attempt);
    }
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
