// Custom::ImageBlockPublicAccess: block public access for AMIs on in the account and Region. Create and Update turn it
// on when it is off and wait until EC2 shows it; Delete (which only reaches the handler with RemovalPolicy.DESTROY) puts
// back the state the first deployment found, remembered in the physical id.
import { BLOCK_NEW_SHARING, managedByDeclarativePolicyError, show } from '../../src/validation';
import { isManagedByDeclarativePolicy } from '../account-settings/declarative-policy';
import { foundStatePhysicalId, parseFoundState } from '../account-settings/found-state';
import { waitForPropagation } from '../account-settings/propagation';
import { readPatiently } from '../converge';
import { imageBlockPublicAccess, setImageBlockPublicAccess } from '../ec2';
import { DeclarationError, messageWithAccessHint } from '../errors';
import { log } from '../log';
import { unknownPropertyErrors } from '../properties';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import {
  blockPublicAccessDifferences,
  blockPublicAccessWrite,
  BlockPublicAccessState,
  foundBlockPublicAccess,
} from './plan';

/** The first segment of the physical id (see found-state.ts). */
export const IMAGE_BLOCK_PUBLIC_ACCESS_ID = 'ImageBlockPublicAccess';
const SETTING = 'block public access for AMIs';
/** EnableImageBlockPublicAccess and DisableImageBlockPublicAccess (EC2 API Reference). */
const TEN_MINUTES = 'EC2 can take up to 10 minutes to apply the change';

export function parseImageBlockPublicAccessProperties(properties: Record<string, unknown> | undefined): { restoreOnDelete: boolean } {
  const props = properties ?? {};
  const problems = unknownPropertyErrors(props, ['RestoreOnDelete']);
  // CloudFormation hands booleans over as strings.
  const restore = props.RestoreOnDelete;
  if (restore !== undefined && ![true, false, 'true', 'false'].includes(restore as string)) {
    problems.push(`RestoreOnDelete: ${show(restore)} is not true or false`);
  }
  if (problems.length > 0) throw new DeclarationError(problems);
  return { restoreOnDelete: restore === true || restore === 'true' };
}

export const handleImageBlockPublicAccess: ResourceHandler = async (event, context): Promise<Outcome> => {
  const region = process.env.AWS_REGION ?? 'unknown-region';
  const read = () => readPatiently(context, `GetImageBlockPublicAccessState (${SETTING})`, () => imageBlockPublicAccess(context.ec2));

  if (event.RequestType === 'Delete') {
    const unchanged = { physicalResourceId: event.PhysicalResourceId, data: {}, changes: { writes: 0 } };
    const remembered = parseFoundState<BlockPublicAccessState>(IMAGE_BLOCK_PUBLIC_ACCESS_ID, event.PhysicalResourceId);
    // Without RestoreOnDelete (hand-written templates, or a DeletionPolicy changed by hand) the guard stays on.
    if (!remembered || !parseImageBlockPublicAccessProperties(event.ResourceProperties).restoreOnDelete) {
      log('INFO', 'block public access for AMIs left as it is', { restorable: remembered !== undefined });
      return unchanged;
    }
    const live = await read();
    if (isManagedByDeclarativePolicy(live)) {
      // The organization decides now; failing would only keep the stack from being deleted.
      log('WARN', 'block public access for AMIs is managed by a declarative policy: not restored', { found: remembered.found, live: live.state });
      return unchanged;
    }
    const writes = await converge(context, live, remembered.found, read,
      `${TEN_MINUTES}; delete again once GetImageBlockPublicAccessState shows it`);
    return { ...unchanged, changes: { writes } };
  }

  parseImageBlockPublicAccessProperties(event.ResourceProperties);
  const live = await read();
  if (isManagedByDeclarativePolicy(live)) {
    throw new DeclarationError([managedByDeclarativePolicyError('ImageBlockPublicAccess', SETTING, 'image_block_public_access')]);
  }
  // Remember what the first deployment found, and never again: on later Updates the live state is this construct's own.
  const remembered = event.RequestType === 'Update' && parseFoundState(IMAGE_BLOCK_PUBLIC_ACCESS_ID, event.PhysicalResourceId) !== undefined;
  const physicalResourceId = remembered
    ? event.PhysicalResourceId
    : foundStatePhysicalId(IMAGE_BLOCK_PUBLIC_ACCESS_ID, region, foundBlockPublicAccess(live))!;
  const writes = await converge(context, live, BLOCK_NEW_SHARING, read,
    `${TEN_MINUTES}; deploy again in a few minutes: the handler then finds it on and makes no change`);
  return { physicalResourceId, data: { State: BLOCK_NEW_SHARING }, changes: { writes } };
};

/** Makes the one call that brings the setting to `desired`, then waits until EC2 shows it. Returns the number of writes. */
async function converge(
  context: RequestContext, live: Awaited<ReturnType<typeof imageBlockPublicAccess>>, desired: BlockPublicAccessState,
  read: () => ReturnType<typeof imageBlockPublicAccess>, then: string): Promise<number> {
  const write = blockPublicAccessWrite(live, desired);
  if (write === undefined) return 0;
  const call = write === 'enable' ? 'EnableImageBlockPublicAccess' : 'DisableImageBlockPublicAccess';
  try {
    await setImageBlockPublicAccess(context.ec2, write === 'enable');
  } catch (error) {
    throw new Error(`${call} failed: ${messageWithAccessHint(error)}`);
  }
  log('INFO', `${call} accepted`, { from: live.state, to: desired });
  await waitForPropagation(context, { call, setting: SETTING, read, differences: l => blockPublicAccessDifferences(l, desired), then });
  return 1;
}
