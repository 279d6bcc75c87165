// Carries out a window plan (plan.ts) for an AmiLaunchPermissions Create or Update: reads what EC2 says about the
// window's AMIs (together, before any write), checks the deprecation EC2 would accept, and after the current AMI is
// converged deprecates the superseded one, shares again what a rollback brings back and revokes what left the window.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { keptImagesToFollow, leavingDeclaration, planWindow, rollbackMatters, supersededDeprecation, WindowPlan } from './plan';
import { SupersededWindow } from './window';
import { earliestDeprecationTime } from '../../src/validation';
import { LiveDeprecation } from '../deprecation/plan';
import { describeDeprecation, disableImageDeprecation, enableImageDeprecation } from '../ec2';
import { managesEncryption, sharesSnapshots } from '../encryption/plan';
import { readImage } from '../encryption/preflight';
import { convergeEncryption, convergeSnapshotPermissions } from '../encryption/share';
import { isImageGone, messageOf } from '../errors';
import { launchPermissionSet, revokeDeclaration } from '../launch-permissions/permission-set';
import { planConverge } from '../launch-permissions/plan';
import { LaunchPermissionsDeclaration } from '../launch-permissions/properties';
import { log } from '../log';
import { RequestContext } from '../resource';
import { convergeSet, NO_CHANGES, SetChanges, sumChanges } from '../set-converge';
import { UndoLog } from '../undo';
import { isRollingBack } from './stack-record';

/** The window's decision, with everything it needs read and checked; nothing written yet. */
export interface PreparedWindow {
  readonly plan: WindowPlan;
  /** The deprecation to give the superseded AMI, if it needs one (undefined: none, or it already has an earlier one). */
  readonly deprecateAt?: Date;
  readonly live: ReadonlyMap<string, LiveDeprecation>;
}

/**
 * Reads the window's AMIs (one DescribeImages each, all at once) and, only when it changes the answer, the stack's
 * status; decides; and checks the deprecation against EC2's rules. Throws, before any write, what EC2 would refuse.
 */
export async function prepareWindow(context: RequestContext, event: CloudFormationCustomResourceEvent,
  previous: SupersededWindow, declared: LaunchPermissionsDeclaration, previouslyKept: boolean): Promise<PreparedWindow> {
  const imageId = declared.imageId;
  // Only a rollback can bring the AMIs the last update pushed out back: only then are they read.
  const mayRollBack = event.RequestType === 'Update' && declared.supersededImages !== undefined && rollbackMatters(previous, imageId);
  const ids = [...new Set([previous.imageId, ...previous.kept, ...mayRollBack ? previous.pushedOut : []])].filter(id => id !== imageId);
  const [reads, rollback] = await Promise.all([
    Promise.all(ids.map(id => describeDeprecation(context.ec2, id).then(
      live => [id, live] as const,
      error => { if (isImageGone(error)) return [id, undefined] as const; throw error; }))),
    // Only a declaration that keeps a window reads the stack (and only it is granted to: superseded-access.ts).
    mayRollBack ? isRollingBack(context, event) : Promise.resolve(false),
  ]);
  const live = new Map(reads.filter((r): r is readonly [string, LiveDeprecation] => r[1] !== undefined));
  const gone = new Set(ids.filter(id => !live.has(id)));
  const plan = planWindow({ previous, imageId, keep: declared.supersededImages?.keep ?? 0, previouslyKept, rollback, gone });
  for (const id of plan.dropped) {
    log('WARN', 'superseded image no longer exists (deregistered): it drops out of the window', { imageId: id, current: imageId });
  }
  const superseded = plan.deprecate ? live.get(plan.deprecate) : undefined;
  if (!plan.deprecate || !superseded) return { plan, live };

  const deprecation = supersededDeprecation(plan.deprecate, imageId, superseded, declared.supersededImages?.deprecateAfterMinutes ?? 0, new Date());
  if (deprecation.refusal) throw new Error(deprecation.refusal);
  return { plan, live, deprecateAt: deprecation.at };
}

/**
 * The window's writes, after the current AMI has its declaration; the new window (the physical id) and what changed.
 * `previousDeclared`: the declaration this Update replaces (undefined for a Create).
 */
export async function applyWindow(context: RequestContext, prepared: PreparedWindow, declared: LaunchPermissionsDeclaration,
  previousDeclared: LaunchPermissionsDeclaration | undefined, undo: UndoLog): Promise<{ window: SupersededWindow; changes: SetChanges }> {
  const { plan, live } = prepared;
  let writes = 0;
  let before = plan.window.before;
  if (plan.deprecate && live.has(plan.deprecate)) {
    before = live.get(plan.deprecate)!.deprecationTime?.toISOString() ?? 'none';
    if (prepared.deprecateAt) {
      const superseded = plan.deprecate;
      await enableImageDeprecation(context.ec2, superseded, prepared.deprecateAt);
      undo.push(() => restore(context, superseded, before));
      writes++;
      log('INFO', 'superseded image deprecated', { imageId: superseded, deprecateAt: prepared.deprecateAt.toISOString() });
    }
  }
  if (plan.restoreDeprecation) {
    writes += await restore(context, plan.restoreDeprecation.imageId, plan.restoreDeprecation.before, live.get(plan.restoreDeprecation.imageId));
  }
  let changes: SetChanges = { ...NO_CHANGES, writes };
  for (const id of plan.reshare) {
    changes = sumChanges(changes, await share(context, { ...declared, imageId: id }, undo));
  }
  for (const id of keptImagesToFollow(plan, previousDeclared, declared)) {
    changes = sumChanges(changes, await follow(context, id, declared, previousDeclared!, undo));
  }
  const leaving = leavingDeclaration(previousDeclared, declared);
  for (const id of plan.revoke) {
    changes = sumChanges(changes, await revokeLeaving(context, { ...leaving, imageId: id }));
  }
  return { window: { ...plan.window, before }, changes };
}

/** Shares the declaration on an AMI a rollback brings back into the window: grants only, never revokes anyone. */
async function share(context: RequestContext, declared: LaunchPermissionsDeclaration, undo: UndoLog): Promise<SetChanges> {
  log('INFO', 'superseded image back in the window (rollback): sharing it again', { imageId: declared.imageId });
  const launch = await convergeSet(context, launchPermissionSet(context, declared.imageId),
    current => planConverge({ desired: declared.permissions, live: current, mode: 'ADDITIVE' }), undo);
  const encryption = managesEncryption(declared)
    ? await convergeEncryption(context, declared, undefined, await readImage(context, declared.imageId), undo)
    : NO_CHANGES;
  return sumChanges(launch, encryption);
}

/**
 * Brings a kept AMI's launch permissions and snapshot permissions along with a change of the declaration
 * (keptImagesToFollow): an account dropped from it loses the kept AMIs now, not when they leave the window. Key grants
 * stay as they were at the rollover (docs/superseded-images.md, Limits).
 */
async function follow(context: RequestContext, imageId: string, declared: LaunchPermissionsDeclaration,
  previousDeclared: LaunchPermissionsDeclaration, undo: UndoLog): Promise<SetChanges> {
  log('INFO', 'kept image follows the declaration', { imageId });
  try {
    const launch = await convergeSet(context, launchPermissionSet(context, imageId),
      current => planConverge({ desired: declared.permissions, previous: previousDeclared.permissions, live: current, mode: 'ADDITIVE' }), undo);
    if (!sharesSnapshots(declared, previousDeclared)) return launch;
    const snapshots = await convergeSnapshotPermissions(context, { ...declared, imageId, mode: 'ADDITIVE' },
      { ...previousDeclared, imageId }, await readImage(context, imageId), undo);
    return sumChanges(launch, snapshots);
  } catch (error) {
    if (!isImageGone(error)) throw error;
    log('WARN', 'kept image no longer exists: nothing to change on it', { imageId });
    return NO_CHANGES;
  }
}

async function revokeLeaving(context: RequestContext, declared: LaunchPermissionsDeclaration): Promise<SetChanges> {
  log('INFO', 'superseded image leaves the window: revoking what the construct shared', { imageId: declared.imageId });
  try {
    return await revokeDeclaration(context, declared);
  } catch (error) {
    if (!isImageGone(error)) throw error;
    log('WARN', 'superseded image no longer exists: nothing to revoke on it', { imageId: declared.imageId });
    return NO_CHANGES;
  }
}

/**
 * Gives an AMI that is current again the deprecation it had before it was superseded ('none' or undefined: none). A
 * refusal (e.g. a public AMI's deprecation cannot be cancelled) is a warning: the AMI keeps the deprecation the window
 * gave it, and a rollback must not fail for it. Returns the writes made.
 */
async function restore(context: RequestContext, imageId: string, before: string | undefined, known?: LiveDeprecation): Promise<number> {
  try {
    const live = known ?? await describeDeprecation(context.ec2, imageId);
    const target = before && before !== 'none' ? new Date(before) : undefined;
    if (target && target <= earliestDeprecationTime(new Date())) return 0; // It would be deprecated by now anyway.
    if (target) {
      if (live.deprecationTime?.getTime() === target.getTime()) return 0;
      await enableImageDeprecation(context.ec2, imageId, target);
    } else {
      if (!live.deprecationTime) return 0;
      await disableImageDeprecation(context.ec2, imageId);
    }
    log('INFO', 'image is current again: its deprecation is what it was before it was superseded', { imageId, deprecation: before ?? 'none' });
    return 1;
  } catch (error) {
    if (isImageGone(error)) return 0;
    log('WARN', 'could not give the image back its deprecation time; it stays deprecated', { imageId, error: messageOf(error) });
    return 0;
  }
}
