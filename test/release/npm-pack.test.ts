// What `npm install cdk-ami-sharing` gets: the jsii assembly, the compiled library, both esbuild bundles (the handler
// the constructs deploy, the `cdk-ami-sharing` command), README and LICENSE; nothing of the sources, tests or tooling.
// Reads `npm pack --dry-run --json` of the built tree, so it runs after compile (the build's test step).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

const REQUIRED = [
  'package.json', 'README.md', 'LICENSE', 'API.md',
  '.jsii', // the assembly jsii-pacmak and Construct Hub read
  '.jsii.tabl.json', // the examples' translations (Construct Hub's other-language docs)
  'lib/index.js', 'lib/index.d.ts',
  'assets/ami-attribute-handler/index.js', // the handler bundle every construct deploys
  'assets/cli/index.js', // the `cdk-ami-sharing` command (package.json bin)
];

// Sources, tests and tooling: the bundles and lib/ are what runs, these stay in the repository.
const FORBIDDEN = [/^test\//, /^scripts\//, /^example\//, /^\.ci\//, /^lambda\//, /^cli\//, /^src\//, /^\.github\//,
  /^\.projen\//, /^projenrc\//, /^\.projenrc\.ts$/, /^\.node\d+\//, /^dist\//, /^coverage\//, /^test-reports\//,
  /^tsconfig.*\.json$/, /^\.mergify\.yml$/, /^cdk\.out\//, /\.test\.[jt]s$/, /\.tsbuildinfo$/];

function forbiddenIn(files: string[]): string[] {
  return files.filter(f => FORBIDDEN.some(p => p.test(f)));
}

function packedFiles(): { filename: string; files: string[] } {
  for (const built of ['.jsii', 'lib/index.js', 'assets/ami-attribute-handler/index.js', 'assets/cli/index.js']) {
    if (!fs.existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run 'npx projen build' (or compile) first`);
  }
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
  });
  const [pack] = JSON.parse(out);
  return { filename: pack.filename, files: pack.files.map((f: { path: string }) => f.path) };
}

describe('npm pack', () => {
  const pack = packedFiles();

  test('the tarball is named after the package and its version', () => {
    const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pack.filename).toBe(`${name}-${version}.tgz`);
  });

  test.each(REQUIRED)('ships %s', file => {
    expect(pack.files).toContain(file);
  });

  test('ships the compiled library for every source file', () => {
    const sources = fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).map(f => `lib/${f.replace(/\\/g, '/').replace(/\.ts$/, '.js')}`);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter(f => !pack.files.includes(f))).toEqual([]);
  });

  test('ships nothing from the sources, tests or tooling', () => {
    expect(forbiddenIn(pack.files)).toEqual([]);
  });

  // The check above must be able to fail.
  test('the forbidden-file check catches test, script, example and CI files', () => {
    expect(forbiddenIn(['lib/index.js', 'test/a.test.ts', 'scripts/bench.ts', 'example/app.ts', '.ci/run', 'lambda/index.ts']))
      .toEqual(['test/a.test.ts', 'scripts/bench.ts', 'example/app.ts', '.ci/run', 'lambda/index.ts']);
  });
});
