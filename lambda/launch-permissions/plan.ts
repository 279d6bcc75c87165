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

/**
 * What is still different from the plan's intent in a fresh read of the live permissions, or an empty list when it
 * converged. EXCLUSIVE demands the exact set; otherwise every added principal must be live and every removed one gone
 * (others may change the rest meanwhile, and that is theirs).
 */
export function remainingDifferences(plan: Plan, live: ReadonlySet<string>, exactly?: ReadonlySet<string>): string[] {
  const missing = exactly ? [...exactly].filter(k => !live.has(k)) : plan.add.filter(k => !live.has(k));
  const unexpected = exactly ? [...live].filter(k => !exactly.has(k)) : plan.remove.filter(k => live.has(k));
  return [
    ...missing.sort().map(k => `${k} is not live yet`),
    ...unexpected.sort().map(k => `${k} is still live`),
  ];
}
