// Custom::AmiImdsPolicy: make imdsSupport v2.0 when it is not. Delete leaves the AMI alone: EC2 cannot undo v2.0.
import { imageIdError } from '../../src/validation';
import { readWaitingForImageAndAccess, verify } from '../converge';
import { describeAttributeValue, requireImdsV2 } from '../ec2';
import { DeclarationError, messageOf } from '../errors';
import { log } from '../log';
import { unknownPropertyErrors } from '../properties';
import { Outcome, ResourceHandler } from '../resource';
import { needsImdsV2 } from './plan';

export function imdsPolicyPhysicalId(imageId: string): string {
  return `${imageId}/imdsSupport`;
}

export function parseImdsPolicyProperties(properties: Record<string, unknown> | undefined): { imageId: string } {
  const props = properties ?? {};
  const problems = [
    ...unknownPropertyErrors(props, ['ImageId']),
    imageIdError('ImageId', props.ImageId),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new DeclarationError(problems);
  return { imageId: props.ImageId as string };
}

export const handleImdsPolicy: ResourceHandler = async (event, context): Promise<Outcome> => {
  if (event.RequestType === 'Delete') {
    // Nothing to undo, by EC2's design: "After you set the value to v2.0, you can't undo it."
    return { physicalResourceId: event.PhysicalResourceId, data: {}, changes: { writes: 0 } };
  }
  const { imageId } = parseImdsPolicyProperties(event.ResourceProperties);
  const read = () => describeAttributeValue(context.ec2, imageId, 'imdsSupport');
  const live = await readWaitingForImageAndAccess(context, imageId, 'DescribeImageAttribute imdsSupport', read);
  let writes = 0;
  if (needsImdsV2(live)) {
    try {
      await requireImdsV2(context.ec2, imageId);
    } catch (error) {
      throw new Error(`ModifyImageAttribute (imdsSupport v2.0) on ${imageId} failed: ${messageOf(error)}`);
    }
    writes = 1;
    log('INFO', 'imdsSupport set to v2.0', { imageId });
    await verify(context, `imdsSupport of ${imageId}`, read, value => needsImdsV2(value) ? [`imdsSupport is still ${JSON.stringify(value ?? null)}`] : []);
  }
  return { physicalResourceId: imdsPolicyPhysicalId(imageId), data: { ImageId: imageId }, changes: { writes } };
};
