import { Token } from 'aws-cdk-lib';
import { CONSTRUCT_FIELD_NAMES, ImageCriterionEntry, imageCriterionErrors } from './validation';

/**
 * Options of `ImageCriterion.of`: an AMI is allowed by the criterion when it meets every option given.
 */
export interface ImageCriterionOptions {
  /**
   * Whose AMIs: `amazon`, `aws-marketplace`, `aws-backup-vault`, 12-digit account ids, or `none` alone (the account's
   * own AMIs only). At most 200 values across all criteria of the account.
   *
   * @default - any provider
   */
  readonly providers?: string[];

  /**
   * AMI name patterns (`?` and `*` wildcards), at most 50; e.g. `golden-al2023-*`.
   *
   * @default - any name
   */
  readonly imageNames?: string[];

  /**
   * AWS Marketplace product codes, at most 50.
   *
   * @default - any product code
   */
  readonly marketplaceProductCodes?: string[];

  /**
   * Only AMIs created at most this many days ago.
   *
   * @default - any age
   */
  readonly maximumDaysSinceCreated?: number;

  /**
   * Only AMIs that are not deprecated, or were deprecated at most this many days ago.
   *
   * @default - deprecated AMIs are not excluded by their deprecation time
   */
  readonly maximumDaysSinceDeprecated?: number;
}

/**
 * One criterion of Allowed AMIs. An AMI is allowed in the account when it meets at least one criterion; AMIs the
 * account owns are always allowed.
 */
export class ImageCriterion {
  /**
   * AMIs of these providers: `amazon`, `aws-marketplace`, `aws-backup-vault`, 12-digit account ids, or `none` alone.
   *
   * @param providers e.g. 'amazon', '111122223333'
   */
  public static providers(...providers: string[]): ImageCriterion {
    return ImageCriterion.of({ providers });
  }

  /**
   * AMIs that meet every option given, e.g. `{ providers: ['111122223333'], imageNames: ['golden-*'] }`.
   */
  public static of(options: ImageCriterionOptions): ImageCriterion {
    const entry: ImageCriterionEntry = {
      ...(options.providers?.length ? { ImageProviders: [...options.providers] } : {}),
      ...(options.imageNames?.length ? { ImageNames: [...options.imageNames] } : {}),
      ...(options.marketplaceProductCodes?.length ? { MarketplaceProductCodes: [...options.marketplaceProductCodes] } : {}),
      ...(options.maximumDaysSinceCreated !== undefined
        ? { CreationDateCondition: { MaximumDaysSinceCreated: options.maximumDaysSinceCreated } } : {}),
      ...(options.maximumDaysSinceDeprecated !== undefined
        ? { DeprecationTimeCondition: { MaximumDaysSinceDeprecated: options.maximumDaysSinceDeprecated } } : {}),
    };
    const problems = imageCriterionErrors('ImageCriterion', entry, CONSTRUCT_FIELD_NAMES, v => Token.isUnresolved(v));
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return new ImageCriterion(entry);
  }

  /** The providers this criterion allows (empty: any). */
  public readonly imageProviders: string[];

  private constructor(private readonly entry: ImageCriterionEntry) {
    this.imageProviders = [...entry.ImageProviders ?? []];
  }

  /** @internal the criterion as EC2 and the handler spell it */
  public _toEntry(): ImageCriterionEntry {
    return this.entry;
  }
}
