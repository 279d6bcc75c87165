// `cdk-ami-sharing plan --usage` (the shipped bundle) against the EC2 peer's usage reports (usage-reports.ts) and the
// CloudFormation read peer: one report per AMI the deploy revokes launch access from, waited for while pending, read
// per account losing access; --json; --fail-on-usage (exit 3); --usage-timeout (exit 1); the only write is
// CreateImageUsageReport, only with --usage; and the plan's own permissions (README) enforced by the peer's IAM.
import { Stack } from 'aws-cdk-lib';
import { AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../../src';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { PlanRun, usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';
const STACK = 'PlanUsage';
const LAUNCHED = new Date('2026-12-01T09:30:00.000Z');

function sharing(imageId: string, permissions: LaunchPermission[], mode?: LaunchPermissionMode) {
  return plans.synth(STACK, (stack: Stack) => new AmiLaunchPermissions(stack, 'Share', { imageId, permissions, mode }));
}

async function planWithUsage(dir: string, ...extra: string[]): Promise<{ run: PlanRun; json: any }> {
  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', dir, '--json', '--usage', ...extra]);
  expect(plans.cfn.writes()).toEqual([]);
  return { run, json: JSON.parse(run.stdout) };
}

const reportRequests = () => env.peer.requests.filter(r => r.action === 'CreateImageUsageReport');

/** An AMI shared with A and B (deployed), and the next declaration that drops B. */
async function droppingB() {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(image, [LaunchPermission.account(A), LaunchPermission.account(B)]));
  return { image, next: sharing(image, [LaunchPermission.account(A)]) };
}

test('an account losing access: one report for it, pending then available, its instances and launch templates and lastLaunchedTime', async () => {
  const { image, next } = await droppingB();
  env.peer.usage.record(image, B, 'ec2:Instance', 2);
  env.peer.usage.record(image, B, 'ec2:LaunchTemplate', 1);
  env.peer.usage.record(image, A, 'ec2:Instance', 7); // A keeps access: not reported
  env.peer.usage.setLastLaunched(image, LAUNCHED);
  env.peer.usage.delayMs = 1_500;

  const { run, json } = await planWithUsage(next.dir);

  expect(run.code).toBe(2);
  expect(json.exitCode).toBe(2);
  expect(json.usage).toEqual({
    timeoutSeconds: 300,
    images: [{
      imageId: image,
      region: 'us-east-1',
      revoked: [{ UserId: B }],
      scope: 'accounts',
      status: 'complete',
      reportId: expect.stringMatching(/^amiur-/),
      reportCreationTime: expect.any(String),
      lastLaunchedTime: LAUNCHED.toISOString(),
      accounts: [{ accountId: B, instances: 2, launchTemplates: 1 }],
    }],
  });
  // The report asks about the account losing access, for instances and launch templates; it is the only write.
  expect(reportRequests().map(r => r.params)).toEqual([expect.objectContaining({
    'ImageId': image, 'AccountId.1': B, 'ResourceType.1.ResourceType': 'ec2:Instance', 'ResourceType.2.ResourceType': 'ec2:LaunchTemplate',
  })]);
  expect(reportRequests()[0].params['AccountId.2']).toBeUndefined();
  expect(env.peer.writes().map(w => w.action)).toEqual(['CreateImageUsageReport']);
  // Progress on stderr: created, pending at least once, then ready.
  expect(run.stderr).toMatch(/usage: created report amiur-\w+ on ami-\w+ for 1 account/);
  expect(run.stderr).toMatch(/usage: waiting for 1 report .*: pending/);
  expect(run.stderr).toMatch(/usage: 1 report ready after/);
  expect(env.peer.requests.filter(r => r.action === 'DescribeImageUsageReports').length).toBeGreaterThanOrEqual(2);
});

test('--fail-on-usage: exit 3 when an account losing access still uses the AMI, and the human output says who', async () => {
  const { image, next } = await droppingB();
  env.peer.usage.record(image, B, 'ec2:Instance', 1);

  env.peer.clearLog();
  const run = await plans.run(['plan', '--app', next.dir, '--usage', '--fail-on-usage']);

  expect(run.code).toBe(3);
  const text = run.stdout.replaceAll(image, 'ami-GOLDEN').replace(/amiur-\w+ of \S+;/, 'amiur-REPORT of TIME;');
  expect(text).toContain('- revoke  account 444455556666 (dropped from the declaration)');
  expect(text).toContain([
    'Usage of the AMIs this deploy revokes launch access from (AMI usage reports):',
    '  AMI ami-GOLDEN (us-east-1): revokes account 444455556666',
    '        report amiur-REPORT of TIME; last launched never (as far as EC2 reports)',
    '      ! account 444455556666: 1 instance, 0 launch templates still use it',
    '',
    'Usage: an account losing access still has instances or launch templates on the AMI (--fail-on-usage: exit code 3).',
  ].join('\n'));

  const json = await planWithUsage(next.dir, '--fail-on-usage');
  expect(json.run.code).toBe(3);
  expect(json.json.exitCode).toBe(3);
});

test('--fail-on-usage with no usage: the plan\'s own exit code, the account listed with zero', async () => {
  const { image, next } = await droppingB();
  env.peer.usage.record(image, C, 'ec2:Instance', 4); // not losing access, and not asked about

  const { run, json } = await planWithUsage(next.dir, '--fail-on-usage');

  expect(run.code).toBe(2);
  expect(json.usage.images[0].accounts).toEqual([{ accountId: B, instances: 0, launchTemplates: 0 }]);
  expect(json.usage.images[0].lastLaunchedTime).toBeNull();
});

test('an organization revoked: a report on every account; those still named on the AMI keep access and are left out', async () => {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(image, [LaunchPermission.account(A), LaunchPermission.organization(ORG)]));
  env.peer.usage.record(image, A, 'ec2:Instance', 1);
  env.peer.usage.record(image, C, 'ec2:Instance', 4);
  env.peer.usage.record(image, C, 'ec2:LaunchTemplate', 2);

  const { run, json } = await planWithUsage(sharing(image, [LaunchPermission.account(A)]).dir, '--fail-on-usage');

  expect(run.code).toBe(3);
  expect(json.usage.images[0]).toMatchObject({
    scope: 'everyone-not-listed',
    revoked: [{ OrganizationArn: ORG }],
    accounts: [{ accountId: C, instances: 4, launchTemplates: 2 }],
  });
  expect(Object.keys(reportRequests()[0].params).filter(k => k.startsWith('AccountId'))).toEqual([]);
});

test('a rollover to a new AMI: the report is on the previous AMI, which the cleanup revokes', async () => {
  const old = await createImage(env.ec2);
  const fresh = await createImage(env.ec2);
  await plans.deploy(STACK, sharing(old, [LaunchPermission.account(A)]));
  env.peer.usage.record(old, A, 'ec2:LaunchTemplate', 3);

  const { run, json } = await planWithUsage(sharing(fresh, [LaunchPermission.account(A)]).dir);

  expect(run.code).toBe(2);
  expect(json.usage.images).toEqual([expect.objectContaining({ imageId: old, accounts: [{ accountId: A, instances: 0, launchTemplates: 3 }] })]);
  expect(reportRequests().map(r => r.params.ImageId)).toEqual([old]);
});

test('no revocation: no report is made', async () => {
  const image = await createImage(env.ec2);
  const app = sharing(image, [LaunchPermission.account(A)]);
  await plans.deploy(STACK, app);

  const { run, json } = await planWithUsage(app.dir, '--fail-on-usage');

  expect(run.code).toBe(0);
  expect(json.usage.images).toEqual([]);
  expect(env.peer.writes()).toEqual([]);
});

test('--usage-timeout: a report still pending is named on stderr and in the output; exit 1', async () => {
  const { image, next } = await droppingB();
  env.peer.usage.record(image, B, 'ec2:Instance', 1);
  env.peer.usage.delayMs = 3_600_000;

  const { run, json } = await planWithUsage(next.dir, '--usage-timeout', '2s', '--fail-on-usage');

  expect(run.code).toBe(1);
  expect(json.exitCode).toBe(1);
  expect(json.usage.timeoutSeconds).toBe(2);
  expect(json.usage.images[0]).toMatchObject({ status: 'timed-out', accounts: [], error: expect.stringContaining('still pending at --usage-timeout') });
  expect(run.stderr).toMatch(/usage: gave up after \d s \(--usage-timeout 2 s\): amiur-\w+ \(ami-\w+\) still pending/);
});

test('a report EC2 could not make: exit 1 with its reason', async () => {
  const { next } = await droppingB();
  env.peer.usage.failWith = 'internal failure';

  const { run, json } = await planWithUsage(next.dir);

  expect(run.code).toBe(1);
  expect(json.usage.images[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/^EC2 could not make report amiur-\w+: internal failure$/) });
});

test('the options: --usage-timeout and --fail-on-usage need --usage; a bad duration is refused; nothing is read', async () => {
  for (const [args, message] of [
    [['--fail-on-usage'], '--fail-on-usage needs --usage'],
    [['--usage-timeout', '1m'], '--usage-timeout needs --usage'],
    [['--usage', '--usage-timeout', 'soon'], '--usage-timeout "soon": want a duration'],
    [['--usage', '--usage-timeout', '0s'], '--usage-timeout "0s": want a duration'],
  ] as const) {
    env.peer.clearLog();
    const run = await plans.run(['plan', '--app', 'cdk.out', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(env.peer.requests).toEqual([]);
  }
});

test('IAM: the permissions the README lists for plan --usage are enough; without CreateImageUsageReport the error names it', async () => {
  const { image, next } = await droppingB();
  env.peer.usage.record(image, B, 'ec2:Instance', 1);
  const policy = (create: boolean) => [{
    name: 'PlanReads',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ec2:DescribeImageAttribute', 'ec2:DescribeImages', 'ec2:DescribeImageUsageReports', 'ec2:DescribeImageUsageReportEntries'], Resource: '*' },
        // As the README writes it: on the AMIs and on the reports it creates.
        ...create ? [{ Effect: 'Allow', Action: 'ec2:CreateImageUsageReport', Resource: ['arn:aws:ec2:*::image/*', 'arn:aws:ec2:*:*:image-usage-report/*'] }] : [],
      ],
    },
  }];

  env.peer.enforceIdentityPolicies(policy(true));
  const allowed = await planWithUsage(next.dir, '--fail-on-usage');
  expect(allowed.run.code).toBe(3);
  expect(env.peer.iamVerdicts().filter(v => v.result !== 'Allowed')).toEqual([]);

  env.peer.enforceIdentityPolicies(policy(false));
  const denied = await planWithUsage(next.dir, '--fail-on-usage');
  expect(denied.run.code).toBe(1);
  expect(denied.json.usage.images[0].error).toMatch(/^access denied: CreateImageUsageReport on ami-\w+ \(UnauthorizedOperation\); the plan needs ec2:CreateImageUsageReport/);
  env.peer.enforceIdentityPolicies(undefined);
});
