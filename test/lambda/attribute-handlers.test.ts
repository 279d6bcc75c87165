// Custom::AmiImdsPolicy and Custom::AmiDescription with EC2 mocked: decisions, physical ids and error paths.
import { DescribeImageAttributeCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { descriptionPhysicalId } from '../../lambda/description/original';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const IMAGE = 'ami-0123456789abcdef0';

/** EC2 holding one AMI's description and imdsSupport, changed by Modify calls. */
function attributes(initial: { description?: string; imds?: string }) {
  const state = { ...initial };
  ec2.on(DescribeImageAttributeCommand).callsFake(input => (input.Attribute === 'description'
    ? { ImageId: IMAGE, Description: state.description === undefined ? undefined : { Value: state.description } }
    : { ImageId: IMAGE, ImdsSupport: state.imds === undefined ? undefined : { Value: state.imds } }));
  ec2.on(ModifyImageAttributeCommand).callsFake(input => {
    if (input.Description) state.description = input.Description.Value;
    if (input.ImdsSupport) state.imds = input.ImdsSupport.Value;
    return {};
  });
  return state;
}

describe('Custom::AmiImdsPolicy', () => {
  const event = (RequestType: string, extra: object = {}) => ({
    RequestType, LogicalResourceId: 'Imds', ResourceType: 'Custom::AmiImdsPolicy', ResourceProperties: { ImageId: IMAGE }, ...extra,
  }) as any;

  test('sets v2.0 once, with the seed\'s ImdsSupport shape, and reads it back', async () => {
    const state = attributes({});
    expect(await cfn().send(event('Create'))).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${IMAGE}/imdsSupport` });
    expect(ec2).toHaveReceivedCommandWith(ModifyImageAttributeCommand, { ImageId: IMAGE, ImdsSupport: { Value: 'v2.0' } });
    expect(ec2).toHaveReceivedCommandTimes(DescribeImageAttributeCommand, 2);
    expect(state.imds).toBe('v2.0');
  });

  test('already v2.0: one read, no write', async () => {
    attributes({ imds: 'v2.0' });
    expect(await cfn().send(event('Create'))).toMatchObject({ Status: 'SUCCESS' });
    expect(ec2).toHaveReceivedCommandTimes(ModifyImageAttributeCommand, 0);
  });

  test('Delete touches nothing: EC2 cannot undo v2.0', async () => {
    expect(await cfn().send(event('Delete', { PhysicalResourceId: `${IMAGE}/imdsSupport` }))).toMatchObject({ Status: 'SUCCESS' });
    expect(ec2.calls()).toHaveLength(0);
  });

  test('a refused write: FAILED with the code and message', async () => {
    attributes({});
    ec2.on(ModifyImageAttributeCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    expect(await cfn().send(event('Create'))).toMatchObject({
      Status: 'FAILED',
      Reason: `ModifyImageAttribute (imdsSupport v2.0) on ${IMAGE} failed: UnauthorizedOperation: You are not authorized to perform this operation.`,
    });
  });
});

describe('Custom::AmiDescription', () => {
  const props = (Description: string) => ({ ImageId: IMAGE, Description });
  const send = (RequestType: string, extra: object) => cfn().send({
    RequestType, LogicalResourceId: 'Desc', ResourceType: 'Custom::AmiDescription', ...extra,
  } as any);

  test('Create sets the description and remembers the original in the physical id', async () => {
    const state = attributes({ description: 'from the pipeline' });
    const answer = await send('Create', { ResourceProperties: props('Golden') });
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: descriptionPhysicalId(IMAGE, 'from the pipeline') });
    expect(ec2).toHaveReceivedCommandWith(ModifyImageAttributeCommand, { ImageId: IMAGE, Description: { Value: 'Golden' } });
    expect(state.description).toBe('Golden');
  });

  test('Update of the same image keeps the physical id, so the original survives', async () => {
    attributes({ description: 'Golden' });
    const id = descriptionPhysicalId(IMAGE, 'from the pipeline');
    const answer = await send('Update', { PhysicalResourceId: id, ResourceProperties: props('Golden v2'), OldResourceProperties: props('Golden') });
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  });

  test('Delete restores the remembered original', async () => {
    const state = attributes({ description: 'Golden v2' });
    const answer = await send('Delete', { PhysicalResourceId: descriptionPhysicalId(IMAGE, 'from the pipeline'), ResourceProperties: props('Golden v2') });
    expect(answer.Status).toBe('SUCCESS');
    expect(state.description).toBe('from the pipeline');
  });

  test('Delete of a resource that was never created makes no call', async () => {
    expect(await send('Delete', { PhysicalResourceId: 'Desc-not-created', ResourceProperties: props('x') })).toMatchObject({ Status: 'SUCCESS' });
    expect(ec2.calls()).toHaveLength(0);
  });

  test.each(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'])('Delete when the AMI is gone (%s) is success', async code => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError(code));
    expect(await send('Delete', { PhysicalResourceId: descriptionPhysicalId(IMAGE, 'x'), ResourceProperties: props('y') }))
      .toMatchObject({ Status: 'SUCCESS' });
  });

  test('a Delete the role is refused: FAILED with the original to restore by hand', async () => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    const answer = await send('Delete', { PhysicalResourceId: descriptionPhysicalId(IMAGE, 'from the pipeline'), ResourceProperties: props('x') });
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(new RegExp('^UnauthorizedOperation: not authorized\\. The stack grants .* The handler could not '
      + `set its description back to "from the pipeline" on ${IMAGE}; if ${IMAGE} still exists, do it by hand$`));
  });

  test('a refused write: FAILED with the code and message', async () => {
    attributes({ description: 'a' });
    ec2.on(ModifyImageAttributeCommand).rejects(awsError('InvalidParameterValue', 'Invalid description'));
    expect(await send('Create', { ResourceProperties: props('b') })).toMatchObject({
      Status: 'FAILED', Reason: `ModifyImageAttribute (description) on ${IMAGE} failed: InvalidParameterValue: Invalid description`,
    });
  });

  /** Reads that never show the handler's write: EC2 accepts it, but the handler cannot verify it in its budget. */
  const neverShows = (description: string) => {
    ec2.on(DescribeImageAttributeCommand).resolves({ ImageId: IMAGE, Description: { Value: description } });
    ec2.on(ModifyImageAttributeCommand).resolves({});
  };
  const descriptionsWritten = () => ec2.commandCalls(ModifyImageAttributeCommand).map(c => c.args[0].input.Description?.Value);

  test('a Create that fails after its write puts the original back: no Delete could (a FAILED answer records no original)', async () => {
    neverShows('from the pipeline');
    const answer = await cfn(22_000).send({
      RequestType: 'Create', LogicalResourceId: 'Desc', ResourceType: 'Custom::AmiDescription', ResourceProperties: props('Golden'),
    } as any);
    expect(answer).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'Desc-not-created' });
    expect(answer.Reason).toMatch(new RegExp(`^description of ${IMAGE} did not converge .*\\. This request's 1 write to ${IMAGE} was undone$`));
    expect(descriptionsWritten()).toEqual(['Golden', 'from the pipeline']);
  });

  test('an Update of the same image that fails keeps its write: the physical id still holds the original', async () => {
    neverShows('Golden');
    const answer = await cfn(22_000).send({
      RequestType: 'Update',
      LogicalResourceId: 'Desc',
      ResourceType: 'Custom::AmiDescription',
      PhysicalResourceId: descriptionPhysicalId(IMAGE, 'from the pipeline'),
      ResourceProperties: props('Golden v2'),
      OldResourceProperties: props('Golden'),
    } as any);
    expect(answer.Status).toBe('FAILED');
    expect(descriptionsWritten()).toEqual(['Golden v2']);
  });
});
