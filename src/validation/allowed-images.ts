// Allowed AMIs: the settings' state and the image criteria, checked against EC2's limits (EC2 API Reference,
// ReplaceImageCriteriaInAllowedImagesSettings and ImageCriterionRequest; EC2 User Guide, "Allowed AMIs").
import { show } from './show';

/** The states AllowedImages declares (GetAllowedImagesSettings also answers `disabled`). */
export const ALLOWED_IMAGES_STATES = ['enabled', 'audit-mode'] as const;
/** GetAllowedImagesSettings: Allowed AMIs are off; every AMI may be discovered and launched. */
export const ALLOWED_IMAGES_DISABLED = 'disabled';

/** "The ImageCriteria can include up to: 10 ImageCriterion". */
export const MAX_IMAGE_CRITERIA = 10;
/** "up to a total of 200 values for all imageProviders". */
export const MAX_IMAGE_PROVIDERS = 200;
/** "Each ImageCriterion can include up to ... 50 values for ImageNames, 50 values for MarketplaceProductCodes". */
export const MAX_IMAGE_NAMES = 50;
export const MAX_MARKETPLACE_PRODUCT_CODES = 50;
/** CreationDateCondition / DeprecationTimeCondition: "Valid Range: Minimum value of 0. Maximum value of 2147483647". */
export const MAX_DAYS = 2147483647;

/** The image providers EC2 names; anything else must be a 12-digit account id. */
export const NAMED_IMAGE_PROVIDERS = ['amazon', 'aws-marketplace', 'aws-backup-vault', 'none'] as const;
/** "none: Allow AMIs created by your own account only. When none is specified, no other values can be specified." */
export const OWN_IMAGES_ONLY = 'none';

/** One criterion as EC2's ImageCriterionRequest spells it (and the custom resource carries it). */
export interface ImageCriterionEntry {
  readonly ImageProviders?: string[];
  readonly ImageNames?: string[];
  readonly MarketplaceProductCodes?: string[];
  readonly CreationDateCondition?: { readonly MaximumDaysSinceCreated: number };
  readonly DeprecationTimeCondition?: { readonly MaximumDaysSinceDeprecated: number };
}

/** How messages name a criterion's fields: the construct's property names, or the custom resource's. */
export interface CriterionFieldNames {
  readonly providers: string;
  readonly imageNames: string;
  readonly marketplaceProductCodes: string;
  readonly maximumDaysSinceCreated: string;
  readonly maximumDaysSinceDeprecated: string;
}

export const CONSTRUCT_FIELD_NAMES: CriterionFieldNames = {
  providers: 'providers',
  imageNames: 'imageNames',
  marketplaceProductCodes: 'marketplaceProductCodes',
  maximumDaysSinceCreated: 'maximumDaysSinceCreated',
  maximumDaysSinceDeprecated: 'maximumDaysSinceDeprecated',
};

export const RESOURCE_FIELD_NAMES: CriterionFieldNames = {
  providers: 'ImageProviders',
  imageNames: 'ImageNames',
  marketplaceProductCodes: 'MarketplaceProductCodes',
  maximumDaysSinceCreated: 'CreationDateCondition.MaximumDaysSinceCreated',
  maximumDaysSinceDeprecated: 'DeprecationTimeCondition.MaximumDaysSinceDeprecated',
};

/** Values that are only known at deploy time (tokens at synth): not checked, the handler checks them. */
export type Unknowable = (value: unknown) => boolean;
const NOTHING_UNKNOWN: Unknowable = () => false;

// ImageCriterionRequest ImageName.N: "Names can include wildcards (? and *). Length: 1–128 characters. With ?, the
// minimum is 3 characters. Valid characters: letters, numbers, ( ) [ ] . / - ' @ _ * ? and spaces".
const IMAGE_NAME = /^[A-Za-z0-9()[\]./\-'@_*? ]{1,128}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Why one criterion is not one EC2 accepts (each message names `property` and the value); empty when it is. */
export function imageCriterionErrors(property: string, entry: unknown, names: CriterionFieldNames, unknown: Unknowable = NOTHING_UNKNOWN): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return [`${property}: ${show(entry)} is not an image criterion`];
  }
  const e = entry as Record<string, unknown>;
  const problems: string[] = [];
  const providers = list(e.ImageProviders, `${property}.${names.providers}`, problems);
  const imageNames = list(e.ImageNames, `${property}.${names.imageNames}`, problems);
  const codes = list(e.MarketplaceProductCodes, `${property}.${names.marketplaceProductCodes}`, problems);
  const created = days(e.CreationDateCondition, 'MaximumDaysSinceCreated', `${property}.${names.maximumDaysSinceCreated}`, problems, unknown);
  const deprecated = days(e.DeprecationTimeCondition, 'MaximumDaysSinceDeprecated', `${property}.${names.maximumDaysSinceDeprecated}`, problems, unknown);
  if (problems.length > 0) return problems;
  if (!providers?.length && !imageNames?.length && !codes?.length && created === undefined && deprecated === undefined) {
    return [`${property}: a criterion needs at least one of ${Object.values(names).join(', ')}`];
  }

  const providersName = `${property}.${names.providers}`;
  for (const provider of providers ?? []) {
    if (unknown(provider)) continue;
    if (typeof provider !== 'string' || !(NAMED_IMAGE_PROVIDERS.includes(provider as never) || ACCOUNT_ID.test(provider))) {
      problems.push(`${providersName}: ${show(provider)} is not ${NAMED_IMAGE_PROVIDERS.slice(0, 3).join(', ')}, none or a 12-digit account id`);
    }
  }
  if ((providers ?? []).includes(OWN_IMAGES_ONLY) && providers!.length > 1) {
    problems.push(`${providersName}: 'none' (the account's own AMIs only) must be the criterion's only provider, got ${show(providers)}`);
  }
  problems.push(...duplicates(providersName, providers, unknown));
  if ((imageNames ?? []).length > MAX_IMAGE_NAMES) {
    problems.push(`${property}.${names.imageNames}: ${imageNames!.length} names; EC2 allows at most ${MAX_IMAGE_NAMES} per criterion`);
  }
  for (const name of imageNames ?? []) {
    if (unknown(name)) continue;
    if (typeof name !== 'string' || !IMAGE_NAME.test(name)) {
      problems.push(`${property}.${names.imageNames}: ${show(name)} is not an AMI name pattern (1 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _ * ?)`);
    } else if (name.includes('?') && name.length < 3) {
      problems.push(`${property}.${names.imageNames}: ${show(name)} is too short; a pattern with ? needs at least 3 characters`);
    }
  }
  problems.push(...duplicates(`${property}.${names.imageNames}`, imageNames, unknown));
  if ((codes ?? []).length > MAX_MARKETPLACE_PRODUCT_CODES) {
    problems.push(`${property}.${names.marketplaceProductCodes}: ${codes!.length} product codes; EC2 allows at most ${MAX_MARKETPLACE_PRODUCT_CODES} per criterion`);
  }
  for (const code of codes ?? []) {
    if (!unknown(code) && (typeof code !== 'string' || !/^[A-Za-z0-9]+$/.test(code))) {
      problems.push(`${property}.${names.marketplaceProductCodes}: ${show(code)} is not an AWS Marketplace product code (letters and digits)`);
    }
  }
  problems.push(...duplicates(`${property}.${names.marketplaceProductCodes}`, codes, unknown));
  return problems;
}

/** Why a list of criteria is not one EC2 accepts, as a whole and criterion by criterion; empty when it is. */
export function imageCriteriaErrors(
  property: string, criteria: unknown, names: CriterionFieldNames, unknown: Unknowable = NOTHING_UNKNOWN): string[] {
  if (!Array.isArray(criteria)) return [`${property}: ${show(criteria)} is not a list of image criteria`];
  const problems: string[] = [];
  if (criteria.length > MAX_IMAGE_CRITERIA) {
    problems.push(`${property}: ${criteria.length} criteria; EC2 allows at most ${MAX_IMAGE_CRITERIA}`);
  }
  const providers = criteria.reduce<number>((n, c) => n + (Array.isArray(c?.ImageProviders) ? c.ImageProviders.length : 0), 0);
  if (providers > MAX_IMAGE_PROVIDERS) {
    problems.push(`${property}: ${providers} values of ${names.providers} in all; EC2 allows at most ${MAX_IMAGE_PROVIDERS} across all criteria`);
  }
  criteria.forEach((c, i) => problems.push(...imageCriterionErrors(`${property}[${i}]`, c, names, unknown)));
  return problems;
}

/** Why `value` is not a state AllowedImages declares. */
export function allowedImagesStateError(property: string, value: unknown): string | undefined {
  return ALLOWED_IMAGES_STATES.includes(value as never) ? undefined : `${property}: ${show(value)} is not ${ALLOWED_IMAGES_STATES.join(' or ')}`;
}

function list(value: unknown, property: string, problems: string[]): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push(`${property}: ${show(value)} is not a list`);
    return undefined;
  }
  return value;
}

function days(condition: unknown, field: string, property: string, problems: string[], unknown: Unknowable): number | string | undefined {
  if (condition === undefined) return undefined;
  const value = typeof condition === 'object' && condition !== null ? (condition as Record<string, unknown>)[field] : condition;
  if (unknown(value)) return 0;
  // CloudFormation hands numbers over as strings.
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_DAYS) {
    problems.push(`${property}: ${show(value)} is not a whole number of days from 0 to ${MAX_DAYS}`);
    return undefined;
  }
  return n;
}

function duplicates(property: string, values: unknown[] | undefined, unknown: Unknowable): string[] {
  const known = (values ?? []).filter(v => !unknown(v));
  return [...new Set(known.filter((v, i) => known.indexOf(v) !== i))].map(v => `${property}: ${show(v)} is listed twice`);
}
