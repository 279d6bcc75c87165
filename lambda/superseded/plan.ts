// The window's decision for one request, shared by the handler and `cdk-ami-sharing plan`. No I/O: what EC2 says about
// the AMIs involved (which are gone) is a parameter. Tested directly (test/lambda/superseded-plan.test.ts).
import { SupersededWindow } from './window';
import { deprecateAtError, earliestDeprecationTime, EncryptionKeyEntry, publicDeprecationError, roundToMinute } from '../../src/validation';
import { LiveDeprecation } from '../deprecation/plan';
import type { LaunchPermissionsDeclaration } from '../launch-permissions/properties';

export interface WindowInput {
  /** The window the resource's physical id records now (for a Create: an empty one on the new AMI). */
  readonly previous: SupersededWindow;
  /** The AMI the request declares. */
  readonly imageId: string;
  /** How many superseded AMIs to keep; 0 for SupersededImages.revoke(). */
  readonly keep: number;
  /**
   * Whether the declaration being replaced kept superseded AMIs too. If not, CloudFormation's cleanup Delete of the old
   * physical id revokes the previous AMI as it always did, so the window cannot keep it.
   */
  readonly previouslyKept: boolean;
  /** The request is CloudFormation rolling back the update that made `previous` (stack status UPDATE_ROLLBACK_IN_PROGRESS). */
  readonly rollback: boolean;
  /** AMIs of the window that no longer exist (deregistered out of band). */
  readonly gone: ReadonlySet<string>;
}

export interface WindowPlan {
  /** The window after the request: the new physical id. */
  readonly window: SupersededWindow;
  /** The AMI this request supersedes and deprecates (a forward rollover), if any. */
  readonly deprecate?: string;
  /** An AMI that is current again and gets back the deprecation it had before it was superseded ('none': none). */
  readonly restoreDeprecation?: { readonly imageId: string; readonly before?: string };
  /** AMIs that leave the window: revoke what the construct shared on them. */
  readonly revoke: string[];
  /** AMIs a rollback brings back into the window: share them again. */
  readonly reshare: string[];
  /** AMIs that dropped out of the window because they no longer exist (a warning, not a failure). */
  readonly dropped: string[];
}

/**
 * Whether answering this request needs to know if it is a rollback (only then is the stack's status read): an Update
 * back to the AMI the window kept last (a rollover's rollback, or a deployment back to it), or an Update on the same AMI
 * whose last update pushed AMIs out (a smaller keep count's rollback). A forward rollover to a new AMI never is.
 */
export function rollbackMatters(previous: SupersededWindow, imageId: string): boolean {
  return previous.kept[0] === imageId || (previous.imageId === imageId && previous.pushedOut.length > 0);
}

export function planWindow(input: WindowInput): WindowPlan {
  const { previous, imageId, keep, gone } = input;
  const keeps = keep > 0;
  const exists = (id: string) => !gone.has(id);
  const rollingBackRollover = input.rollback && previous.kept[0] === imageId && previous.imageId !== imageId;

  let candidates: string[];
  let reshare: string[] = [];
  let deprecate: string | undefined;
  let restoreDeprecation: WindowPlan['restoreDeprecation'];
  let before: string | undefined;
  if (input.rollback && (rollingBackRollover || previous.imageId === imageId)) {
    // The window before the update being rolled back: what it kept, without the AMI it superseded, plus what it pushed out.
    reshare = previous.pushedOut.filter(exists);
    candidates = [...(rollingBackRollover ? previous.kept.slice(1) : previous.kept), ...previous.pushedOut];
    if (rollingBackRollover) restoreDeprecation = { imageId, before: previous.before };
  } else if (previous.imageId === imageId) {
    candidates = [...previous.kept];
    before = previous.before;
  } else {
    // A rollover: the previous AMI is superseded; an AMI of the window that is current again leaves it.
    candidates = [...(input.previouslyKept ? [previous.imageId] : []), ...previous.kept.filter(id => id !== imageId)];
    if (keeps && input.previouslyKept && exists(previous.imageId)) deprecate = previous.imageId;
    if (previous.kept.includes(imageId)) {
      restoreDeprecation = { imageId, before: previous.kept[0] === imageId ? previous.before : undefined };
    }
  }

  const dropped = candidates.filter(id => !exists(id));
  const present = [...new Set(candidates.filter(exists))].filter(id => id !== imageId);
  const kept = present.slice(0, keep);
  const leaving = present.slice(keep);
  // Without a window, the previous AMI is left to CloudFormation's cleanup Delete of the old physical id, as before
  // windows existed; what a window kept until now is revoked here.
  const revoke = leaving.filter(id => keeps || id !== previous.imageId);
  const window: SupersededWindow = {
    imageId,
    kept: keeps ? kept : [],
    // Only a forward update that keeps a window records what it did; a rollback's id is the window it went back to.
    // (Back to revoke() is not undone by a rollback: the id then has no window at all, and the kept AMIs stay revoked.)
    pushedOut: input.rollback || !keeps ? [] : revoke.filter(id => !reshare.includes(id)),
    // The caller records the deprecation time the superseded AMI had before it deprecates it.
    before: deprecate || input.rollback || kept.length === 0 || !keeps ? undefined : before,
  };
  return {
    window,
    deprecate,
    restoreDeprecation,
    revoke: revoke.filter(id => !reshare.includes(id)),
    reshare: reshare.filter(id => kept.includes(id)),
    dropped,
  };
}

/**
 * The deprecation time a rollover gives the AMI it supersedes: earliestDeprecationTime, or `now` plus deprecateAfter, whichever
 * is later; none (`at` undefined) when the AMI already has an earlier one. `refusal`: why EC2 would refuse it (nothing
 * may be written then).
 */
export function supersededDeprecation(superseded: string, by: string, live: LiveDeprecation, deprecateAfterMinutes: number,
  now: Date): { readonly at?: Date; readonly refusal?: string } {
  const afterWindow = roundToMinute(new Date(now.getTime() + deprecateAfterMinutes * 60_000));
  const target = new Date(Math.max(earliestDeprecationTime(now).getTime(), afterWindow.getTime()));
  if (live.deprecationTime && live.deprecationTime <= target) return {};
  const property = `SupersededImages (deprecating ${superseded}, superseded by ${by})`;
  const refusal = deprecateAtError(property, target, now)
    ?? (live.public ? publicDeprecationError(property, { imageId: superseded, ...live }, target) : undefined);
  return refusal ? { refusal } : { at: target };
}

/**
 * The kept AMIs that follow a change of what the construct shares with whom (sharingChanged): every AMI the window keeps
 * after the request, except those a rollback shares again (they get the whole declaration). None otherwise, so an
 * Update that changes nothing else reads no kept AMI. Each follows in ADDITIVE mode against the previous declaration:
 * what was dropped is revoked, what was added is granted, nobody else's permission is touched.
 */
export function keptImagesToFollow(plan: WindowPlan, previous: LaunchPermissionsDeclaration | undefined,
  declared: LaunchPermissionsDeclaration): string[] {
  return sharingChanged(previous, declared) ? plan.window.kept.filter(id => !plan.reshare.includes(id)) : [];
}

/**
 * Whether an Update changes the declared principals or allowCopy: what the kept AMIs follow (launch permissions and
 * snapshot permissions, not key grants: the declared keys describe the current AMI). An AMI leaving the window at
 * such an Update is revoked for the previous declaration too: it followed that one until now.
 */
export function sharingChanged(previous: LaunchPermissionsDeclaration | undefined, declared: LaunchPermissionsDeclaration): boolean {
  if (!previous) return false;
  const principals = previous.permissions;
  return previous.allowCopy !== declared.allowCopy
    || principals.size !== declared.permissions.size || [...principals].some(k => !declared.permissions.has(k));
}

/**
 * What an AMI leaving the window at this Update is revoked for: the declaration, and when the sharing changed
 * (sharingChanged) the previous one too, since the AMI followed it until now. One declaration holding the principals,
 * keys (granted ones first) and allowCopy of both, so the AMI's permissions, grants and snapshots are read once.
 */
export function leavingDeclaration(previous: LaunchPermissionsDeclaration | undefined,
  declared: LaunchPermissionsDeclaration): LaunchPermissionsDeclaration {
  if (!previous || !sharingChanged(previous, declared)) return declared;
  const keys = new Map<string, EncryptionKeyEntry>();
  for (const entry of [...previous.encryptionKeys, ...declared.encryptionKeys]) {
    if (keys.get(entry.KeyArn)?.SharedBy !== 'GRANTS') keys.set(entry.KeyArn, entry);
  }
  return {
    ...declared,
    permissions: new Set([...previous.permissions, ...declared.permissions]),
    encryptionKeys: [...keys.values()],
    allowCopy: previous.allowCopy || declared.allowCopy,
  };
}
