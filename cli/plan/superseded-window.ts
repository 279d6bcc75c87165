// The superseded-images window of an AmiLaunchPermissions (SupersededImages.keep, docs/superseded-images.md): which
// AMIs stay shared after the deploy, which superseded AMI it deprecates, which it pushes out and revokes. Decided by
// the handler's own planWindow (lambda/superseded/plan.ts) on the window the deployed physical id records, with what
// EC2 says about the window's AMIs (DescribeImages, read-only: the deprecation time, and which are gone).
import { planEncryptionRevocation, planSnapshotPermissionsFollow } from './encryption';
import { KeptImage, RevokeReason } from './model';
import { Findings, PlannerInput } from './planner';
import type { LiveDeprecation } from '../../lambda/deprecation/plan';
import { managesEncryption } from '../../lambda/encryption/plan';
import type { Plan } from '../../lambda/launch-permissions/plan';
import { planConverge, planDelete } from '../../lambda/launch-permissions/plan';
import type { LaunchPermissionsDeclaration } from '../../lambda/launch-permissions/properties';
import { keptImagesToFollow, leavingDeclaration, planWindow, supersededDeprecation } from '../../lambda/superseded/plan';
import { emptyWindow, parseWindow, sharedImages, SupersededWindow } from '../../lambda/superseded/window';

/** What the launch-permissions planner records for a revocation of a whole declaration on one AMI. */
export type RecordRevocations = (imageId: string, plan: Plan, reason: RevokeReason) => void;

/**
 * Plans the window of a construct that keeps superseded AMIs, or kept them until now (as the handler decides whether
 * a request is "windowed"). Returns the AMIs CloudFormation's cleanup Delete of the old physical id leaves to the
 * window (it still shares them, or revokes them itself): the planner then reports no cleanup of them.
 */
export async function planSupersededWindow(input: PlannerInput, findings: Findings, now: LaunchPermissionsDeclaration | undefined,
  before: LaunchPermissionsDeclaration | undefined, record: RecordRevocations): Promise<ReadonlySet<string>> {
  const { action, desired, deployed } = input;
  const recorded = action === 'create' ? undefined : parseWindow(deployed?.physicalId);
  const windowed = now?.supersededImages !== undefined || (recorded !== undefined && recorded.kept.length + recorded.pushedOut.length > 0);
  if (!windowed) return new Set();

  if (action === 'delete') {
    if (recorded && before) await guardRevokes(input, findings, recorded, before, record);
    return new Set();
  }
  if (action === 'none') {
    if (recorded) await showDeployed(input, findings, recorded, before);
    return new Set();
  }
  if (!now || !desired) return new Set();
  const imageId = desired.image.id;
  if (!imageId) {
    const previous = now.supersededImages && before?.supersededImages && deployed?.image.id;
    findings.notes.push('the AMI is resolved at deploy: the plan cannot tell how the superseded-images window moves'
      + (previous ? ` (if it is a new one, ${previous} stays shared in the window and is deprecated)` : ''));
    return new Set(previous ? [previous] : []);
  }

  const previous = recorded ?? emptyWindow(imageId);
  const live = await readWindow(input, findings, [previous.imageId, ...previous.kept, ...previous.pushedOut].filter(id => id !== imageId));
  if (!live) return new Set();
  const gone = new Set([...live].filter(([, value]) => value === undefined).map(([id]) => id));
  const plan = planWindow({
    previous, imageId, keep: now.supersededImages?.keep ?? 0, previouslyKept: before?.supersededImages !== undefined, rollback: false, gone,
  });

  const supersedes = plan.deprecate ? deprecation(findings, plan.deprecate, imageId, live.get(plan.deprecate)!, now) : undefined;
  if (plan.restoreDeprecation) {
    findings.notes.push(`${imageId} is current again: it leaves the window and gets back the deprecation it had before it was superseded `
      + `(${plan.restoreDeprecation.before ?? 'none'})`);
  }
  // The kept AMIs follow a change of the declaration (the handler's follow step in rollover.ts).
  for (const id of keptImagesToFollow(plan, before, now)) {
    const permissions = findings.value(await input.live.launchPermissions(id), id, 'deployed');
    if (permissions) {
      record(id, planConverge({ desired: now.permissions, previous: before!.permissions, live: permissions.value, mode: 'ADDITIVE' }), 'dropped');
    }
    await planSnapshotPermissionsFollow(input, findings, id, { ...now, imageId: id }, { ...before!, imageId: id });
  }
  // The handler revokes the declaration being deployed on the AMI leaving the window, and the one it replaces when the
  // sharing changes (the AMI followed that one until now).
  const leaving = leavingDeclaration(before, now);
  for (const id of plan.revoke) {
    const permissions = findings.value(await input.live.launchPermissions(id), id, 'deployed');
    if (permissions) record(id, planDelete(leaving.permissions, permissions.value), 'pushed-out');
    if (managesEncryption(leaving)) await planEncryptionRevocation(input, findings, id, { ...leaving, imageId: id });
  }
  const kept = plan.window.kept.map(id => id === supersedes?.imageId ? supersedes : keptImage(id, live.get(id)));
  findings.supersededImages = {
    keep: now.supersededImages?.keep ?? 0,
    deprecateAfterMinutes: now.supersededImages?.deprecateAfterMinutes ?? 0,
    imageId,
    kept,
    keptBefore: [...previous.kept],
    ...supersedes ? { supersedes } : {},
    pushedOut: [...plan.revoke],
    dropped: [...plan.dropped],
  };
  return new Set([...sharedImages(plan.window), ...plan.revoke]);
}

/**
 * The deprecation the handler gives the superseded AMI: earliestDeprecationTime, or now + deprecateAfter (whole minutes),
 * whichever is later, unless the AMI already has an earlier time (lambda/superseded/rollover.ts, prepareWindow). A
 * time EC2 would refuse fails the deploy before any write, as in the handler.
 */
function deprecation(findings: Findings, superseded: string, imageId: string, live: LiveDeprecation,
  now: LaunchPermissionsDeclaration): KeptImage {
  const { at: target, refusal } = supersededDeprecation(superseded, imageId, live, now.supersededImages?.deprecateAfterMinutes ?? 0, new Date());
  if (refusal) {
    findings.addError(`the deploy would fail: ${refusal}`);
    return keptImage(superseded, live);
  }
  if (!target) return keptImage(superseded, live);
  findings.changes.push({ kind: 'set-deprecation', imageId: superseded, from: live.deprecationTime?.toISOString(), to: target.toISOString() });
  return { imageId: superseded, deprecationTime: target.toISOString() };
}

/**
 * Each AMI's deprecation (undefined: the AMI no longer exists, image-gone drift); undefined when a read failed (the
 * error is recorded and the window is not planned: the handler would need that read too).
 */
async function readWindow(input: PlannerInput, findings: Findings,
  ids: readonly string[]): Promise<Map<string, LiveDeprecation | undefined> | undefined> {
  const unique = [...new Set(ids)];
  const reads = await Promise.all(unique.map(id => input.live.deprecation(id)));
  if (reads.some(read => !read.ok && !read.gone)) {
    reads.forEach((read, i) => findings.value(read, unique[i], 'deployed'));
    return undefined;
  }
  return new Map(unique.map((id, i) => [id, findings.value(reads[i], id, 'deployed')?.value]));
}

function keptImage(imageId: string, live: LiveDeprecation | undefined): KeptImage {
  return live?.deprecationTime ? { imageId, deprecationTime: live.deprecationTime.toISOString() } : { imageId };
}

/** No Update is sent: the window stays as deployed. Kept AMIs that are gone or no longer deprecated are drift. */
async function showDeployed(input: PlannerInput, findings: Findings, recorded: SupersededWindow, before: LaunchPermissionsDeclaration | undefined) {
  const live = await readWindow(input, findings, recorded.kept);
  if (!live) return;
  for (const [id, value] of live) {
    if (value && !value.deprecationTime) {
      findings.drift.push({ kind: 'deprecation', imageId: id, declared: 'deprecated (superseded, kept by the window)' });
    }
  }
  findings.supersededImages = {
    keep: before?.supersededImages?.keep ?? 0,
    deprecateAfterMinutes: before?.supersededImages?.deprecateAfterMinutes ?? 0,
    imageId: recorded.imageId,
    kept: recorded.kept.filter(id => live.get(id)).map(id => keptImage(id, live.get(id))),
    keptBefore: [...recorded.kept],
    pushedOut: [],
    dropped: recorded.kept.filter(id => !live.get(id)),
  };
}

/** The construct leaves the stack: its SupersededImages guard's Delete revokes the declaration on every kept AMI. */
async function guardRevokes(input: PlannerInput, findings: Findings, recorded: SupersededWindow, before: LaunchPermissionsDeclaration,
  record: RecordRevocations) {
  if (input.deployed?.deletionPolicy === 'Retain') return;
  for (const id of recorded.kept) {
    const permissions = findings.value(await input.live.launchPermissions(id), id, 'deployed');
    if (permissions) record(id, planDelete(before.permissions, permissions.value), 'removed');
    if (managesEncryption(before)) await planEncryptionRevocation(input, findings, id, { ...before, imageId: id });
  }
  findings.supersededImages = {
    keep: 0, deprecateAfterMinutes: 0, imageId: recorded.imageId, kept: [], keptBefore: [...recorded.kept], pushedOut: [], dropped: [],
  };
}
