// Routes each EC2 action to the emulation that answers it, or forwards it to moto where moto behaves like EC2.
import { AllowedImages } from './allowed-images';
import { ImageDeprecation } from './deprecation';
import { DeregistrationProtection } from './deregistration-protection';
import { ImageAttributes } from './image-attributes';
import { ImageBlockPublicAccess } from './image-block-public-access';
import { MotoBackend } from './moto-backend';
import { Answer, Call, IMAGE_ID, malformedImageId, writtenAttribute } from './protocol';
import { addsPublicLaunchPermission, PublicSharing } from './public-sharing';
import type { ImageUsageReports } from './usage-reports';
import { mapTopLevelItems, tagText } from './xml';

/**
 * The emulations of an AMI's life beyond its attributes: its deprecation time, its deregistration protection, and who
 * uses it (usage reports, lastLaunchedTime).
 */
export interface ImageLifecycle {
  readonly deprecation: ImageDeprecation;
  readonly protection: DeregistrationProtection;
  readonly usage: ImageUsageReports;
}

export class Dispatcher {
  constructor(
    private readonly moto: MotoBackend,
    private readonly attributes: ImageAttributes,
    private readonly sharing: PublicSharing,
    private readonly blockPublicAccess: ImageBlockPublicAccess,
    private readonly allowedImages: AllowedImages,
    private readonly lifecycle: ImageLifecycle,
    /** Told when an image is deregistered, so state kept elsewhere about it goes too. */
    private readonly onDeregistered: (imageId: string) => void,
  ) {}

  public dispatch(call: Call): Promise<Answer> {
    switch (call.action) {
      case 'ModifyImageAttribute':
        return this.modifyImageAttribute(call);
      case 'DescribeImageAttribute':
        return this.describeImageAttribute(call.params.ImageId, call.params.Attribute, call.authorization, call);
      case 'DescribeImages':
        return this.describeImages(call);
      case 'DeregisterImage':
        return this.deregisterImage(call);
      case 'EnableImageDeprecation':
      case 'DisableImageDeprecation':
        return this.lifecycle.deprecation.handle(call).then((answer) => answer ?? this.moto.forward(call));
      case 'EnableImageDeregistrationProtection':
      case 'DisableImageDeregistrationProtection':
        return this.lifecycle.protection.handle(call).then((answer) => answer ?? this.moto.forward(call));
      case 'CreateImageUsageReport':
      case 'DescribeImageUsageReports':
      case 'DescribeImageUsageReportEntries':
        return this.lifecycle.usage.handle(call);
      case 'GetImageBlockPublicAccessState':
      case 'EnableImageBlockPublicAccess':
      case 'DisableImageBlockPublicAccess':
        return Promise.resolve(this.blockPublicAccess.call(call));
      case 'GetAllowedImagesSettings':
      case 'EnableAllowedImagesSettings':
      case 'DisableAllowedImagesSettings':
      case 'ReplaceImageCriteriaInAllowedImagesSettings':
        return Promise.resolve(this.allowedImages.call(call));
      default:
        return this.moto.forward(call);
    }
  }

  /**
   * `call` is the client's request when there is one (forwarded unchanged where moto is right), and
   * undefined for the peer's own look-ups (stale-read snapshots).
   */
  public async describeImageAttribute(
    imageId: string | undefined, attribute: string | undefined, authorization: string, call: Call | undefined,
  ): Promise<Answer> {
    const viaMoto = (): Promise<Answer> => call !== undefined
      ? this.moto.forward(call)
      : this.moto.ec2({ Action: 'DescribeImageAttribute', ImageId: imageId ?? '', Attribute: attribute ?? '' }, authorization);
    if (imageId === undefined || attribute === undefined) {
      return viaMoto();
    }
    // EMULATES: InvalidAMIID.Malformed (EC2 API Reference "Error codes"); moto answers 500.
    if (!IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    if (attribute === 'deregistrationProtection') {
      return this.lifecycle.protection.describe(imageId, authorization);
    }
    if (attribute === 'lastLaunchedTime') {
      return this.lifecycle.usage.describeLastLaunched(imageId, authorization);
    }
    const emulated = await this.attributes.describe(imageId, attribute, authorization)
      ?? (attribute === 'productCodes' ? this.sharing.describeProductCodes(imageId) : undefined);
    if (emulated !== undefined) {
      return emulated;
    }

    const answer = await viaMoto();
    if (answer.status >= 500) {
      // EMULATES: InvalidAMIID.NotFound (HTTP 400) for an image that does not exist; moto answers 500.
      const missing = await this.moto.checkImageExists(imageId, authorization);
      if (missing !== undefined) {
        return missing;
      }
    }
    return answer;
  }

  private async modifyImageAttribute(call: Call): Promise<Answer> {
    const p = call.params;
    const imageId = p.ImageId;
    // EMULATES: InvalidAMIID.Malformed for an id that is not "ami-" + 8 or 17 hex digits (EC2 API
    // Reference "Error codes"; EC2 User Guide "Resource IDs"). moto only checks the "ami-" prefix.
    if (imageId !== undefined && !IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    // DryRun checks permissions only (ModifyImageAttribute: "DryRunOperation if allowed"); moto does that.
    if (p.DryRun === 'true' || imageId === undefined) {
      return this.moto.forward(call);
    }
    const attribute = writtenAttribute(call.action, p);
    const emulated = await this.attributes.modify(call, imageId, attribute);
    if (emulated !== undefined) {
      return emulated;
    }
    if (attribute === 'launchPermission' && addsPublicLaunchPermission(p)) {
      return this.sharing.makePublic(call, imageId);
    }
    return this.moto.forward(call);
  }

  /**
   * DescribeImages from moto, with the state only the peer keeps written into each image item
   * (description, imdsSupport, productCodes, deprecationTime, deregistrationProtection, lastLaunchedTime), so DescribeImages and
   * DescribeImageAttribute agree.
   */
  private async describeImages(call: Call): Promise<Answer> {
    const answer = await this.moto.forward(call);
    const { deprecation, protection, usage } = this.lifecycle;
    const touched = [
      ...this.attributes.imageIds(), ...this.sharing.imageIds(), ...deprecation.imageIds(), ...protection.imageIds(), ...usage.imageIds(),
    ];
    if (answer.status !== 200 || !touched.some((id) => answer.body.includes(id))) {
      return answer;
    }
    const body = mapTopLevelItems(answer.body, 'imagesSet', (item) => {
      const id = tagText(item, 'imageId');
      return id === undefined ? item
        : usage.decorate(protection.decorate(deprecation.decorate(this.sharing.decorate(this.attributes.decorate(item, id), id), id), id), id);
    });
    return { ...answer, body };
  }

  /** Forwarded unless the AMI is protected; on success the peer forgets what it kept for the image, as EC2 does. */
  private async deregisterImage(call: Call): Promise<Answer> {
    const imageId = call.params.ImageId;
    const refused = imageId === undefined ? undefined : this.lifecycle.protection.refuseDeregistration(imageId);
    if (refused !== undefined) {
      return refused;
    }
    const answer = await this.moto.forward(call);
    if (answer.status === 200 && imageId !== undefined) {
      this.attributes.forget(imageId);
      this.sharing.forget(imageId);
      this.lifecycle.deprecation.forget(imageId);
      this.lifecycle.protection.forget(imageId);
      this.lifecycle.usage.forget(imageId);
      this.onDeregistered(imageId);
    }
    return answer;
  }
}
