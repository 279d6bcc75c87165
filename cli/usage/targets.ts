// What `plan --usage` checks: the AMIs a deploy would take launch access away from, and who loses it. The input of the
// usage check is this plain list, so revocations from elsewhere (e.g. a rollover's superseded images window) can be
// added without touching the check.
import type { Principal, PlanReport } from '../plan/model';

export interface UsageTarget {
  readonly imageId: string;
  /** The Region the AMI lives in (the stack's); undefined: the configured one. */
  readonly region?: string;
  /**
   * The accounts losing launch access, or 'everyone-not-listed' when an organization, an organizational unit or the
   * public launch permission goes: then every account that uses the AMI may lose access, except those in
   * `accountsKeepingAccess`.
   */
  readonly accountsLosingAccess: readonly string[] | 'everyone-not-listed';
  /** With 'everyone-not-listed': accounts still named in a launch permission of the AMI after the deploy. */
  readonly accountsKeepingAccess?: readonly string[];
  /** The launch permissions the deploy removes from the AMI (as EC2 spells them). */
  readonly revoked: readonly Principal[];
}

/**
 * The launch permission revocations of a plan (rollover cleanup of the previous AMI, EXCLUSIVE removal, a construct
 * leaving the stack, a dropped principal, an AMI a superseded-images window pushes out), one target per AMI and Region. For 'everyone-not-listed', the accounts that
 * keep access are the ones granted on the same AMI by this deploy; check.ts adds those the live AMI names and the deploy
 * leaves.
 */
export function usageTargetsOf(report: PlanReport): UsageTarget[] {
  interface Collected {
    imageId: string; region?: string; accounts: Set<string>; everyone: boolean; kept: Set<string>; revoked: Map<string, Principal>;
  }
  const byImage = new Map<string, Collected>();
  const entry = (imageId: string, region?: string) => {
    const key = `${region ?? ''} ${imageId}`;
    let found = byImage.get(key);
    if (!found) {
      found = { imageId, region, accounts: new Set(), everyone: false, kept: new Set(), revoked: new Map() };
      byImage.set(key, found);
    }
    return found;
  };
  for (const stack of report.stacks) {
    const changes = stack.constructs.flatMap(c => c.changes);
    for (const change of changes) {
      if (change.kind !== 'revoke') continue;
      const target = entry(change.imageId, stack.region);
      const p = change.principal;
      target.revoked.set(JSON.stringify(p), p);
      if (p.UserId) target.accounts.add(p.UserId); else target.everyone = true;
    }
    for (const change of changes) {
      if (change.kind === 'grant' && change.imageId && change.principal.UserId) {
        byImage.get(`${stack.region ?? ''} ${change.imageId}`)?.kept.add(change.principal.UserId);
      }
    }
  }
  return [...byImage.values()].map(t => ({
    imageId: t.imageId,
    region: t.region,
    accountsLosingAccess: t.everyone ? 'everyone-not-listed' : [...t.accounts].sort(),
    accountsKeepingAccess: t.everyone ? [...t.kept].sort() : undefined,
    revoked: [...t.revoked.values()],
  }));
}
