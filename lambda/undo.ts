// Undoing an invocation's own writes when it fails on an AMI that CloudFormation will not come back to.
//
// CloudFormation answers a FAILED Update by keeping the old physical id and rolling back with an Update to the old
// properties: when the failed Update had moved the resource to another AMI, no Delete is ever sent for that AMI, and
// whatever the invocation wrote there before it failed would stay. (A failed Create of launch permissions is different:
// its rollback Delete carries the properties, and revokes them.)
import { isImageGone, messageOf } from './errors';
import { log } from './log';

/** The inverse of each write made so far, newest first. */
export class UndoLog {
  private readonly steps: Array<() => Promise<unknown>> = [];

  /** Records how to take back a write that has just succeeded. */
  public push(step: () => Promise<unknown>): void {
    this.steps.unshift(step);
  }

  public get size(): number {
    return this.steps.length;
  }

  /** Runs every inverse, newest first; stops at the first one that fails. */
  public async run(): Promise<void> {
    for (const step of this.steps) await step();
  }
}

/**
 * Runs `work`; when it fails after writing, takes back its writes (best effort: no read-back, as the invocation is
 * already out of budget or out of luck) and fails with a reason that says whether that worked. With `enabled` false
 * (CloudFormation will revisit the AMI), failures pass through untouched.
 */
export async function undoingOnFailure<T>(enabled: boolean, imageId: string, work: (undo: UndoLog) => Promise<T>): Promise<T> {
  const undo = new UndoLog();
  try {
    return await work(undo);
  } catch (error) {
    // A deregistered AMI has nothing left to take back.
    if (!enabled || undo.size === 0 || isImageGone(error)) throw error;
    const writes = `${undo.size} write${undo.size === 1 ? '' : 's'}`;
    const reason = messageOf(error).replace(/\.$/, '');
    try {
      await undo.run();
    } catch (undoError) {
      log('ERROR', 'could not undo writes', { imageId, writes: undo.size, error: messageOf(undoError) });
      throw new Error(`${reason}. Undoing this request's ${writes} to ${imageId} failed too (${messageOf(undoError)}): `
        + 'CloudFormation will not revisit that AMI, check it by hand');
    }
    log('INFO', 'undid writes after a failure', { imageId, writes: undo.size });
    throw new Error(`${reason}. This request's ${writes} to ${imageId} ${undo.size === 1 ? 'was' : 'were'} undone`);
  }
}
