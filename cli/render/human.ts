// The human rendering: by stack, then by AMI, then by construct; one line per grant, revocation, attribute change,
// drift, error or note. Stable (no timestamps, no endpoints), so it can be compared and snapshot-tested; only the
// window of a construct that keeps superseded AMIs says whether a deprecation time has passed.
import { summarize } from './summary';
import { windowLines } from './superseded-window';
import type { LaunchPermissionEntry } from '../../src/validation';
import { Change, ConstructPlan, Drift, exitCodeOf, ImageRef, isGrant, isRevocation, PlanReport, RevokeReason, StackPlan } from '../plan/model';

const ACTION_MARK: Record<ConstructPlan['action'], string> = { create: '+', update: '~', replace: '±', delete: '-', none: '=' };
const TYPE_NAME: Record<string, string> = {
  'Custom::AmiLaunchPermissions': 'AmiLaunchPermissions',
  'Custom::AmiDescription': 'AmiDescription',
  'Custom::AmiImdsPolicy': 'AmiImdsPolicy',
  'Custom::ImageBlockPublicAccess': 'ImageBlockPublicAccess',
  'Custom::AllowedImages': 'AllowedImages',
};

export function renderHuman(report: PlanReport): string {
  const lines: string[] = [];
  for (const stack of report.stacks) lines.push(...renderStack(stack), '');
  const s = summarize(report);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`Plan: ${plural(s.grants, 'grant')}, ${plural(s.revocations, 'revocation')}, ${plural(s.attributes, 'attribute change')}; `
    + `${s.drift} drifted; ${plural(s.errors, 'error')}.`);
  lines.push(verdict(exitCodeOf(report), s.grants + s.revocations + s.attributes > 0, s.drift > 0));
  return lines.join('\n');
}

function verdict(code: number, changes: boolean, drift: boolean): string {
  if (code === 1) return 'The plan is incomplete or the deploy would fail: see the lines marked x.';
  if (code === 0) return 'No changes: the live AMIs match the deployed declaration, and a deploy changes nothing on them.';
  const what = changes ? 'A deploy of this cloud assembly makes the changes marked + - ~' : 'A deploy of this cloud assembly changes nothing on the AMIs';
  return drift ? `${what}; the lines marked ! are drift (the live AMIs differ from the deployed declaration).` : `${what}.`;
}

function renderStack(stack: StackPlan): string[] {
  const state = stack.deployedStatus
    ? `deployed, ${stack.deployedStatus}${stack.enforcement ? `, enforcement schedule ${stack.enforcement}` : ''}` : 'not deployed';
  const name = stack.displayName === stack.stackName ? stack.stackName : `${stack.stackName} (${stack.displayName})`;
  const lines = [`Stack ${name} (${stack.region ?? 'default Region'}, ${state})`];
  lines.push(...stack.errors.map(e => `  x ${e}`));
  if (stack.constructs.length === 0 && stack.errors.length === 0) lines.push('  no cdk-ami-sharing constructs');
  const byImage = new Map<string, ConstructPlan[]>();
  for (const c of stack.constructs) {
    const key = imageHeading(c.image);
    byImage.set(key, [...byImage.get(key) ?? [], c]);
  }
  for (const [heading, constructs] of byImage) {
    lines.push(`  ${heading}`);
    for (const c of constructs) lines.push(...renderConstruct(c, stack.enforcement));
  }
  return lines;
}

function imageHeading(image: ImageRef): string {
  const expression = image.expression === undefined ? '' : JSON.stringify(image.expression);
  if (image.source === 'account') return 'Account and Region settings';
  if (image.source === 'literal') return `AMI ${image.id}`;
  if (image.source === 'deployed') return `AMI ${image.id} (token ${expression}, as last deployed; CloudFormation resolves it again at deploy)`;
  return `AMI resolved at deploy (token ${expression})`;
}

/** `enforcement`: the deployed stack's enforcement schedule, which puts back the drift a deploy leaves alone. */
function renderConstruct(c: ConstructPlan, enforcement?: string): string[] {
  const type = TYPE_NAME[c.resourceType] ?? c.resourceType;
  const lines = [`    ${ACTION_MARK[c.action]} ${c.path} (${type}${c.mode ? `, ${c.mode}` : ''}): ${actionText(c)}`];
  const item = (mark: string, text: string) => lines.push(`        ${mark} ${text}`);
  if (c.supersededImages) windowLines(c.supersededImages).forEach(line => item(' ', line));
  c.changes.forEach(change => item(isGrant(change) ? '+' : isRevocation(change) ? '-' : '~', changeText(change, c)));
  c.drift.forEach(d => item('!', driftText(d, c, enforcement)));
  c.errors.forEach(e => item('x', e));
  c.notes.forEach(n => item(' ', `note: ${n}`));
  return lines;
}

function actionText(c: ConstructPlan): string {
  switch (c.action) {
    case 'create': return 'create';
    case 'update': return 'update';
    case 'replace': return c.image.id ? `replace (the AMI changes${c.previousImageId ? ` from ${c.previousImageId}` : ''})`
      : `replace if CloudFormation resolves a new AMI (deployed on ${c.previousImageId ?? 'an unknown AMI'})`;
    case 'delete': return 'delete (the construct leaves the stack)';
    case 'none': return 'no change (CloudFormation does not invoke the handler)';
  }
}

function principalText(p: LaunchPermissionEntry): string {
  if (p.UserId) return `account ${p.UserId}`;
  if (p.Group) return 'public (everyone)';
  if (p.OrganizationArn) return `organization ${p.OrganizationArn}`;
  if (p.OrganizationalUnitArn) return `organizational unit ${p.OrganizationalUnitArn}`;
  return JSON.stringify(p);
}

const quote = (value: string | undefined) => value === undefined ? '(none)' : JSON.stringify(value);
const on = (imageId: string | undefined, c: ConstructPlan) => imageId === undefined ? ' on the AMI resolved at deploy'
  : imageId !== c.image.id ? ` on ${imageId}` : '';

function changeText(change: Change, c: ConstructPlan): string {
  switch (change.kind) {
    case 'grant': return `grant   ${principalText(change.principal)}${on(change.imageId, c)}`;
    case 'revoke': return `revoke  ${principalText(change.principal)}${on(change.imageId, c)} (${why(change.reason, c)})`;
    case 'set-description': return `description ${quote(change.from)} -> ${quote(change.to)}${on(change.imageId, c)}`;
    case 'restore-description': return `description ${quote(change.from)} -> ${quote(change.to)}${on(change.imageId, c)} (the original, restored)`;
    case 'require-imdsv2': return `imdsSupport ${change.from ?? '(not set)'} -> v2.0${on(change.imageId, c)} (irreversible)`;
    case 'set-deprecation': return `deprecation ${change.from ?? '(none)'} -> ${change.to ?? '(none)'}${on(change.imageId, c)}`
      + (change.declaredTimePassed ? ' (the declared time has passed or is under a minute away: the earliest time EC2 accepts)' : '');
    case 'restore-deprecation':
      return `deprecation ${change.from ?? '(none)'} -> ${change.to ?? '(none)'}${on(change.imageId, c)} (the original, restored)`;
    case 'set-deregistration-protection': return `deregistration protection ${change.from ?? '(unknown)'} -> ${change.to}${on(change.imageId, c)}`;
    case 'restore-deregistration-protection': return `deregistration protection ${change.from} -> ${change.to}${on(change.imageId, c)} `
      + `(the original, restored${change.protectedUntil ? `; EC2 keeps it protected until about ${change.protectedUntil}` : ''})`;
    case 'grant-key': return `grant   account ${change.account} the use of KMS key ${change.keyArn}${on(change.imageId, c)}`;
    case 'revoke-key': return `revoke  account ${change.account} the use of KMS key ${change.keyArn}${on(change.imageId, c)} (${why(change.reason, c)})`;
    case 'grant-snapshot': return `grant   account ${change.account} createVolumePermission on `
      + (change.snapshotId ? `${change.snapshotId}${on(change.imageId, c)}` : 'the snapshots of the AMI resolved at deploy');
    case 'revoke-snapshot':
      return `revoke  account ${change.account} createVolumePermission on ${change.snapshotId}${on(change.imageId, c)} (${why(change.reason, c)})`;
    case 'account-setting': return `${change.setting} ${change.from} -> ${change.to}${change.restore ? ' (what the first deployment found, restored)' : ''}`;
    default: return JSON.stringify(change);
  }
}

function why(reason: RevokeReason, c: ConstructPlan): string {
  if (reason === 'dropped') return 'dropped from the declaration';
  if (reason === 'not-declared') return 'not declared, EXCLUSIVE';
  if (reason === 'copy-disallowed') return 'allowCopy turned off';
  if (reason === 'pushed-out') return `pushed out of the superseded-images window of ${c.supersededImages?.keep ?? 'kept AMIs'}`;
  return c.action === 'replace' ? 'cleanup of the old AMI' : 'the construct leaves the stack';
}

function driftText(d: Drift, c: ConstructPlan, enforcement?: string): string {
  const unchanged = c.action !== 'none' ? 'this deploy leaves it'
    : enforcement ? `this deploy sends no update; the stack's enforcement schedule (${enforcement}) puts it back`
      : 'this deploy sends no update, so it stays';
  switch (d.kind) {
    case 'principal-added': return `drift   ${principalText(d.principal)}${on(d.imageId, c)} is live but not in the deployed declaration; `
      + (d.revokedByThisDeploy ? 'this deploy revokes it' : c.mode === 'ADDITIVE' ? 'ADDITIVE never revokes it' : unchanged);
    case 'principal-removed': return `drift   ${principalText(d.principal)}${on(d.imageId, c)} is declared but no longer live; `
      + (d.restoredByThisDeploy ? 'this deploy grants it again' : unchanged);
    case 'description': return `drift   description${on(d.imageId, c)} is ${quote(d.live)}, deployed as ${quote(d.declared)}; ${unchanged}`;
    case 'imds-support': return `drift   imdsSupport${on(d.imageId, c)} is ${d.live ?? '(not set)'}, deployed as v2.0`;
    case 'account-setting': return `drift   ${d.setting} is ${d.live}, deployed as ${d.declared}; ${c.action === 'none' ? unchanged : 'this deploy sets it again'}`;
    case 'deprecation': return `drift   deprecation${on(d.imageId, c)} is ${d.live ?? '(none)'}, deployed as ${d.declared}; ${unchanged}`;
    case 'deregistration-protection':
      return `drift   deregistration protection${on(d.imageId, c)} is ${d.live}, deployed as ${d.declared}; ${unchanged}`;
    case 'image-gone': return `drift   AMI ${d.imageId} no longer exists (deregistered)`;
    case 'key-grant-added': return `drift   account ${d.account} has a grant on KMS key ${d.keyArn}${on(d.imageId, c)} but is not in the deployed declaration; `
      + (d.revokedByThisDeploy ? 'this deploy revokes it' : c.mode === 'ADDITIVE' ? 'ADDITIVE never revokes it' : unchanged);
    case 'key-grant-removed': return `drift   account ${d.account}'s grant on KMS key ${d.keyArn}${on(d.imageId, c)} is declared but no longer live; `
      + (d.restoredByThisDeploy ? 'this deploy grants it again' : unchanged);
    case 'snapshot-permission-added': return `drift   account ${d.account} has createVolumePermission on ${d.snapshotId}${on(d.imageId, c)} `
      + `but is not in the deployed declaration; ${d.revokedByThisDeploy ? 'this deploy revokes it' : c.mode === 'ADDITIVE' ? 'ADDITIVE never revokes it' : unchanged}`;
    case 'snapshot-permission-removed': return `drift   account ${d.account}'s createVolumePermission on ${d.snapshotId}${on(d.imageId, c)} `
      + `is declared but no longer live; ${d.restoredByThisDeploy ? 'this deploy grants it again' : unchanged}`;
    default: return JSON.stringify(d);
  }
}
