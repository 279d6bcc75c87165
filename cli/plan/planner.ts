// What every resource type's planner gets and gives. One planner per custom resource type of this library, each
// deciding with the handler's own modules (lambda/*/plan.ts, properties parsing, physical ids): see planners.ts.
import type { LaunchPermissionsDeclaration } from '../../lambda/launch-permissions/properties';
import type { LiveState, Read } from '../live';
import type { Change, ConstructAction, Drift, ImageRef, SupersededWindowReport } from './model';

/** One side of a construct: as synthesised now, or as deployed. */
export interface Side {
  /** The custom resource's properties, resolved as far as CloudFormation's reads allow (see resolve.ts). */
  readonly properties: Record<string, unknown>;
  readonly image: ImageRef;
}

export interface DeployedSide extends Side {
  readonly physicalId?: string;
  /** 'Retain' keeps the resource's effect when the construct leaves the stack. */
  readonly deletionPolicy?: string;
  /** 'Retain' keeps the old AMI's state when a new imageId replaces the resource. */
  readonly updateReplacePolicy?: string;
}

export interface PlannerInput {
  readonly action: ConstructAction;
  /** Undefined when the construct leaves the stack. */
  readonly desired?: Side;
  /** Undefined when the construct is not deployed. */
  readonly deployed?: DeployedSide;
  readonly live: LiveState;
  /**
   * What the other AmiLaunchPermissions constructs of the app declare on an AMI (now or as deployed): their principals,
   * grants and snapshot permissions are theirs, not this construct's drift.
   */
  readonly otherDeclarations: (imageId: string) => LaunchPermissionsDeclaration[];
  /** For messages: the Region the AMIs are read in. */
  readonly where: string;
}

export interface PlannerOutput {
  readonly mode?: string;
  readonly changes: Change[];
  readonly drift: Drift[];
  readonly errors: string[];
  readonly notes: string[];
  readonly supersededImages?: SupersededWindowReport;
}

export interface ResourcePlanner {
  plan(input: PlannerInput): Promise<PlannerOutput>;
}

/** Collects a planner's findings. */
export class Findings implements PlannerOutput {
  public mode?: string;
  public readonly changes: Change[] = [];
  public readonly drift: Drift[] = [];
  public readonly errors: string[] = [];
  public readonly notes: string[] = [];
  public supersededImages?: SupersededWindowReport;

  constructor(private readonly where: string) {}

  /**
   * The value of a live read, or undefined after recording what its failure means: an AMI the deploy would write to
   * and that does not exist fails the deploy (an error); a deployed AMI that is gone is drift.
   */
  public value<T>(read: Read<T>, imageId: string, role: 'target' | 'deployed'): { value: T } | undefined {
    if (read.ok) return { value: read.value };
    if (!read.gone) {
      this.addError(read.error);
    } else if (role === 'target') {
      this.addError(`the deploy would fail: AMI ${imageId} does not exist in ${this.where}`);
    } else if (!this.drift.some(d => d.kind === 'image-gone' && d.imageId === imageId)) {
      this.drift.push({ kind: 'image-gone', imageId });
    }
    return undefined;
  }

  public addError(message: string): void {
    if (!this.errors.includes(message)) this.errors.push(message);
  }
}

/** Why the deploy would fail when `parse` (one of the handler's property parsers) throws; undefined when it parses. */
export function declarationProblem(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    return `the deploy would fail: ${(error as Error).message}`;
  }
}

/**
 * The properties with ImageId set to the plan's idea of it. An image id only resolved at deploy is replaced by a
 * well-formed placeholder, so the handler's parser still checks every other property.
 */
export function withImageId(properties: Record<string, unknown>, image: ImageRef): Record<string, unknown> {
  return { ...properties, ImageId: image.id ?? 'ami-00000000' };
}
