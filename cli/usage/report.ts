// The EC2 calls of `plan --usage`: CreateImageUsageReport (the only write of the plan, and only with --usage),
// DescribeImageUsageReports, DescribeImageUsageReportEntries, and DescribeImageAttribute lastLaunchedTime.
// EC2 User Guide, "View your AMI usage"; EC2 API Reference, CreateImageUsageReport and the two Describe actions.
import {
  CreateImageUsageReportCommand,
  DescribeImageAttributeCommand,
  DescribeImageUsageReportEntriesCommand,
  DescribeImageUsageReportsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';

/** The resource types the report counts: instances, and launch templates (their latest versions, EC2's default depth). */
export const REPORTED_TYPES = ['ec2:Instance', 'ec2:LaunchTemplate'] as const;
/** "AccountId.N ... Maximum number of 200 items": more accounts than that are reported on without an account filter. */
export const MAX_REPORT_ACCOUNTS = 200;

export type ReportState =
  | { readonly state: 'pending' }
  /** `creationTime`: when EC2 began the report; its counts are as of then. */
  | { readonly state: 'available'; readonly creationTime?: Date }
  | { readonly state: 'error'; readonly reason: string };

export interface UsageEntry {
  readonly accountId: string;
  readonly resourceType: string;
  readonly usageCount: number;
  readonly reportCreationTime?: Date;
}

/**
 * Creates one report on the AMI for `accountIds` (undefined: every account). The client token makes the SDK's retries of
 * this call create one report, not several.
 */
export async function createUsageReport(
  ec2: EC2Client, imageId: string, accountIds: readonly string[] | undefined, clientToken: string): Promise<string> {
  const answer = await ec2.send(new CreateImageUsageReportCommand({
    ImageId: imageId,
    ResourceTypes: REPORTED_TYPES.map(ResourceType => ({ ResourceType })),
    AccountIds: accountIds === undefined || accountIds.length === 0 ? undefined : [...accountIds],
    ClientToken: clientToken,
  }));
  if (!answer.ReportId) throw new Error(`CreateImageUsageReport on ${imageId} returned no report id`);
  return answer.ReportId;
}

/** The report's state; a report EC2 no longer lists (deleted) is an error. */
export async function usageReportState(ec2: EC2Client, reportId: string): Promise<ReportState> {
  const answer = await ec2.send(new DescribeImageUsageReportsCommand({ ReportIds: [reportId] }));
  const report = answer.ImageUsageReports?.find(r => r.ReportId === reportId);
  if (!report) return { state: 'error', reason: `EC2 does not list report ${reportId}` };
  if (report.State === 'available') return { state: 'available', creationTime: report.CreationTime };
  if (report.State === 'error') return { state: 'error', reason: report.StateReason ?? 'no reason given' };
  return { state: 'pending' };
}

/** Every entry of an available report (all pages). */
export async function usageReportEntries(ec2: EC2Client, reportId: string): Promise<UsageEntry[]> {
  const entries: UsageEntry[] = [];
  let NextToken: string | undefined;
  do {
    const answer = await ec2.send(new DescribeImageUsageReportEntriesCommand({ ReportIds: [reportId], NextToken }));
    for (const e of answer.ImageUsageReportEntries ?? []) {
      if (e.AccountId && e.ResourceType) {
        const { AccountId: accountId, ResourceType: resourceType, UsageCount: usageCount, ReportCreationTime: reportCreationTime } = e;
        entries.push({ accountId, resourceType, usageCount: usageCount ?? 0, reportCreationTime });
      }
    }
    NextToken = answer.NextToken;
  } while (NextToken);
  return entries;
}

/** When the AMI last launched an instance (EC2 reports it with up to 24 hours' delay); undefined: never, as far as EC2 says. */
export async function lastLaunchedTime(ec2: EC2Client, imageId: string): Promise<string | undefined> {
  const answer = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'lastLaunchedTime' }));
  return answer.LastLaunchedTime?.Value || undefined;
}
