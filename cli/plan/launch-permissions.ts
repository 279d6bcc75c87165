// Custom::AmiLaunchPermissions: what a deploy grants and revokes, decided by the handler's planConverge / planDelete
// with the same inputs the handler will get (the deployed declaration is the Update's OldResourceProperties), and the
// drift of the live AMI from the deployed declaration. Key grants and snapshot permissions: encryption.ts.
import { planEncryption, planEncryptionDrift, planEncryptionRevocation } from './encryption';
import { checkEncryptionBeforeSharing } from './encryption-preflight';
import { Change, Drift, isGrant, isRevocation, RevokeReason } from './model';
import { declarationProblem, DeployedSide, Findings, PlannerInput, PlannerOutput, ResourcePlanner, Side, withImageId } from './planner';
import { planSupersededWindow } from './superseded-window';
import { Deadline } from '../../lambda/deadline';
import { containsUnresolved } from '../../lambda/deployed-stack/resolve';
import { managesEncryption } from '../../lambda/encryption/plan';
import { Plan, planConverge, planDelete } from '../../lambda/launch-permissions/plan';
import { LaunchPermissionsDeclaration, parseLaunchPermissionsProperties } from '../../lambda/launch-permissions/properties';
import { checkPublicSharingAllowed } from '../../lambda/launch-permissions/public-sharing';
import { pairKey } from '../../lambda/set-converge';
import { parseWindow } from '../../lambda/superseded/window';
import { launchPermissionFromKey, launchPermissionKey, PUBLIC_ACCESS_KEY } from '../../src/validation';
import { throwIfFatal } from '../aws';

export const launchPermissionsPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;
    const now = desired ? declarationOf(desired, findings) : undefined;
    const before = launchPermissionsDeclarationOf(deployed);
    findings.mode = now?.mode ?? before?.mode;

    if (deployed?.image.id && before) {
      await drift(input, findings, deployed.image.id, before);
      await planEncryptionDrift(input, findings, deployed.image.id, before);
      // The superseded AMIs the deployed window keeps are shared with the same declaration.
      for (const kept of parseWindow(deployed.physicalId)?.kept ?? []) await drift(input, findings, kept, before);
    }

    if (action === 'create' || action === 'update' || action === 'replace') {
      if (now && desired) {
        const previous = action === 'update' ? before : undefined;
        const adding = await converge(input, findings, desired, now, previous);
        if (desired.image.id && adding) await checkEncryptionBeforeSharing(input, findings, desired.image.id, adding, now, previous);
        await planEncryption(input, findings, desired.image.id, now, previous);
      }
    }
    // After the current AMI has its declaration, the window moves (../../lambda/superseded/rollover.ts).
    const window = await planSupersededWindow(input, findings, now, before, (imageId, plan, reason) => record(findings, imageId, plan, () => reason));
    // CloudFormation's cleanup Delete of the old physical id revokes nothing on an AMI the window still shares.
    if (action === 'replace' && before && deployed && !window.has(deployed.image.id!)) {
      await cleanUp(input, findings, deployed, before, deployed.updateReplacePolicy);
    } else if (action === 'delete' && before && deployed) {
      await cleanUp(input, findings, deployed, before, deployed.deletionPolicy);
    }
    markDriftThisDeployFixes(findings);
    return findings;
  },
};

/**
 * What a side of an AmiLaunchPermissions declares on its AMI, as the handler reads OldResourceProperties: undefined when
 * the AMI is not known or the properties do not validate. Also tells other constructs' principals and grants from drift.
 */
export function launchPermissionsDeclarationOf(side: Side | undefined): LaunchPermissionsDeclaration | undefined {
  if (!side?.image.id) return undefined;
  try {
    return parseLaunchPermissionsProperties({ ...side.properties, ImageId: side.image.id });
  } catch {
    return undefined;
  }
}

/** The declaration a Create or Update would get, or undefined (with the reason recorded) when it cannot be known. */
function declarationOf(side: Side, findings: Findings): LaunchPermissionsDeclaration | undefined {
  if (containsUnresolved(side.properties.Permissions) || containsUnresolved(side.properties.Mode)) {
    findings.notes.push('some principals are tokens resolved at deploy: the plan cannot show who gains access through them');
    return undefined;
  }
  let declaration: LaunchPermissionsDeclaration | undefined;
  const problem = declarationProblem(() => { declaration = parseLaunchPermissionsProperties(withImageId(side.properties, side.image)); });
  if (problem) findings.addError(problem);
  return declaration;
}

/** Records the Create or Update's launch permission changes; returns what it grants (undefined: unknown). */
async function converge(input: PlannerInput, findings: Findings, desired: Side, now: LaunchPermissionsDeclaration,
  previous: LaunchPermissionsDeclaration | undefined): Promise<string[] | undefined> {
  const imageId = desired.image.id;
  if (!imageId) {
    // Nothing to read: every declared principal is what the AMI CloudFormation resolves may gain.
    for (const key of [...now.permissions].sort()) findings.changes.push({ kind: 'grant', principal: launchPermissionFromKey(key) });
    if (now.mode === 'EXCLUSIVE') findings.notes.push('EXCLUSIVE: anyone else on the AMI resolved at deploy is revoked');
    return undefined;
  }
  const live = findings.value(await input.live.launchPermissions(imageId), imageId, 'target');
  if (!live) return undefined;
  const plan = planConverge({ desired: now.permissions, previous: previous?.permissions, live: live.value, mode: now.mode });
  record(findings, imageId, plan, key => previous?.permissions.has(key) ? 'dropped' : 'not-declared');
  await checkPublicSharing(input, findings, imageId, plan.add);
  return plan.add;
}

/**
 * The handler's own check before it makes an AMI public (block public access for AMIs, Marketplace product codes),
 * with its messages: read-only (GetImageBlockPublicAccessState, DescribeImages), and with no time to wait out IAM.
 * As the handler, it gets the AMI as the other checks read it (LiveState's DescribeImages, read once); when that read
 * failed, the check reads it again and says why in its own words.
 */
async function checkPublicSharing(input: PlannerInput, findings: Findings, imageId: string, adding: string[]) {
  const read = adding.includes(PUBLIC_ACCESS_KEY) ? await input.live.storage(imageId) : undefined;
  const storage = read?.ok ? read.value : undefined;
  try {
    await checkPublicSharingAllowed({ ec2: input.live.ec2, deadline: new Deadline(Date.now()) }, imageId, adding, storage);
  } catch (error) {
    throwIfFatal(error, 'the public-sharing check');
    const message = (error as Error).message;
    findings.addError(message.includes('the check before making an AMI public') ? message : `the deploy would fail: ${message}`);
  }
}

/** CloudFormation's Delete of the deployed resource (the construct left, or a new AMI replaced it). */
async function cleanUp(input: PlannerInput, findings: Findings, deployed: DeployedSide, before: LaunchPermissionsDeclaration, policy?: string) {
  const imageId = deployed.image.id!;
  if (policy === 'Retain') {
    findings.notes.push(`RemovalPolicy RETAIN: the launch permissions${managesEncryption(before) ? ', key grants and snapshot permissions' : ''} stay on ${imageId}`);
    return;
  }
  const live = findings.value(await input.live.launchPermissions(imageId), imageId, 'deployed');
  if (live) record(findings, imageId, planDelete(before.permissions, live.value), () => 'removed');
  await planEncryptionRevocation(input, findings, imageId, before);
}

/**
 * Drift is what the handler would change to make the live AMI exactly the deployed declaration: the EXCLUSIVE plan
 * against it. Principals other constructs of this library declare on the AMI are theirs, not drift.
 */
async function drift(input: PlannerInput, findings: Findings, imageId: string, before: LaunchPermissionsDeclaration) {
  const live = findings.value(await input.live.launchPermissions(imageId), imageId, 'deployed');
  if (!live) return;
  const exact = planConverge({ desired: before.permissions, live: live.value, mode: 'EXCLUSIVE' });
  const others = new Set(input.otherDeclarations(imageId).flatMap(d => [...d.permissions]));
  for (const key of exact.remove.filter(k => !others.has(k))) {
    findings.drift.push({ kind: 'principal-added', imageId, principal: launchPermissionFromKey(key), revokedByThisDeploy: false });
  }
  for (const key of exact.add) {
    findings.drift.push({ kind: 'principal-removed', imageId, principal: launchPermissionFromKey(key), restoredByThisDeploy: false });
  }
}

function record(findings: Findings, imageId: string, plan: Plan, reason: (key: string) => RevokeReason) {
  for (const key of plan.remove) findings.changes.push({ kind: 'revoke', imageId, principal: launchPermissionFromKey(key), reason: reason(key) });
  for (const key of plan.add) findings.changes.push({ kind: 'grant', imageId, principal: launchPermissionFromKey(key) });
}

/** Says, for each drifted principal, key grant or snapshot permission, whether this deploy's changes put it back. */
function markDriftThisDeployFixes(findings: Findings) {
  const revoked = new Set(findings.changes.filter(isRevocation).map(subjectOf));
  const granted = new Set(findings.changes.filter(isGrant).map(subjectOf));
  findings.drift.forEach((d, i) => {
    if ('revokedByThisDeploy' in d) findings.drift[i] = { ...d, revokedByThisDeploy: revoked.has(subjectOf(d)) };
    if ('restoredByThisDeploy' in d) findings.drift[i] = { ...d, restoredByThisDeploy: granted.has(subjectOf(d)) };
  });
}

/** What a grant, a revocation or a drift of access is about: a drift is put back by a change about the same thing. */
function subjectOf(item: Change | Drift): string | undefined {
  switch (item.kind) {
    case 'grant': case 'revoke': case 'principal-added': case 'principal-removed':
      return `launch ${item.imageId} ${launchPermissionKey(item.principal)}`;
    case 'grant-key': case 'revoke-key': case 'key-grant-added': case 'key-grant-removed':
      return `key ${item.imageId} ${pairKey(item.keyArn, item.account)}`;
    case 'grant-snapshot': case 'revoke-snapshot': case 'snapshot-permission-added': case 'snapshot-permission-removed':
      return `snapshot ${item.imageId} ${pairKey(item.snapshotId ?? '', item.account)}`;
    default: return undefined;
  }
}
