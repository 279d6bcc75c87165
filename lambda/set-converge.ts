// The read / plan / write / read-back loop for a set of grants kept somewhere other than the AMI's launch permissions
// (KMS grants, snapshot createVolumePermission). The decision is the launch permissions' own (planConverge /
// planDelete over sets of keys); only the reads and writes differ.
import { describeDifferences, isEmpty, Plan, unwritten } from './launch-permissions/plan';
import { RequestContext } from './resource';
import { UndoLog } from './undo';

export interface GrantSet {
  /** What the set is, for messages: e.g. "KMS grants for ami-0123". */
  readonly what: string;
  /** The live set, as keys. */
  read(): Promise<Set<string>>;
  /** Writes one side of a plan; records the inverse of each write in `undo`; returns the number of calls made. */
  write(operation: 'add' | 'remove', keys: string[], undo: UndoLog): Promise<number>;
}

export interface SetChanges {
  readonly writes: number;
  readonly added: number;
  readonly removed: number;
}

/**
 * Writes the plan for the live state (removals first), then reads back until a read shows nothing left to do. A read
 * that still asks for what was written is stale (KMS and EC2 are eventually consistent): wait, do not write again.
 */
export async function convergeSet(context: RequestContext, set: GrantSet, planFor: (live: Set<string>) => Plan, undo: UndoLog): Promise<SetChanges> {
  const written: Plan = { remove: [], add: [] };
  let writes = 0;
  let waits = 0;
  for (let live = await set.read(), reads = 1; ; reads++) {
    const plan = planFor(live);
    if (isEmpty(plan)) return { writes, added: written.add.length, removed: written.remove.length };
    if (reads > 1 && context.deadline.passed()) {
      const differences = describeDifferences(plan);
      const more = differences.length > 10 ? `; and ${differences.length - 10} more` : '';
      throw new Error(`${set.what} did not converge within the time budget after ${reads} reads: ${differences.slice(0, 10).join('; ')}${more}`);
    }
    const todo = unwritten(plan, written);
    if (!isEmpty(todo)) {
      if (todo.remove.length > 0) writes += await set.write('remove', todo.remove, undo);
      if (todo.add.length > 0) writes += await set.write('add', todo.add, undo);
      written.remove.push(...todo.remove);
      written.add.push(...todo.add);
    } else {
      await context.deadline.backoff(waits++);
    }
    live = await set.read();
  }
}

/** Keys of the form "<account> on <target>": a grant of one thing (a key ARN, a snapshot id) to one account. */
export function pairKey(on: string, account: string): string {
  return `${account} on ${on}`;
}

export function fromPairKey(key: string): { on: string; account: string } {
  const at = key.indexOf(' on ');
  return { account: key.slice(0, at), on: key.slice(at + 4) };
}

/** Keys grouped by what they grant on, in first-seen order. */
export function groupByTarget(keys: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const { on, account } = fromPairKey(key);
    groups.set(on, [...(groups.get(on) ?? []), account]);
  }
  return groups;
}
