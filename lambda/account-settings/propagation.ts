// EC2 applies a change to an account-level setting asynchronously: "The API can take up to 10 minutes to configure
// this setting. During this time, if you run GetImageBlockPublicAccessState, the response will be" the old state
// (EnableImageBlockPublicAccess / DisableImageBlockPublicAccess, EC2 API Reference). The handler reads the setting back
// until the change shows, for as long as its invocation allows, and otherwise fails saying the change is on its way.
import { RequestContext } from '../resource';

export interface Propagation<T> {
  /** The call that was accepted, e.g. 'EnableImageBlockPublicAccess'. */
  readonly call: string;
  /** The setting, e.g. 'block public access for AMIs'. */
  readonly setting: string;
  readonly read: () => Promise<T>;
  /** What still differs from the requested state; empty once the change shows. */
  readonly differences: (live: T) => string[];
  /** How long EC2 may take, and what the user can do when the time runs out (the change itself needs no more calls). */
  readonly then: string;
}

/** Reads until the change shows. Returns the number of reads; throws when the invocation's time budget runs out first. */
export async function waitForPropagation<T>(context: Pick<RequestContext, 'deadline'>, propagation: Propagation<T>): Promise<number> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const remaining = propagation.differences(await propagation.read());
    if (remaining.length === 0) return attempt + 1;
    if (context.deadline.passed()) {
      const seconds = Math.round((Date.now() - started) / 1000);
      throw new Error(`${propagation.call} was accepted, but after ${attempt + 1} reads over ${seconds} s ${propagation.setting} `
        + `${remaining.join('; ')}. ${propagation.then}`);
    }
    await context.deadline.backoff(attempt);
  }
}
