// Section 4: the handler bundle. lambda/ is bundled with the options of scripts/bundle-handler.js: with the AWS SDK
// inside, resolved through its ES-module entry points (what ships); with @aws-sdk/* left to the Lambda runtime; and,
// for comparison, with the SDK inside through its CommonJS entry points (esbuild's default for node, shipped before).
// For each: bytes on disk, bytes zipped (the form Lambda receives), and the time a fresh node process takes to require
// it, against a fresh `node -e ""`.
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as esbuild from 'esbuild';
import { median, now, progress, ratio } from './util';

export type BundleVariant = 'sdk-bundled' | 'sdk-external' | 'sdk-bundled-cjs';

export interface BundleRow {
  readonly variant: BundleVariant;
  readonly bytes: number;
  readonly zippedBytes: number;
  readonly loadMs: number[];
  readonly loadMedianMs: number;
  /** loadMedianMs / the median of a bare `node -e ""`. */
  readonly loadRatio: number;
  /** loadMedianMs minus that baseline. */
  readonly addedMs: number;
}

export interface BundleResult {
  readonly rows: BundleRow[];
  readonly runs: number;
  readonly baselineMs: number[];
  readonly baselineMedianMs: number;
  /** How zippedBytes was computed. */
  readonly zipTool: string;
  /** The sdk-bundled build is byte-identical to assets/ami-attribute-handler/index.js (the bench measures what ships). */
  readonly matchesShippedAsset: boolean;
  /** The sdk-external build fails to load without NODE_PATH (so it really relies on the runtime's SDK). */
  readonly externalNeedsRuntimeSdk: boolean;
  /** The variant the project ships. */
  readonly ships: BundleVariant;
}

// The shipped bundle's options, from the script that builds it (plain JS, so it is required rather than imported).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handlerBundleOptions, shippedBundle } = require('../bundle-handler') as {
  handlerBundleOptions: (outfile: string) => esbuild.BuildOptions;
  shippedBundle: string;
};

export function measureBundle(root: string, workDir: string, runs: number, violations: string[]): BundleResult {
  progress(`bundle: three esbuild builds, ${runs} fresh node processes per variant`);
  const files: Record<BundleVariant, string> = {
    'sdk-bundled': path.join(workDir, 'sdk-bundled', 'index.js'),
    'sdk-external': path.join(workDir, 'sdk-external', 'index.js'),
    'sdk-bundled-cjs': path.join(workDir, 'sdk-bundled-cjs', 'index.js'),
  };
  esbuild.buildSync(handlerBundleOptions(files['sdk-bundled']));
  esbuild.buildSync({ ...handlerBundleOptions(files['sdk-external']), external: ['@aws-sdk/*'] });
  esbuild.buildSync({ ...handlerBundleOptions(files['sdk-bundled-cjs']), mainFields: ['main', 'module'] });

  const matchesShippedAsset = fs.existsSync(shippedBundle) && sha256(shippedBundle) === sha256(files['sdk-bundled']);
  if (!matchesShippedAsset) {
    violations.push('bundle: the benchmark\'s esbuild options no longer produce assets/ami-attribute-handler/index.js '
      + '(scripts/bundle-handler.js changed, or the asset is stale: run `node scripts/bundle-handler.js`)');
  }

  const zipTool = hasZip() ? 'zip -9 -X (Info-ZIP), one entry index.js' : 'zlib.deflateRawSync level 9 + zip headers (no zip binary found)';
  const zipped = (file: string) => (hasZip() ? zipWithInfoZip(file) : zipEstimate(file));

  // Every process gets the same environment; NODE_PATH is what makes @aws-sdk/* resolvable for the external build,
  // standing in for the Lambda runtime's own SDK (its node_modules are on the runtime's NODE_PATH too).
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const env = { ...inherited, NODE_PATH: path.join(root, 'node_modules'), AWS_REGION: 'us-east-1' };
  const load = (script: string, withEnv: NodeJS.ProcessEnv = env) => {
    const start = now();
    const result = spawnSync(process.execPath, ['-e', script], { cwd: workDir, env: withEnv, encoding: 'utf8' });
    return { ms: now() - start, status: result.status, stderr: result.stderr };
  };
  const requireScript = (file: string) => `require(${JSON.stringify(file)})`;

  const withoutNodePath = { ...env, NODE_PATH: '' };
  const externalNeedsRuntimeSdk = load(requireScript(files['sdk-external']), withoutNodePath).status !== 0;
  if (!externalNeedsRuntimeSdk) violations.push('bundle: the sdk-external build loads without an SDK on NODE_PATH: it is not external');

  const variants: Array<'baseline' | BundleVariant> = ['baseline', 'sdk-bundled', 'sdk-external', 'sdk-bundled-cjs'];
  const scriptOf = (v: 'baseline' | BundleVariant) => (v === 'baseline' ? '' : requireScript(files[v]));
  for (const v of variants) load(scriptOf(v)); // warm the page cache
  const samples: Record<string, number[]> = { 'baseline': [], 'sdk-bundled': [], 'sdk-external': [], 'sdk-bundled-cjs': [] };
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < variants.length; j++) {
      const v = variants[(i + j) % variants.length];
      const r = load(scriptOf(v));
      if (r.status !== 0) violations.push(`bundle: node could not load the ${v} build: ${r.stderr.split('\n')[0]}`);
      samples[v].push(r.ms);
    }
  }
  const baselineMedianMs = median(samples.baseline);
  const rows = (['sdk-bundled', 'sdk-external', 'sdk-bundled-cjs'] as const).map(variant => {
    const loadMedianMs = median(samples[variant]);
    return {
      variant,
      bytes: fs.statSync(files[variant]).size,
      zippedBytes: zipped(files[variant]),
      loadMs: samples[variant],
      loadMedianMs,
      loadRatio: ratio(loadMedianMs, baselineMedianMs),
      addedMs: loadMedianMs - baselineMedianMs,
    };
  });
  return {
    rows, runs, baselineMs: samples.baseline, baselineMedianMs, zipTool, matchesShippedAsset, externalNeedsRuntimeSdk, ships: 'sdk-bundled',
  };
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

let zipAvailable: boolean | undefined;
function hasZip(): boolean {
  zipAvailable ??= spawnSync('zip', ['-v'], { encoding: 'utf8' }).status === 0;
  return zipAvailable;
}

function zipWithInfoZip(file: string): number {
  const archive = `${file}.zip`;
  fs.rmSync(archive, { force: true });
  const result = spawnSync('zip', ['-q', '-X', '-9', '-j', archive, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`zip failed: ${result.stderr}`);
  return fs.statSync(archive).size;
}

/** A one-entry zip's size: deflated data plus local header, central directory entry and end record. */
function zipEstimate(file: string): number {
  const name = path.basename(file).length;
  return zlib.deflateRawSync(fs.readFileSync(file), { level: 9 }).length + (30 + name) + (46 + name) + 22;
}
