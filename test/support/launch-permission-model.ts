// A deliberately simple model of what Custom::AmiLaunchPermissions does to an AMI's launch permissions, written from
// the README's description of the modes and independently of the handler (lambda/launch-permissions/plan.ts), so the
// property test in test/moto/property-lifecycle.test.ts can compare the two. Principals are 'Field:value' strings,
// e.g. 'UserId:111122223333' or 'Group:all', the way test/support/handler-environment.ts `livePermissions` spells them.

export type ModelMode = 'ADDITIVE' | 'EXCLUSIVE';

/** What the stack's one custom resource declares. */
export interface ModelDeclaration {
  readonly imageId: string;
  /** In declaration order: CloudFormation sends an Update when only the order changes. */
  readonly principals: readonly string[];
  readonly mode: ModelMode;
}

/** One principal in EC2's LaunchPermission shape, as the construct synthesises it into `Permissions`. */
export function entryOf(principal: string): Record<string, string> {
  const colon = principal.indexOf(':');
  return { [principal.slice(0, colon)]: principal.slice(colon + 1) };
}

/** The custom resource's properties, in the shape (and key order) AmiLaunchPermissions synthesises. */
export function propertiesOf(declaration: ModelDeclaration): Record<string, unknown> {
  return { ImageId: declaration.imageId, Permissions: declaration.principals.map(entryOf), Mode: declaration.mode };
}

/**
 * One event CloudFormation sends for a step, and what it should change on its AMI: the principals that become live
 * and those that stop being live (the handler's fewest writes grant and revoke exactly these).
 */
export interface ModelEvent {
  readonly type: 'Create' | 'Update' | 'Delete';
  readonly imageId: string;
  readonly added: string[];
  readonly removed: string[];
}

export class LaunchPermissionModel {
  /** The resource as the stack last deployed it, or undefined when the stack holds none. */
  public declared?: ModelDeclaration;
  private readonly live = new Map<string, Set<string>>();

  constructor(imageIds: readonly string[]) {
    for (const id of imageIds) this.live.set(id, new Set());
  }

  /** The principals the model says are live on an AMI, sorted. */
  public liveOn(imageId: string): string[] {
    return [...this.setOf(imageId)].sort();
  }

  /** Someone outside the stack (another account's tooling, the console) adds or removes a principal. */
  public outOfBand(imageId: string, operation: 'add' | 'remove', principal: string): void {
    if (operation === 'add') this.setOf(imageId).add(principal);
    else this.setOf(imageId).delete(principal);
  }

  /**
   * A stack deployment declaring `next`: Create when the stack holds no resource; otherwise an Update when the
   * properties changed (CloudFormation sends nothing for unchanged properties, so drift stays), which on a new AMI is
   * a replacement: Create semantics on the new AMI, then the cleanup Delete of the old declaration on the old AMI.
   */
  public deploy(next: ModelDeclaration): ModelEvent[] {
    const previous = this.declared;
    this.declared = next;
    if (previous === undefined) {
      return [this.event('Create', next.imageId, () => this.converge(next, undefined))];
    }
    if (JSON.stringify(propertiesOf(previous)) === JSON.stringify(propertiesOf(next))) return [];
    if (previous.imageId !== next.imageId) {
      return [
        this.event('Update', next.imageId, () => this.converge(next, undefined)),
        this.event('Delete', previous.imageId, () => this.revoke(previous)),
      ];
    }
    return [this.event('Update', next.imageId, () => this.converge(next, previous))];
  }

  /** The stack drops the resource: the principals it declared are revoked, whatever the mode. */
  public delete(): ModelEvent[] {
    const previous = this.declared;
    this.declared = undefined;
    if (previous === undefined) return [];
    return [this.event('Delete', previous.imageId, () => this.revoke(previous))];
  }

  private event(type: ModelEvent['type'], imageId: string, change: () => void): ModelEvent {
    const before = new Set(this.setOf(imageId));
    change();
    const after = this.setOf(imageId);
    return {
      type,
      imageId,
      added: [...after].filter(p => !before.has(p)).sort(),
      removed: [...before].filter(p => !after.has(p)).sort(),
    };
  }

  private converge(next: ModelDeclaration, previous: ModelDeclaration | undefined): void {
    const live = this.setOf(next.imageId);
    if (next.mode === 'EXCLUSIVE') {
      live.clear();
    } else {
      // ADDITIVE: what this resource declared on the same AMI before and no longer declares goes; nothing else does.
      for (const principal of previous?.principals ?? []) {
        if (!next.principals.includes(principal)) live.delete(principal);
      }
    }
    for (const principal of next.principals) live.add(principal);
  }

  private revoke(declaration: ModelDeclaration): void {
    const live = this.setOf(declaration.imageId);
    for (const principal of declaration.principals) live.delete(principal);
  }

  private setOf(imageId: string): Set<string> {
    const live = this.live.get(imageId);
    if (live === undefined) throw new Error(`the model does not know ${imageId}`);
    return live;
  }
}
