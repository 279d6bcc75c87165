// What the peer saw: every request in order of arrival, with its answer and any fault the peer injected.
import type { IamVerdict } from './iam';

export interface RecordedRequest {
  /** e.g. 'ModifyImageAttribute'; for a request without an Action parameter, 'METHOD /path'. */
  readonly action: string;
  /** The decoded form (and query string) parameters as sent on the wire, minus authentication ones. */
  readonly params: Record<string, string>;
  /** HTTP status the peer answered; 0 while in flight, and for a dropped connection. */
  readonly status: number;
  /** EC2 error code when the answer was an error. */
  readonly errorCode?: string;
  /** Which fault was injected, if any: 'throttle', 'server-error', 'drop', 'latency', 'stale-read', 'denied' or 'iam'. */
  readonly injected?: string;
  /**
   * While identity policies are enforced: the evaluator's verdict for each resource the request acts on (one entry,
   * on '*', for actions without resource-level permissions). A request refused by IAM has injected 'iam'.
   */
  readonly iam?: readonly IamVerdict[];
}

/** The mutable form of RecordedRequest: filled in as the request is handled. */
export interface LogEntry {
  action: string;
  params: Record<string, string>;
  status: number;
  errorCode?: string;
  injected?: string;
  iam?: IamVerdict[];
}

/** Actions that change state, for `writes()`: EC2's, and KMS's grant writes (the handler reaches KMS through the peer). */
const WRITE_ACTION = /^(Modify|Reset|Enable|Disable|Cancel|Replace|CreateGrant$|RevokeGrant$|RetireGrant$|CreateImageUsageReport$)/;

export class RequestLog {
  /** Every request, in order of arrival; entries are filled in while they are handled. */
  public readonly entries: LogEntry[] = [];

  /** Records a request as it arrives and returns its entry, to be completed when it is answered. */
  public start(action: string, params: Record<string, string>): LogEntry {
    const entry: LogEntry = { action, params, status: 0 };
    this.entries.push(entry);
    return entry;
  }

  public clear(): void {
    this.entries.length = 0;
  }

  /** Requests whose action mutates state (Modify*, Reset*, Enable*, Disable*, Cancel*, Create/Revoke/RetireGrant, CreateImageUsageReport). */
  public writes(): RecordedRequest[] {
    return this.entries.filter((r) => WRITE_ACTION.test(r.action));
  }

  /** The IAM verdicts of the logged requests, in order. */
  public iamVerdicts(): IamVerdict[] {
    return this.entries.flatMap((r) => r.iam ?? []);
  }

  public countByAction(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.entries) {
      counts[r.action] = (counts[r.action] ?? 0) + 1;
    }
    return counts;
  }
}
