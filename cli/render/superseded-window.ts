// The human lines of a superseded-images window (SupersededImages.keep): the AMIs shared after the deploy, each kept
// one with its deprecation ("deprecated since" a past time, "deprecated at" a future one), the AMI this deploy
// supersedes, the ones it pushes out (their revocations are the construct's "- revoke" lines) and the ones gone.
import type { KeptImage, SupersededWindowReport } from '../plan/model';

export function windowLines(window: SupersededWindowReport, now = new Date()): string[] {
  const after = window.deprecateAfterMinutes > 0 ? `, deprecated ${window.deprecateAfterMinutes} min after superseded` : '';
  const lines = [window.keep > 0
    ? `window  SupersededImages.keep(${window.keep})${after}: current ${window.imageId}, ${window.kept.length} of ${window.keep} kept`
    : `window  SupersededImages.revoke(): current ${window.imageId}, nothing kept`];
  for (const kept of window.kept) {
    const superseded = kept.imageId === window.supersedes?.imageId ? ' (superseded by this deploy)' : '';
    lines.push(`window    kept ${kept.imageId}: ${deprecationText(kept, now)}${superseded}`);
  }
  for (const id of window.pushedOut) lines.push(`window    pushed out ${id}: revoked by this deploy`);
  for (const id of window.dropped) lines.push(`window    dropped ${id}: no longer exists (deregistered), it leaves the window`);
  const accounted = new Set([...window.kept.map(k => k.imageId), ...window.pushedOut, ...window.dropped]);
  const left = window.keptBefore.filter(id => !accounted.has(id));
  for (const id of left) lines.push(`window    no longer kept ${id}`);
  return lines;
}

function deprecationText(kept: KeptImage, now: Date): string {
  if (!kept.deprecationTime) return 'not deprecated';
  return new Date(kept.deprecationTime) <= now ? `deprecated since ${kept.deprecationTime}` : `deprecated at ${kept.deprecationTime}`;
}
