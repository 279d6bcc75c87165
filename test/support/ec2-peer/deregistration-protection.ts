// AMI deregistration protection, which moto 5.2.1 does not have: EnableImageDeregistrationProtection (WithCooldown),
// DisableImageDeregistrationProtection, the state DescribeImages and DescribeImageAttribute report, and DeregisterImage
// refused while the AMI is protected (EC2 API Reference for both actions; EC2 User Guide, "Protect an Amazon EC2 AMI
// from deregistration").
import { PeerClock } from './clock';
import { MotoBackend } from './moto-backend';
import { Answer, attributeAnswer, Call, ec2Error, IMAGE_ID, malformedImageId, xmlResponse } from './protocol';
import { replaceOrAppend } from './xml';

/** "enforces deregistration protection for 24 hours after deregistration protection is disabled" (WithCooldown). */
export const COOLDOWN_MS = 24 * 60 * 60 * 1000;

interface Protection {
  readonly enabled: boolean;
  readonly withCooldown: boolean;
  /** Set when protection with cooldown was disabled: the AMI stays protected until then. */
  readonly until?: Date;
}

export class DeregistrationProtection {
  private readonly states = new Map<string, Protection>();

  constructor(private readonly moto: MotoBackend, private readonly clock: PeerClock) {}

  public clear(): void {
    this.states.clear();
  }

  public forget(imageId: string): void {
    this.states.delete(imageId);
  }

  public imageIds(): string[] {
    return [...this.states.keys()];
  }

  /** The answer to Enable/DisableImageDeregistrationProtection; undefined for other actions. */
  public async handle(call: Call): Promise<Answer | undefined> {
    const enable = call.action === 'EnableImageDeregistrationProtection';
    if (!enable && call.action !== 'DisableImageDeregistrationProtection') {
      return undefined;
    }
    const imageId = call.params.ImageId ?? '';
    const missing = await this.moto.checkImageExists(imageId, call.authorization);
    if (missing !== undefined) {
      return missing;
    }
    if (call.params.DryRun === 'true') {
      return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    }
    const current = this.states.get(imageId);
    if (enable) {
      // EMULATES: EnableImageDeregistrationProtection; WithCooldown "If true, enforces deregistration protection for
      // 24 hours after deregistration protection is disabled". Enabling again replaces the cooldown setting.
      this.states.set(imageId, { enabled: true, withCooldown: call.params.WithCooldown === 'true' });
    } else if (current?.enabled) {
      // EMULATES: DisableImageDeregistrationProtection: with a cooldown "you won't immediately be able to deregister
      // the AMI"; the AMI stays protected for 24 hours.
      this.states.set(imageId, current.withCooldown
        ? { enabled: false, withCooldown: false, until: new Date(this.clock.now().getTime() + COOLDOWN_MS) }
        : { enabled: false, withCooldown: false });
    }
    const root = enable ? 'EnableImageDeregistrationProtectionResponse' : 'DisableImageDeregistrationProtectionResponse';
    return { status: 200, body: xmlResponse(root, '<return>true</return>') };
  }

  /**
   * EMULATES: DeregisterImage of a protected AMI is refused ("When deregistration protection is enabled, the AMI can't
   * be deregistered"), also during the cooldown. The reference names no error code for it; the peer answers
   * OperationNotPermitted. undefined: the AMI may be deregistered.
   */
  public refuseDeregistration(imageId: string): Answer | undefined {
    if (!IMAGE_ID.test(imageId)) {
      return malformedImageId(imageId);
    }
    const state = this.states.get(imageId);
    if (state?.enabled) {
      return ec2Error(400, 'OperationNotPermitted',
        `Image ${imageId} has deregistration protection enabled. Disable it with DisableImageDeregistrationProtection first.`);
    }
    if (state?.until !== undefined && this.clock.now() < state.until) {
      return ec2Error(400, 'OperationNotPermitted',
        `Image ${imageId} is protected from deregistration until ${state.until.toISOString()} (cooldown after protection was disabled).`);
    }
    return undefined;
  }

  /** EMULATES: DescribeImageAttribute deregistrationProtection, `{ Value }` as DescribeImages reports it. */
  public async describe(imageId: string, authorization: string): Promise<Answer> {
    const missing = await this.moto.checkImageExists(imageId, authorization);
    return missing ?? attributeAnswer(imageId, 'deregistrationProtection', this.value(imageId));
  }

  /** EMULATES: DescribeImages reports DeregistrationProtection (EC2 API Reference, Image: deregistrationProtection). */
  public decorate(item: string, imageId: string): string {
    return this.states.has(imageId)
      ? replaceOrAppend(item, 'deregistrationProtection', `<deregistrationProtection>${this.value(imageId)}</deregistrationProtection>`)
      : item;
  }

  /**
   * The reported state: enabled-with-cooldown, enabled-without-cooldown, disabled, or during a cooldown
   * "disabled-until <time>" (the form EC2 uses to say until when the AMI stays protected).
   */
  private value(imageId: string): string {
    const state = this.states.get(imageId);
    if (state?.enabled) {
      return state.withCooldown ? 'enabled-with-cooldown' : 'enabled-without-cooldown';
    }
    if (state?.until !== undefined && this.clock.now() < state.until) {
      return `disabled-until ${state.until.toISOString()}`;
    }
    return 'disabled';
  }
}
