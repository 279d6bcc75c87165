// The pieces of `plan --usage` that need no AWS: which revocations a plan makes into usage targets, the duration of
// --usage-timeout, the polling and its deadline, and the exit code.
import { exitCodeWithUsage } from '../../cli/index';
import type { PlanReport } from '../../cli/plan/model';
import type { UsageCheck } from '../../cli/usage/check';
import { usageTargetsOf } from '../../cli/usage/targets';
import { parseDuration, waitForReports } from '../../cli/usage/wait';

const A = '111122223333';
const B = '444455556666';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';

function report(stacks: Array<{ region: string; changes: any[] }>): PlanReport {
  return {
    stacks: stacks.map((s, i) => ({
      stackName: `S${i}`,
      displayName: `S${i}`,
      region: s.region,
      errors: [],
      constructs: [{
        path: 'p',
        logicalId: 'L',
        resourceType: 'Custom::AmiLaunchPermissions',
        action: 'update',
        image: { id: 'ami-1', source: 'literal' },
        changes: s.changes,
        drift: [],
        errors: [],
        notes: [],
      }],
    })),
  };
}

test('usage targets: one per AMI and Region; accounts, or everyone-not-listed with the accounts this deploy grants', () => {
  const targets = usageTargetsOf(report([
    {
      region: 'us-east-1',
      changes: [
        { kind: 'revoke', imageId: 'ami-11111111', principal: { UserId: B }, reason: 'dropped' },
        { kind: 'revoke', imageId: 'ami-11111111', principal: { UserId: A }, reason: 'dropped' },
        { kind: 'grant', imageId: 'ami-11111111', principal: { UserId: '999988887777' } },
        { kind: 'revoke', imageId: 'ami-22222222', principal: { OrganizationArn: ORG }, reason: 'removed' },
        { kind: 'grant', imageId: 'ami-22222222', principal: { UserId: A } },
        { kind: 'revoke-key', imageId: 'ami-33333333', keyArn: 'k', account: A, reason: 'dropped' },
      ],
    },
    { region: 'eu-west-1', changes: [{ kind: 'revoke', imageId: 'ami-11111111', principal: { Group: 'all' }, reason: 'not-declared' }] },
  ]));
  expect(targets).toEqual([
    { imageId: 'ami-11111111', region: 'us-east-1', accountsLosingAccess: [A, B], accountsKeepingAccess: undefined, revoked: [{ UserId: B }, { UserId: A }] },
    { imageId: 'ami-22222222', region: 'us-east-1', accountsLosingAccess: 'everyone-not-listed', accountsKeepingAccess: [A], revoked: [{ OrganizationArn: ORG }] },
    { imageId: 'ami-11111111', region: 'eu-west-1', accountsLosingAccess: 'everyone-not-listed', accountsKeepingAccess: [], revoked: [{ Group: 'all' }] },
  ]);
});

test('--usage-timeout durations', () => {
  expect(parseDuration('90s')).toBe(90_000);
  expect(parseDuration('5m')).toBe(300_000);
  expect(parseDuration('1m30s')).toBe(90_000);
  expect(parseDuration('2h')).toBe(7_200_000);
  expect(parseDuration('45')).toBe(45_000);
  for (const bad of ['', '0s', '25h', '5 m', '1.5m', 'm', '-3s', '30s1m']) expect(parseDuration(bad)).toBeUndefined();
});

test('waiting: polls until available, pauses doubling, and gives up at the deadline with the pending reports named', async () => {
  let now = 0;
  const pauses: number[] = [];
  const lines: string[] = [];
  const states: Record<string, Array<'pending' | 'available'>> = { r1: ['pending', 'available'], r2: ['pending', 'pending', 'pending', 'pending', 'pending'] };
  const pending = Object.keys(states).map(reportId => ({
    reportId,
    imageId: `ami-${reportId}`,
    state: async () => ({ state: states[reportId].shift() ?? 'pending' } as const),
  }));
  const outcomes = await waitForReports(pending, {
    timeoutMs: 6_000, progress: l => lines.push(l), now: () => now, sleep: async ms => { pauses.push(ms); now += ms; },
  });
  expect(outcomes.get('r1')).toEqual({ state: 'available' });
  expect(outcomes.get('r2')).toEqual({ state: 'timed-out' });
  expect(pauses).toEqual([1_000, 2_000, 3_000]);
  expect(lines.at(-1)).toBe('usage: gave up after 6 s (--usage-timeout 6 s): r2 (ami-r2) still pending');
});

test('exit codes with --usage: 1 beats 3 beats the plan\'s own', () => {
  const check = (status: 'complete' | 'timed-out', instances: number): UsageCheck => ({
    timeoutSeconds: 1,
    images: [{ imageId: 'ami-1', revoked: [], scope: 'accounts', status, accounts: [{ accountId: A, instances, launchTemplates: 0 }] }],
  });
  expect(exitCodeWithUsage(2, check('complete', 1), true)).toBe(3);
  expect(exitCodeWithUsage(2, check('complete', 1), false)).toBe(2);
  expect(exitCodeWithUsage(2, check('complete', 0), true)).toBe(2);
  expect(exitCodeWithUsage(1, check('complete', 1), true)).toBe(1);
  expect(exitCodeWithUsage(2, check('timed-out', 0), true)).toBe(1);
});
