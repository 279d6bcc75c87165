// Stale reads of image attributes after a write, the one fault that needs the state from before the write.
import { affects, FaultInjector } from './faults';
import { Answer, Call, withNewRequestId, writtenAttribute } from './protocol';

/** The DescribeImageAttribute answer from just before a write. */
interface StaleSnapshot {
  /** Epoch ms when the write was answered; Infinity while it is in flight. */
  writtenAt: number;
  readonly answer: Answer;
}

/** The peer's own DescribeImageAttribute answer for an image and attribute, as a client would get it. */
export type AttributeReader = (imageId: string, attribute: string, authorization: string) => Promise<Answer>;

export class StaleReads {
  private readonly snapshots = new Map<string, StaleSnapshot[]>();

  constructor(
    private readonly faults: FaultInjector,
    private readonly dispatch: (call: Call) => Promise<Answer>,
    private readonly readAttribute: AttributeReader,
  ) {}

  public clear(): void {
    this.snapshots.clear();
  }

  /** A deregistered image has nothing left to be stale about. */
  public forgetImage(imageId: string): void {
    for (const key of [...this.snapshots.keys()]) {
      if (key.startsWith(`${imageId}|`)) {
        this.snapshots.delete(key);
      }
    }
  }

  /**
   * EMULATES: EC2 eventual consistency (EC2 Developer Guide "Eventual consistency in the Amazon EC2
   * API"): a read right after a write may still show the state from before the write.
   * Model: reads of an image attribute see it as it was staleReadsMs ago. Before a write to an
   * attribute is forwarded, the peer's own DescribeImageAttribute answer for it is snapshotted; a
   * read answers the snapshot of the earliest write made within the last staleReadsMs, if any.
   * So for staleReadsMs after a write, reads show the state from before it, and they converge
   * staleReadsMs after the last write, however often a client repeats its write.
   */
  public async answer(call: Call): Promise<Answer> {
    const plan = this.faults.plan;
    const staleMs = plan?.staleReadsMs ?? 0;
    const imageId = call.params.ImageId;
    if (staleMs <= 0 || plan === undefined || imageId === undefined) {
      return this.dispatch(call);
    }
    const now = Date.now();

    if (call.action === 'DescribeImageAttribute') {
      const key = snapshotKey(imageId, call.params.Attribute ?? '');
      const recent = (this.snapshots.get(key) ?? []).filter((s) => s.writtenAt > now - staleMs);
      if (recent.length > 0 && affects(plan, call.action)) {
        call.log.injected = 'stale-read';
        return withNewRequestId(recent[0].answer);
      }
      return this.dispatch(call);
    }

    const attribute = writtenAttribute(call.action, call.params);
    if (attribute === undefined || call.params.DryRun === 'true') {
      return this.dispatch(call);
    }
    const before = await this.readAttribute(imageId, attribute, call.authorization);
    const snapshot: StaleSnapshot = { writtenAt: Infinity, answer: before }; // Infinity: in flight, already stale
    const key = snapshotKey(imageId, attribute);
    const history = this.snapshots.get(key) ?? [];
    // Prune in place (the array is shared with writes still in flight).
    for (let i = history.length - 1; i >= 0; i--) {
      if (history[i].writtenAt <= now - staleMs) {
        history.splice(i, 1);
      }
    }
    history.push(snapshot);
    this.snapshots.set(key, history);
    const answer = await this.dispatch(call);
    if (answer.status === 200 && before.status === 200) {
      snapshot.writtenAt = Date.now();
    } else {
      // Nothing changed (or nothing to show): no stale window for this write.
      history.splice(history.indexOf(snapshot), 1);
    }
    return answer;
  }
}

function snapshotKey(imageId: string, attribute: string): string {
  return `${imageId}|${attribute}`;
}
