// What to add and what to remove, decided from sets of principal keys alone. No I/O here: the whole decision is
// tested directly (test/lambda/launch-permissions-plan.test.ts).

export type Mode = 'ADDITIVE' | 'EXCLUSIVE';

export interface PlanInput {
  /** What the stack declares now. */
  readonly desired: ReadonlySet<string>;
  /** What this resource declared on the same AMI before this request (Update only), else undefined. */
  readonly previous?: ReadonlySet<string>;
  /** What EC2 says is live now. */
  readonly live: ReadonlySet<string>;
  readonly mode: Mode;
}

export interface Plan {
  /** Principals to revoke, sorted. Revoked before anything is added, so access only ever narrows first. */
  readonly remove: string[];
  /** Principals to grant, sorted. */
  readonly add: string[];
}

/** The plan for Create and Update. */
export function planConverge(input: PlanInput): Plan {
  const { desired, previous, live, mode } = input;
  const add = [...desired].filter(k => !live.has(k));
  const remove = mode === 'EXCLUSIVE'
    ? [...live].filter(k => !desired.has(k))
    // ADDITIVE: only what this resource itself granted before and no longer declares; never anyone else's.
    : [...(previous ?? [])].filter(k => !desired.has(k) && live.has(k));
  return { remove: remove.sort(), add: add.sort() };
}

/** The plan for Delete: revoke what this resource declared and is live. */
export function planDelete(declared: ReadonlySet<string>, live: ReadonlySet<string>): Plan {
  return { remove: [...declared].filter(k => live.has(k)).sort(), add: [] };
}

/** Whether the plan has nothing to do. */
export function isEmpty(plan: Plan): boolean {
  return plan.add.length === 0 && plan.remove.length === 0;
}

/**
 * The part of a plan not written yet in this invocation. A fresh read that still asks for a change already written is
 * a stale read (EC2 is eventually consistent): writing it again would only add calls, so the handler waits instead.
 * Anything new (e.g. a principal a stale planning read hid) is written.
 */
export function unwritten(plan: Plan, written: Plan): Plan {
  return {
    remove: plan.remove.filter(k => !written.remove.includes(k)),
    add: plan.add.filter(k => !written.add.includes(k)),
  };
}

/** What the plan says is still different, for the FAILED reason when the time budget runs out. */
export function describeDifferences(plan: Plan): string[] {
  return [...plan.add.map(k => `${k} is not live yet`), ...plan.remove.map(k => `${k} is still live`)];
}
