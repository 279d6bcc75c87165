// `plan --usage`: for each AMI a deploy would take launch access away from, one AMI usage report, waited for, then read
// per account losing access (instances, launch templates) with the AMI's lastLaunchedTime. See
// docs/usage-before-revocation.md.
import { randomUUID } from 'crypto';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { createUsageReport, lastLaunchedTime, MAX_REPORT_ACCOUNTS, usageReportEntries, usageReportState } from './report';
import type { UsageTarget } from './targets';
import { PendingReport, waitForReports, WaitOutcome } from './wait';
import { describeLaunchPermissions } from '../../lambda/ec2';
import { describeFailure, throwIfFatal } from '../aws';
import type { Principal } from '../plan/model';

export interface AccountUsage {
  readonly accountId: string;
  /** Instances in the account that use the AMI (the report's ec2:Instance count). */
  readonly instances: number;
  /** Launch templates in the account that reference the AMI (ec2:LaunchTemplate). */
  readonly launchTemplates: number;
}

export interface ImageUsage {
  readonly imageId: string;
  readonly region?: string;
  readonly revoked: readonly Principal[];
  /** 'accounts': the listed accounts lose access; 'everyone-not-listed': an organization, OU or public permission goes. */
  readonly scope: 'accounts' | 'everyone-not-listed';
  /** 'complete': the report was read; 'timed-out': still pending at --usage-timeout; 'failed': see error. */
  readonly status: 'complete' | 'timed-out' | 'failed';
  readonly reportId?: string;
  /** When EC2 began the report (ISO 8601): its counts are as of then, less the last day's instance activity. */
  readonly reportCreationTime?: string;
  /** When the AMI last launched an instance (ISO 8601), null when EC2 reports none; absent when not read. */
  readonly lastLaunchedTime?: string | null;
  /**
   * Every account losing access, with its usage: for 'accounts' all of them (0 when unused); for 'everyone-not-listed'
   * the accounts the report shows using the AMI that do not keep access.
   */
  readonly accounts: readonly AccountUsage[];
  readonly error?: string;
}

export interface UsageCheck {
  readonly timeoutSeconds: number;
  readonly images: readonly ImageUsage[];
}

export interface UsageCheckOptions {
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
  /** The EC2 client of a Region (undefined: the configured one). */
  readonly ec2: (region: string | undefined) => EC2Client;
  /** Tests shorten the polling; see WaitOptions. */
  readonly firstIntervalMs?: number;
}

const REPORT_PERMISSIONS = 'ec2:CreateImageUsageReport on the AMI and on image-usage-report/*, ec2:DescribeImageUsageReports and '
  + 'ec2:DescribeImageUsageReportEntries (all with --usage only)';

/** Whether any account losing access still has an instance or launch template on the AMI. */
export function usageInUse(check: UsageCheck): boolean {
  return check.images.some(i => i.accounts.some(a => a.instances + a.launchTemplates > 0));
}

/** Whether every report was read. */
export function usageComplete(check: UsageCheck): boolean {
  return check.images.every(i => i.status === 'complete');
}

export async function checkUsage(targets: readonly UsageTarget[], options: UsageCheckOptions): Promise<UsageCheck> {
  const started: Array<{ target: UsageTarget; reportId?: string; error?: string; keeping: Set<string> }> = [];
  for (const target of targets) started.push(await start(target, options));

  const pending: PendingReport[] = started.filter(s => s.reportId !== undefined).map(s => ({
    reportId: s.reportId!,
    imageId: s.target.imageId,
    state: () => usageReportState(options.ec2(s.target.region), s.reportId!),
  }));
  let outcomes: Map<string, WaitOutcome>;
  try {
    outcomes = await waitForReports(pending, { timeoutMs: options.timeoutMs, progress: options.progress, firstIntervalMs: options.firstIntervalMs });
  } catch (error) {
    throwIfFatal(error, 'DescribeImageUsageReports');
    const reason = describeFailure(error, 'DescribeImageUsageReports', REPORT_PERMISSIONS);
    return { timeoutSeconds: options.timeoutMs / 1000, images: started.map(s => failed(s.target, reason, s.reportId)) };
  }

  const images: ImageUsage[] = [];
  for (const s of started) {
    if (s.reportId === undefined) {
      images.push(failed(s.target, s.error ?? 'no report'));
      continue;
    }
    const outcome = outcomes.get(s.reportId)!;
    if (outcome.state === 'timed-out') {
      images.push({
        ...base(s.target),
        status: 'timed-out',
        reportId: s.reportId,
        accounts: [],
        error: `report ${s.reportId} was still pending at --usage-timeout; run the plan again later with a longer --usage-timeout`,
      });
    } else if (outcome.state === 'error') {
      images.push(failed(s.target, `EC2 could not make report ${s.reportId}: ${outcome.reason}`, s.reportId));
    } else {
      images.push(await read(s.target, s.reportId, s.keeping, options, outcome.state === 'available' ? outcome.creationTime : undefined));
    }
  }
  return { timeoutSeconds: options.timeoutMs / 1000, images };
}

/** Creates the AMI's report; for 'everyone-not-listed', first reads who the live AMI names and keeps after the deploy. */
async function start(target: UsageTarget, options: UsageCheckOptions) {
  const ec2 = options.ec2(target.region);
  const keeping = new Set(target.accountsKeepingAccess ?? []);
  try {
    if (target.accountsLosingAccess === 'everyone-not-listed') {
      const revokedAccounts = new Set(target.revoked.map(p => p.UserId).filter(a => a !== undefined));
      for (const key of await describeLaunchPermissions(ec2, target.imageId)) {
        const account = key.startsWith('UserId:') ? key.slice('UserId:'.length) : undefined;
        if (account !== undefined && !revokedAccounts.has(account)) keeping.add(account);
      }
    }
  } catch (error) {
    throwIfFatal(error, `DescribeImageAttribute launchPermission of ${target.imageId}`);
    return { target, keeping, error: describeFailure(error, `DescribeImageAttribute launchPermission of ${target.imageId}`, 'ec2:DescribeImageAttribute on the AMI') };
  }
  const accounts = target.accountsLosingAccess === 'everyone-not-listed' || target.accountsLosingAccess.length > MAX_REPORT_ACCOUNTS
    ? undefined : target.accountsLosingAccess;
  try {
    const reportId = await createUsageReport(ec2, target.imageId, accounts, randomUUID());
    options.progress(`usage: created report ${reportId} on ${target.imageId}${accounts ? ` for ${accounts.length} account(s)` : ' for every account'}`);
    return { target, keeping, reportId };
  } catch (error) {
    throwIfFatal(error, `CreateImageUsageReport on ${target.imageId}`);
    return { target, keeping, error: describeFailure(error, `CreateImageUsageReport on ${target.imageId}`, REPORT_PERMISSIONS) };
  }
}

/** The report's entries per account losing access, and the AMI's lastLaunchedTime. */
async function read(
  target: UsageTarget, reportId: string, keeping: Set<string>, options: UsageCheckOptions, creationTime?: Date): Promise<ImageUsage> {
  const ec2 = options.ec2(target.region);
  try {
    const entries = await usageReportEntries(ec2, reportId);
    const byAccount = new Map<string, { instances: number; launchTemplates: number }>();
    const losing = target.accountsLosingAccess;
    if (losing !== 'everyone-not-listed') losing.forEach(a => byAccount.set(a, { instances: 0, launchTemplates: 0 }));
    for (const e of entries) {
      const listed = losing === 'everyone-not-listed' ? !keeping.has(e.accountId) : losing.includes(e.accountId);
      if (!listed) continue;
      const usage = byAccount.get(e.accountId) ?? { instances: 0, launchTemplates: 0 };
      if (e.resourceType === 'ec2:Instance') usage.instances += e.usageCount;
      if (e.resourceType === 'ec2:LaunchTemplate') usage.launchTemplates += e.usageCount;
      byAccount.set(e.accountId, usage);
    }
    const created = (creationTime ?? entries.find(e => e.reportCreationTime)?.reportCreationTime)?.toISOString();
    const launched = await lastLaunchedTime(ec2, target.imageId);
    return {
      ...base(target),
      status: 'complete',
      reportId,
      reportCreationTime: created,
      lastLaunchedTime: launched ?? null,
      accounts: [...byAccount].sort(([a], [b]) => a.localeCompare(b)).map(([accountId, u]) => ({ accountId, ...u })),
    };
  } catch (error) {
    throwIfFatal(error, `the usage report ${reportId}`);
    return failed(target, describeFailure(error, `reading usage report ${reportId} of ${target.imageId}`,
      `${REPORT_PERMISSIONS}, ec2:DescribeImageAttribute on the AMI`), reportId);
  }
}

function base(target: UsageTarget) {
  return {
    imageId: target.imageId,
    region: target.region,
    revoked: target.revoked,
    scope: target.accountsLosingAccess === 'everyone-not-listed' ? 'everyone-not-listed' as const : 'accounts' as const,
  };
}

function failed(target: UsageTarget, error: string, reportId?: string): ImageUsage {
  return { ...base(target), status: 'failed', reportId, accounts: [], error };
}
