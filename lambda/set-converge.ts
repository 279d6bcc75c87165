// The read / plan / write / read-back loop for a set of grants: the AMI's launch permissions, its KMS grants, its
// snapshots' createVolumePermission. The decision is planConverge / planDelete over sets of keys for all of them; only
// the reads and writes differ.
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
  /** Throws when a plan must not be written at all: checked before its removals, so a refusal leaves nothing half done. */
  checkBeforeWrite?(todo: Plan): Promise<void>;
}

export interface SetChanges {
  readonly writes: number;
  readonly added: number;
  readonly removed: number;
  /** The keys written, for the logs (enforcement reports what it put back). */
  readonly addedKeys: string[];
  readonly removedKeys: string[];
}

export const NO_CHANGES: SetChanges = { writes: 0, added: 0, removed: 0, addedKeys: [], removedKeys: [] };

/** What several sets' convergences did together. */
export function sumChanges(...changes: SetChanges[]): SetChanges {
  return changes.reduce((a, b) => ({
    writes: a.writes + b.writes,
    added: a.added + b.added,
    removed: a.removed + b.removed,
    addedKeys: [...a.addedKeys, ...b.addedKeys],
    removedKeys: [...a.removedKeys, ...b.removedKeys],
  }), NO_CHANGES);
}

/**
 * Writes the plan for the live state (removals first), then reads back until a read shows nothing left to do. SUCCESS
 * is only ever sent for a state that was read back. A read that still asks for what was written is stale (KMS and EC2
 * are eventually consistent): wait, do not write again. Anything new a fresh read reveals is planned and written. When
 * the time budget runs out first, this throws saying what is still different. `firstRead`: the set as the caller has
 * already read it.
 */
export async function convergeSet(context: RequestContext, set: GrantSet, planFor: (live: Set<string>) => Plan, undo: UndoLog,
  firstRead?: Set<string>): Promise<SetChanges> {
  const written: Plan = { remove: [], add: [] };
  let writes = 0;
  let waits = 0;
  for (let live = firstRead ?? await set.read(), reads = 1; ; reads++) {
    const plan = planFor(live);
    if (isEmpty(plan)) {
      return { writes, added: written.add.length, removed: written.remove.length, addedKeys: written.add, removedKeys: written.remove };
    }
    if (reads > 1 && context.deadline.passed()) {
      const differences = describeDifferences(plan);
      const more = differences.length > 10 ? `; and ${differences.length - 10} more` : '';
      throw new Error(`${set.what} did not converge within the time budget after ${reads} reads: ${differences.slice(0, 10).join('; ')}${more}`);
    }
    const todo = unwritten(plan, written);
    if (!isEmpty(todo)) {
      await set.checkBeforeWrite?.(todo);
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
