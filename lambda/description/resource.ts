// Custom::AmiDescription: set the description when it differs from the live one; on Delete, restore the original
// remembered in the physical id (see original.ts).
import { descriptionError, imageIdError } from '../../src/validation';
import { readWaitingForImageAndAccess, verify } from '../converge';
import { describeAttributeValue, modifyDescription } from '../ec2';
import { DeclarationError, isImageGone, messageOf } from '../errors';
import { log } from '../log';
import { unknownPropertyErrors } from '../properties';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { restoreOnDelete } from '../restore-on-delete';
import { UndoLog, undoingOnFailure } from '../undo';
import { descriptionPhysicalId, parseDescriptionPhysicalId } from './original';
import { descriptionNeedsWrite } from './plan';

interface DescriptionDeclaration {
  readonly imageId: string;
  readonly description: string;
}

export function parseDescriptionProperties(properties: Record<string, unknown> | undefined): DescriptionDeclaration {
  const props = properties ?? {};
  const problems = [
    ...unknownPropertyErrors(props, ['ImageId', 'Description']),
    imageIdError('ImageId', props.ImageId),
    descriptionError('Description', props.Description),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new DeclarationError(problems);
  return { imageId: props.ImageId as string, description: props.Description as string };
}

export const handleDescription: ResourceHandler = async (event, context): Promise<Outcome> => {
  if (event.RequestType === 'Delete') {
    return restoreOnDelete(event, {
      remembered: parseDescriptionPhysicalId(event.PhysicalResourceId),
      what: 'a description',
      restoring: r => `set its description back to ${JSON.stringify(r.original ?? '')}`,
      // An AMI that had no description gets an empty one back: ModifyImageAttribute cannot remove the attribute.
      restore: r => converge(context, r.imageId, r.original ?? ''),
    });
  }

  const desired = parseDescriptionProperties(event.ResourceProperties);
  const sameImage = event.RequestType === 'Update' && parseDescriptionPhysicalId(event.PhysicalResourceId)?.imageId === desired.imageId;
  // The original lives only in the physical id this request answers with, which a FAILED answer does not record: no
  // later Delete could restore it, so a failure after the write puts the original back itself.
  return undoingOnFailure(!sameImage || context.outsideDeployment === true, desired.imageId, async undo => {
    const live = await readWaitingForImageAndAccess(context, desired.imageId, 'DescribeImageAttribute description',
      () => describeAttributeValue(context.ec2, desired.imageId, 'description'));
    // Remember the original before the first write to this image, and never again for it: on an Update of the same
    // image the live value is our own.
    const physicalResourceId = sameImage ? event.PhysicalResourceId : descriptionPhysicalId(desired.imageId, live);
    const writes = descriptionNeedsWrite(live, desired.description) ? await write(context, desired.imageId, desired.description, undo, live) : 0;
    return { physicalResourceId, data: { ImageId: desired.imageId }, changes: { writes } };
  });
};

/** Sets the description when it differs, then reads it back. Returns the number of writes. */
async function converge(context: RequestContext, imageId: string, description: string, undo = new UndoLog()): Promise<number> {
  const live = await describeAttributeValue(context.ec2, imageId, 'description');
  return descriptionNeedsWrite(live, description) ? write(context, imageId, description, undo, live) : 0;
}

/** Sets the description, records how to put `before` back, then reads it back. Returns the number of writes. */
async function write(context: RequestContext, imageId: string, description: string, undo: UndoLog, before: string | undefined): Promise<number> {
  await set(context, imageId, description);
  undo.push(() => set(context, imageId, before ?? ''));
  await verify(context, `description of ${imageId}`,
    () => describeAttributeValue(context.ec2, imageId, 'description'),
    live => descriptionNeedsWrite(live, description) ? [`the live description is still ${JSON.stringify(live ?? '')}`] : []);
  return 1;
}

async function set(context: RequestContext, imageId: string, description: string): Promise<void> {
  try {
    await modifyDescription(context.ec2, imageId, description);
  } catch (error) {
    if (isImageGone(error)) throw error;
    throw new Error(`ModifyImageAttribute (description) on ${imageId} failed: ${messageOf(error)}`);
  }
  log('INFO', 'description set', { imageId, length: description.length });
}
