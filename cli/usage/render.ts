// The usage section of `plan --usage` for people; `--json` carries the UsageCheck as it is (see render/json.ts).
import { ImageUsage, UsageCheck, usageComplete, usageInUse } from './check';
import type { Principal } from '../plan/model';

export function renderUsage(check: UsageCheck, failOnUsage: boolean): string {
  const lines = ['Usage of the AMIs this deploy revokes launch access from (AMI usage reports):'];
  if (check.images.length === 0) lines.push('  no launch permission is revoked: no report was made');
  for (const image of check.images) lines.push(...renderImage(image));
  lines.push('');
  if (!usageComplete(check)) {
    lines.push('Usage: incomplete (see the lines marked x); it is not known whether an account losing access still uses an AMI.');
  } else if (usageInUse(check)) {
    lines.push(`Usage: an account losing access still has instances or launch templates on the AMI${failOnUsage ? ' (--fail-on-usage: exit code 3)' : ''}.`);
  } else {
    lines.push('Usage: no account losing access uses the AMIs (as of the reports; the last 24 hours of instance activity may be missing).');
  }
  return lines.join('\n');
}

function renderImage(image: ImageUsage): string[] {
  const where = image.region ? ` (${image.region})` : '';
  const lines = [`  AMI ${image.imageId}${where}: revokes ${image.revoked.map(principalText).join(', ')}`];
  const item = (mark: string, text: string) => lines.push(`      ${mark} ${text}`);
  if (image.status !== 'complete') {
    item('x', image.error ?? image.status);
    return lines;
  }
  item(' ', `report ${image.reportId}${image.reportCreationTime ? ` of ${image.reportCreationTime}` : ''}; `
    + `last launched ${image.lastLaunchedTime ?? 'never (as far as EC2 reports)'}`);
  if (image.scope === 'everyone-not-listed') item(' ', 'an organization, OU or public permission goes: every account using the AMI that no permission names afterwards loses access');
  if (image.accounts.length === 0) item(' ', 'no account losing access uses it');
  for (const a of image.accounts) {
    const used = a.instances + a.launchTemplates > 0;
    item(used ? '!' : ' ', `account ${a.accountId}: ${count(a.instances, 'instance')}, ${count(a.launchTemplates, 'launch template')}`
      + (used ? ' still use it' : ''));
  }
  return lines;
}

function principalText(p: Principal): string {
  if (p.UserId) return `account ${p.UserId}`;
  if (p.Group) return 'public';
  if (p.OrganizationArn) return `organization ${p.OrganizationArn}`;
  return `organizational unit ${p.OrganizationalUnitArn}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
