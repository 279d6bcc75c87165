// Section 3: synth scale. A fresh App with N constructs of this library (the three kinds in turn, each on its own
// image: the worst case for the handler role's policy, which names every image) against a fresh App with N bare
// CfnResources carrying the same properties. Timed from `new App()` to the end of `app.synth()`; interleaved runs,
// median. From the library's template: bytes, resource count, Lambda count (must be 1), the handler role's policies as
// IAM counts them, and whether each declared image is covered and no other image is.
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { allows, RolePolicies, rolePolicies, TYPICAL } from './iam';
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

  const rows: SynthRow[] = [];
  for (const n of sizes) {
    progress(`synth scale: ${n} construct(s), ${runs} runs`);
    const libraryMs: number[] = [];
    const bareMs: number[] = [];
    let template: any;
    let templateBytes = 0;
    let bareTemplateBytes = 0;
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['library', 'bare'] : ['bare', 'library'];
      for (const which of order) {
        if (which === 'library') {
          const r = synth(buildLibrary, n, template === undefined);
          libraryMs.push(r.ms);
          template ??= r.template;
          templateBytes = r.bytes;
        } else {
          const r = synth(buildBare, n, false);
          bareMs.push(r.ms);
          bareTemplateBytes = r.bytes;
        }
      }
    }
    rows.push(analyse(n, runs, libraryMs, bareMs, template, templateBytes, bareTemplateBytes, violations));
  }
  return rows;
}

function analyse(n: number, runs: number, libraryMs: number[], bareMs: number[], template: any,
  templateBytes: number, bareTemplateBytes: number, violations: string[]): SynthRow {
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
