// The Delete of an attribute construct that remembers, in its physical id, what the AMI had before it first wrote
// (AmiDescription, AmiDeprecation, AmiDeregistrationProtection): put that back. The same rules for all three: an id the
// handler never answered with (a failed Create's) has nothing to restore, a deregistered AMI neither, and a refusal for
// lack of access names what could not be put back.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { accessLostOnDelete, isAccessDenied, isImageGone } from './errors';
import { log } from './log';
import { Outcome } from './resource';

export interface Remembered {
  readonly imageId: string;
}

export async function restoreOnDelete<T extends Remembered>(event: CloudFormationCustomResourceEvent & { RequestType: 'Delete' }, options: {
  /** What the physical id remembers; undefined for an id the handler never answered with. */
  readonly remembered: T | undefined;
  /** For the log, e.g. 'a description'. */
  readonly what: string;
  /** For the access error, e.g. 'set its description back to "x"'. */
  readonly restoring: (remembered: T) => string;
  /** Puts the remembered value back; returns the writes made. */
  readonly restore: (remembered: T) => Promise<number>;
}): Promise<Outcome> {
  const unchanged = { physicalResourceId: event.PhysicalResourceId, data: {}, changes: { writes: 0 } };
  const remembered = options.remembered;
  if (!remembered) {
    log('WARN', `delete of ${options.what} that was never set: nothing to restore`, {});
    return unchanged;
  }
  try {
    const writes = await options.restore(remembered);
    return { ...unchanged, data: { ImageId: remembered.imageId }, changes: { writes } };
  } catch (error) {
    if (isImageGone(error)) {
      log('INFO', 'image no longer exists: nothing to restore', { imageId: remembered.imageId });
      return unchanged;
    }
    if (isAccessDenied(error)) throw new Error(accessLostOnDelete(error, remembered.imageId, options.restoring(remembered)));
    throw error;
  }
}
