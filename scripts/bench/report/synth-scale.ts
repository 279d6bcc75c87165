// Section 3 of the report: synth scale, the template and the handler role's policies against N bare resources, and
// (3b) against what users write without this library.
import { Table, tableMarkdown } from './table';
import { INLINE_LIMIT, LONGEST, MANAGED_LIMIT, MANAGED_PER_ROLE } from '../iam';
import { alternativeRows, alternativesSummary, alternativesTable, Variant } from '../synth-alternatives';
import { MAX_RESOURCES, MAX_TEMPLATE_BYTES, SynthRow } from '../synth-scale';
import { fmtInt, fmtMs, fmtRatio } from '../util';

/**
 * Image policies are named after the images they grant, so an update that changes images creates the new policies
 * before it deletes the old ones (in its cleanup phase): if every image policy changes at once (say, the first of many
 * constructs is removed and every later image moves to another policy), all of them are attached twice for a while.
 */
function managedMidUpdate(r: SynthRow): number {
  return r.role.managedCount + r.role.policies.filter(p => p.kind === 'managed' && p.images > 0).length;
}

function synthTable(rows: SynthRow[]): Table {
  return {
    title: '3. Synth scale (constructs vs as many bare CfnResources; IAM sizes with the longest partition and Region)',
    headers: ['constructs', 'synth ms', 'bare ms', 'synth ratio', 'template bytes', 'bare bytes', 'bytes ratio',
      `resources (max ${MAX_RESOURCES})`, 'lambdas', `inline chars (max ${fmtInt(INLINE_LIMIT)})`,
      `managed (max ${MANAGED_PER_ROLE})`, 'managed mid-update, worst', `largest managed chars (max ${fmtInt(MANAGED_LIMIT)})`, 'images covered', 'fits'],
    rows: rows.map(r => [
      r.constructs, fmtMs(r.libraryMedianMs), fmtMs(r.bareMedianMs), fmtRatio(r.ratio),
      fmtInt(r.templateBytes), fmtInt(r.bareTemplateBytes), fmtRatio(r.bytesRatio),
      r.resources, r.lambdas, fmtInt(r.role.inlineChars), r.role.managedCount, managedMidUpdate(r),
      r.role.managedCount ? fmtInt(r.role.largestManagedChars) : '-',
      `${r.imagesCovered}/${r.constructs}${r.undeclaredImageAllowed ? ' + others' : ''}`,
      r.fits ? 'yes' : 'NO',
    ]),
  };
}

/** Section 3's two tables: this library against bare resources, then against what users write without it. */
export function synthTables(rows: SynthRow[], largest: Partial<Record<Variant, number>> | undefined): Table[] {
  return [synthTable(rows), alternativesTable(alternativeRows(rows), largest ?? {})];
}

/**
 * Section 3 of BENCHMARKS.md: what was measured, the table and the strategy it shows, then the same N AMIs declared
 * without this library. `largest` is the largest N of each variant (full-size runs only).
 */
export function synthSection(rows: SynthRow[] | undefined, largest: Partial<Record<Variant, number>> | undefined): string {
  const [scale, alternatives] = rows ? synthTables(rows, largest) : [];
  return `## 3. Synth scale

A fresh \`App\` with N constructs of this library, the three kinds in turn (\`AmiLaunchPermissions\` with an account, an
organization and an OU; \`AmiDescription\`; \`AmiImdsPolicy\`), each on its own AMI: the worst case for the handler
role's policy, which names every image. Baseline: a fresh \`App\` with N bare \`CfnResource\`s of type \`Custom::Bare\`
carrying the same properties. Synth time runs from \`new App()\` to the end of \`app.synth()\` (construction included).
Policy sizes are computed from the synthesised template for whatever policies are attached to the handler's role,
counted as IAM counts them (JSON without whitespace) after resolving the partition, Region and generated names with the
longest values (${LONGEST.label}). IAM's limits: ${fmtInt(INLINE_LIMIT)} characters for all inline policies of a role
together, ${fmtInt(MANAGED_LIMIT)} per managed policy, ${MANAGED_PER_ROLE} managed policies per role (default quota).
CloudFormation's: ${MAX_RESOURCES} resources per stack, ${fmtInt(MAX_TEMPLATE_BYTES)} bytes of template (uploaded through S3, as
the CDK CLI does above 51,200 bytes). "images covered" checks that the role may describe and modify every declared
image; an undeclared image must stay out of reach.

${tableMarkdown(scale)}
${synthSummary(rows)}

**Against what users write without this library.** The same N AMIs, each declared the way CDK users do it without
this library: one \`AwsCustomResource\` (aws-cdk-lib \`custom_resources\`) per AMI calling EC2's \`modifyImageAttribute\`
with the same change on create and its inverse on delete (\`installLatestAwsSdk: false\`), and the bare-resource floor.
"largest N" is found by synthesising around the limit (CloudFormation's ${MAX_RESOURCES} resources and
${fmtInt(MAX_TEMPLATE_BYTES)} bytes; aws-cdk-lib refuses to synthesise a stack above ${MAX_RESOURCES} resources), in full-size runs only.

${tableMarkdown(alternatives)}
${rows ? alternativesSummary(alternativeRows(rows), largest ?? {}) : ''}`;
}

function synthSummary(rows: SynthRow[] | undefined): string {
  if (!rows || rows.length === 0) return '';
  const largest = rows[rows.length - 1];
  const n = largest.constructs;
  const policies = largest.role.policies;
  const inline = policies.filter(p => p.kind === 'inline');
  const managed = policies.filter(p => p.kind !== 'inline');
  const imagePolicies = policies.filter(p => p.images > 0);
  const inlineImages = inline.some(p => p.images > 0);
  const perPolicy = Math.max(0, ...imagePolicies.map(p => p.images));

  const sentences: string[] = [];
  if (inlineImages) {
    sentences.push(`At ${n} constructs the code puts the image ARNs in the role's inline polic${inline.length === 1 ? 'y' : 'ies'}: `
      + `${fmtInt(largest.role.inlineChars)} of ${fmtInt(INLINE_LIMIT)} characters, so it ${largest.fits ? 'fits' : '**does not fit**'}.`);
  } else {
    sentences.push(`At ${n} constructs the code puts the image ARNs in ${imagePolicies.length} customer-managed polic`
      + `${imagePolicies.length === 1 ? 'y' : 'ies'} of up to ${perPolicy} images each, attached to the handler role `
      + `(${managed.length} managed policies in all, of the ${MANAGED_PER_ROLE} a role may have by default; the largest has `
      + `${fmtInt(largest.role.largestManagedChars)} of ${fmtInt(MANAGED_LIMIT)} characters), and `
      + (inline.length === 0 ? 'no inline policy' : `${fmtInt(largest.role.inlineChars)} of ${fmtInt(INLINE_LIMIT)} inline characters`)
      + `: it ${largest.fits ? 'fits' : '**does not fit**'}.`);
  }
  if (imagePolicies.length > 0) {
    const worst = managedMidUpdate(largest);
    sentences.push('Image policies are named after the AMIs they grant, so that the Delete of a removed or re-pointed construct '
      + 'still has its permission in CloudFormation\'s cleanup phase; an update that changes every image policy at once attaches '
      + `old and new together until that cleanup: ${worst} managed policies at ${n} constructs, `
      + (worst > MANAGED_PER_ROLE
        ? `above the default quota of ${MANAGED_PER_ROLE} (synthesis warns past 340 AMIs: raise the quota, up to 20, or split the stack).`
        : `within the default quota of ${MANAGED_PER_ROLE}.`));
  }
  if (rows.length >= 2) {
    const [a, b] = rows.slice(-2);
    const total = (r: SynthRow) => r.role.policies.reduce((sum, p) => sum + p.chars, 0);
    const slope = (total(b) - total(a)) / (b.constructs - a.constructs);
    sentences.push(`Each further image adds about ${slope.toFixed(0)} characters of policy.`);
    if (inlineImages && slope > 0) {
      sentences.push(`Inline, the role holds about ${fmtInt(Math.floor(b.constructs + (INLINE_LIMIT - b.role.inlineChars) / slope))} images.`);
    }
  }
  if (!inlineImages && perPolicy > 0) {
    // Resources besides the custom resources and the image policies (function, role, log group, ...).
    const fixed = largest.resources - n - imagePolicies.length;
    let most = 0;
    while (most + 1 + fixed + Math.ceil((most + 1) / perPolicy) <= MAX_RESOURCES) most++;
    const byQuota = (MANAGED_PER_ROLE - (managed.length - imagePolicies.length)) * perPolicy;
    sentences.push(`So a stack with nothing else in it holds at most ${most} constructs on distinct images: CloudFormation's ${MAX_RESOURCES} resources `
      + `per stack bind before IAM's default quota of ${MANAGED_PER_ROLE} managed policies per role, which allows ${fmtInt(byQuota)} images.`);
  }
  const unfit = rows.filter(r => !r.fits);
  sentences.push(unfit.length === 0
    ? 'Every size fits IAM\'s and CloudFormation\'s limits, with one Lambda function per stack.'
    : `**It does not fit at ${unfit.map(r => r.constructs).join(', ')} constructs.**`);
  sentences.push(`At ${n} constructs the template is ${fmtRatio(largest.bytesRatio)} the bare resources' bytes `
    + `(${fmtInt(largest.templateBytes)} of CloudFormation's ${fmtInt(MAX_TEMPLATE_BYTES)}) and synth takes ${fmtRatio(largest.ratio)} as long.`);
  return `**Strategy measured.** ${sentences.join(' ')}`;
}
