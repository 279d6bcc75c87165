// The handler's Create / Update / Delete paths and every EC2 error code it treats specially, with EC2 mocked.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import 'aws-sdk-client-mock-jest';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const IMAGE = 'ami-0123456789abcdef0';
const OTHER_IMAGE = 'ami-0fedcba9876543210';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';

/** EC2 as a live set that Modify calls change, so reads after writes see them. */
function liveEc2(initial: Array<Record<string, string>>) {
  let live = [...initial];
  const read = () => ({ ImageId: IMAGE, LaunchPermissions: live.map(p => ({ ...p })) });
  ec2.on(DescribeImageAttributeCommand).callsFake(read);
  ec2.on(ModifyImageAttributeCommand).callsFake(input => {
    const same = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(b);
    for (const r of input.LaunchPermission?.Remove ?? []) live = live.filter(p => !same(p, r));
    for (const a of input.LaunchPermission?.Add ?? []) if (!live.some(p => same(p, a))) live.push(a);
    return {};
  });
  return { live: () => live, read };
}

const props = (permissions: object[], mode = 'ADDITIVE', imageId = IMAGE) => ({ ImageId: imageId, Permissions: permissions, Mode: mode });
/** The events CloudFormation sends for the resource 'Share'. */
const createEvent = (properties: object) => ({ RequestType: 'Create', LogicalResourceId: 'Share', ResourceType: 'Custom::AmiLaunchPermissions', ResourceProperties: properties }) as any;
const updateEvent = (physicalId: string, properties: object, old: object) => ({
  RequestType: 'Update',
  LogicalResourceId: 'Share',
  ResourceType: 'Custom::AmiLaunchPermissions',
  PhysicalResourceId: physicalId,
  ResourceProperties: properties,
  OldResourceProperties: old,
}) as any;
const deleteEvent = (physicalId: string, properties: object) => ({
  RequestType: 'Delete',
  LogicalResourceId: 'Share',
  ResourceType: 'Custom::AmiLaunchPermissions',
  PhysicalResourceId: physicalId,
  ResourceProperties: properties,
}) as any;
const modifies = () => ec2.commandCalls(ModifyImageAttributeCommand).map(c => c.args[0].input.LaunchPermission);

describe('Create', () => {
  test('adds only what is missing in one call, verifies, and answers with an image-derived physical id', async () => {
    const state = liveEc2([{ UserId: B }]);
    const answer = await cfn().send(createEvent(props([{ UserId: A }, { UserId: B }, { OrganizationArn: ORG }])));
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${IMAGE}/launchPermission`, Data: { ImageId: IMAGE, Principals: 3 } });
    expect(modifies()).toEqual([{ Add: [{ OrganizationArn: ORG }, { UserId: A }] }]);
    expect(ec2).toHaveReceivedCommandTimes(DescribeImageAttributeCommand, 2);
    expect(state.live()).toHaveLength(3);
  });

  test('makes no ModifyImageAttribute call when nothing differs, and reads once', async () => {
    liveEc2([{ UserId: A }]);
    const answer = await cfn().send(createEvent(props([{ UserId: A }])));
    expect(answer.Status).toBe('SUCCESS');
    expect(ec2).toHaveReceivedCommandTimes(ModifyImageAttributeCommand, 0);
    expect(ec2).toHaveReceivedCommandTimes(DescribeImageAttributeCommand, 1);
  });

  test('EXCLUSIVE removes before it adds', async () => {
    const state = liveEc2([{ UserId: B }, { Group: 'all' }]);
    const answer = await cfn().send(createEvent(props([{ UserId: A }], 'EXCLUSIVE')));
    expect(answer.Status).toBe('SUCCESS');
    expect(modifies()).toEqual([{ Remove: [{ Group: 'all' }, { UserId: B }] }, { Add: [{ UserId: A }] }]);
    expect(state.live()).toEqual([{ UserId: A }]);
  });

  test('bad properties: FAILED naming the property and value, and no EC2 call at all', async () => {
    liveEc2([]);
    const answer = await cfn().send(createEvent(props([{ UserId: A }, { OrganizationArn: 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij' }])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toBe("Permissions[1].OrganizationArn: 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij' is an organizational unit ARN, not an organization ARN; use LaunchPermission.organizationalUnit()");
    expect(answer.PhysicalResourceId).toBe('Share-not-created');
    expect(ec2.calls()).toHaveLength(0);
  });

  test('an AMI that never appears: FAILED saying so once the patience runs out', async () => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError('InvalidAMIID.NotFound', `The image id '[${IMAGE}]' does not exist`));
    const answer = await cfn(21_500).send(createEvent(props([{ UserId: A }])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain(`ImageId: AMI ${IMAGE} does not exist in this account and Region (InvalidAMIID.NotFound`);
    expect(ec2).toHaveReceivedCommandTimes(ModifyImageAttributeCommand, 0);
  });

  test.each([
    ['InvalidAMIAttributeItemValue', 'Invalid attribute item value "o-abcdefghij" for organizationArn item type.'],
    ['UnauthorizedOperation', 'You are not authorized to perform this operation.'],
    ['OperationNotPermitted', 'Image block public access is enabled'],
  ])('a Modify that EC2 refuses with %s: FAILED with the code and message', async (code, message) => {
    liveEc2([]);
    ec2.on(ModifyImageAttributeCommand).rejects(awsError(code, message));
    const answer = await cfn().send(createEvent(props([{ UserId: A }])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toBe(`ModifyImageAttribute (add 1 launch permission) on ${IMAGE} failed: ${code}: ${message}`);
  });

  // IAM is eventually consistent: the handler's policies may have been created or changed by this very deployment.
  test('a first read denied while IAM applies the handler\'s new policy: waits, then converges', async () => {
    const state = liveEc2([]);
    ec2.on(DescribeImageAttributeCommand)
      .rejectsOnce(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'))
      .callsFake(state.read);
    const started = Date.now();
    const answer = await cfn().send(createEvent(props([{ UserId: A }])));
    expect(answer.Status).toBe('SUCCESS');
    expect(Date.now() - started).toBeGreaterThanOrEqual(450); // the first backoff: at least half of 1 s
    expect(ec2).toHaveReceivedCommandTimes(DescribeImageAttributeCommand, 3);
    expect(state.live()).toEqual([{ UserId: A }]);
  });

  test('a denial that outlasts the wait: FAILED saying what grants the access and what may block it, no write', async () => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const answer = await cfn(21_500).send(createEvent(props([{ UserId: A }])));
    expect(answer).toMatchObject({
      Status: 'FAILED',
      Reason: `DescribeImageAttribute launchPermission of ${IMAGE} failed: UnauthorizedOperation: You are not authorized to perform this `
        + 'operation.. The stack grants the handler\'s role this access in its CdkAmiSharingHandler policies; a service control policy, '
        + 'permissions boundary or Region restriction may be denying it',
    });
    expect(ec2.commandCalls(DescribeImageAttributeCommand).length).toBeGreaterThan(1);
    expect(ec2).toHaveReceivedCommandTimes(ModifyImageAttributeCommand, 0);
  });

  test('the public-sharing checks wait out a denial too: their policy comes with the first publicAccess()', async () => {
    const state = liveEc2([]);
    ec2.on(GetImageBlockPublicAccessStateCommand)
      .rejectsOnce(awsError('UnauthorizedOperation', 'not authorized'))
      .resolves({ ImageBlockPublicAccessState: 'unblocked' });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: IMAGE, ProductCodes: [] }] });
    const answer = await cfn().send(createEvent(props([{ Group: 'all' }])));
    expect(answer.Status).toBe('SUCCESS');
    expect(ec2).toHaveReceivedCommandTimes(GetImageBlockPublicAccessStateCommand, 2);
    expect(state.live()).toEqual([{ Group: 'all' }]);
  });

  test('a public-sharing check that stays denied: FAILED naming the check, no write', async () => {
    liveEc2([]);
    ec2.on(GetImageBlockPublicAccessStateCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    const answer = await cfn(21_500).send(createEvent(props([{ Group: 'all' }])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(/^Permissions: the check before making an AMI public \(GetImageBlockPublicAccessState\) failed: UnauthorizedOperation: not authorized\. The stack grants/);
    expect(ec2).toHaveReceivedCommandTimes(ModifyImageAttributeCommand, 0);
  });

  test('a write EC2 accepted but never shows: FAILED saying what is still different', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
    ec2.on(ModifyImageAttributeCommand).resolves({});
    const answer = await cfn(22_000).send(createEvent(props([{ UserId: A }])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(new RegExp(`launch permissions of ${IMAGE} did not converge within the time budget after \\d+ reads: UserId:${A} is not live yet$`));
    // Not undone: CloudFormation's rollback Delete of a failed Create carries the properties and revokes them.
    expect(modifies()).toEqual([{ Add: [{ UserId: A }] }]);
  });
});

describe('Update', () => {
  test('ADDITIVE revokes what the previous declaration dropped and keeps outsiders and the physical id', async () => {
    const state = liveEc2([{ UserId: A }, { UserId: B }, { UserId: C }]);
    const answer = await cfn().send(updateEvent('kept-id', props([{ UserId: A }]), props([{ UserId: A }, { UserId: B }])));
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'kept-id' });
    expect(modifies()).toEqual([{ Remove: [{ UserId: B }] }]);
    expect(state.live()).toEqual([{ UserId: A }, { UserId: C }]);
  });

  test('a new image is a new physical resource and the old declaration is not applied to it', async () => {
    liveEc2([{ UserId: B }]);
    const answer = await cfn().send(updateEvent(`${IMAGE}/launchPermission`, props([{ UserId: A }], 'ADDITIVE', OTHER_IMAGE), props([{ UserId: A }, { UserId: B }])));
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${OTHER_IMAGE}/launchPermission` });
    expect(modifies()).toEqual([{ Add: [{ UserId: A }] }]);
    expect(ec2.commandCalls(ModifyImageAttributeCommand)[0].args[0].input.ImageId).toBe(OTHER_IMAGE);
  });

  /** An Update that moves the resource from IMAGE to OTHER_IMAGE, whose reads never show the handler's writes. */
  const failingMove = (mode: string) => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [{ UserId: B }] });
    return cfn(22_000).send(updateEvent(`${IMAGE}/launchPermission`, props([{ UserId: A }], mode, OTHER_IMAGE), props([{ UserId: A }])));
  };

  test('a move to a new image that fails undoes its writes there, newest first: CloudFormation never revisits it', async () => {
    ec2.on(ModifyImageAttributeCommand).resolves({});
    const answer = await failingMove('EXCLUSIVE');
    expect(answer).toMatchObject({ Status: 'FAILED', PhysicalResourceId: `${IMAGE}/launchPermission` });
    expect(answer.Reason).toMatch(new RegExp(`^launch permissions of ${OTHER_IMAGE} did not converge .*: UserId:${A} is not live yet; `
      + `UserId:${B} is still live\\. This request's 2 writes to ${OTHER_IMAGE} were undone$`));
    expect(modifies()).toEqual([{ Remove: [{ UserId: B }] }, { Add: [{ UserId: A }] }, { Remove: [{ UserId: A }] }, { Add: [{ UserId: B }] }]);
    expect(ec2.commandCalls(ModifyImageAttributeCommand).every(c => c.args[0].input.ImageId === OTHER_IMAGE)).toBe(true);
  });

  test('when the undo fails too, the reason says so and asks for a look at the AMI', async () => {
    ec2.on(ModifyImageAttributeCommand).resolvesOnce({}).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    const answer = await failingMove('ADDITIVE');
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain(`Undoing this request's 1 write to ${OTHER_IMAGE} failed too (ModifyImageAttribute (remove 1 launch permission) `
      + `on ${OTHER_IMAGE} failed: UnauthorizedOperation: not authorized): CloudFormation will not revisit that AMI, check it by hand`);
    expect(modifies()).toEqual([{ Add: [{ UserId: A }] }, { Remove: [{ UserId: A }] }]);
  });

  test('a failed Update of the same image keeps its writes: the rollback Update re-converges that image', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
    ec2.on(ModifyImageAttributeCommand).resolves({});
    const answer = await cfn(22_000).send(updateEvent(`${IMAGE}/launchPermission`, props([{ UserId: A }]), props([])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).not.toContain('undone');
    expect(modifies()).toEqual([{ Add: [{ UserId: A }] }]);
  });

  test('a move to an image that is deregistered mid-way fails without trying to undo', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [{ UserId: B }] });
    ec2.on(ModifyImageAttributeCommand).resolvesOnce({}).rejects(awsError('InvalidAMIID.NotFound', 'gone'));
    const answer = await cfn().send(updateEvent(`${IMAGE}/launchPermission`, props([{ UserId: A }], 'EXCLUSIVE', OTHER_IMAGE), props([{ UserId: A }])));
    expect(answer).toMatchObject({ Status: 'FAILED', Reason: 'InvalidAMIID.NotFound: gone' });
    expect(modifies()).toEqual([{ Remove: [{ UserId: B }] }, { Add: [{ UserId: A }] }]);
  });
});

describe('Delete', () => {
  test('revokes the declared principals that are live, nothing else', async () => {
    const state = liveEc2([{ UserId: A }, { UserId: C }]);
    const answer = await cfn().send(deleteEvent('p', props([{ UserId: A }, { UserId: B }])));
    expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'p' });
    expect(modifies()).toEqual([{ Remove: [{ UserId: A }] }]);
    expect(state.live()).toEqual([{ UserId: C }]);
  });

  test.each(['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable'])('an AMI that is gone (%s on describe) is success', async code => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError(code));
    const answer = await cfn().send(deleteEvent('p', props([{ UserId: A }])));
    expect(answer.Status).toBe('SUCCESS');
  });

  test('an AMI deregistered between the read and the write is success', async () => {
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [{ UserId: A }] });
    ec2.on(ModifyImageAttributeCommand).rejects(awsError('InvalidAMIID.NotFound'));
    const answer = await cfn().send(deleteEvent('p', props([{ UserId: A }])));
    expect(answer.Status).toBe('SUCCESS');
  });

  test('other errors on Delete fail loudly', async () => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError('InvalidParameterValue', 'bad'));
    const answer = await cfn().send(deleteEvent('p', props([{ UserId: A }])));
    expect(answer).toMatchObject({ Status: 'FAILED', Reason: 'InvalidParameterValue: bad' });
  });

  test('a Delete the role is refused: FAILED saying what may deny it and what to do by hand', async () => {
    ec2.on(DescribeImageAttributeCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    const answer = await cfn().send(deleteEvent('p', props([{ UserId: A }, { UserId: B }])));
    expect(answer).toMatchObject({
      Status: 'FAILED',
      Reason: 'UnauthorizedOperation: not authorized. The stack grants the handler\'s role this access in its CdkAmiSharingHandler '
        + 'policies; a service control policy, permissions boundary or Region restriction may be denying it. The handler could not '
        + `revoke the launch permissions this resource declared (2) on ${IMAGE}; if ${IMAGE} still exists, do it by hand`,
    });
    expect(ec2.commandCalls(DescribeImageAttributeCommand)).toHaveLength(1); // no waiting: this denial does not pass
  });

  test('a declaration that never validated has nothing to revoke: success without any EC2 call', async () => {
    const answer = await cfn().send(deleteEvent('Share-not-created', props([{ UserId: '12345' }])));
    expect(answer.Status).toBe('SUCCESS');
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('the answer to CloudFormation', () => {
  test('stays under 4,096 bytes with 1,000 principals and a long failure reason', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ UserId: String(100000000000 + i) }));
    ec2.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
    ec2.on(ModifyImageAttributeCommand).resolves({});
    const ok = await cfn(22_000).send(createEvent(props(many)));
    expect(ok.Status).toBe('FAILED');
    expect(ok.bytes).toBeLessThanOrEqual(4096);
    expect(ok.Reason).toContain('and 990 more');

    const tooMany = [...many, { UserId: '999999999999' }, ...many.slice(0, 50)];
    const bad = await cfn().send(createEvent(props(tooMany)));
    expect(bad.Status).toBe('FAILED');
    expect(bad.bytes).toBeLessThanOrEqual(4096);
    expect(bad.Reason).toContain('...(truncated)');
  });

  test('is a PUT with an empty content type', async () => {
    liveEc2([]);
    const answer: any = await cfn().send(createEvent(props([])));
    expect(answer.method).toBe('PUT');
    expect(answer.contentType).toBe('');
  });

  test('an unknown RequestType or ResourceType gets FAILED with a reason', async () => {
    const a = await cfn().send({ RequestType: 'Rollback', LogicalResourceId: 'Share', ResourceType: 'Custom::AmiLaunchPermissions', ResourceProperties: props([]) } as any);
    expect(a).toMatchObject({ Status: 'FAILED', Reason: 'RequestType: "Rollback" is not Create, Update or Delete' });
    const b = await cfn().send({ RequestType: 'Create', LogicalResourceId: 'Share', ResourceType: 'Custom::Other', ResourceProperties: props([]) } as any);
    expect(b).toMatchObject({ Status: 'FAILED', Reason: 'ResourceType: "Custom::Other" is not handled by cdk-ami-sharing' });
    expect(ec2.calls()).toHaveLength(0);
  });

  test('a handler that would run out of time answers FAILED itself, exactly once', async () => {
    ec2.on(DescribeImageAttributeCommand).callsFake(() => new Promise(resolve => setTimeout(() => resolve({ LaunchPermissions: [] }), 1500)));
    ec2.on(ModifyImageAttributeCommand).resolves({});
    const answer = await cfn(9_000).send(createEvent(props([{ UserId: A }])));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain('ran out of time');
  });

  test('logs one JSON line per outcome with the image, the counts, who gained and lost access, and the outcome', async () => {
    liveEc2([{ UserId: B }]);
    const logSpy = jest.spyOn(console, 'log');
    await cfn().send(createEvent(props([{ UserId: A }, { UserId: C }])));
    const lines = logSpy.mock.calls.map(c => JSON.parse(String(c[0])));
    expect(lines.find(l => l.message === 'answer')).toEqual({
      level: 'INFO',
      message: 'answer',
      requestType: 'Create',
      resourceType: 'Custom::AmiLaunchPermissions',
      logicalResourceId: 'Share',
      imageId: IMAGE,
      status: 'SUCCESS',
      durationMs: expect.any(Number),
      added: 2,
      removed: 0,
      addedKeys: [`UserId:${A}`, `UserId:${C}`],
      removedKeys: [],
      writes: 1,
    });

    const errorSpy = jest.spyOn(console, 'error');
    await cfn().send(createEvent(props([{ UserId: 'x' }])));
    expect(JSON.parse(String(errorSpy.mock.calls.at(-1)![0]))).toMatchObject({
      level: 'ERROR', message: 'answer', imageId: IMAGE, status: 'FAILED', reason: "Permissions[0].UserId: 'x' is not a 12-digit AWS account id",
    });
  });

  test('never logs the ResponseURL', async () => {
    liveEc2([]);
    const logSpy = jest.spyOn(console, 'log');
    const errorSpy = jest.spyOn(console, 'error');
    await cfn().send(createEvent(props([{ UserId: A }])));
    await cfn().send(createEvent(props([{ UserId: 'x' }])));
    const logged = [...logSpy.mock.calls, ...errorSpy.mock.calls].map(c => String(c[0]));
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) {
      expect(line).not.toContain('127.0.0.1');
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});
