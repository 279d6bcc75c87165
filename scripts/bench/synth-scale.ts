// Section 3: synth scale. A fresh App with N constructs of this library (the three kinds in turn, each on its own
// image: the worst case for the handler role's policy, which names every image) against a fresh App with N bare
// CfnResources carrying the same properties. Timed from `new App()` to the end of `app.synth()`; interleaved runs,
// median. From the library's template: bytes, resource count, Lambda count (must be 1), the handler role's policies as
// IAM counts them, and whether each declared image is covered and no other image is.
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { allows, RolePolicies, rolePolicies, TYPICAL } from './iam';
import { buildAwsCustomResources, largestFitting, ModifyCall, Synthesized, synthesizeInto, Variant } from './synth-alternatives';
import { imageIdFor, median, now, progress, ratio } from './util';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission } from '../../src';

export const STACK_NAME = 'AmiSharingBenchStack';
/** CloudFormation quotas: resources per stack, and template body size when uploaded to S3 (as the CDK CLI does). */
export const MAX_RESOURCES = 500;
export const MAX_TEMPLATE_BYTES = 1_000_000;

const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';
/** An image no construct declares: the role must not be allowed to modify it. */
const UNDECLARED_IMAGE = 'ami-fffffffffffffffff';

export interface SynthRow {
  readonly constructs: number;
  readonly runs: number;
  readonly libraryMs: number[];
  readonly bareMs: number[];
  readonly libraryMedianMs: number;
  readonly bareMedianMs: number;
  readonly ratio: number;
  readonly templateBytes: number;
  readonly bareTemplateBytes: number;
  readonly bytesRatio: number;
  readonly resources: number;
  readonly lambdas: number;
  readonly role: RolePolicies;
  /** Declared images the role may describe and modify. */
  readonly imagesCovered: number;
  /** Whether the role may also modify an image the stack does not declare. */
  readonly undeclaredImageAllowed: boolean;
  readonly fits: boolean;
  /** The same AMIs as one AwsCustomResource each (see synth-alternatives.ts), and the bare floor's resource count. */
  readonly awsCustomResource: Synthesized & { readonly medianMs: number };
  readonly bareResources: number;
}


/** The kind of construct i and the properties its custom resource carries. */
function declaration(i: number) {
  const imageId = imageIdFor(i + 1);
  switch (i % 3) {
    case 0: {
      const account = String(100_000_000_000 + i);
      return {
        kind: 'launchPermissions' as const,
        imageId,
        properties: { ImageId: imageId, Permissions: [{ UserId: account }, { OrganizationArn: ORG }, { OrganizationalUnitArn: OU }], Mode: 'ADDITIVE' },
        permissions: () => [LaunchPermission.account(account), LaunchPermission.organization(ORG), LaunchPermission.organizationalUnit(OU)],
      };
    }
    case 1: {
      const description = `Golden image build ${i}`;
      return { kind: 'description' as const, imageId, properties: { ImageId: imageId, Description: description }, description };
    }
    default:
      return { kind: 'imds' as const, imageId, properties: { ImageId: imageId } };
  }
}

function buildLibrary(app: App, n: number): Stack {
  const stack = new Stack(app, STACK_NAME);
  for (let i = 0; i < n; i++) {
    const d = declaration(i);
    if (d.kind === 'launchPermissions') new AmiLaunchPermissions(stack, `Share${i}`, { imageId: d.imageId, permissions: d.permissions() });
    else if (d.kind === 'description') new AmiDescription(stack, `Description${i}`, { imageId: d.imageId, description: d.description });
    else new AmiImdsPolicy(stack, `Imds${i}`, { imageId: d.imageId });
  }
  return stack;
}

/** The modifyImageAttribute call that does what declaration i declares, and the one that undoes it. */
function modifyCall(i: number): ModifyCall {
  const d = declaration(i);
  if (d.kind === 'launchPermissions') {
    const permissions = d.properties.Permissions;
    return { imageId: d.imageId, apply: { LaunchPermission: { Add: permissions } }, undo: { LaunchPermission: { Remove: permissions } } };
  }
  if (d.kind === 'description') return { imageId: d.imageId, apply: { Description: { Value: d.description } }, undo: { Description: { Value: '' } } };
  return { imageId: d.imageId, apply: { ImdsSupport: { Value: 'v2.0' } } };
}

const buildAwsCustomResource = (app: App, n: number) => buildAwsCustomResources(app, STACK_NAME, modifyCall, n);

function buildBare(app: App, n: number): Stack {
  const stack = new Stack(app, STACK_NAME);
  for (let i = 0; i < n; i++) {
    new CfnResource(stack, `Bare${i}`, {
      type: 'Custom::Bare',
      properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:bare-handler', ServiceTimeout: 720, ...declaration(i).properties },
    });
  }
  return stack;
}

export function measureSynthScale(sizes: readonly number[], runs: number, workDir: string, violations: string[]): SynthRow[] {
  let counter = 0;
  const synth = (build: (app: App, n: number) => Stack, n: number, keep: boolean) => {
    const outdir = path.join(workDir, `synth-${++counter}`);
    const start = now();
    const app = new App({ outdir });
    const stack = build(app, n);
    const assembly = app.synth();
    const ms = now() - start;
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const result = { ms, template: keep ? artifact.template : undefined, bytes: fs.statSync(artifact.templateFullPath).size };
    fs.rmSync(outdir, { recursive: true, force: true });
    return result;
  };

  // Warm-up: module loading and the asset's first fingerprint are not part of any measurement.
  synth(buildLibrary, 3, false);
  synth(buildBare, 3, false);
  synth(buildAwsCustomResource, 3, false);

  const rows: SynthRow[] = [];
  for (const n of sizes) {
    progress(`synth scale: ${n} construct(s), ${runs} runs`);
    const libraryMs: number[] = [];
    const bareMs: number[] = [];
    const customMs: number[] = [];
    let template: any;
    let templateBytes = 0;
    let bareTemplateBytes = 0;
    let bareResources = 0;
    let custom: Synthesized = { ms: NaN, bytes: NaN, resources: NaN };
    const variants = ['library', 'bare', 'awsCustomResource'];
    for (let i = 0; i < runs; i++) {
      // Each run rotates which variant goes first.
      for (const which of [...variants.slice(i % 3), ...variants.slice(0, i % 3)]) {
        if (which === 'library') {
          const r = synth(buildLibrary, n, template === undefined);
          libraryMs.push(r.ms);
          template ??= r.template;
          templateBytes = r.bytes;
        } else if (which === 'bare') {
          const r = synth(buildBare, n, true);
          bareMs.push(r.ms);
          bareTemplateBytes = r.bytes;
          bareResources = Object.keys(r.template.Resources).length;
        } else {
          const { template: _template, ...result } = synthesizeInto(path.join(workDir, `synth-${++counter}`), app => buildAwsCustomResource(app, n));
          custom = result;
          customMs.push(custom.ms);
        }
      }
    }
    const row = analyse(n, runs, libraryMs, bareMs, template, templateBytes, bareTemplateBytes, violations);
    rows.push({ ...row, bareResources, awsCustomResource: { ...custom, medianMs: custom.error ? NaN : median(customMs) } });
  }
  return rows;
}

/**
 * The largest N each variant holds in one stack: extrapolated from the two largest sizes each synthesised, then found
 * exactly by synthesising around the estimate.
 */
export function measureLargest(rows: SynthRow[], workDir: string): Partial<Record<Variant, number>> {
  const estimate = (points: Array<{ n: number; resources: number; bytes: number }>) => {
    const ok = points.filter(p => Number.isFinite(p.resources));
    if (ok.length < 2) return undefined;
    const [a, b] = ok.slice(-2);
    const byResources = b.n + (MAX_RESOURCES - b.resources) / ((b.resources - a.resources) / (b.n - a.n));
    const byBytes = b.n + (MAX_TEMPLATE_BYTES - b.bytes) / ((b.bytes - a.bytes) / (b.n - a.n));
    return Math.min(byResources, byBytes);
  };
  const fits = (s: Synthesized) => !s.error && s.resources <= MAX_RESOURCES && s.bytes <= MAX_TEMPLATE_BYTES;
  const builds: Record<Variant, [(app: App, n: number) => Stack, Array<{ n: number; resources: number; bytes: number }>]> = {
    library: [buildLibrary, rows.map(r => ({ n: r.constructs, resources: r.resources, bytes: r.templateBytes }))],
    awsCustomResource: [buildAwsCustomResource, rows.map(r => ({ n: r.constructs, ...r.awsCustomResource }))],
    bare: [buildBare, rows.map(r => ({ n: r.constructs, resources: r.bareResources, bytes: r.bareTemplateBytes }))],
  };
  const largest: Partial<Record<Variant, number>> = {};
  for (const [variant, [build, points]] of Object.entries(builds) as Array<[Variant, typeof builds[Variant]]>) {
    const guess = estimate(points);
    if (guess === undefined) continue;
    progress(`synth scale: largest stack of ${variant} (estimate ${Math.floor(guess)})`);
    largest[variant] = largestFitting(workDir, build, fits, guess);
  }
  return largest;
}

function analyse(n: number, runs: number, libraryMs: number[], bareMs: number[], template: any,
  templateBytes: number, bareTemplateBytes: number, violations: string[]): Omit<SynthRow, 'awsCustomResource' | 'bareResources'> {
  const where = `synth, ${n} construct(s)`;
  const resources = Object.entries<any>(template.Resources ?? {});
  const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  if (functions.length !== 1) violations.push(`${where}: ${functions.length} Lambda functions in the stack (must be 1)`);
  const customResources = resources.filter(([, r]) => String(r.Type).startsWith('Custom::')).length;
  if (customResources !== n) violations.push(`${where}: ${customResources} custom resources for ${n} constructs`);
  if (resources.length > MAX_RESOURCES) violations.push(`${where}: ${resources.length} resources, over CloudFormation's ${MAX_RESOURCES} per stack`);
  if (templateBytes > MAX_TEMPLATE_BYTES) violations.push(`${where}: template of ${templateBytes} bytes, over CloudFormation's ${MAX_TEMPLATE_BYTES}`);

  const roleArn = functions[0]?.[1].Properties?.Role;
  const roleId: string = roleArn?.['Fn::GetAtt']?.[0] ?? '';
  const role = rolePolicies(template, roleId, STACK_NAME);
  for (const problem of role.problems) violations.push(`${where}: ${problem}`);

  const imageArn = (imageId: string) => `arn:${TYPICAL.partition}:ec2:${TYPICAL.region}::image/${imageId}`;
  const covered = (imageId: string) => ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute']
    .every(action => allows(role.policies, action, imageArn(imageId)));
  let imagesCovered = 0;
  for (let i = 0; i < n; i++) if (covered(declaration(i).imageId)) imagesCovered++;
  if (imagesCovered !== n) violations.push(`${where}: the handler role may describe and modify only ${imagesCovered} of the ${n} declared images`);
  const undeclaredImageAllowed = allows(role.policies, 'ec2:ModifyImageAttribute', imageArn(UNDECLARED_IMAGE));
  if (undeclaredImageAllowed) violations.push(`${where}: the handler role may modify images the stack does not declare (README: declared images only)`);

  const libraryMedianMs = median(libraryMs);
  const bareMedianMs = median(bareMs);
  return {
    constructs: n,
    runs,
    libraryMs,
    bareMs,
    libraryMedianMs,
    bareMedianMs,
    ratio: ratio(libraryMedianMs, bareMedianMs),
    templateBytes,
    bareTemplateBytes,
    bytesRatio: ratio(templateBytes, bareTemplateBytes),
    resources: resources.length,
    lambdas: functions.length,
    role,
    imagesCovered,
    undeclaredImageAllowed,
    fits: role.problems.length === 0 && resources.length <= MAX_RESOURCES && templateBytes <= MAX_TEMPLATE_BYTES,
  };
}
