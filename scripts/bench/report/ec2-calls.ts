// Section 1 of the report: EC2 calls per converge, the handler against its two baselines.
import { Table, tableMarkdown } from './table';
import { CallsRow } from '../ec2-calls';
import { fmtInt, fmtRatio } from '../util';

export function callsTable(rows: CallsRow[]): Table {
  return {
    title: '1. EC2 calls per converge (handler vs one Modify per principal vs one blind Modify)',
    headers: ['N', 'phase', 'changed', 'handler reads (1 + verify)', 'handler writes', 'handler calls',
      'per-principal calls', 'handler / per-principal', 'blind calls', 'blind: stale left', 'floor'],
    rows: rows.map(r => [
      r.principals,
      r.phase,
      `+${r.added} -${r.removed}`,
      `${r.handler.attributeReads} (1 + ${r.handler.verificationReads})${r.handler.otherReads ? ` + ${r.handler.otherReads} pre-flight` : ''}`,
      r.handler.writes,
      r.handler.total,
      r.perPrincipal ? r.perPrincipal.writes : '-',
      r.ratioVsPerPrincipal === null ? '-' : fmtRatio(r.ratioVsPerPrincipal, 3),
      r.blind ? r.blind.writes : '-',
      r.blind ? r.blind.stale : '-',
      r.withinFloor ? 'ok' : 'ABOVE FLOOR',
    ]),
  };
}

/** Section 1 of BENCHMARKS.md: what was measured, the table, how to read it. */
export function callsSection(rows: CallsRow[] | undefined): string {
  return `## 1. EC2 calls per converge

The bundled handler, taken out of a synthesised cloud assembly, is driven through the custom-resource protocol
(\`test/support/cfn-simulator.ts\`) for one \`AmiLaunchPermissions\` of N accounts (ADDITIVE): Create, an Update that
replaces 10 % of the accounts (at least one), an Update whose lists are unchanged (CloudFormation sends one whenever any
property of the resource changes), and Delete. The proxy counts every request. In the same run, on AMIs of their own,
two baselines make the same transitions: **per-principal** is one \`ModifyImageAttribute\` per account granted or revoked
(how a tool with one resource per principal works); **blind** is one \`ModifyImageAttribute\` that adds every declared
account (how a one-shot SDK-call custom resource works): it never revokes, so "stale left" counts accounts that are
still live after the transition although the declaration dropped them (its Delete removes what it declares last).
"-" marks a baseline with nothing to do (no principal changed).

${tableMarkdown(rows && callsTable(rows))}
**Reading it.** The floor is one read plus at most two writes whatever N: one \`DescribeImageAttribute\`, then at most
one \`ModifyImageAttribute\` with every removal and one with every addition (removals first, so access only narrows
before it widens). After writing, the handler reads the attribute **once more** and answers SUCCESS only for a state it
has read back: EC2 is eventually consistent, and a read right after a write may still show the old state. That
verification read is counted separately ("1 + verify"); it repeats (with backoff) only while the read-back still
differs, which never happens on moto and rarely on EC2. A converge with nothing to change is one read and no write.
Making an AMI public (the "public + 1 account" rows) costs two more reads before the first write,
\`GetImageBlockPublicAccessState\` and \`DescribeImages\`, counted as "pre-flight": EC2 refuses \`Group=all\` while block
public access for AMIs is on and for AMIs with a Marketplace product code, and the handler finds out before it writes
anything rather than half-way through a plan. They happen only when a converge adds public access.
${callsSummary(rows)}`;
}

function callsSummary(rows: CallsRow[] | undefined): string {
  if (!rows || rows.length === 0) return '';
  const largest = Math.max(...rows.map(r => r.principals));
  const at = (phase: string) => rows.find(r => r.principals === largest && r.phase === phase);
  const create = at('Create');
  const update = at('Update 10%');
  const above = rows.filter(r => !r.withinFloor);
  const parts = [
    `\nAt N = ${fmtInt(largest)}:`,
    create ? `Create takes the handler ${create.handler.total} calls against ${fmtInt(create.perPrincipal?.writes)} per-principal `
      + `(${fmtRatio(create.ratioVsPerPrincipal, 4)}) and ${create.blind?.writes} blind;` : '',
    update ? `the 10 % Update takes ${update.handler.total} calls against ${fmtInt(update.perPrincipal?.writes)} per-principal, while `
      + `the blind call leaves ${fmtInt(update.blind?.stale)} dropped accounts able to launch the AMI` : '',
    update && largest >= 1000
      ? '(on EC2, whose quota is 1,000 sharing entities per AMI, that blind Update would fail outright: moto does not enforce the quota).'
      : '.',
    above.length === 0
      ? 'The handler stayed at the floor (plus its one verification read after writing) in every row.'
      : `**Above the floor:** ${above.map(r => `N = ${r.principals} ${r.phase}`).join(', ')}.`,
  ];
  return parts.filter(Boolean).join(' ');
}
