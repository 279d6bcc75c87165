// Deregistration protection: the decision and the physical id tested directly (no EC2), then
// Custom::AmiDeregistrationProtection with EC2 mocked.
import { DescribeImagesCommand, DisableImageDeregistrationProtectionCommand, EnableImageDeregistrationProtectionCommand } from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { parseProtectionPhysicalId, protectionPhysicalId } from '../../lambda/deregistration-protection/original';
import { parseProtection, planProtection } from '../../lambda/deregistration-protection/plan';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const IMAGE = 'ami-0123456789abcdef0';

describe('parseProtection', () => {
  test.each([
    [undefined, { state: 'disabled' }],
    ['disabled', { state: 'disabled' }],
    ['enabled-without-cooldown', { state: 'enabled-without-cooldown' }],
    ['enabled-with-cooldown', { state: 'enabled-with-cooldown' }],
    ['disabled-until 2030-03-02T12:00:00.000Z', { state: 'disabled', protectedUntil: new Date('2030-03-02T12:00:00.000Z') }],
  ])('%s', (value, live) => {
    expect(parseProtection(value)).toEqual(live);
  });

  test('an unknown value is an error, not a guess', () => {
    expect(() => parseProtection('enabled-forever')).toThrow('EC2 reported a deregistration protection this handler does not know: "enabled-forever"');
  });
});

describe('planProtection', () => {
  test('already as declared: no call (a running cooldown is not a setting)', () => {
    expect(planProtection('enabled-with-cooldown', { state: 'enabled-with-cooldown' })).toEqual({ action: 'none' });
    expect(planProtection('disabled', { state: 'disabled', protectedUntil: new Date() })).toEqual({ action: 'none' });
  });

  test('one call otherwise, also to switch the cooldown', () => {
    expect(planProtection('enabled-with-cooldown', { state: 'disabled' })).toEqual({ action: 'enable', withCooldown: true });
    expect(planProtection('enabled-without-cooldown', { state: 'enabled-with-cooldown' })).toEqual({ action: 'enable', withCooldown: false });
    expect(planProtection('disabled', { state: 'enabled-without-cooldown' })).toEqual({ action: 'disable' });
  });
});

describe('the physical id', () => {
  test('keeps the original setting', () => {
    const id = protectionPhysicalId(IMAGE, 'enabled-with-cooldown');
    expect(id).toBe(`${IMAGE}/deregistration-protection/enabled-with-cooldown`);
    expect(parseProtectionPhysicalId(id)).toEqual({ imageId: IMAGE, original: 'enabled-with-cooldown' });
  });

  test('an id it did not make is not parsed', () => {
    expect(parseProtectionPhysicalId('Protect-not-created')).toBeUndefined();
    expect(parseProtectionPhysicalId(`${IMAGE}/deregistration-protection/sometimes`)).toBeUndefined();
  });
});

describe('Custom::AmiDeregistrationProtection', () => {
  const { ec2, cfn } = useMockedHandler();

  function image(initial: string | undefined) {
    const state = { value: initial };
    ec2.on(DescribeImagesCommand).callsFake(() => ({ Images: [{ ImageId: IMAGE, DeregistrationProtection: state.value }] }));
    ec2.on(EnableImageDeregistrationProtectionCommand).callsFake(input => {
      state.value = input.WithCooldown ? 'enabled-with-cooldown' : 'enabled-without-cooldown';
      return { Return: 'true' };
    });
    ec2.on(DisableImageDeregistrationProtectionCommand).callsFake(() => { state.value = 'disabled'; return { Return: 'true' }; });
    return state;
  }
  const send = (RequestType: string, extra: object) => cfn().send({
    RequestType, LogicalResourceId: 'Protect', ResourceType: 'Custom::AmiDeregistrationProtection', ...extra,
  } as any);
  const props = (WithCooldown: string) => ({ ImageId: IMAGE, WithCooldown });
  const writes = () => ec2.commandCalls(EnableImageDeregistrationProtectionCommand).length
    + ec2.commandCalls(DisableImageDeregistrationProtectionCommand).length;

  test('Create enables it with the cooldown, reads it back, and remembers that it was off', async () => {
    const state = image(undefined);
    expect(await send('Create', { ResourceProperties: props('true') })).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: protectionPhysicalId(IMAGE, 'disabled'),
      Data: { ImageId: IMAGE, DeregistrationProtection: 'enabled-with-cooldown' },
    });
    expect(ec2).toHaveReceivedCommandWith(EnableImageDeregistrationProtectionCommand, { ImageId: IMAGE, WithCooldown: true });
    expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
    expect(state.value).toBe('enabled-with-cooldown');
  });

  test('already protected as declared: one read, no write', async () => {
    image('enabled-without-cooldown');
    expect(await send('Create', { ResourceProperties: props('false') })).toMatchObject({ Status: 'SUCCESS' });
    expect(writes()).toBe(0);
    expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
  });

  test('Delete restores what the AMI had: off', async () => {
    const state = image('enabled-with-cooldown');
    expect((await send('Delete', { PhysicalResourceId: protectionPhysicalId(IMAGE, 'disabled'), ResourceProperties: props('true') })).Status)
      .toBe('SUCCESS');
    expect(ec2).toHaveReceivedCommandWith(DisableImageDeregistrationProtectionCommand, { ImageId: IMAGE });
    expect(state.value).toBe('disabled');
  });

  test('Delete restores what the AMI had: protected without cooldown (no disable)', async () => {
    const state = image('enabled-with-cooldown');
    expect((await send('Delete', {
      PhysicalResourceId: protectionPhysicalId(IMAGE, 'enabled-without-cooldown'), ResourceProperties: props('true'),
    })).Status).toBe('SUCCESS');
    expect(ec2).toHaveReceivedCommandTimes(DisableImageDeregistrationProtectionCommand, 0);
    expect(state.value).toBe('enabled-without-cooldown');
  });

  test('Delete when the AMI is gone is success', async () => {
    ec2.on(DescribeImagesCommand).rejects(awsError('InvalidAMIID.NotFound'));
    expect((await send('Delete', { PhysicalResourceId: protectionPhysicalId(IMAGE, 'disabled'), ResourceProperties: props('false') })).Status)
      .toBe('SUCCESS');
  });

  test('bad properties, all named at once, before any EC2 request', async () => {
    const answer = await send('Create', { ResourceProperties: { ImageId: IMAGE, WithCooldown: 'yes', Cooldown: '24h' } });
    expect(answer).toMatchObject({
      Status: 'FAILED',
      Reason: "2 problems: Cooldown: unknown property 'Cooldown' (expected ImageId, WithCooldown); WithCooldown: 'yes' is not true or false",
    });
    expect(ec2.calls()).toHaveLength(0);
  });

  test('a refused write: FAILED with the action, code and message', async () => {
    image(undefined);
    ec2.on(EnableImageDeregistrationProtectionCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    expect(await send('Create', { ResourceProperties: props('false') })).toMatchObject({
      Status: 'FAILED', Reason: `EnableImageDeregistrationProtection on ${IMAGE} failed: UnauthorizedOperation: not authorized`,
    });
  });
});
