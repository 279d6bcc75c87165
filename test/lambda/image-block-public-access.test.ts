// Custom::ImageBlockPublicAccess with EC2 mocked: physical ids across Updates, what Delete does and does not touch,
// the properties it accepts, and refusals.
import {
  DisableImageBlockPublicAccessCommand,
  EnableImageBlockPublicAccessCommand,
  GetImageBlockPublicAccessStateCommand,
} from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { foundStatePhysicalId } from '../../lambda/account-settings/found-state';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const TYPE = 'Custom::ImageBlockPublicAccess';
const FOUND_UNBLOCKED = foundStatePhysicalId('ImageBlockPublicAccess', 'us-east-1', 'unblocked')!;

/** EC2 holding the setting; Enable and Disable apply at once. */
function setting(initial: string, managedBy = 'account') {
  const state = { value: initial };
  ec2.on(GetImageBlockPublicAccessStateCommand).callsFake(() => ({ ImageBlockPublicAccessState: state.value, ManagedBy: managedBy }));
  ec2.on(EnableImageBlockPublicAccessCommand).callsFake(() => { state.value = 'block-new-sharing'; return { ImageBlockPublicAccessState: state.value }; });
  ec2.on(DisableImageBlockPublicAccessCommand).callsFake(() => { state.value = 'unblocked'; return { ImageBlockPublicAccessState: state.value }; });
  return state;
}

const send = (RequestType: string, extra: object = {}) => cfn().send({
  RequestType, LogicalResourceId: 'Guard', ResourceType: TYPE, ResourceProperties: {}, ...extra,
} as any);

beforeEach(() => { process.env.AWS_REGION = 'us-east-1'; });

test('Create remembers the state it found in the physical id, with the Region', async () => {
  setting('unblocked');
  expect(await send('Create')).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FOUND_UNBLOCKED, Data: { State: 'block-new-sharing' } });
  expect(ec2).toHaveReceivedCommandWith(EnableImageBlockPublicAccessCommand, { ImageBlockPublicAccessState: 'block-new-sharing' });
});

test('Update keeps the physical id of the first deployment, even when the setting was turned off by hand since', async () => {
  const state = setting('unblocked');
  const foundBlocked = foundStatePhysicalId('ImageBlockPublicAccess', 'us-east-1', 'block-new-sharing')!;
  const answer = await send('Update', { PhysicalResourceId: foundBlocked, OldResourceProperties: {}, ResourceProperties: { RestoreOnDelete: 'true' } });
  expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: foundBlocked });
  expect(state.value).toBe('block-new-sharing');
});

test('an Update of a resource whose Create failed remembers what it finds now', async () => {
  setting('unblocked');
  expect(await send('Update', { PhysicalResourceId: 'Guard-not-created', OldResourceProperties: {} }))
    .toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: FOUND_UNBLOCKED });
});

test('Delete without RestoreOnDelete, or of a resource never created, makes no call', async () => {
  setting('block-new-sharing');
  expect(await send('Delete', { PhysicalResourceId: FOUND_UNBLOCKED })).toMatchObject({ Status: 'SUCCESS' });
  expect(await send('Delete', { PhysicalResourceId: 'Guard-not-created', ResourceProperties: { RestoreOnDelete: 'true' } })).toMatchObject({ Status: 'SUCCESS' });
  expect(ec2.calls()).toHaveLength(0);
});

test('Delete with RestoreOnDelete puts back what was found', async () => {
  const state = setting('block-new-sharing');
  expect(await send('Delete', { PhysicalResourceId: FOUND_UNBLOCKED, ResourceProperties: { RestoreOnDelete: 'true' } })).toMatchObject({ Status: 'SUCCESS' });
  expect(ec2).toHaveReceivedCommandTimes(DisableImageBlockPublicAccessCommand, 1);
  expect(state.value).toBe('unblocked');
});

test.each([
  [{ RestoreOnDelete: 'yes' }, "RestoreOnDelete: 'yes' is not true or false"],
  [{ State: 'unblocked' }, "State: unknown property 'State' (expected RestoreOnDelete)"],
])('bad properties %j: FAILED before any call', async (properties, reason) => {
  setting('unblocked');
  expect(await send('Create', { ResourceProperties: properties })).toMatchObject({ Status: 'FAILED', Reason: reason });
  expect(ec2.calls()).toHaveLength(0);
});

test('a refused Enable: FAILED naming the call, with where the access comes from', async () => {
  setting('unblocked');
  ec2.on(EnableImageBlockPublicAccessCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation'));
  expect(await send('Create')).toMatchObject({
    Status: 'FAILED',
    Reason: 'EnableImageBlockPublicAccess failed: UnauthorizedOperation: You are not authorized to perform this operation. The stack grants the '
      + "handler's role this access in its CdkAmiSharingHandler policies; a service control policy, permissions boundary or Region restriction may be denying it",
  });
});

test('a denied first read is waited out (the policy may be as new as the deployment)', async () => {
  setting('block-new-sharing');
  ec2.on(GetImageBlockPublicAccessStateCommand)
    .rejectsOnce(awsError('UnauthorizedOperation'))
    .resolves({ ImageBlockPublicAccessState: 'block-new-sharing', ManagedBy: 'account' });
  expect(await send('Create')).toMatchObject({ Status: 'SUCCESS' });
  expect(ec2).toHaveReceivedCommandTimes(GetImageBlockPublicAccessStateCommand, 2);
});
