import { Duration, Token } from 'aws-cdk-lib';
import { deprecateAfterError, keepCountError } from './validation';

/**
 * Options of `SupersededImages.keep`.
 */
export interface KeepSupersededImagesOptions {
  /**
   * How long after the rollover a superseded AMI is deprecated (EC2 `EnableImageDeprecation`): hidden from other
   * accounts' listings and the console, while launch templates, Auto Scaling groups and anyone naming its id can still
   * launch it. A deprecation time the AMI already had is kept when it is earlier. Whole minutes, at most 10 years.
   *
   * @default Duration.minutes(0) - deprecated at once (at the first whole minute at least a minute away)
   */
  readonly deprecateAfter?: Duration;
}

/**
 * What happens to the previous AMI when `AmiLaunchPermissions.imageId` moves to another one (a rollover).
 */
export class SupersededImages {
  /**
   * The previous AMI loses everything the construct shared at the same deployment that shares the new one.
   */
  public static revoke(): SupersededImages {
    return new SupersededImages(undefined, 0);
  }

  /**
   * The last `count` superseded AMIs stay shared as they were (launch permissions, KMS grants, snapshot permissions)
   * and are deprecated; the AMI a rollover pushes out of the window is revoked as `revoke()` would. Removing the
   * construct or deleting the stack revokes the current AMI and every kept one. See docs/superseded-images.md.
   *
   * @param count how many superseded AMIs to keep, 1 to 10
   */
  public static keep(count: number, options: KeepSupersededImagesOptions = {}): SupersededImages {
    const property = 'AmiLaunchPermissions.supersededImages';
    if (Token.isUnresolved(count)) {
      throw new Error(`${property}: SupersededImages.keep(count) needs a number known at synth time (got a token): `
        + 'the window\'s IAM grants are synthesised for it');
    }
    const countError = keepCountError(`${property} (SupersededImages.keep count)`, count);
    if (countError) throw new Error(countError);
    const after = options.deprecateAfter ?? Duration.minutes(0);
    if (Token.isUnresolved(after.toSeconds({ integral: false }))) {
      throw new Error(`${property}: deprecateAfter must be known at synth time (got a token)`);
    }
    const minutes = after.toSeconds({ integral: false }) / 60;
    const afterError = deprecateAfterError(`${property} (deprecateAfter, ${after.toHumanString()})`, minutes);
    if (afterError) throw new Error(afterError);
    return new SupersededImages(count, minutes);
  }

  private constructor(private readonly count: number | undefined, private readonly minutes: number) {}

  /**
   * The custom resource's SupersededImages property; undefined for revoke(), so that templates stay what they were.
   *
   * @internal
   */
  public _toProperty(): { Keep: number; DeprecateAfterMinutes: number } | undefined {
    return this.count === undefined ? undefined : { Keep: this.count, DeprecateAfterMinutes: this.minutes };
  }
}
