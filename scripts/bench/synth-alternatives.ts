// Section 3, second table: the same N AMIs declared the way CDK users do it without this library (one
// `AwsCustomResource` of aws-cdk-lib's custom_resources per AMI, calling EC2's modifyImageAttribute on create and
// undoing it on delete) and as bare CfnResources (the floor: one resource per AMI and nothing else). Resources, template
// bytes, synth time, and the largest N each variant can put in one stack before CloudFormation's limits (500 resources,
// 1,000,000 bytes of template), found by synthesising around the limit.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Cell, fmtInt, fmtMs } from './util';

export type Variant = 'library' | 'awsCustomResource' | 'bare';

export const VARIANT_NAMES: Record<Variant, string> = {
  library: 'this library',
  awsCustomResource: 'one AwsCustomResource per AMI',
  bare: 'bare CfnResource (floor)',
};

/** The EC2 parameters that undo and redo what a declaration of the synth section asks for. */
export interface ModifyCall {
  readonly imageId: string;
  readonly apply: Record<string, unknown>;
  readonly undo?: Record<string, unknown>;
}

/** What a CDK user writes today for one AMI: an SDK call on create, its inverse on delete. */
export function buildAwsCustomResources(app: App, stackName: string, calls: (i: number) => ModifyCall, n: number): Stack {
  const stack = new Stack(app, stackName);
  for (let i = 0; i < n; i++) {
    const call = calls(i);
    const sdk = (parameters: Record<string, unknown>) => ({
      service: 'EC2',
      action: 'modifyImageAttribute',
      parameters: { ImageId: call.imageId, ...parameters },
      physicalResourceId: PhysicalResourceId.of(`${call.imageId}-${i}`),
    });
    new AwsCustomResource(stack, `Modify${i}`, {
      onCreate: sdk(call.apply),
      onDelete: call.undo ? sdk(call.undo) : undefined,
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [stack.formatArn({ service: 'ec2', account: '', resource: 'image', resourceName: call.imageId })] }),
      installLatestAwsSdk: false,
    });
  }
  return stack;
}

export interface Synthesized {
  readonly ms: number;
  readonly bytes: number;
  readonly resources: number;
  /** Why it could not be synthesised (aws-cdk-lib refuses stacks over 500 resources). */
  readonly error?: string;
}

/** Synthesises a fresh App into its own directory, times it, and measures the template. */
export function synthesizeInto(dir: string, build: (app: App) => Stack): Synthesized & { template?: any } {
  const start = performance.now();
  try {
    // No autoSynth: an App whose synth threw would otherwise synthesise again, and throw again, when the process exits.
    const app = new App({ outdir: dir, autoSynth: false });
    const stack = build(app);
    const assembly = app.synth();
    const ms = performance.now() - start;
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const template = artifact.template;
    return { ms, template, bytes: fs.statSync(artifact.templateFullPath).size, resources: Object.keys(template.Resources ?? {}).length };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ms: performance.now() - start, bytes: NaN, resources: NaN, error: /^.*?allowed maximum of \d+/.exec(message)?.[0] ?? message.slice(0, 120) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The largest N whose stack synthesises within `fits`, searched from `estimate` (extrapolated from measured sizes) by
 * synthesising N and N + 1 until they straddle the limit.
 */
export function largestFitting(workDir: string, build: (app: App, n: number) => Stack, fits: (s: Synthesized) => boolean, estimate: number): number {
  let counter = 0;
  const ok = (n: number) => n <= 0 || fits(synthesizeInto(path.join(workDir, `largest-${++counter}`), app => build(app, n)));
  let n = Math.max(1, Math.floor(estimate));
  for (let step = 0; step < 20; step++) {
    if (!ok(n)) n--;
    else if (ok(n + 1)) n++;
    else return n;
  }
  throw new Error(`largest N not found near ${estimate}`);
}

export interface AlternativeRow {
  readonly constructs: number;
  readonly variant: Variant;
  readonly medianMs: number;
  readonly result: Synthesized;
}

/** Section 3's measurements of one size, as this table needs them. */
interface MeasuredSize {
  readonly constructs: number;
  readonly resources: number;
  readonly templateBytes: number;
  readonly libraryMedianMs: number;
  readonly bareResources: number;
  readonly bareTemplateBytes: number;
  readonly bareMedianMs: number;
  readonly awsCustomResource: Synthesized & { readonly medianMs: number };
}

/** The three variants of each measured size, from section 3's rows. */
export function alternativeRows(rows: MeasuredSize[]): AlternativeRow[] {
  return rows.flatMap(r => {
    const library = { ms: r.libraryMedianMs, bytes: r.templateBytes, resources: r.resources };
    const bare = { ms: r.bareMedianMs, bytes: r.bareTemplateBytes, resources: r.bareResources };
    return [
      { constructs: r.constructs, variant: 'library' as const, medianMs: r.libraryMedianMs, result: library },
      { constructs: r.constructs, variant: 'awsCustomResource' as const, medianMs: r.awsCustomResource.medianMs, result: r.awsCustomResource },
      { constructs: r.constructs, variant: 'bare' as const, medianMs: r.bareMedianMs, result: bare },
    ];
  });
}

/** One sentence per variant: the largest stack it allows. */
export function alternativesSummary(rows: AlternativeRow[], largest: Partial<Record<Variant, number>>): string {
  if (rows.length === 0) return '';
  const n = Math.max(...rows.map(r => r.constructs));
  const at = (v: Variant) => rows.find(r => r.constructs === n && r.variant === v)!;
  const lib = at('library');
  const custom = at('awsCustomResource');
  const parts = [`At ${n} AMIs this library synthesises ${lib.result.resources} resources and ${fmtInt(lib.result.bytes)} bytes of template;`,
    custom.result.error
      ? `one AwsCustomResource per AMI cannot be synthesised at all (${custom.result.error}).`
      : `one AwsCustomResource per AMI ${custom.result.resources} resources and ${fmtInt(custom.result.bytes)} bytes.`];
  if (largest.library !== undefined && largest.awsCustomResource !== undefined) {
    parts.push(`The largest stack of distinct AMIs: ${largest.library} with this library, ${largest.awsCustomResource} with AwsCustomResource`
      + ` (two resources per AMI: the custom resource and its own IAM policy), ${largest.bare ?? 'n/a'} bare resources (the floor).`);
  }
  return parts.join(' ');
}

export function alternativesTable(rows: AlternativeRow[], largest: Partial<Record<Variant, number>>) {
  return {
    title: '3b. Synth scale against what users write without this library (median synth time; CloudFormation: 500 resources, 1,000,000 bytes)',
    headers: ['constructs', 'variant', 'resources', 'template bytes', 'synth ms', 'largest N in one stack'],
    rows: rows.map((r): Cell[] => [
      r.constructs,
      VARIANT_NAMES[r.variant],
      r.result.error ? 'n/a' : r.result.resources,
      r.result.error ? `cannot synthesise (${r.result.error})` : fmtInt(r.result.bytes),
      r.result.error ? 'n/a' : fmtMs(r.medianMs),
      largest[r.variant] ?? 'n/a',
    ]),
  };
}
