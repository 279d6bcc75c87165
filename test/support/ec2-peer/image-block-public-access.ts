// Block public access for AMIs: GetImageBlockPublicAccessState, EnableImageBlockPublicAccess,
// DisableImageBlockPublicAccess (moto answers 500 for all three).
import { dryRun, PropagatingSetting, refusedByDeclarativePolicy } from './account-settings';
import { Answer, Call, ec2Error, xmlResponse } from './protocol';

export type ImageBlockPublicAccessState = 'block-new-sharing' | 'unblocked';

export class ImageBlockPublicAccess {
  public readonly setting = new PropagatingSetting<ImageBlockPublicAccessState>('unblocked');

  /**
   * EMULATES: EC2 API Reference, GetImageBlockPublicAccessState (imageBlockPublicAccessState `block-new-sharing` |
   * `unblocked`, managedBy `account` | `declarative-policy`), EnableImageBlockPublicAccess (ImageBlockPublicAccessState
   * required, valid value block-new-sharing only; answers block-new-sharing) and DisableImageBlockPublicAccess (answers
   * unblocked). Per account and Region; the peer keeps one value for all Regions.
   */
  public call(call: Call): Answer {
    const dry = dryRun(call.params);
    if (dry) return dry;
    if (call.action === 'GetImageBlockPublicAccessState') {
      return this.answer(call.action, this.setting.read(), `<managedBy>${this.setting.managedBy}</managedBy>`);
    }
    const refused = refusedByDeclarativePolicy(this.setting, call.action);
    if (refused) return refused;
    if (call.action === 'EnableImageBlockPublicAccess') {
      const requested = call.params.ImageBlockPublicAccessState;
      if (requested === undefined) {
        return ec2Error(400, 'MissingParameter', 'The request must contain the parameter ImageBlockPublicAccessState');
      }
      if (requested !== 'block-new-sharing') {
        return ec2Error(400, 'InvalidParameterValue',
          `Value (${requested}) for parameter ImageBlockPublicAccessState is invalid. Valid value: block-new-sharing.`);
      }
      this.setting.write('block-new-sharing');
      return this.answer(call.action, 'block-new-sharing');
    }
    this.setting.write('unblocked');
    return this.answer(call.action, 'unblocked');
  }

  /** Whether EC2 refuses to make AMIs public now: the state Get shows (a change on its way is not yet in force). */
  public get blocking(): boolean {
    return this.setting.shown === 'block-new-sharing';
  }

  private answer(action: string, state: ImageBlockPublicAccessState, more = ''): Answer {
    return { status: 200, body: xmlResponse(`${action}Response`, `<imageBlockPublicAccessState>${state}</imageBlockPublicAccessState>${more}`) };
  }
}
