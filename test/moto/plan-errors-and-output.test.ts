// `cdk-ami-sharing plan`: bad command lines and cloud assemblies, missing credentials, the human output (snapshot)
// and the usage text.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../../src';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { PlanRun, usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const OU = 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij';

/** An error run: exit 1, one line on stderr naming the problem, no stack trace. */
function expectError(run: PlanRun, message: RegExp) {
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('bad or missing cloud assembly', () => {
  const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'plan-bad-app-'));

  test('a directory that does not exist', async () => {
    expectError(await plans.run(['plan', '--app', '/nonexistent/cdk.out']), /--app: \/nonexistent\/cdk.out does not exist; run `cdk synth` first/);
  });

  test('the default cdk.out, missing in the working directory', async () => {
    expectError(await plans.run(['plan']), /--app: cdk.out does not exist/);
  });

  test('a directory without manifest.json', async () => {
    const dir = scratch();
    expectError(await plans.run(['plan', '--app', dir]), /is not a cloud assembly \(no manifest.json\)/);
  });

  test('a manifest that is not JSON, and a template that is missing', async () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{ "artifacts": ');
    expectError(await plans.run(['plan', '--app', dir]), /manifest.json: is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      artifacts: { Gone: { type: 'aws:cloudformation:stack', environment: 'aws://123456789012/us-east-1', properties: { templateFile: 'Gone.template.json' } } },
    }));
    expectError(await plans.run(['plan', '--app', dir]), /Gone.template.json: cannot be read \(ENOENT\)/);
  });

  test('--stack naming a stack the assembly does not have', async () => {
    const app = plans.synth('Present', stack => new AmiLaunchPermissions(stack, 'Share', { imageId: 'ami-12345678', permissions: [] }));
    expectError(await plans.run(['plan', '--app', app.dir, '--stack', 'Absent']), /--stack: "Absent" not in the cloud assembly \(stacks: Present\)/);
  });

  test('a bad command line prints the usage', async () => {
    const run = await plans.run(['plan', '--stack']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cdk-ami-sharing: --stack needs a value\n\nUsage: cdk-ami-sharing plan/);
  });
});

test('no credentials: a clear error, nothing from the environment, no stack trace, no call made', async () => {
  const app = plans.synth('NoCredentials', stack => new AmiLaunchPermissions(stack, 'Share', { imageId: 'ami-12345678', permissions: [] }));
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', app.dir], {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_PROFILE: undefined,
    // Half a configuration (a session token without keys) must not be echoed either.
    AWS_SESSION_TOKEN: 'SESSION-TOKEN-SHOULD-NEVER-BE-PRINTED',
  });
  expectError(run, /^cdk-ami-sharing plan: no AWS credentials found: set AWS_PROFILE .* \(while calling DescribeStacks NoCredentials\)$/);
  expect(run.stdout + run.stderr).not.toContain('SESSION-TOKEN');
  expect(env.peer.requests).toEqual([]);
  expect(plans.cfn.requests).toEqual([]);

  const json = await plans.run(['plan', '--app', app.dir, '--json'], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual({ formatVersion: 1, exitCode: 1, error: expect.stringMatching(/^no AWS credentials found/) });
});

test('access denied on an AMI: the construct\'s error names the call and the permission; exit 1', async () => {
  const image = await createImage(env.ec2);
  const app = plans.synth('Denied', stack => new AmiLaunchPermissions(stack, 'Share', { imageId: image, permissions: [] }));
  // An identity with no policy at all: IAM denies every EC2 request implicitly.
  env.peer.enforceIdentityPolicies([]);

  const run = await plans.run(['plan', '--app', app.dir, '--json']);

  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout).stacks[0].constructs[0].errors).toEqual([
    `access denied: DescribeImageAttribute launchPermission of ${image} (UnauthorizedOperation); the plan needs ec2:DescribeImageAttribute on the AMI`,
  ]);
});

test('the human output (snapshot): grants, revocations, attributes, drift and a stack not deployed', async () => {
  const image = await createImage(env.ec2, { description: 'Built by the pipeline' });
  const other = await createImage(env.ec2);
  const golden = (permissions: LaunchPermission[], withImds: boolean) => plans.synth('Golden', stack => {
    new AmiLaunchPermissions(stack, 'Share', { imageId: image, permissions, mode: LaunchPermissionMode.EXCLUSIVE });
    new AmiDescription(stack, 'Describe', { imageId: image, description: 'Golden image' });
    if (withImds) new AmiImdsPolicy(stack, 'Imds', { imageId: image });
  });
  await plans.deploy('Golden', golden([LaunchPermission.account('111122223333'), LaunchPermission.organization(ORG)], false));
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: '999988887777' }] } }));
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Description: { Value: 'edited by hand' } }));
  const next = golden([LaunchPermission.account('111122223333'), LaunchPermission.organizationalUnit(OU)], true);
  // A second stack in the same assembly, never deployed.
  const dir = next.dir;
  const second = plans.synth('Satellite', stack => new AmiLaunchPermissions(stack, 'Share', {
    imageId: other, permissions: [LaunchPermission.account('444455556666')],
  }));
  mergeAssemblies(dir, second.dir);

  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir]);

  expect(run.code).toBe(2);
  expect(run.stderr).toBe('');
  expect(run.stdout.replaceAll(image, 'ami-GOLDEN').replaceAll(other, 'ami-OTHER')).toMatchSnapshot();
  expect(env.peer.writes()).toEqual([]);
});

test('the usage text (snapshot)', async () => {
  const run = await plans.run(['--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatchSnapshot();
});

/** Adds the stacks of another single-stack assembly to `dir`'s manifest (one cloud assembly with two stacks). */
function mergeAssemblies(dir: string, from: string) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const extra = JSON.parse(fs.readFileSync(path.join(from, 'manifest.json'), 'utf8'));
  for (const [id, artifact] of Object.entries<any>(extra.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    fs.copyFileSync(path.join(from, artifact.properties.templateFile), path.join(dir, artifact.properties.templateFile));
    manifest.artifacts[id] = artifact;
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
}
