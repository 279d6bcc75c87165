// The reads a share needs before its first write go out together when the declaration says they will be needed
// (one round trip, BENCHMARKS.md section 2), and wait for the plan otherwise, so a request that adds nothing never
// pays for the storage read.
import { DescribeImageAttributeCommand, DescribeImagesCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { readsStorageUpFront } from '../../lambda/encryption/plan';
import { parseLaunchPermissionsProperties } from '../../lambda/launch-permissions/properties';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const IMAGE = 'ami-0123456789abcdef0';
const [A, B] = ['111111111111', '222222222222'];
const props = (accounts: string[]) => ({ ImageId: IMAGE, Permissions: accounts.map(UserId => ({ UserId })), Mode: 'ADDITIVE' });
const event = (requestType: 'Create' | 'Update', properties: object, old?: object) => ({
  RequestType: requestType,
  LogicalResourceId: 'Share',
  ResourceType: 'Custom::AmiLaunchPermissions',
  PhysicalResourceId: `${IMAGE}/launchPermission`,
  ResourceProperties: properties,
  OldResourceProperties: old,
}) as any;

/** EC2 whose reads take a little while, recording when each call starts and ends. */
function timeline(live: string[]) {
  const events: string[] = [];
  const slow = async <T>(name: string, answer: () => T): Promise<T> => {
    events.push(`${name} sent`);
    await new Promise(resolve => setTimeout(resolve, 50));
    events.push(`${name} answered`);
    return answer();
  };
  ec2.on(DescribeImageAttributeCommand).callsFake(() => slow('DescribeImageAttribute',
    () => ({ ImageId: IMAGE, LaunchPermissions: live.map(UserId => ({ UserId })) })));
  ec2.on(DescribeImagesCommand).callsFake(() => slow('DescribeImages', () => ({
    Images: [{ ImageId: IMAGE, OwnerId: '123456789012', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0', Encrypted: false } }] }],
  })));
  ec2.on(ModifyImageAttributeCommand).callsFake(input => {
    events.push('ModifyImageAttribute');
    for (const p of input.LaunchPermission?.Add ?? []) live.push(p.UserId);
    for (const p of input.LaunchPermission?.Remove ?? []) live.splice(live.indexOf(p.UserId), 1);
    return {};
  });
  return events;
}

test('a Create that shares: the storage read is sent before the first read is answered, both before the write', async () => {
  const events = timeline([]);
  expect((await cfn().send(event('Create', props([A])))).Status).toBe('SUCCESS');
  expect(events.slice(0, 5)).toEqual([
    'DescribeImages sent', 'DescribeImageAttribute sent', 'DescribeImages answered', 'DescribeImageAttribute answered', 'ModifyImageAttribute',
  ]);
});

test('an Update that only drops a principal reads no storage', async () => {
  const events = timeline([A, B]);
  expect((await cfn().send(event('Update', props([A]), props([A, B])))).Status).toBe('SUCCESS');
  expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 0);
  expect(events).toContain('ModifyImageAttribute');
});

test('an unchanged declaration whose principal was removed by hand: the storage read waits for the plan, once', async () => {
  const events = timeline([]);
  expect((await cfn().send(event('Update', props([A]), props([A])))).Status).toBe('SUCCESS');
  expect(events.slice(0, 5)).toEqual([
    'DescribeImageAttribute sent', 'DescribeImageAttribute answered', 'DescribeImages sent', 'DescribeImages answered', 'ModifyImageAttribute',
  ]);
  expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
});

test('an up-front storage read that failed (an AMI EC2 did not show yet) is made again once the AMI is there', async () => {
  timeline([]);
  ec2.on(DescribeImagesCommand).rejectsOnce(awsError('InvalidAMIID.NotFound')).callsFake(() => ({
    Images: [{ ImageId: IMAGE, OwnerId: '123456789012', BlockDeviceMappings: [] }],
  }));
  expect((await cfn().send(event('Create', props([A])))).Status).toBe('SUCCESS');
  expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
});

test.each([
  ['a Create (no previous declaration)', props([A]), undefined, true],
  ['a new principal', props([A, B]), props([A]), true],
  ['the same principals', props([A]), props([A]), false],
  ['fewer principals', props([A]), props([A, B]), false],
  ['no principals', props([]), undefined, false],
  ['grants to manage, whatever the principals', { ...props([A]), AllowCopy: true }, { ...props([A]), AllowCopy: true }, true],
])('readsStorageUpFront: %s', (_case, desired, previous, expected) => {
  expect(readsStorageUpFront(parseLaunchPermissionsProperties(desired), previous && parseLaunchPermissionsProperties(previous))).toBe(expected);
});
