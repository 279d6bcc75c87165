// Custom::AllowedImages with EC2 mocked: what reaches the SDK, physical ids across Updates, what Delete touches, and
// found settings that could not be written back.
import {
  DisableAllowedImagesSettingsCommand,
  EnableAllowedImagesSettingsCommand,
  GetAllowedImagesSettingsCommand,
  ImageCriterion,
  ReplaceImageCriteriaInAllowedImagesSettingsCommand,
} from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { foundStatePhysicalId } from '../../lambda/account-settings/found-state';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const TYPE = 'Custom::AllowedImages';

/** EC2 holding the settings; writes apply at once. */
function settings(initial: { State: string; ImageCriteria: ImageCriterion[] }) {
  const live = { ...initial };
  ec2.on(GetAllowedImagesSettingsCommand).callsFake(() => ({ ...live, ManagedBy: 'account' }));
  ec2.on(EnableAllowedImagesSettingsCommand).callsFake(input => { live.State = input.AllowedImagesSettingsState; return {}; });
  ec2.on(DisableAllowedImagesSettingsCommand).callsFake(() => { live.State = 'disabled'; return {}; });
  ec2.on(ReplaceImageCriteriaInAllowedImagesSettingsCommand).callsFake(input => {
    live.ImageCriteria = input.ImageCriteria ?? [];
    return { ReturnValue: true };
  });
  return live;
}

const send = (RequestType: string, extra: object = {}) => cfn().send({
  RequestType, LogicalResourceId: 'Allowed', ResourceType: TYPE, ...extra,
} as any);
// As CloudFormation hands them over: numbers and booleans as strings.
const PROPS = { State: 'enabled', ImageCriteria: [{ ImageProviders: ['amazon'], CreationDateCondition: { MaximumDaysSinceCreated: '30' } }], RestoreOnDelete: 'true' };

beforeEach(() => { process.env.AWS_REGION = 'eu-west-1'; });

test('numbers reach EC2 as numbers; the physical id remembers what was found', async () => {
  settings({ State: 'disabled', ImageCriteria: [] });
  expect(await send('Create', { ResourceProperties: PROPS })).toMatchObject({
    Status: 'SUCCESS', PhysicalResourceId: foundStatePhysicalId('AllowedImages', 'eu-west-1', { state: 'disabled', criteria: [] }),
  });
  expect(ec2).toHaveReceivedCommandWith(ReplaceImageCriteriaInAllowedImagesSettingsCommand,
    { ImageCriteria: [{ ImageProviders: ['amazon'], CreationDateCondition: { MaximumDaysSinceCreated: 30 } }] });
  expect(ec2).toHaveReceivedCommandWith(EnableAllowedImagesSettingsCommand, { AllowedImagesSettingsState: 'enabled' });
});

test('an Update keeps the first deployment\'s physical id', async () => {
  settings({ State: 'enabled', ImageCriteria: [{ ImageProviders: ['amazon'], CreationDateCondition: { MaximumDaysSinceCreated: 30 } }] });
  const first = foundStatePhysicalId('AllowedImages', 'eu-west-1', { state: 'audit-mode', criteria: [{ ImageProviders: ['aws-marketplace'] }] })!;
  expect(await send('Update', { PhysicalResourceId: first, ResourceProperties: PROPS, OldResourceProperties: PROPS }))
    .toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first });
  expect(ec2).toHaveReceivedCommandTimes(GetAllowedImagesSettingsCommand, 1);
});

test('without RestoreOnDelete nothing is remembered, and Delete makes no call', async () => {
  settings({ State: 'disabled', ImageCriteria: [] });
  const { RestoreOnDelete: _, ...retained } = PROPS;
  const created = await send('Create', { ResourceProperties: retained });
  expect(created).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'AllowedImages/eu-west-1/retained' });
  ec2.resetHistory();
  expect(await send('Delete', { PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: retained })).toMatchObject({ Status: 'SUCCESS' });
  expect(ec2.calls()).toHaveLength(0);
});

test('found criteria the library cannot write back (image watermarks): FAILED before any write, unless retained', async () => {
  settings({ State: 'enabled', ImageCriteria: [{ ImageProviders: ['amazon'], ImageWatermarks: [{ Key: 'k' }] } as unknown as ImageCriterion] });
  expect(await send('Create', { ResourceProperties: PROPS })).toMatchObject({
    Status: 'FAILED',
    Reason: 'RemovalPolicy: the Allowed AMIs settings this account and Region have now (1 criteria, 1 values) cannot be put back on Delete: '
      + 'their criteria use ImageWatermarks, which AllowedImages cannot write back. Use removalPolicy RemovalPolicy.RETAIN, or record them '
      + 'yourself (aws ec2 get-allowed-images-settings); nothing was changed',
  });
  expect(ec2).toHaveReceivedCommandTimes(ReplaceImageCriteriaInAllowedImagesSettingsCommand, 0);
  const { RestoreOnDelete: _, ...retained } = PROPS;
  expect(await send('Create', { ResourceProperties: retained })).toMatchObject({ Status: 'SUCCESS' });
  expect(ec2).toHaveReceivedCommandTimes(ReplaceImageCriteriaInAllowedImagesSettingsCommand, 1);
});

test('a refused Replace: FAILED naming the call', async () => {
  settings({ State: 'disabled', ImageCriteria: [] });
  ec2.on(ReplaceImageCriteriaInAllowedImagesSettingsCommand).rejects(awsError('InvalidParameterValue', 'The image provider is not valid'));
  expect(await send('Create', { ResourceProperties: PROPS })).toMatchObject({
    Status: 'FAILED', Reason: 'ReplaceImageCriteriaInAllowedImagesSettings failed: InvalidParameterValue: The image provider is not valid',
  });
  expect(ec2).toHaveReceivedCommandTimes(EnableAllowedImagesSettingsCommand, 0);
});
