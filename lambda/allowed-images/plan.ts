// What Custom::AllowedImages writes, decided from the live settings alone (no I/O). Criteria are compared as sets: EC2
// answers them in no promised order, and the order of a criterion's values means nothing.
import { ALLOWED_IMAGES_DISABLED, ImageCriterionEntry } from '../../src/validation';
import type { AccountSettingState, LiveImageCriterion } from '../ec2';

/** The settings as declared, or as found and to be restored. */
export interface AllowedImagesSettings {
  readonly state: string;
  readonly criteria: ImageCriterionEntry[];
}

export type AllowedImagesWrite = { readonly replaceCriteria: ImageCriterionEntry[] } | { readonly setState: string };

/** A criterion's canonical form: values sorted and deduplicated, numbers as numbers, unsupported fields named. */
export function criterionKey(c: LiveImageCriterion): string {
  const sorted = (values?: string[]) => (values?.length ? [...new Set(values)].sort() : undefined);
  const days = (value: unknown) => (value === undefined ? undefined : Number(value));
  return JSON.stringify([
    sorted(c.ImageProviders), sorted(c.ImageNames), sorted(c.MarketplaceProductCodes),
    days(c.CreationDateCondition?.MaximumDaysSinceCreated), days(c.DeprecationTimeCondition?.MaximumDaysSinceDeprecated),
    sorted(c.unsupported),
  ]);
}

export function sameCriteria(a: readonly LiveImageCriterion[], b: readonly LiveImageCriterion[]): boolean {
  const keys = (list: readonly LiveImageCriterion[]) => new Set(list.map(criterionKey));
  const [x, y] = [keys(a), keys(b)];
  return x.size === y.size && [...x].every(k => y.has(k));
}

/**
 * The writes that bring the live settings to `desired`, in order. The criteria are replaced before the state is
 * enabled (never enforcing the old criteria in between), and after it is disabled (when putting back settings that
 * were off).
 */
export function allowedImagesWrites(
  live: AccountSettingState & { criteria: LiveImageCriterion[] }, desired: AllowedImagesSettings): AllowedImagesWrite[] {
  const criteria: AllowedImagesWrite[] = sameCriteria(live.criteria, desired.criteria) ? [] : [{ replaceCriteria: desired.criteria }];
  const state: AllowedImagesWrite[] = (live.state ?? ALLOWED_IMAGES_DISABLED) === desired.state ? [] : [{ setState: desired.state }];
  return desired.state === ALLOWED_IMAGES_DISABLED ? [...state, ...criteria] : [...criteria, ...state];
}

/** How the live settings differ from `desired`, for the read-back. */
export function allowedImagesDifferences(live: AccountSettingState & { criteria: LiveImageCriterion[] }, desired: AllowedImagesSettings): string[] {
  return allowedImagesWrites(live, desired).map(w => ('setState' in w
    ? `state is '${live.state ?? ALLOWED_IMAGES_DISABLED}' instead of '${desired.state}'`
    : `criteria are ${live.criteria.length} other than the ${desired.criteria.length} requested`));
}

/** Why found settings cannot be written back as they are, or undefined when they can. */
export function unrestorableReason(found: readonly LiveImageCriterion[]): string | undefined {
  const fields = [...new Set(found.flatMap(c => c.unsupported ?? []))];
  return fields.length === 0 ? undefined : `their criteria use ${fields.join(', ')}, which AllowedImages cannot write back`;
}
