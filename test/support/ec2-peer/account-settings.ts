// How EC2 applies its account-level settings (block public access for AMIs, Allowed AMIs), none of which moto has: a
// change shows only after a while, and an AWS Organizations declarative policy can take a setting out of the account's
// hands.
import { Answer, ec2Error } from './protocol';

export type ManagedBy = 'account' | 'declarative-policy';

/**
 * One account-level value: what Get answers (`shown`), and a change on its way.
 *
 * EMULATES: "The API can take up to 10 minutes to configure this setting. During this time, if you run
 * GetImageBlockPublicAccessState, the response will be" the previous state (EC2 API Reference,
 * EnableImageBlockPublicAccess and DisableImageBlockPublicAccess). By default a change shows at once; a test that
 * needs the transition sets `readsBeforeShown`, the number of Get answers that still show the previous value after
 * each change.
 */
export class PropagatingSetting<T> {
  public readsBeforeShown = 0;
  public managedBy: ManagedBy = 'account';
  private current: T;
  private pending?: { value: T; reads: number };

  constructor(private readonly initial: T) {
    this.current = initial;
  }

  /** What EC2 answers a Get with now; counts as one read of a change on its way. */
  public read(): T {
    if (this.pending && this.pending.reads-- <= 0) {
      this.current = this.pending.value;
      this.pending = undefined;
    }
    return this.current;
  }

  /** What Get would answer, without counting as a read. */
  public get shown(): T {
    return this.pending && this.pending.reads <= 0 ? this.pending.value : this.current;
  }

  /** The latest value a write asked for (what the next write builds on), shown or not yet. */
  public get requested(): T {
    return this.pending?.value ?? this.current;
  }

  /** The value a write asked for, shown after `readsBeforeShown` reads. */
  public write(value: T): void {
    if (this.readsBeforeShown <= 0) {
      this.current = value;
      this.pending = undefined;
    } else {
      this.pending = { value, reads: this.readsBeforeShown };
    }
  }

  /** The value in force (a test's own setup, or a declarative policy's): shown at once. */
  public set(value: T): void {
    this.current = value;
    this.pending = undefined;
  }

  public clear(): void {
    this.set(this.initial);
    this.readsBeforeShown = 0;
    this.managedBy = 'account';
  }
}

/**
 * EMULATES: a write to a setting an AWS Organizations declarative policy manages. Organizations User Guide,
 * "Declarative policies": account administrators cannot modify the attribute at the account level and noncompliant
 * actions fail. The guide names no error code; the peer answers OperationNotPermitted (the code EC2 uses for refused
 * sharing). The library never relies on it: it reads managedBy and fails before writing.
 */
export function refusedByDeclarativePolicy(setting: PropagatingSetting<unknown>, action: string): Answer | undefined {
  return setting.managedBy === 'declarative-policy'
    ? ec2Error(400, 'OperationNotPermitted', `${action} is not allowed: this setting is managed by a declarative policy of your organization.`)
    : undefined;
}

/** EMULATES: DryRun on an account setting's calls (each API page: "DryRunOperation" when allowed). */
export function dryRun(params: Record<string, string>): Answer | undefined {
  return params.DryRun === 'true' ? ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.') : undefined;
}
