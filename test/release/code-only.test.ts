// jsii-pacmak --code-only for Python, Java, .NET and Go (scripts/pacmak-code-only.js, also `npx projen package:code-only`):
// the sources of every language the release publishes are generated from the built .jsii, and each language's README
// carries every README example translated (from the rosetta tablet the post-compile step writes). No toolchain needed:
// the release workflow's package jobs build the real packages.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'pacmak-code-only.js');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('jsii-pacmak --code-only', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ami-sharing-code-only-'));
  const outdir = path.join(work, 'out');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  let generated: { status: number | null; output: string };
  beforeAll(() => {
    generated = run(outdir);
  }, 240_000);

  test('generates Python, Java, .NET and Go with every README example translated', () => {
    expect(generated.output).toMatch(/README examples translated/);
    expect(generated.status).toBe(0);
    for (const file of ['python/src/cdk_ami_sharing/__init__.py', 'java/pom.xml', 'dotnet/CdkAmiSharing/CdkAmiSharing.csproj',
      'go/cdkamisharing/go.mod']) {
      expect(fs.existsSync(path.join(outdir, file))).toBe(true);
    }
  });

  test('the Python module defines the constructs with their Python names', () => {
    const init = fs.readFileSync(path.join(outdir, 'python/src/cdk_ami_sharing/__init__.py'), 'utf8');
    expect(init).toMatch(/^class AmiLaunchPermissions\(/m);
    expect(init).toContain('image_id');
  });

  // The check must be able to fail: an example left in TypeScript, and a missing file, are each reported.
  test('an untranslated example is caught', () => {
    const broken = path.join(work, 'untranslated');
    fs.cpSync(outdir, broken, { recursive: true });
    const readme = path.join(broken, 'python/README.md');
    fs.writeFileSync(readme, fs.readFileSync(readme, 'utf8').replace(/^```python\n[\s\S]*?^```$/m,
      "```python\nimport { AmiLaunchPermissions } from 'cdk-ami-sharing';\n```"));
    const checked = run('--check', broken);
    expect(checked.status).toBe(1);
    expect(checked.output).toMatch(/python: .*README\.md/);
  });

  test('a language whose sources are missing is caught', () => {
    const broken = path.join(work, 'missing');
    fs.cpSync(outdir, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'go/cdkamisharing/go.mod'));
    const checked = run('--check', broken);
    expect(checked.status).toBe(1);
    expect(checked.output).toContain('go: go/cdkamisharing/go.mod was not generated');
  });
});
