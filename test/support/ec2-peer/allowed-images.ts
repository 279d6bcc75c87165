// Allowed AMIs: GetAllowedImagesSettings, EnableAllowedImagesSettings, DisableAllowedImagesSettings and
// ReplaceImageCriteriaInAllowedImagesSettings (moto has none of them).
import { dryRun, PropagatingSetting, refusedByDeclarativePolicy } from './account-settings';
import { Answer, Call, ec2Error, xmlResponse } from './protocol';
import { escapeXml } from './xml';

export type AllowedImagesState = 'enabled' | 'audit-mode' | 'disabled';

/** One criterion as the query protocol carries it (ImageCriterion.N.*). */
export interface PeerImageCriterion {
  readonly providers: string[];
  readonly imageNames: string[];
  readonly marketplaceProductCodes: string[];
  readonly maximumDaysSinceCreated?: number;
  readonly maximumDaysSinceDeprecated?: number;
}

export interface AllowedImagesValue {
  readonly state: AllowedImagesState;
  readonly criteria: PeerImageCriterion[];
}

const PROVIDER = /^(amazon|aws-marketplace|aws-backup-vault|none|\d{12})$/;

export class AllowedImages {
  public readonly setting = new PropagatingSetting<AllowedImagesValue>({ state: 'disabled', criteria: [] });

  /**
   * EMULATES: EC2 API Reference, GetAllowedImagesSettings (state `enabled` | `audit-mode` | `disabled`,
   * imageCriterionSet, managedBy `account` | `declarative-policy`), EnableAllowedImagesSettings
   * (AllowedImagesSettingsState required: `enabled` or `audit-mode`), DisableAllowedImagesSettings, and
   * ReplaceImageCriteriaInAllowedImagesSettings with ImageCriterionRequest's limits (up to 10 criteria, 200 providers
   * in all, `none` alone, 50 names and 50 product codes per criterion). The reference promises no order for the
   * criteria or their values: Get answers them in the reverse of the order they were written, so a client that
   * compares them as text sees a difference where there is none.
   */
  public call(call: Call): Answer {
    const dry = dryRun(call.params);
    if (dry) return dry;
    if (call.action === 'GetAllowedImagesSettings') {
      const { state, criteria } = this.setting.read();
      return this.answer(call.action, `<state>${state}</state><imageCriterionSet>${[...criteria].reverse().map(criterionXml).join('')}</imageCriterionSet>`
        + `<managedBy>${this.setting.managedBy}</managedBy>`);
    }
    const refused = refusedByDeclarativePolicy(this.setting, call.action);
    if (refused) return refused;
    const requested = this.setting.requested;
    if (call.action === 'EnableAllowedImagesSettings') {
      const state = call.params.AllowedImagesSettingsState;
      if (state === undefined) return ec2Error(400, 'MissingParameter', 'The request must contain the parameter AllowedImagesSettingsState');
      if (state !== 'enabled' && state !== 'audit-mode') {
        return ec2Error(400, 'InvalidParameterValue', `Value (${state}) for parameter AllowedImagesSettingsState is invalid. Valid values: enabled, audit-mode.`);
      }
      this.setting.write({ ...requested, state });
      return this.answer(call.action, `<allowedImagesSettingsState>${state}</allowedImagesSettingsState>`);
    }
    if (call.action === 'DisableAllowedImagesSettings') {
      this.setting.write({ ...requested, state: 'disabled' });
      return this.answer(call.action, '<allowedImagesSettingsState>disabled</allowedImagesSettingsState>');
    }
    const criteria = parseCriteria(call.params);
    const problem = limitsProblem(criteria);
    if (problem) return ec2Error(400, 'InvalidParameterValue', problem);
    this.setting.write({ ...requested, criteria });
    return this.answer(call.action, '<return>true</return>');
  }

  private answer(action: string, inner: string): Answer {
    return { status: 200, body: xmlResponse(`${action}Response`, inner) };
  }
}

/** ImageCriterion.N.ImageProvider.M, .ImageName.M, .MarketplaceProductCode.M, .CreationDateCondition.MaximumDaysSinceCreated ... */
export function parseCriteria(params: Record<string, string>): PeerImageCriterion[] {
  type Parsed = { providers: string[]; imageNames: string[]; marketplaceProductCodes: string[]; created?: number; deprecated?: number };
  const byIndex = new Map<number, Parsed>();
  const entry = (n: number) => byIndex.get(n) ?? byIndex.set(n, { providers: [], imageNames: [], marketplaceProductCodes: [] }).get(n)!;
  for (const key of Object.keys(params)) {
    const match = /^ImageCriterion\.(\d+)\./.exec(key);
    if (match) entry(Number(match[1]));
  }
  const lists: Array<[string, 'providers' | 'imageNames' | 'marketplaceProductCodes']> = [
    ['ImageProvider', 'providers'], ['ImageName', 'imageNames'], ['MarketplaceProductCode', 'marketplaceProductCodes'],
  ];
  for (const [field, name] of lists) {
    for (const [key, value] of Object.entries(params)) {
      const match = new RegExp(`^ImageCriterion\\.(\\d+)\\.${field}\\.(\\d+)$`).exec(key);
      if (match) entry(Number(match[1]))[name][Number(match[2]) - 1] = value;
    }
  }
  for (const [key, value] of Object.entries(params)) {
    const created = /^ImageCriterion\.(\d+)\.CreationDateCondition\.MaximumDaysSinceCreated$/.exec(key);
    if (created) entry(Number(created[1])).created = Number(value);
    const deprecated = /^ImageCriterion\.(\d+)\.DeprecationTimeCondition\.MaximumDaysSinceDeprecated$/.exec(key);
    if (deprecated) entry(Number(deprecated[1])).deprecated = Number(value);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({
    providers: c.providers.filter(v => v !== undefined),
    imageNames: c.imageNames.filter(v => v !== undefined),
    marketplaceProductCodes: c.marketplaceProductCodes.filter(v => v !== undefined),
    ...(c.created !== undefined ? { maximumDaysSinceCreated: c.created } : {}),
    ...(c.deprecated !== undefined ? { maximumDaysSinceDeprecated: c.deprecated } : {}),
  }));
}

function limitsProblem(criteria: PeerImageCriterion[]): string | undefined {
  if (criteria.length > 10) return `The request contains ${criteria.length} image criteria. The maximum is 10.`;
  const providers = criteria.reduce((n, c) => n + c.providers.length, 0);
  if (providers > 200) return `The request contains ${providers} image providers. The maximum is 200.`;
  for (const c of criteria) {
    const bad = c.providers.find(p => !PROVIDER.test(p));
    if (bad !== undefined) return `The image provider '${bad}' is not valid.`;
    if (c.providers.includes('none') && c.providers.length > 1) return 'When none is specified as an image provider, no other values can be specified.';
    if (c.imageNames.length > 50 || c.marketplaceProductCodes.length > 50) return 'An image criterion can contain at most 50 image names and 50 product codes.';
  }
  return undefined;
}

function criterionXml(c: PeerImageCriterion): string {
  const set = (tag: string, values: string[]) => (values.length === 0 ? ''
    : `<${tag}>${[...values].reverse().map(v => `<item>${escapeXml(v)}</item>`).join('')}</${tag}>`);
  return '<item>'
    + set('imageProviderSet', c.providers)
    + set('marketplaceProductCodeSet', c.marketplaceProductCodes)
    + set('imageNameSet', c.imageNames)
    + (c.maximumDaysSinceDeprecated !== undefined
      ? `<deprecationTimeCondition><maximumDaysSinceDeprecated>${c.maximumDaysSinceDeprecated}</maximumDaysSinceDeprecated></deprecationTimeCondition>` : '')
    + (c.maximumDaysSinceCreated !== undefined
      ? `<creationDateCondition><maximumDaysSinceCreated>${c.maximumDaysSinceCreated}</maximumDaysSinceCreated></creationDateCondition>` : '')
    + '</item>';
}
