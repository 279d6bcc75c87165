// Custom::AmiDeregistrationProtection: protect the AMI from deregistration (with or without EC2's 24-hour cooldown)
// when it is not protected as declared; on Delete, restore the protection remembered in the physical id
// (see original.ts).
import { imageIdError, parseWithCooldown } from '../../src/validation';
import { readWaitingForImageAndAccess, verify } from '../converge';
import { describeDeregistrationProtection, disableDeregistrationProtection, enableDeregistrationProtection } from '../ec2';
import { DeclarationError, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { unknownPropertyErrors } from '../properties';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { restoreOnDelete } from '../restore-on-delete';
import { UndoLog, undoingOnFailure } from '../undo';
import { parseProtectionPhysicalId, protectionPhysicalId } from './original';
import { LiveProtection, parseProtection, planProtection, ProtectionChange, protectionState, ProtectionState } from './plan';

/** How long EC2 keeps an AMI protected after protection with a cooldown is disabled. */
const COOLDOWN_MS = 24 * 60 * 60 * 1000;

export function parseProtectionProperties(properties: Record<string, unknown> | undefined): { imageId: string; target: ProtectionState } {
  const props = properties ?? {};
  const withCooldown = parseWithCooldown('WithCooldown', props.WithCooldown);
  const problems = [
    ...unknownPropertyErrors(props, ['ImageId', 'WithCooldown']),
    imageIdError('ImageId', props.ImageId),
    typeof withCooldown === 'string' ? withCooldown : undefined,
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new DeclarationError(problems);
  return { imageId: props.ImageId as string, target: protectionState(true, withCooldown as boolean) };
}

const readLive = async (context: RequestContext, imageId: string): Promise<LiveProtection> =>
  parseProtection(await describeDeregistrationProtection(context.ec2, imageId));

export const handleDeregistrationProtection: ResourceHandler = async (event, context): Promise<Outcome> => {
  if (event.RequestType === 'Delete') {
    return restoreOnDelete(event, {
      remembered: parseProtectionPhysicalId(event.PhysicalResourceId),
      what: 'a deregistration protection',
      restoring: r => `set its deregistration protection back to ${r.original}`,
      restore: async ({ imageId, original }) => {
        const live = await readLive(context, imageId);
        return apply(context, imageId, planProtection(original, live), new UndoLog(), live);
      },
    });
  }

  const desired = parseProtectionProperties(event.ResourceProperties);
  const sameImage = event.RequestType === 'Update' && parseProtectionPhysicalId(event.PhysicalResourceId)?.imageId === desired.imageId;
  return undoingOnFailure(!sameImage || context.outsideDeployment === true, desired.imageId, async undo => {
    const live = await readWaitingForImageAndAccess(context, desired.imageId, 'DescribeImages (deregistration protection)',
      () => readLive(context, desired.imageId));
    const physicalResourceId = sameImage ? event.PhysicalResourceId : protectionPhysicalId(desired.imageId, live.state);
    const writes = await apply(context, desired.imageId, planProtection(desired.target, live), undo, live);
    return { physicalResourceId, data: { ImageId: desired.imageId, DeregistrationProtection: desired.target }, changes: { writes } };
  });
};

/** Makes the call `change` asks for, records how to undo it, and reads it back. Returns the number of writes. */
async function apply(context: RequestContext, imageId: string, change: ProtectionChange, undo: UndoLog, before: LiveProtection): Promise<number> {
  if (change.action === 'none') return 0;
  const expected = change.action === 'enable' ? protectionState(true, change.withCooldown) : 'disabled';
  await call(context, imageId, change);
  undo.push(() => call(context, imageId, planProtection(before.state, { state: expected })));
  if (change.action === 'disable' && before.state === 'enabled-with-cooldown') {
    // EC2 keeps refusing DeregisterImage for a day: say so where whoever tries next will look.
    log('INFO', 'protection disabled; EC2 keeps the AMI protected during its cooldown', {
      imageId, protectedUntil: new Date(Date.now() + COOLDOWN_MS).toISOString(),
    });
  }
  await verify(context, `deregistration protection of ${imageId}`, () => readLive(context, imageId),
    live => (live.state === expected ? [] : [`the live deregistration protection is still ${live.state}`]));
  return 1;
}

async function call(context: RequestContext, imageId: string, change: ProtectionChange): Promise<void> {
  if (change.action === 'none') return;
  const action = change.action === 'enable' ? 'EnableImageDeregistrationProtection' : 'DisableImageDeregistrationProtection';
  try {
    await (change.action === 'enable'
      ? enableDeregistrationProtection(context.ec2, imageId, change.withCooldown)
      : disableDeregistrationProtection(context.ec2, imageId));
  } catch (error) {
    if (isImageGone(error)) throw error;
    throw new Error(`${action} on ${imageId} failed: ${messageOf(error)}`);
  }
  log('INFO', change.action === 'enable' ? 'deregistration protection enabled' : 'deregistration protection disabled', {
    imageId, withCooldown: change.action === 'enable' ? change.withCooldown : undefined,
  });
}
