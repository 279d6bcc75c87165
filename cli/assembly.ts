// Reads a synthesised cloud assembly (the `cdk.out` directory) without aws-cdk-lib: the manifest names the stacks, their
// environments and template files; nested assemblies (CDK stages) are followed.
import * as fs from 'fs';
import * as path from 'path';

export interface AssemblyStack {
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The stack's path in the app (e.g. Stage/Stack), as `cdk` shows it. */
  readonly displayName: string;
  /** The Region the stack is pinned to, or undefined for an environment-agnostic stack. */
  readonly region?: string;
  readonly template: any;
}

/** A problem with the cloud assembly itself: the message says which file and what is wrong. */
export class AssemblyError extends Error {}

const MANIFEST = 'manifest.json';

export function readAssembly(directory: string): AssemblyStack[] {
  const manifestPath = path.join(directory, MANIFEST);
  if (!fs.existsSync(directory)) {
    throw new AssemblyError(`--app: ${directory} does not exist; run \`cdk synth\` first, or pass the cloud assembly directory with --app`);
  }
  if (!fs.existsSync(manifestPath)) {
    throw new AssemblyError(`--app: ${directory} is not a cloud assembly (no ${MANIFEST}); pass the directory \`cdk synth\` writes (cdk.out)`);
  }
  return stacksOf(directory, readJson(manifestPath));
}

function stacksOf(directory: string, manifest: any): AssemblyStack[] {
  const artifacts = manifest?.artifacts;
  if (typeof artifacts !== 'object' || artifacts === null) {
    throw new AssemblyError(`${path.join(directory, MANIFEST)}: no "artifacts" object; is this a cloud assembly?`);
  }
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries<any>(artifacts)) {
    if (artifact?.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (typeof templateFile !== 'string') {
        throw new AssemblyError(`${path.join(directory, MANIFEST)}: stack ${id} has no templateFile`);
      }
      stacks.push({
        stackName: artifact.properties?.stackName ?? id,
        displayName: artifact.displayName ?? id,
        region: regionOf(artifact.environment),
        template: readJson(path.join(directory, templateFile)),
      });
    } else if (artifact?.type === 'cdk:cloud-assembly') {
      const nested = path.join(directory, String(artifact.properties?.directoryName ?? id));
      stacks.push(...stacksOf(nested, readJson(path.join(nested, MANIFEST))));
    }
  }
  return stacks;
}

/** 'aws://123456789012/us-east-1' -> 'us-east-1'; environment-agnostic stacks say 'unknown-region'. */
function regionOf(environment: unknown): string | undefined {
  const match = /^aws:\/\/[^/]+\/([^/]+)$/.exec(String(environment ?? ''));
  return match && match[1] !== 'unknown-region' ? match[1] : undefined;
}

function readJson(file: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AssemblyError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AssemblyError(`${file}: is not valid JSON (${(error as Error).message})`);
  }
}

/** The stacks `--stack` selects (by stack name, display name or artifact path); all when none is given. */
export function selectStacks(stacks: AssemblyStack[], names: string[]): AssemblyStack[] {
  if (names.length === 0) return stacks;
  const unknown = names.filter(n => !stacks.some(s => s.stackName === n || s.displayName === n));
  if (unknown.length > 0) {
    const known = stacks.map(s => s.displayName === s.stackName ? s.stackName : `${s.stackName} (${s.displayName})`);
    throw new AssemblyError(`--stack: ${unknown.map(n => JSON.stringify(n)).join(', ')} not in the cloud assembly (stacks: ${known.join(', ') || 'none'})`);
  }
  return stacks.filter(s => names.includes(s.stackName) || names.includes(s.displayName));
}
