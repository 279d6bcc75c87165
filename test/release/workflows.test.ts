// The GitHub workflows projen generates (.projenrc.ts): valid against GitHub's workflow schema (action-validator, from
// npm, offline), and running what this repository's gate runs. .ci/run is the gate: the README's test command
// (`npm ci && npx projen build`), then its extra steps; the build workflow's job (pull requests) and the release job
// (before anything is published) must run the same, in the same order, with moto installed first. The secrets the
// release workflow reads are the ones README "Releasing" tells a maintainer to set.
import * as fs from 'fs';
import * as path from 'path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const README_TEST_COMMAND = 'npm ci && npx projen build';

function workflowFiles(): string[] {
  return fs.readdirSync(WORKFLOWS).filter(f => /\.ya?ml$/.test(f)).sort();
}

function schemaErrors(source: string): string[] {
  const errors = validateWorkflow(source).errors as any[];
  const flatten = (e: any): string[] => [`${e.path ?? ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`,
    ...(e.states ?? []).flatMap((s: any) => s.errors.flatMap(flatten))];
  return errors.flatMap(flatten);
}

function workflow(file: string): any {
  return parse(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'));
}

/** The commands of a job's `run` steps, in order. */
function runs(job: any): string[] {
  return (job.steps as any[]).filter(s => s.run !== undefined).map(s => String(s.run).trim());
}

/** .ci/run's commands after the README's test command (comments and blank lines left out). */
function ciRunExtraSteps(): string[] {
  const lines = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n').map(l => l.trim());
  const start = lines.indexOf(README_TEST_COMMAND);
  expect(start).toBeGreaterThan(-1);
  return lines.slice(start + 1).filter(l => l && !l.startsWith('#'));
}

/** `actual` holds `expected` as a subsequence: every command, in this order, others allowed in between. */
function expectInOrder(actual: string[], expected: string[]) {
  let at = 0;
  for (const command of expected) {
    const found = actual.indexOf(command, at);
    if (found < 0) throw new Error(`'${command}' is missing after step ${at} of:\n  ${actual.join('\n  ')}`);
    at = found + 1;
  }
}

describe('GitHub workflow schema', () => {
  test('projen generated the construct library workflows', () => {
    expect(workflowFiles()).toEqual(['build.yml', 'pull-request-lint.yml', 'release.yml', 'upgrade-main.yml']);
  });

  test.each(workflowFiles())('%s validates', file => {
    expect(schemaErrors(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'))).toEqual([]);
  });

  // The validator must be able to say no, or the test above proves nothing.
  test('a workflow with a misspelt key or a job without runs-on is rejected', () => {
    const build = fs.readFileSync(path.join(WORKFLOWS, 'build.yml'), 'utf8');
    expect(schemaErrors(build.replace(/^    steps:$/m, '    stepz:')).join('\n')).toMatch(/stepz/);
    expect(schemaErrors(build.replace(/^    runs-on: ubuntu-latest\n/m, '')).length).toBeGreaterThan(0);
    expect(schemaErrors('on: push\njobs: []\n').length).toBeGreaterThan(0);
  });
});

describe('the workflows run what .ci/run runs', () => {
  test('.ci/run still has extra steps after the README test command', () => {
    expect(ciRunExtraSteps()).toEqual(expect.arrayContaining(['npx projen test:lambda-nodes', 'bash .ci/compat']));
  });

  test('build workflow (pull requests): npm ci, moto, the build, then every .ci/run step, on Node 20 with CI=true', () => {
    const build = workflow('build.yml').jobs.build;
    expect(build.env.CI).toBe('true');
    const node = build.steps.find((s: any) => String(s.uses ?? '').startsWith('actions/setup-node'));
    expect(String(node.with['node-version'])).toBe('20');
    expectInOrder(runs(build), ['npm ci', 'pip install \'moto[server]==5.2.1\'', 'npx projen build', ...ciRunExtraSteps()]);
  });

  test('release job: moto, `projen release` (bump, build, unbump), then every .ci/run step, before the upload', () => {
    const release = workflow('release.yml').jobs.release;
    expect(release.env.CI).toBe('true');
    const commands = runs(release);
    expectInOrder(commands, ['npm ci', 'pip install \'moto[server]==5.2.1\'', 'npx projen release', ...ciRunExtraSteps()]);
    const upload = release.steps.findIndex((s: any) => String(s.uses ?? '').startsWith('actions/upload-artifact'));
    const lastGateStep = release.steps.findIndex((s: any) => s.run === ciRunExtraSteps().slice(-1)[0]);
    expect(lastGateStep).toBeGreaterThan(-1);
    expect(upload).toBeGreaterThan(lastGateStep);
  });

  test('every publishing job waits for the release job and publishes with publib', () => {
    const jobs = workflow('release.yml').jobs;
    const publishing: Record<string, RegExp> = {
      release_npm: /publib-npm/,
      release_pypi: /publib-pypi/,
      release_maven: /publib-maven/,
      release_nuget: /publib-nuget/,
      release_golang: /publib-golang/,
    };
    for (const [job, command] of Object.entries(publishing)) {
      expect(jobs[job]).toBeDefined();
      expect([jobs[job].needs].flat()).toContain('release');
      expect(runs(jobs[job]).join('\n')).toMatch(command);
    }
  });

  test('build workflow packages all five languages from the npm tarball', () => {
    const jobs = workflow('build.yml').jobs;
    for (const language of ['js', 'java', 'python', 'dotnet', 'go']) {
      expect(runs(jobs[`package-${language}`])).toContain(`cd .repo && npx projen package:${language}`);
    }
  });
});

describe('README "Releasing" names every secret the workflows read', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const releasing = readme.slice(readme.indexOf('\n## Releasing'));
  const secrets = [...new Set(workflowFiles().flatMap(file => [...fs.readFileSync(path.join(WORKFLOWS, file), 'utf8')
    .matchAll(/secrets\.([A-Z0-9_]+)/g)].map(m => m[1])))].filter(s => s !== 'GITHUB_TOKEN').sort();

  test('the workflows read the publishing secrets and the upgrade token', () => {
    expect(secrets).toEqual(expect.arrayContaining(['PROJEN_GITHUB_TOKEN', 'NPM_TOKEN', 'TWINE_USERNAME', 'TWINE_PASSWORD', 'NUGET_API_KEY',
      'GO_GITHUB_TOKEN', 'MAVEN_GPG_PRIVATE_KEY', 'MAVEN_GPG_PRIVATE_KEY_PASSPHRASE', 'MAVEN_PASSWORD', 'MAVEN_USERNAME',
      'MAVEN_STAGING_PROFILE_ID']));
  });

  test.each(secrets)('%s', secret => {
    expect(releasing).toContain(`\`${secret}\``);
  });
});
