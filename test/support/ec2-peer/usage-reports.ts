// AMI usage reports, which moto 5.2.1 does not have: CreateImageUsageReport, DescribeImageUsageReports,
// DescribeImageUsageReportEntries, and DescribeImageAttribute lastLaunchedTime. The accounts that use an AMI do not
// exist in moto, so tests declare their usage (record()); a report takes a snapshot of it when it is created.
// Pages:
//   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImageUsageReport.html
//   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageUsageReports.html
//   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageUsageReportEntries.html
//   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageUsageReport.html
//   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageUsageReportEntry.html
//   https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/your-ec2-ami-usage.html ("View your AMI usage")
import { randomBytes } from 'crypto';
import { PeerClock } from './clock';
import { PEER_ACCOUNT } from './iam';
import { MotoBackend } from './moto-backend';
import { Answer, attributeAnswer, Call, ec2Error, IMAGE_ID, malformedImageId, xmlResponse } from './protocol';
import { filterValues, invalid, listOf, missingParameter, resourceTypesOf, ResourceTypeRequest, UsageResourceType } from './usage-report-requests';
import { escapeXml, replaceOrAppend, tagText } from './xml';

/** "AccountId.N ... Maximum number of 200 items"; DescribeImageUsageReports ImageId.N likewise. */
const MAX_ACCOUNTS = 200;
/** ExpirationTime: "when Amazon EC2 will delete the report (30 days after the report was created)". */
export const REPORT_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const ACCOUNT_ID = /^\d{12}$/;

export type { UsageResourceType };

interface Report {
  readonly reportId: string;
  readonly imageId: string;
  readonly resourceTypes: ResourceTypeRequest[];
  readonly accountIds: string[];
  readonly created: Date;
  readonly availableAt: Date;
  /** Set when the report ends in state error. */
  readonly errorReason?: string;
  /** What the report says once available: the usage recorded when it was created, restricted to its request. */
  readonly entries: Array<{ accountId: string; resourceType: string; usageCount: number }>;
  /** The request, to answer a retry with the same ClientToken (or refuse a different one). */
  readonly fingerprint: string;
}

export class ImageUsageReports {
  /** imageId -> accountId -> resourceType -> count */
  private readonly usage = new Map<string, Map<string, Map<string, number>>>();
  private readonly lastLaunched = new Map<string, Date>();
  private readonly reports = new Map<string, Report>();
  private readonly tokens = new Map<string, string>();
  /** How long a new report stays pending, by the peer clock (default 0: available at the first look). */
  public delayMs = 0;
  /** When set, new reports end in state error with this reason. */
  public failWith?: string;

  constructor(private readonly moto: MotoBackend, private readonly clock: PeerClock) {}

  public clear(): void {
    this.usage.clear();
    this.lastLaunched.clear();
    this.reports.clear();
    this.tokens.clear();
    this.delayMs = 0;
    this.failWith = undefined;
  }

  /** A deregistered image: its usage and last launch go; reports already made stay until they expire. */
  public forget(imageId: string): void {
    this.usage.delete(imageId);
    this.lastLaunched.delete(imageId);
  }

  /** Declares that `count` resources of `resourceType` in `accountId` use `imageId` (0 forgets it). */
  public record(imageId: string, accountId: string, resourceType: UsageResourceType, count: number): void {
    if (!ACCOUNT_ID.test(accountId) || !Number.isInteger(count) || count < 0) {
      throw new Error(`usage.record: want a 12-digit account and a count >= 0, got ${accountId} ${count}`);
    }
    const byAccount = this.usage.get(imageId) ?? new Map<string, Map<string, number>>();
    const byType = byAccount.get(accountId) ?? new Map<string, number>();
    if (count === 0) byType.delete(resourceType); else byType.set(resourceType, count);
    byAccount.set(accountId, byType);
    this.usage.set(imageId, byAccount);
  }

  /** What DescribeImageAttribute lastLaunchedTime reports (undefined: never launched). */
  public setLastLaunched(imageId: string, time: Date | undefined): void {
    if (time === undefined) this.lastLaunched.delete(imageId); else this.lastLaunched.set(imageId, time);
  }

  /** EMULATES: DescribeImages reports LastLaunchedTime (EC2 API Reference, Image: lastLaunchedTime). */
  public decorate(item: string, imageId: string): string {
    const time = this.lastLaunched.get(imageId);
    return time === undefined ? item : replaceOrAppend(item, 'lastLaunchedTime', `<lastLaunchedTime>${time.toISOString()}</lastLaunchedTime>`);
  }

  /** Images with a lastLaunchedTime, for DescribeImages to decorate. */
  public imageIds(): string[] {
    return [...this.lastLaunched.keys()];
  }

  /** The reports created so far (any state), oldest first. */
  public reportIds(): string[] {
    return [...this.reports.keys()];
  }

  public handle(call: Call): Promise<Answer> {
    switch (call.action) {
      case 'CreateImageUsageReport': return this.create(call);
      case 'DescribeImageUsageReports': return Promise.resolve(this.describeReports(call));
      default: return Promise.resolve(this.describeEntries(call));
    }
  }

  /** EMULATES: DescribeImageAttribute lastLaunchedTime ("there is a 24-hour delay before that usage is reported"). */
  public async describeLastLaunched(imageId: string, authorization: string): Promise<Answer> {
    const missing = await this.moto.checkImageExists(imageId, authorization);
    return missing ?? attributeAnswer(imageId, 'lastLaunchedTime', this.lastLaunched.get(imageId)?.toISOString());
  }

  /** EMULATES: CreateImageUsageReport, validated as the API reference's parameters say; returns the report id. */
  private async create(call: Call): Promise<Answer> {
    const p = call.params;
    const imageId = p.ImageId;
    if (imageId === undefined) return missingParameter('ImageId');
    if (!IMAGE_ID.test(imageId)) return malformedImageId(imageId);
    const types = resourceTypesOf(p);
    if (typeof types === 'string') return invalid(types);
    if (types.length === 0) return missingParameter('ResourceType');
    const accountIds = listOf(p, 'AccountId');
    if (accountIds.length > MAX_ACCOUNTS) return invalid(`AccountId: at most ${MAX_ACCOUNTS} accounts, got ${accountIds.length}`);
    const badAccount = accountIds.find(a => !ACCOUNT_ID.test(a));
    if (badAccount !== undefined) return invalid(`AccountId: ${badAccount} is not a 12-digit account id`);

    const owner = await this.ownerOf(imageId, call.authorization);
    if (typeof owner !== 'string') return owner;
    // "Creates a report that shows how your image is used": only the owner may. The reference names no error code for
    // another account's AMI; the peer answers UnauthorizedOperation, as EC2 does for other owner-only image actions.
    if (owner !== PEER_ACCOUNT) return ec2Error(403, 'UnauthorizedOperation', `You do not own image ${imageId}: only its owner can create a usage report for it.`);
    if (p.DryRun === 'true') return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');

    const fingerprint = JSON.stringify([imageId, types, [...accountIds].sort()]);
    const token = p.ClientToken;
    if (token !== undefined) {
      const earlier = this.reports.get(this.tokens.get(token) ?? '');
      if (earlier !== undefined) {
        return earlier.fingerprint === fingerprint ? createdAnswer(earlier.reportId)
          : ec2Error(400, 'IdempotentParameterMismatch', `The client token ${token} was used with different parameters.`);
      }
    }
    const created = this.clock.now();
    const report: Report = {
      reportId: `amiur-${randomBytes(9).toString('hex').slice(0, 17)}`,
      imageId,
      resourceTypes: types,
      accountIds,
      created,
      availableAt: new Date(created.getTime() + this.delayMs),
      errorReason: this.failWith,
      entries: this.snapshot(imageId, types.map(t => t.type), accountIds),
      fingerprint,
    };
    this.reports.set(report.reportId, report);
    if (token !== undefined) this.tokens.set(token, report.reportId);
    return createdAnswer(report.reportId);
  }

  /** EMULATES: DescribeImageUsageReports by ReportId.N and ImageId.N (both optional), Filter state. */
  private describeReports(call: Call): Answer {
    const selected = this.select(call);
    if (!Array.isArray(selected)) return selected;
    const states = filterValues(call.params, 'state');
    const items = selected
      .filter(r => states === undefined || states.includes(this.stateOf(r)))
      .map(r => this.reportItem(r));
    return { status: 200, body: xmlResponse('DescribeImageUsageReportsResponse', `<imageUsageReportSet>${items.join('')}</imageUsageReportSet>`) };
  }

  /** EMULATES: DescribeImageUsageReportEntries by ReportId.N / ImageId.N, Filter account-id and resource-type. */
  private describeEntries(call: Call): Answer {
    const selected = this.select(call);
    if (!Array.isArray(selected)) return selected;
    const accounts = filterValues(call.params, 'account-id');
    const types = filterValues(call.params, 'resource-type');
    const items: string[] = [];
    // Entries exist once a report is available; a pending or failed report has none to show.
    for (const report of selected.filter(r => this.stateOf(r) === 'available')) {
      for (const e of report.entries) {
        if (accounts !== undefined && !accounts.includes(e.accountId)) continue;
        if (types !== undefined && !types.includes(e.resourceType)) continue;
        items.push(`<item><resourceType>${escapeXml(e.resourceType)}</resourceType><reportId>${report.reportId}</reportId>`
          + `<usageCount>${e.usageCount}</usageCount><accountId>${e.accountId}</accountId><imageId>${report.imageId}</imageId>`
          + `<reportCreationTime>${report.created.toISOString()}</reportCreationTime></item>`);
      }
    }
    return { status: 200, body: xmlResponse('DescribeImageUsageReportEntriesResponse', `<imageUsageReportEntrySet>${items.join('')}</imageUsageReportEntrySet>`) };
  }

  /** The unexpired reports a Describe names (all when it names none), or the error for a malformed request. */
  private select(call: Call): Report[] | Answer {
    const reportIds = listOf(call.params, 'ReportId');
    const imageIds = listOf(call.params, 'ImageId');
    if (imageIds.length > MAX_ACCOUNTS) return invalid(`ImageId: at most ${MAX_ACCOUNTS} images, got ${imageIds.length}`);
    const malformed = imageIds.find(id => !IMAGE_ID.test(id));
    if (malformed !== undefined) return malformedImageId(malformed);
    if (call.params.DryRun === 'true') return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    const now = this.clock.now().getTime();
    // Reports are deleted 30 days after creation. Unknown report ids select nothing (the reference names no error).
    return [...this.reports.values()].filter(r => r.created.getTime() + REPORT_LIFETIME_MS > now
      && (reportIds.length === 0 || reportIds.includes(r.reportId))
      && (imageIds.length === 0 || imageIds.includes(r.imageId)));
  }

  private stateOf(report: Report): 'pending' | 'available' | 'error' {
    if (this.clock.now() < report.availableAt) return 'pending';
    return report.errorReason === undefined ? 'available' : 'error';
  }

  private reportItem(r: Report): string {
    const state = this.stateOf(r);
    const types = r.resourceTypes.map(t => `<item><resourceType>${escapeXml(t.type)}</resourceType>${t.versionDepth === undefined ? ''
      : `<resourceTypeOptionSet><item><optionName>version-depth</optionName><optionValueSet><item>${t.versionDepth}</item></optionValueSet></item></resourceTypeOptionSet>`}</item>`);
    const accounts = r.accountIds.length === 0 ? '' : `<accountIdSet>${r.accountIds.map(a => `<item>${a}</item>`).join('')}</accountIdSet>`;
    return `<item><imageId>${r.imageId}</imageId><reportId>${r.reportId}</reportId><resourceTypeSet>${types.join('')}</resourceTypeSet>${accounts}`
      + `<state>${state}</state>${state === 'error' ? `<stateReason>${escapeXml(r.errorReason ?? '')}</stateReason>` : ''}`
      + `<creationTime>${r.created.toISOString()}</creationTime>`
      + `<expirationTime>${new Date(r.created.getTime() + REPORT_LIFETIME_MS).toISOString()}</expirationTime><tagSet/></item>`;
  }

  /** The recorded usage of the image, per account and resource type, limited to the report's request. */
  private snapshot(imageId: string, types: string[], accountIds: string[]): Report['entries'] {
    const entries: Report['entries'] = [];
    for (const [accountId, byType] of this.usage.get(imageId) ?? []) {
      if (accountIds.length > 0 && !accountIds.includes(accountId)) continue;
      for (const [resourceType, usageCount] of byType) {
        if (types.includes(resourceType)) entries.push({ accountId, resourceType, usageCount });
      }
    }
    return entries;
  }

  /** The image's owner, or the error for an image that does not exist. */
  private async ownerOf(imageId: string, authorization: string): Promise<string | Answer> {
    const missing = await this.moto.checkImageExists(imageId, authorization);
    if (missing !== undefined) return missing;
    const answer = await this.moto.ec2({ 'Action': 'DescribeImages', 'ImageId.1': imageId }, authorization);
    return tagText(answer.body, 'imageOwnerId') ?? tagText(answer.body, 'ownerId') ?? '';
  }
}

function createdAnswer(reportId: string): Answer {
  return { status: 200, body: xmlResponse('CreateImageUsageReportResponse', `<reportId>${reportId}</reportId>`) };
}
