// Custom::AmiDeprecation with EC2 mocked: calls made, physical ids, refusals before any write, and Delete.
import { DescribeImagesCommand, DisableImageDeprecationCommand, EnableImageDeprecationCommand } from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { deprecationPhysicalId } from '../../lambda/deprecation/original';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const IMAGE = 'ami-0123456789abcdef0';
const MINUTE = 60_000;
/** Times relative to the real clock, which the handler reads: whole minutes, well clear of the present. */
const inDays = (days: number) => new Date(Math.floor(Date.now() / MINUTE) * MINUTE + days * 86_400_000);

/** EC2 holding one AMI's deprecation, changed by Enable / Disable calls. */
function image(initial: { deprecationTime?: Date; public?: boolean; created?: Date }) {
  const state = { ...initial };
  ec2.on(DescribeImagesCommand).callsFake(() => ({
    Images: [{
      ImageId: IMAGE,
      Public: state.public ?? false,
      CreationDate: (state.created ?? inDays(-30)).toISOString(),
      DeprecationTime: state.deprecationTime?.toISOString(),
    }],
  }));
  ec2.on(EnableImageDeprecationCommand).callsFake(input => { state.deprecationTime = input.DeprecateAt; return { Return: true }; });
  ec2.on(DisableImageDeprecationCommand).callsFake(() => { state.deprecationTime = undefined; return { Return: true }; });
  return state;
}

const props = (deprecateAt: Date | string) => ({ ImageId: IMAGE, DeprecateAt: typeof deprecateAt === 'string' ? deprecateAt : deprecateAt.toISOString() });
const send = (RequestType: string, extra: object) => cfn().send({
  RequestType, LogicalResourceId: 'Deprecation', ResourceType: 'Custom::AmiDeprecation', ...extra,
} as any);
const writes = () => ec2.commandCalls(EnableImageDeprecationCommand).length + ec2.commandCalls(DisableImageDeprecationCommand).length;

describe('Custom::AmiDeprecation', () => {
  test('Create sets the time, reads it back and remembers the original (none) in the physical id', async () => {
    const state = image({});
    const at = inDays(30);
    const answer = await send('Create', { ResourceProperties: props(at) });
    expect(answer).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: deprecationPhysicalId(IMAGE, undefined),
      Data: { ImageId: IMAGE, DeprecationTime: at.toISOString() },
    });
    expect(ec2).toHaveReceivedCommandWith(EnableImageDeprecationCommand, { ImageId: IMAGE, DeprecateAt: at });
    expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
    expect(state.deprecationTime).toEqual(at);
  });

  test('already at the declared time: one read, no write', async () => {
    const at = inDays(30);
    image({ deprecationTime: at });
    expect(await send('Create', { ResourceProperties: props(new Date(at.getTime() + 20_000)) })).toMatchObject({ Status: 'SUCCESS' });
    expect(writes()).toBe(0);
    expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
  });

  test('a time that has passed: deprecated at the earliest time (a minute or two away), and a redeploy writes nothing', async () => {
    const state = image({});
    const before = Date.now();
    const first = await send('Create', { ResourceProperties: props(inDays(-1)) });
    expect(first.Status).toBe('SUCCESS');
    const at = state.deprecationTime!;
    expect(at.getTime() % MINUTE).toBe(0);
    expect(at.getTime()).toBeGreaterThanOrEqual(before + MINUTE);
    expect(at.getTime()).toBeLessThanOrEqual(Date.now() + 2 * MINUTE);
    expect(first.Data).toEqual({ ImageId: IMAGE, DeprecationTime: at.toISOString() });

    ec2.resetHistory();
    const again = await send('Update', { PhysicalResourceId: first.PhysicalResourceId, ResourceProperties: props(inDays(-1)), OldResourceProperties: props(inDays(-1)) });
    expect(again).toMatchObject({ Status: 'SUCCESS', Data: first.Data });
    expect(writes()).toBe(0);
  });

  test('Update of the same image keeps the physical id, so the original survives', async () => {
    image({ deprecationTime: inDays(30) });
    const id = deprecationPhysicalId(IMAGE, inDays(400));
    const answer = await send('Update', { PhysicalResourceId: id, ResourceProperties: props(inDays(60)), OldResourceProperties: props(inDays(30)) });
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: id });
  });

  test('Delete restores the original time', async () => {
    const state = image({ deprecationTime: inDays(30) });
    const answer = await send('Delete', { PhysicalResourceId: deprecationPhysicalId(IMAGE, inDays(400)), ResourceProperties: props(inDays(30)) });
    expect(answer.Status).toBe('SUCCESS');
    expect(state.deprecationTime).toEqual(inDays(400));
  });

  test('Delete of an AMI that had none cancels the deprecation', async () => {
    const state = image({ deprecationTime: inDays(30) });
    expect((await send('Delete', { PhysicalResourceId: deprecationPhysicalId(IMAGE, undefined), ResourceProperties: props(inDays(30)) })).Status).toBe('SUCCESS');
    expect(ec2).toHaveReceivedCommandWith(DisableImageDeprecationCommand, { ImageId: IMAGE });
    expect(state.deprecationTime).toBeUndefined();
  });

  test('Delete of a public AMI that had none: cannot cancel, leaves it deprecated and succeeds with no write', async () => {
    const state = image({ deprecationTime: inDays(30), public: true });
    expect((await send('Delete', { PhysicalResourceId: deprecationPhysicalId(IMAGE, undefined), ResourceProperties: props(inDays(30)) })).Status).toBe('SUCCESS');
    expect(writes()).toBe(0);
    expect(state.deprecationTime).toEqual(inDays(30));
  });

  test.each(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'])('Delete when the AMI is gone (%s) is success', async code => {
    ec2.on(DescribeImagesCommand).rejects(awsError(code));
    expect(await send('Delete', { PhysicalResourceId: deprecationPhysicalId(IMAGE, undefined), ResourceProperties: props(inDays(1)) }))
      .toMatchObject({ Status: 'SUCCESS' });
  });

  test('a Delete the role is refused: FAILED naming what to restore by hand', async () => {
    ec2.on(DescribeImagesCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    const answer = await send('Delete', { PhysicalResourceId: deprecationPhysicalId(IMAGE, undefined), ResourceProperties: props(inDays(1)) });
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(new RegExp(`The handler could not set its deprecation time back to none on ${IMAGE}; if ${IMAGE} still exists, do it by hand$`));
  });

  describe('refusals: FAILED with the rule and what to do, no write', () => {
    test('a public AMI: more than 2 years after its creation', async () => {
      image({ public: true, created: inDays(-10) });
      const answer = await send('Create', { ResourceProperties: props(inDays(800)) });
      expect(answer.Status).toBe('FAILED');
      expect(answer.Reason).toMatch(/^DeprecateAt: .* is more than 2 years after ami-0123456789abcdef0 was created .*, or make the AMI private first$/);
      expect(writes()).toBe(0);
    });

    test('a public AMI: moved later', async () => {
      image({ public: true, deprecationTime: inDays(30) });
      const answer = await send('Create', { ResourceProperties: props(inDays(60)) });
      expect(answer.Reason).toMatch(/EC2 does not let a public AMI's deprecation be moved later .* make the AMI private first, or declare .* or earlier$/);
      expect(writes()).toBe(0);
    });

    test('more than 10 years from now (a value synth could not check, e.g. from an old template)', async () => {
      image({});
      const answer = await send('Create', { ResourceProperties: props(inDays(3660 + 3)) });
      expect(answer.Reason).toMatch(/^DeprecateAt: .* is more than 10 years from now/);
      // Checked before the first read: it needs no live state.
      expect(ec2.calls()).toHaveLength(0);
    });

    test('bad properties, all named at once', async () => {
      const answer = await send('Create', { ResourceProperties: { ImageId: 'ami-1', DeprecateAt: 'soon', Extra: 1 } });
      expect(answer.Status).toBe('FAILED');
      expect(answer.Reason).toBe("3 problems: Extra: unknown property 'Extra' (expected ImageId, DeprecateAt); "
        + "ImageId: 'ami-1' is not an AMI id (ami- followed by 8 or 17 lowercase hex characters); "
        + "DeprecateAt: 'soon' is not a UTC date and time (YYYY-MM-DDTHH:MM:SSZ)");
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  test('a Create that fails after its write puts the original back', async () => {
    // EC2 accepts the write but the reads never show it.
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: IMAGE, Public: false, CreationDate: inDays(-1).toISOString() }] });
    ec2.on(EnableImageDeprecationCommand).resolves({ Return: true });
    ec2.on(DisableImageDeprecationCommand).resolves({ Return: true });
    const answer = await cfn(22_000).send({
      RequestType: 'Create', LogicalResourceId: 'Deprecation', ResourceType: 'Custom::AmiDeprecation', ResourceProperties: props(inDays(30)),
    } as any);
    expect(answer).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'Deprecation-not-created' });
    expect(answer.Reason).toMatch(new RegExp(`^deprecation time of ${IMAGE} did not converge .*\\. This request's 1 write to ${IMAGE} was undone$`));
    expect(ec2).toHaveReceivedCommandTimes(DisableImageDeprecationCommand, 1);
  });

  test('a refused write: FAILED with the action, code and message', async () => {
    image({});
    ec2.on(EnableImageDeprecationCommand).rejects(awsError('InvalidParameterValue', 'bad time'));
    expect(await send('Create', { ResourceProperties: props(inDays(30)) })).toMatchObject({
      Status: 'FAILED', Reason: `EnableImageDeprecation on ${IMAGE} failed: InvalidParameterValue: bad time`,
    });
  });
});

test('a read the role is refused (after the wait for IAM): FAILED naming DescribeImages, no write', async () => {
  ec2.on(DescribeImagesCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
  // 22 s of invocation time leave 2 s of waiting for IAM before the handler gives up.
  const answer = await cfn(22_000).send({
    RequestType: 'Create', LogicalResourceId: 'Deprecation', ResourceType: 'Custom::AmiDeprecation', ResourceProperties: props(inDays(30)),
  } as any);
  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toMatch(new RegExp(`^DescribeImages \\(deprecation time\\) of ${IMAGE} failed: UnauthorizedOperation: not authorized\\. `));
  expect(writes()).toBe(0);
});
