// AMI deprecation, which moto 5.2.1 does not have: EnableImageDeprecation, DisableImageDeprecation, and the
// DeprecationTime DescribeImages reports. Written from EC2's documentation independently of the library's own rules
// (src/validation/deprecation.ts), so the tests compare two readings of the same pages.
import { PeerClock } from './clock';
import { MotoBackend } from './moto-backend';
import { Answer, Call, ec2Error, IMAGE_ID, malformedImageId, reissueError, xmlResponse } from './protocol';
import { replaceOrAppend, tagText } from './xml';

const MINUTE = 60_000;

/** What EC2 reports about one image that its deprecation rules depend on. */
interface ImageFacts {
  readonly creationDate: Date;
  readonly isPublic: boolean;
}

export class ImageDeprecation {
  private readonly times = new Map<string, Date>();

  constructor(private readonly moto: MotoBackend, private readonly clock: PeerClock) {}

  public clear(): void {
    this.times.clear();
  }

  /** EC2 forgets a deregistered image's deprecation with it. */
  public forget(imageId: string): void {
    this.times.delete(imageId);
  }

  public imageIds(): string[] {
    return [...this.times.keys()];
  }

  /** The answer to EnableImageDeprecation or DisableImageDeprecation; undefined for other actions. */
  public async handle(call: Call): Promise<Answer | undefined> {
    if (call.action !== 'EnableImageDeprecation' && call.action !== 'DisableImageDeprecation') {
      return undefined;
    }
    const imageId = call.params.ImageId ?? '';
    if (!IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    const facts = await this.facts(imageId, call.authorization);
    if (!('creationDate' in facts)) {
      return facts;
    }
    // EMULATES: DryRun (EnableImageDeprecation, DisableImageDeprecation: "If you have the required permissions, the
    // error response is DryRunOperation"); permissions were checked before dispatch.
    if (call.params.DryRun === 'true') {
      return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    }
    return call.action === 'EnableImageDeprecation'
      ? this.enable(call, imageId, facts)
      : this.disable(imageId, facts);
  }

  /**
   * EMULATES: EnableImageDeprecation (EC2 API Reference): "If you specify a value for seconds, Amazon EC2 rounds the
   * seconds to the nearest minute. You can't specify a date in the past. The upper limit for DeprecateAt is 10 years
   * from now, except for public AMIs, where the upper limit is 2 years from the creation date." A public AMI's
   * deprecation cannot be moved later while it is public (EC2 User Guide, "Deprecate an AMI"). The reference names no
   * error code for these; the peer answers EC2's common InvalidParameterValue ("Common client error codes").
   */
  private enable(call: Call, imageId: string, facts: ImageFacts): Answer {
    const requested = new Date(call.params.DeprecateAt ?? '');
    if (Number.isNaN(requested.getTime())) {
      return ec2Error(400, 'InvalidParameterValue', `Value (${call.params.DeprecateAt ?? ''}) for parameter DeprecateAt is invalid.`);
    }
    const at = new Date(Math.round(requested.getTime() / MINUTE) * MINUTE);
    const now = this.clock.now();
    if (at.getTime() < now.getTime()) {
      return ec2Error(400, 'InvalidParameterValue', `The deprecation time ${at.toISOString()} cannot be in the past.`);
    }
    if (at.getTime() > yearsLater(now, 10).getTime()) {
      return ec2Error(400, 'InvalidParameterValue', `The deprecation time ${at.toISOString()} cannot be more than 10 years from now.`);
    }
    if (facts.isPublic) {
      if (at.getTime() > yearsLater(facts.creationDate, 2).getTime()) {
        return ec2Error(400, 'InvalidParameterValue',
          `The deprecation time of a public image cannot be more than 2 years after its creation date (${facts.creationDate.toISOString()}).`);
      }
      const current = this.times.get(imageId);
      if (current !== undefined && at.getTime() > current.getTime()) {
        return ec2Error(400, 'InvalidParameterValue',
          'The deprecation time of a public image cannot be moved later. Make the image private first.');
      }
    }
    this.times.set(imageId, at);
    return { status: 200, body: xmlResponse('EnableImageDeprecationResponse', '<return>true</return>') };
  }

  /**
   * EMULATES: DisableImageDeprecation ("Cancels the deprecation of the specified AMI", EC2 API Reference); a public
   * AMI's deprecation cannot be cancelled until it is made private (EC2 User Guide, "Deprecate an AMI"). Cancelling
   * an AMI without a deprecation succeeds and changes nothing.
   */
  private disable(imageId: string, facts: ImageFacts): Answer {
    if (facts.isPublic && this.times.has(imageId)) {
      return ec2Error(400, 'InvalidParameterValue', 'The deprecation of a public image cannot be cancelled. Make the image private first.');
    }
    this.times.delete(imageId);
    return { status: 200, body: xmlResponse('DisableImageDeprecationResponse', '<return>true</return>') };
  }

  /** EMULATES: DescribeImages reports DeprecationTime (EC2 API Reference, Image: deprecationTime) once one is set. */
  public decorate(item: string, imageId: string): string {
    const at = this.times.get(imageId);
    return at === undefined ? item : replaceOrAppend(item, 'deprecationTime', `<deprecationTime>${at.toISOString()}</deprecationTime>`);
  }

  /** The image's creation date and whether it is public (from moto), or EC2's error for a missing image. */
  private async facts(imageId: string, authorization: string): Promise<ImageFacts | Answer> {
    const answer = await this.moto.ec2({ 'Action': 'DescribeImages', 'ImageId.1': imageId }, authorization);
    if (answer.status !== 200) {
      return reissueError(answer);
    }
    if (!answer.body.includes(`<imageId>${imageId}</imageId>`)) {
      return ec2Error(400, 'InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
    }
    return { creationDate: new Date(tagText(answer.body, 'creationDate') ?? 0), isPublic: tagText(answer.body, 'isPublic') === 'true' };
  }
}

function yearsLater(time: Date, years: number): Date {
  const later = new Date(time.getTime());
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}
