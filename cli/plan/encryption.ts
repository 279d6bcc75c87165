// The key grants (encryptionKeys shared by GRANTS) and snapshot createVolumePermission (allowCopy) of an
// AmiLaunchPermissions construct: what a deploy converges or revokes, decided by the handler's own choices
// (lambda/encryption/plan.ts, which its share.ts acts on) over the same reads, and their drift from the deployed
// declaration. Keys shared by key policy (in-app keys) are settled at synth: nothing to plan here.
import { RevokeReason } from './model';
import { Findings, PlannerInput } from './planner';
import { declaredGrants, grantedKeys } from '../../lambda/encryption/key-grants';
import {
  keyGrantsToConverge,
  keyGrantsToRevoke,
  SetDecision,
  sharesSnapshots,
  snapshotPermissionsToConverge,
  snapshotPermissionsToRevoke,
} from '../../lambda/encryption/plan';
import { declaredSnapshotPermissions } from '../../lambda/encryption/snapshot-permissions';
import { Plan, planConverge } from '../../lambda/launch-permissions/plan';
import { LaunchPermissionsDeclaration } from '../../lambda/launch-permissions/properties';
import { fromPairKey, pairKey } from '../../lambda/set-converge';

type Role = 'target' | 'deployed';
type SetKind = 'key' | 'snapshot';

/** Stands in for the snapshots of an AMI only resolved at deploy: the plan shows the accounts, not the snapshots. */
const UNKNOWN_SNAPSHOTS = '(the snapshots of the AMI resolved at deploy)';

/**
 * Create and Update (`previous`: the deployed declaration on the same AMI, else undefined), as convergeEncryption:
 * grants on the keys of both declarations, snapshot permissions while either shares snapshots.
 */
export async function planEncryption(input: PlannerInput, findings: Findings, imageId: string | undefined,
  now: LaunchPermissionsDeclaration, previous: LaunchPermissionsDeclaration | undefined): Promise<void> {
  const grants = keyGrantsToConverge(now, previous);
  if (!imageId) {
    // Nothing to read: the AMI CloudFormation resolves has no grants named after it yet, and its snapshots are unknown.
    record(findings, 'key', undefined, grants.plan(new Set()), () => 'not-declared');
    if (sharesSnapshots(now)) {
      record(findings, 'snapshot', undefined, snapshotPermissionsToConverge(now, undefined, [UNKNOWN_SNAPSHOTS]).plan(new Set()), () => 'not-declared');
    }
    return;
  }
  const previousGrants = previous && declaredGrants(previous);
  await decide(input, findings, imageId, 'key', grants, 'target', key => previousGrants?.has(key) ? 'dropped' : 'not-declared');

  if (!sharesSnapshots(now, previous)) return;
  const snapshotIds = await snapshotsOf(input, findings, imageId, 'target');
  if (!snapshotIds) return;
  const previousPermissions = previous && declaredSnapshotPermissions(previous, snapshotIds);
  const dropped = now.allowCopy ? 'dropped' : 'copy-disallowed';
  await decide(input, findings, imageId, 'snapshot', snapshotPermissionsToConverge(now, previous, snapshotIds), 'target',
    key => previousPermissions?.has(key) ? dropped : 'not-declared');
}

/**
 * A kept AMI following a change of the declaration, as the handler's follow step (lambda/superseded/rollover.ts): its
 * snapshot permissions in ADDITIVE mode against the previous declaration; its key grants stay as they are.
 */
export async function planSnapshotPermissionsFollow(input: PlannerInput, findings: Findings, imageId: string,
  now: LaunchPermissionsDeclaration, previous: LaunchPermissionsDeclaration): Promise<void> {
  if (!sharesSnapshots(now, previous)) return;
  const snapshotIds = await snapshotsOf(input, findings, imageId, 'deployed');
  if (!snapshotIds) return;
  const previousPermissions = declaredSnapshotPermissions(previous, snapshotIds);
  const dropped = now.allowCopy ? 'dropped' : 'copy-disallowed';
  await decide(input, findings, imageId, 'snapshot', snapshotPermissionsToConverge({ ...now, mode: 'ADDITIVE' }, previous, snapshotIds), 'deployed',
    key => previousPermissions.has(key) ? dropped : 'not-declared');
}

/**
 * CloudFormation's Delete of the deployed resource, as revokeEncryption: the grants (they live on the keys, so even
 * when the AMI is gone), and with allowCopy the permissions on the AMI's snapshots.
 */
export async function planEncryptionRevocation(input: PlannerInput, findings: Findings, imageId: string,
  declared: LaunchPermissionsDeclaration): Promise<void> {
  await decide(input, findings, imageId, 'key', keyGrantsToRevoke(declared), 'deployed', () => 'removed');
  if (!sharesSnapshots(declared)) return;
  // A deregistered AMI's snapshots cannot be found through it: the handler revokes nothing on them (image-gone drift).
  const snapshotIds = await snapshotsOf(input, findings, imageId, 'deployed');
  if (snapshotIds) await decide(input, findings, imageId, 'snapshot', snapshotPermissionsToRevoke(declared, snapshotIds), 'deployed', () => 'removed');
}

/**
 * Drift, as for launch permissions: what the handler would change to make the live grants and snapshot permissions
 * exactly the deployed declaration's (the EXCLUSIVE plan against it). What other constructs of this library declare on
 * the AMI is theirs, not drift (grants are named after the AMI, so constructs sharing one AMI share the name).
 */
export async function planEncryptionDrift(input: PlannerInput, findings: Findings, imageId: string,
  declared: LaunchPermissionsDeclaration): Promise<void> {
  const others = input.otherDeclarations(imageId);
  const keys = grantedKeys(declared);
  if (keys.length > 0) {
    const live = await liveSet(input, findings, imageId, 'key', keys, 'deployed');
    if (live) {
      recordDrift(findings, imageId, 'key', planConverge({ desired: declaredGrants(declared), live, mode: 'EXCLUSIVE' }),
        new Set(others.flatMap(d => [...declaredGrants(d)])));
    }
  }
  if (!declared.allowCopy) return;
  const snapshotIds = await snapshotsOf(input, findings, imageId, 'deployed');
  const live = snapshotIds && await liveSet(input, findings, imageId, 'snapshot', snapshotIds, 'deployed');
  if (snapshotIds && live) {
    recordDrift(findings, imageId, 'snapshot', planConverge({ desired: declaredSnapshotPermissions(declared, snapshotIds), live, mode: 'EXCLUSIVE' }),
      new Set(others.flatMap(d => [...declaredSnapshotPermissions(d, snapshotIds)])));
  }
}

/** Reads the live set the decision names (if any) and records its plan. */
async function decide(input: PlannerInput, findings: Findings, imageId: string, kind: SetKind, decision: SetDecision, role: Role,
  reason: (key: string) => RevokeReason): Promise<void> {
  if (decision.targets.length === 0) return;
  const live = await liveSet(input, findings, imageId, kind, decision.targets, role);
  if (live) record(findings, kind, imageId, decision.plan(live), reason);
}

/** The AMI's snapshot ids (DescribeImages, as the handler reads them), or undefined after recording why not. */
async function snapshotsOf(input: PlannerInput, findings: Findings, imageId: string, role: Role): Promise<string[] | undefined> {
  const storage = findings.value(await input.live.storage(imageId), imageId, role);
  return storage?.value.snapshots.map(s => s.snapshotId);
}

/**
 * The live grants named after the AMI on `targets` (key ARNs), or the createVolumePermission accounts of `targets`
 * (snapshot ids), as the handler's keys ("<account> on <target>"); undefined when a read failed (recorded).
 */
async function liveSet(input: PlannerInput, findings: Findings, imageId: string, kind: SetKind, targets: readonly string[],
  role: Role): Promise<Set<string> | undefined> {
  const live = new Set<string>();
  for (const target of targets) {
    const accounts = kind === 'key'
      ? findings.value(await input.live.keyGrants(target, imageId), imageId, role)?.value.map(g => g.account)
      : findings.value(await input.live.createVolumeAccounts(target), imageId, role)?.value;
    if (!accounts) return undefined;
    accounts.forEach(account => live.add(pairKey(target, account)));
  }
  return live;
}

function record(findings: Findings, kind: SetKind, imageId: string | undefined, plan: Plan, reason: (key: string) => RevokeReason): void {
  for (const key of plan.remove) {
    const { on, account } = fromPairKey(key);
    findings.changes.push(kind === 'key'
      ? { kind: 'revoke-key', imageId: imageId!, keyArn: on, account, reason: reason(key) }
      : { kind: 'revoke-snapshot', imageId: imageId!, snapshotId: on, account, reason: reason(key) });
  }
  for (const key of plan.add) {
    const { on, account } = fromPairKey(key);
    findings.changes.push(kind === 'key'
      ? { kind: 'grant-key', imageId, keyArn: on, account }
      : { kind: 'grant-snapshot', imageId, snapshotId: on === UNKNOWN_SNAPSHOTS ? undefined : on, account });
  }
}

function recordDrift(findings: Findings, imageId: string, kind: SetKind, exact: Plan, theirs: ReadonlySet<string>): void {
  for (const key of exact.remove.filter(k => !theirs.has(k))) {
    const { on, account } = fromPairKey(key);
    findings.drift.push(kind === 'key'
      ? { kind: 'key-grant-added', imageId, keyArn: on, account, revokedByThisDeploy: false }
      : { kind: 'snapshot-permission-added', imageId, snapshotId: on, account, revokedByThisDeploy: false });
  }
  for (const key of exact.add) {
    const { on, account } = fromPairKey(key);
    findings.drift.push(kind === 'key'
      ? { kind: 'key-grant-removed', imageId, keyArn: on, account, restoredByThisDeploy: false }
      : { kind: 'snapshot-permission-removed', imageId, snapshotId: on, account, restoredByThisDeploy: false });
  }
}
