import * as fs from 'fs';
import * as path from 'path';
import { awscdk, javascript, JsonFile, ReleasableCommits } from 'projen';

// The peer floor users get. 2.189.1 is the oldest aws-cdk-lib we build and test against that has everything the
// constructs use: CustomResource.serviceTimeout and Function.logGroup (on it the handler's runtime, nodejs24.x, is named
// directly, as Runtime.NODEJS_24_X only came in 2.224.0: src/handler/runtime.ts). Raising it forces every user to upgrade, so raise it only for a feature
// we need. The latest aws-cdk-lib, with cdk-nag 2 and 3, is checked by .ci/compat.
const CDK_VERSION = '2.189.1';

// The tests start moto (python3 -m moto.server, README "Quick start (development)") as their EC2 API: every workflow
// job that runs them installs it first, at the version the tests are written against.
const MOTO_STEPS = [
  { name: 'Set up Python (moto, the tests\' EC2 emulator)', uses: 'actions/setup-python@v5', with: { 'python-version': '3.12' } },
  { name: 'Install moto', run: 'pip install \'moto[server]==5.2.1\'' },
];

// .ci/run is this repository's gate: the README's test command (`npm ci && npx projen build`), then the steps after it.
// The build and release workflows run those same steps after their build, read from .ci/run itself so the two cannot
// drift (test/release/workflows.test.ts checks the committed workflows against .ci/run).
function ciRunSteps(): { name: string; run: string }[] {
  const lines = fs.readFileSync(path.join(__dirname, '.ci', 'run'), 'utf8').split('\n').map(l => l.trim());
  const start = lines.indexOf('npm ci && npx projen build');
  if (start < 0) throw new Error('.ci/run no longer runs the README\'s test command `npm ci && npx projen build`');
  return lines.slice(start + 1).filter(l => l && !l.startsWith('#')).map(run => ({ name: `.ci/run: ${run}`, run }));
}
const CI_RUN_STEPS = ciRunSteps();

// The release line: 0.x while the API may still move (README "Versioning and stability"). projen's bump reads the latest
// tag of the line (v0.*) and commit-and-tag-version proposes the next version from the conventional commits since:
// below 1.0.0 a fix or a feature bumps the patch, a breaking change (`feat!:`, `BREAKING CHANGE:` footer) the minor.
// 1.0.0 is a deliberate step: RELEASE_MAJOR = 1 here, in the commit that declares the API stable.
const RELEASE_MAJOR = 0;
// With no tag yet, projen would release the line's base, 0.0.0, the same version an unreleased build carries: the
// first release is 0.1.0 instead. Later releases print nothing here, and the commits decide.
const FIRST_RELEASE = '0.1.0';

const project = new awscdk.AwsCdkConstructLibrary({
  author: 'cdk-ami-sharing maintainers',
  authorAddress: 'maintainers@cdk-ami-sharing.dev',
  cdkVersion: CDK_VERSION,
  defaultReleaseBranch: 'main',
  jsiiVersion: '~6.0.0',
  name: 'cdk-ami-sharing',
  description: 'AWS CDK constructs that share AMIs (launch permissions) and harden them (IMDSv2, description), converged by one custom-resource handler per stack.',
  keywords: ['cdk', 'aws-cdk', 'ami', 'ec2', 'launch-permission', 'imdsv2', 'awscdk'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  repositoryUrl: 'https://github.com/cdk-ami-sharing/cdk-ami-sharing.git',
  license: 'Apache-2.0',

  // Released like every Construct Hub library: versions and the changelog from conventional commits (projen's bump,
  // commit-and-tag-version), GitHub workflows that build pull requests, release from main with publib to npm, PyPI,
  // Maven Central, NuGet and the Go module repository, and upgrade dependencies. .ci/run stays this repository's gate;
  // the build workflow runs the same steps (see ciRunSteps below and test/release/workflows.test.ts).
  github: true,
  release: true,
  releaseToNpm: true,
  // The 0.x line (RELEASE_MAJOR above): projen refuses to release a version outside it.
  majorVersion: RELEASE_MAJOR,
  // Only what users see releases: a push with only docs, chore, ci, test or refactor commits bumps nothing (without
  // this, commit-and-tag-version would release a patch for any commit).
  releasableCommits: ReleasableCommits.ofType(['feat', 'fix', 'perf', 'revert']),
  nextVersionCommand: `node -e "if (!process.env.LATEST_TAG) process.stdout.write('${FIRST_RELEASE}')"`,
  // jsii marks every API experimental in every language's docs (Construct Hub shows it) until 1.0.
  stability: 'experimental',
  // The build runs on Node 20 here and in CI (README "Tested versions"); the handler's suites run on the Lambda
  // runtime's Node majors from the npm registry (test:lambda-nodes).
  workflowNodeVersion: '20',
  // The tests start moto (python3 -m moto.server) as their EC2 API: every workflow job that runs them installs it.
  // `npm ci` as .ci/run does, and a build that changes a committed file fails (no self-mutation commits).
  buildWorkflowOptions: { preBuildSteps: MOTO_STEPS, mutableBuild: false },
  releaseWorkflowSetupSteps: MOTO_STEPS,
  // After the build (pull requests) and after `projen release` (the release job, before anything is published).
  postBuildSteps: CI_RUN_STEPS,

  publishToPypi: { distName: 'cdk-ami-sharing', module: 'cdk_ami_sharing' },
  publishToMaven: {
    javaPackage: 'io.github.cdkamisharing',
    mavenGroupId: 'io.github.cdk-ami-sharing',
    mavenArtifactId: 'cdk-ami-sharing',
  },
  publishToNuget: { dotNetNamespace: 'CdkAmiSharing', packageId: 'CdkAmiSharing' },
  publishToGo: { moduleName: 'github.com/cdk-ami-sharing/cdk-ami-sharing-go' },

  devDeps: [
    '@aws-sdk/client-cloudformation@^3.1169.0',
    '@aws-sdk/client-ec2@^3.1169.0',
    '@aws-sdk/client-kms@^3.1164.0',
    '@types/aws-lambda@^8.10.0',
    // The SDK's retry building blocks (the adaptive rate limiter, HttpResponse for stubbed HTTP in tests): already in
    // the tree under @aws-sdk/client-ec2, named here because the handler and its tests import them.
    '@smithy/core@^3.41.1',
    'aws-sdk-client-mock@^4.1.0',
    'aws-sdk-client-mock-jest@^4.1.0',
    'esbuild@0.28.2',
    'fast-check@^4.3.0',
    'cdk-nag@2.36.8',
    '@cloud-copilot/iam-simulate@^0.1.173',
    // Validates .github/workflows/*.yml against GitHub's workflow schema, offline (test/release/workflows.test.ts).
    '@action-validator/core@^0.6.0',
    '@action-validator/cli@^0.6.0',
    'yaml@^2',
  ],

  jestOptions: {
    // Snapshot tests must be able to fail: never rewrite a snapshot during a test run.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testTimeout: 60_000,
      // Jest's default on a 2-core machine is one worker, but most suites wait on their moto process (python) and on
      // loopback HTTP: three workers keep both cores busy. Measured 2026-12-06, `npx jest --ci`: 777 s with the default,
      // 294 s with three (918 tests).
      maxWorkers: 3,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  },
  tsconfigDev: {
    include: ['../lambda/**/*.ts', '../cli/**/*.ts', '../example/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'lambda', 'cli', 'example', 'scripts', 'build-tools', 'projenrc', '.projenrc.ts'],
  },
  experimentalIntegRunner: true,
  gitignore: ['/assets/', '/cdk.out/', '/example/cdk.out/', 'cdk.context.json', '/.bench/'],
});

// The handler bundle ships in the npm tarball (assets/ is not in .npmignore), is rebuilt before every compile, and is
// byte-identical across builds so the CDK asset hash in users' snapshots never churns.
const bundle = project.addTask('bundle:handler', {
  description: 'Bundle lambda/ into assets/ami-attribute-handler/index.js with esbuild',
  exec: 'node scripts/bundle-handler.js',
});
project.preCompileTask.spawn(bundle);

// `npx cdk-ami-sharing plan` (cli/): bundled like the handler into assets/cli/, so the command needs nothing the
// package does not ship (its SDK clients are inside the bundle; lambda/ and cli/ stay out of the tarball).
const bundleCli = project.addTask('bundle:cli', {
  description: 'Bundle cli/ into assets/cli/index.js with esbuild (the cdk-ami-sharing command)',
  exec: 'node scripts/bundle-cli.js',
});
project.preCompileTask.spawn(bundleCli);
project.addBins({ 'cdk-ami-sharing': 'assets/cli/index.js' });

// Every example in README.md and in doc comments must compile (fixtures in rosetta/), or Construct Hub and the other
// languages' packages show it as TypeScript marked "non-compiling". The translations land in .jsii.tabl.json next to
// .jsii, where jsii-pacmak finds them for the Python, Java, .NET and Go READMEs and docs; the npm package ships both.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile every README and doc-comment example with jsii-rosetta (fixtures in rosetta/) and translate them',
  exec: 'jsii-rosetta extract --fail .',
});
project.postCompileTask.spawn(rosetta);
project.gitignore.addPatterns('/.jsii.tabl.json');

// The Python, Java, .NET and Go sources jsii-pacmak generates from the .jsii assembly and the rosetta tablet, without
// their toolchains (which the release workflow's package jobs have): each language's README and doc comments must carry
// the examples translated. test/release/code-only.test.ts runs it in the build; run it by hand to read the sources.
project.addTask('package:code-only', {
  description: 'Generate the Python, Java, .NET and Go sources with jsii-pacmak --code-only into dist/code-only/ and check them',
  exec: 'node scripts/pacmak-code-only.js dist/code-only',
});

// The same schema check as test/release/workflows.test.ts, from the command line (action-validator takes one file).
project.addTask('workflows:validate', {
  description: 'Validate .github/workflows/*.yml against GitHub\'s workflow schema (action-validator, offline)',
  exec: 'bash -c \'for f in .github/workflows/*.yml; do action-validator "$f" || exit 1; echo "$f: valid"; done\'',
});

project.addTask('demo', {
  description: 'Run the example stack\'s handler against a local EC2 emulator (moto) through a full lifecycle',
  steps: [
    { spawn: bundle.name },
    { spawn: bundleCli.name },
    { exec: 'ts-node --transpile-only example/demo.ts' },
  ],
});

project.addTask('bench', {
  description: 'Benchmarks: EC2 calls, converge time, synth scale, bundle size (prints a table; --json for JSON)',
  receiveArgs: true,
  steps: [
    { spawn: bundle.name },
    { exec: 'ts-node --transpile-only scripts/bench.ts', receiveArgs: true },
  ],
});

// The handler runs on the Lambda runtime its policy chooses (docs/lambda-runtime.md), the tests on this machine's node:
// its moto lifecycle and fault suites run again on every Node major the policy can choose, from the npm registry's
// `node` package (it ships the real binary), kept out of git in .nodeNN/. The list is data that .ci/compat reads too.
const LAMBDA_NODE_MAJORS: number[] = JSON.parse(fs.readFileSync(path.join(__dirname, '.ci', 'lambda-node-majors.json'), 'utf8')).majors;
const HANDLER_SUITES = [
  'test/moto/launch-permissions-lifecycle.test.ts', 'test/moto/imds-and-description-lifecycle.test.ts', 'test/moto/faults.test.ts',
  // The KMS client and the snapshot calls, which only encrypted AMIs exercise.
  'test/moto/encrypted-ami-lifecycle.test.ts',
  // Deprecation, deregistration protection and the account settings; the CloudFormation client of scheduled enforcement.
  'test/moto/deprecation-lifecycle.test.ts', 'test/moto/deregistration-protection-lifecycle.test.ts',
  'test/moto/image-block-public-access-lifecycle.test.ts', 'test/moto/allowed-images-lifecycle.test.ts', 'test/moto/enforcement.test.ts',
  // The CloudFormation reads a deployment makes (superseded-images windows: stack status and resource record).
  'test/moto/superseded-images.test.ts',
];
const lambdaNodes = project.addTask('test:lambda-nodes', {
  description: `The handler's moto suites on every Node major its Lambda runtime policy can choose (${LAMBDA_NODE_MAJORS.join(', ')})`,
});
for (const major of LAMBDA_NODE_MAJORS) {
  const dir = `.node${major}`;
  const node = `${dir}/node_modules/.bin/node`;
  const task = project.addTask(`test:node${major}`, {
    description: `The handler's moto lifecycle, fault and enforcement suites on Node ${major} (installed from npm into ${dir}/)`,
    steps: [
      { spawn: bundle.name },
      {
        // (projen runs a command named `test` as something else: the check is node's.)
        exec: `node -e "process.exit(require('fs').existsSync('${node}') ? 0 : 1)" `
          + `|| npm install --no-save --no-audit --no-fund --prefix ${dir} node@${major}`,
      },
      // The major that runs must be the one asked for (an npm mirror lagging behind would otherwise pass silently).
      { exec: `${node} -e "const v = process.versions.node; console.log('node ' + v); process.exit(v.split('.')[0] === '${major}' ? 0 : 1)"` },
      { exec: `${node} node_modules/jest/bin/jest.js --coverage=false --ci ${HANDLER_SUITES.join(' ')}` },
    ],
  });
  lambdaNodes.spawn(task);
  project.gitignore.addPatterns(`/${dir}/`);
  project.addPackageIgnore(`/${dir}/`);
}

// experimentalIntegRunner adds the integ packages at @latest, which want a newer aws-cdk-lib than our floor: pin
// versions that exist on the registry and match it.
for (const dep of ['@aws-cdk/integ-runner', '@aws-cdk/integ-tests-alpha']) {
  project.deps.removeDependency(dep);
}
project.addDevDeps('@aws-cdk/integ-runner@2.197.10', '@aws-cdk/integ-tests-alpha@2.187.0-alpha.0');

// No AWS account here: integ tests are snapshot-only. A fixed region stops the runner probing for one (≈ 20 s a test),
// and `integ:update` writes snapshots without deploying.
for (const name of ['integ', 'integ:update']) {
  const task = project.tasks.tryFind(name)!;
  task.env('AWS_REGION', 'us-east-1');
  task.env('TS_NODE_TRANSPILE_ONLY', '1');
}
// --force: integ-runner's diff ignores asset hashes, so without it a changed handler bundle would never be written.
project.tasks.tryFind('integ:update')!.reset('integ-runner --language typescript --update-on-failed --dry-run --force', { receiveArgs: true });

// `npx projen build` is the README's first quick-start command and must work offline on a developer's machine too:
// it packages JavaScript only, CI or not (projen's default runs package-all outside CI, whose Java, Python, .NET and Go
// steps need registries this machine cannot reach). So does `npx projen release`, which spawns the build: it leaves the
// npm tarball and the changelog in dist/. The workflows' package-* and release_* jobs build the other four languages
// from that tarball, each on a runner with its toolchain; `npx projen package-all` does it on a machine that has them.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// The tarball ships lib/ and the bundled handler in assets/; the handler's sources, the example and the tooling stay out.
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/lambda/');
project.addPackageIgnore('/cli/');
project.addPackageIgnore('/example/');
project.addPackageIgnore('/scripts/');

// Type-checking (and eslint's project service) for the folders outside src/ and test/: the handler, the example and
// the scripts, with the same compiler options as the tests.
for (const dir of ['lambda', 'cli', 'example', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts', '../test/support/**/*.ts'] },
  });
}

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
// Tests and scripts run on this machine's node 20; the bundled handler runs on nodejs24.x or newer, where the SDK is silent.
project.tasks.addEnvironment('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');

// Added last: projen drops earlier patterns under /test/ when it un-ignores /test/ itself. The integ snapshot's copy of
// the 1.5 MB handler bundle is not needed to verify it (the template carries the bundle's hash).
project.gitignore.addPatterns('/test/*.snapshot/asset.*', '/test/**/cdk.out/');

project.synth();
