// Custom::AmiDeprecation: give the AMI the declared deprecation time when it has another one; on Delete, restore the
// time (or the absence of one) remembered in the physical id (see original.ts). Every rule EC2 applies is checked on
// the live AMI before the write (plan.ts), so a refusal leaves the AMI as it was.
import { deprecateAtError, imageIdError, parseDeprecateAt } from '../../src/validation';
import { readWaitingForImageAndAccess, verify } from '../converge';
import { describeDeprecation, disableImageDeprecation, enableImageDeprecation } from '../ec2';
import { DeclarationError, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { unknownPropertyErrors } from '../properties';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { restoreOnDelete } from '../restore-on-delete';
import { UndoLog, undoingOnFailure } from '../undo';
import { deprecationPhysicalId, parseDeprecationPhysicalId } from './original';
import { DeprecationChange, LiveDeprecation, planDeprecation } from './plan';

interface DeprecationDeclaration {
  readonly imageId: string;
  readonly deprecateAt: Date;
}

export function parseDeprecationProperties(properties: Record<string, unknown> | undefined): DeprecationDeclaration {
  const props = properties ?? {};
  const deprecateAt = parseDeprecateAt('DeprecateAt', props.DeprecateAt);
  const problems = [
    ...unknownPropertyErrors(props, ['ImageId', 'DeprecateAt']),
    imageIdError('ImageId', props.ImageId),
    // The 10-year cap needs no live state: checked before the first read, as at synth.
    typeof deprecateAt === 'string' ? deprecateAt : deprecateAtError('DeprecateAt', deprecateAt, new Date()),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new DeclarationError(problems);
  return { imageId: props.ImageId as string, deprecateAt: deprecateAt as Date };
}

export const handleDeprecation: ResourceHandler = async (event, context): Promise<Outcome> => {
  if (event.RequestType === 'Delete') {
    return restoreOnDelete(event, {
      remembered: parseDeprecationPhysicalId(event.PhysicalResourceId),
      what: 'a deprecation',
      restoring: r => `set its deprecation time back to ${r.original?.toISOString() ?? 'none'}`,
      restore: async ({ imageId, original }) => {
        const live = await describeDeprecation(context.ec2, imageId);
        const decision = planDeprecation(imageId, original, live, new Date(), 'restoring the original deprecation time');
        if (decision.refusal) {
          // Failing would block the stack's deletion on a rule only making the AMI private lifts; the AMI keeps the
          // earlier time this construct gave it, which hides it sooner, never later (documented in the docs page).
          log('WARN', 'cannot restore the original deprecation time of a public AMI; left as it is', { imageId, reason: decision.refusal });
          return 0;
        }
        return apply(context, imageId, decision.change, new UndoLog(), live);
      },
    });
  }

  const desired = parseDeprecationProperties(event.ResourceProperties);
  const sameImage = event.RequestType === 'Update' && parseDeprecationPhysicalId(event.PhysicalResourceId)?.imageId === desired.imageId;
  // As for descriptions: a FAILED answer does not record the physical id holding the original, so a failure after the
  // write puts the original back itself.
  return undoingOnFailure(!sameImage || context.outsideDeployment === true, desired.imageId, async undo => {
    const live = await readWaitingForImageAndAccess(context, desired.imageId, 'DescribeImages (deprecation time)',
      () => describeDeprecation(context.ec2, desired.imageId));
    const decision = planDeprecation(desired.imageId, desired.deprecateAt, live, new Date(), 'DeprecateAt');
    if (decision.refusal) throw new DeclarationError([decision.refusal]);
    if (decision.passed) {
      log('WARN', 'the declared deprecation time has passed: the AMI is deprecated at the earliest time EC2 is sure to accept, unless it already is', {
        imageId: desired.imageId, declared: desired.deprecateAt.toISOString(), live: live.deprecationTime?.toISOString(),
      });
    }
    // Remember the original before the first write to this image, and never again for it.
    const physicalResourceId = sameImage ? event.PhysicalResourceId : deprecationPhysicalId(desired.imageId, live.deprecationTime);
    const writes = await apply(context, desired.imageId, decision.change, undo, live);
    const deprecationTime = decision.change.action === 'enable' ? decision.change.at : live.deprecationTime;
    return {
      physicalResourceId,
      // The time in force, which differs from the declared one when that had passed (or EC2 rounded it).
      data: { ImageId: desired.imageId, DeprecationTime: deprecationTime?.toISOString() ?? '' },
      changes: { writes },
    };
  });
};

/** Makes the one call `change` asks for, records how to undo it, and reads it back. Returns the number of writes. */
async function apply(context: RequestContext, imageId: string, change: DeprecationChange, undo: UndoLog, before: LiveDeprecation): Promise<number> {
  if (change.action === 'none') return 0;
  const expected = change.action === 'enable' ? change.at : undefined;
  await call(context, imageId, expected);
  undo.push(() => call(context, imageId, before.deprecationTime));
  await verify(context, `deprecation time of ${imageId}`,
    () => describeDeprecation(context.ec2, imageId),
    live => live.deprecationTime?.getTime() === expected?.getTime() ? [] : [`the live deprecation time is still ${live.deprecationTime?.toISOString() ?? 'none'}`]);
  return 1;
}

async function call(context: RequestContext, imageId: string, at: Date | undefined): Promise<void> {
  const action = at === undefined ? 'DisableImageDeprecation' : 'EnableImageDeprecation';
  try {
    await (at === undefined ? disableImageDeprecation(context.ec2, imageId) : enableImageDeprecation(context.ec2, imageId, at));
  } catch (error) {
    if (isImageGone(error)) throw error;
    throw new Error(`${action} on ${imageId} failed: ${messageOf(error)}`);
  }
  log('INFO', at === undefined ? 'deprecation cancelled' : 'deprecation time set', { imageId, at: at?.toISOString() });
}
