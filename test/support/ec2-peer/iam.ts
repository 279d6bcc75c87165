// The caller's IAM permissions, as far as the peer enforces them.
import { Fault, RequestStage } from './pipeline';
import { Call, unauthorized } from './protocol';

/** The actions restrictImageAccess applies to. */
const IMAGE_ATTRIBUTE_ACTIONS = ['DescribeImageAttribute', 'ModifyImageAttribute'];

export class ImageAccess implements RequestStage {
  /** AMIs the caller may read and modify attributes of, when restricted (see restrictImageAccess). */
  public allowed?: ReadonlySet<string>;

  public decide(call: Call): Fault | undefined {
    if (!this.allowed || !IMAGE_ATTRIBUTE_ACTIONS.includes(call.action) || this.allowed.has(call.params.ImageId ?? '')) {
      return undefined;
    }
    return { kind: 'answer', name: 'iam', answer: unauthorized() };
  }
}
