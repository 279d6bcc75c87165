// Scheduled enforcement (AmiSharingHandler.configure({ enforceEvery })): the real handler bundle, invoked with the
// schedule's event, reads its stack from the CloudFormation read peer (as deployed through the emulated
// CloudFormation) and converges each construct against the EC2 peer, with the handler role's policies enforced on
// both by the IAM policy evaluator.
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CfnParameter, Duration } from 'aws-cdk-lib';
import {
  AmiDeprecation, AmiDeregistrationProtection, AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, AmiSharingHandler, ImageBlockPublicAccess,
  LaunchPermission, LaunchPermissionMode, SupersededImages,
} from '../../src';
import { lambdaContext } from '../support/cfn-simulator';
import { liveValue, livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';
import { usePlanEnvironment } from '../support/plan-environment';

const env = useHandlerEnvironment();
const plans = usePlanEnvironment(env);

const STACK = 'Golden';
const STACK_ID = `arn:aws:cloudformation:us-east-1:123456789012:stack/${STACK}/00000000-0000-0000-0000-000000000000`;
const [A, B, X, Y] = ['111122223333', '444455556666', '777788889999', '999900001111'];

interface Output { logs: any[]; metrics: any[] }

/** Invokes the handler as the schedule does, with IAM enforced on EC2 and CloudFormation; returns what it logged. */
async function runEnforcement(remainingMs = 120_000): Promise<Output> {
  const policies = plans.rolePolicies(STACK);
  env.peer.enforceIdentityPolicies(policies);
  plans.cfn.enforceIdentityPolicies(policies);
  env.peer.clearLog();
  plans.cfn.requests.length = 0;
  const lines: string[] = [];
  const capture = (text: unknown) => { lines.push(...String(text).split('\n').filter(Boolean)); return true; };
  (console.log as jest.Mock).mockImplementation(capture);
  (console.error as jest.Mock).mockImplementation(capture);
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  try {
    const handler = env.handler as unknown as (event: unknown, context: unknown) => Promise<void>;
    await handler({ cdkAmiSharing: 'enforce', stackId: STACK_ID },
      { ...lambdaContext(remainingMs), invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:handler' });
  } finally {
    write.mockRestore();
    // The test's own reads afterwards are not the handler's.
    env.peer.enforceIdentityPolicies(undefined);
    plans.cfn.enforceIdentityPolicies(undefined);
  }
  const parsed = lines.map(l => JSON.parse(l));
  return { logs: parsed.filter(l => !l._aws), metrics: parsed.filter(l => l._aws) };
}

async function share(imageId: string, operation: 'Add' | 'Remove', account: string) {
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { [operation]: [{ UserId: account }] } }));
}

function ec2Calls(): string[] {
  return env.peer.requests.map(r => r.action);
}

async function deployGolden(exclusive: string, additive: string) {
  const synthesised = plans.synth(STACK, stack => {
    AmiSharingHandler.configure(stack, { enforceEvery: Duration.hours(1) });
    new AmiLaunchPermissions(stack, 'Owned', { imageId: exclusive, permissions: [LaunchPermission.account(A)], mode: LaunchPermissionMode.EXCLUSIVE });
    new AmiDescription(stack, 'Describe', { imageId: exclusive, description: 'Golden image' });
    new AmiLaunchPermissions(stack, 'Shared', { imageId: additive, permissions: [LaunchPermission.account(B)] });
  });
  await plans.deploy(STACK, synthesised);
  return synthesised;
}

test('one run puts back what was changed by hand: EXCLUSIVE revokes, ADDITIVE re-grants and revokes nobody, the description returns', async () => {
  const [exclusive, additive] = [await createImage(env.ec2), await createImage(env.ec2)];
  await deployGolden(exclusive, additive);

  await share(exclusive, 'Add', X); // a hand-made share of the owned AMI
  await share(additive, 'Add', Y); // someone else's share of the other: ADDITIVE leaves it
  await share(additive, 'Remove', B); // the declared principal removed by hand
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: exclusive, Description: { Value: 'edited by hand' } }));

  const out = await runEnforcement();
  const handlerRequests = [...env.peer.requests];
  expect(await livePermissions(env.ec2, exclusive)).toEqual([`UserId:${A}`]);
  expect(await livePermissions(env.ec2, additive)).toEqual([`UserId:${B}`, `UserId:${Y}`].sort());
  expect(await liveValue(env.ec2, exclusive, 'description')).toBe('Golden image');

  // One line per AMI with what was put back, and the metric.
  const putBack = out.logs.filter(l => l.message === 'enforcement: put back');
  expect(putBack).toEqual([
    expect.objectContaining({ imageId: exclusive, corrections: [`${STACK}/Owned (Custom::AmiLaunchPermissions): revoked UserId:${X}`, `${STACK}/Describe (Custom::AmiDescription): set back to the declared value (1 write)`] }),
    expect.objectContaining({ imageId: additive, corrections: [`${STACK}/Shared (Custom::AmiLaunchPermissions): granted UserId:${B}`] }),
  ]);
  expect(out.metrics).toEqual([expect.objectContaining({ StackName: STACK, Corrections: 3, EnforcementFailures: 0 })]);
  expect(out.metrics[0]._aws.CloudWatchMetrics[0]).toEqual(expect.objectContaining({ Namespace: 'CdkAmiSharing', Dimensions: [['StackName']] }));

  // Only reads of its own stack, every one allowed by the role's policies.
  expect(plans.cfn.writes()).toEqual([]);
  expect(plans.cfn.requests.map(r => [r.action, r.params.StackName, r.iam?.result])).toEqual([
    ['DescribeStacks', STACK_ID, 'Allowed'], ['GetTemplate', STACK_ID, 'Allowed'], ['ListStackResources', STACK_ID, 'Allowed'],
  ]);
  expect(handlerRequests.length).toBeGreaterThan(0);
  expect(handlerRequests.filter(r => !r.iam || r.iam.some(v => v.result !== 'Allowed'))).toEqual([]);

  // A second run finds everything in line: one read per construct, no write, no correction.
  const again = await runEnforcement();
  expect(ec2Calls()).toEqual(['DescribeImageAttribute', 'DescribeImageAttribute', 'DescribeImageAttribute']);
  expect(again.metrics).toEqual([expect.objectContaining({ Corrections: 0, EnforcementFailures: 0 })]);
});

test('the plan says the schedule puts back what a deploy of the same declaration leaves', async () => {
  const [exclusive, additive] = [await createImage(env.ec2), await createImage(env.ec2)];
  const synthesised = await deployGolden(exclusive, additive);
  await share(exclusive, 'Add', X);

  const human = await plans.run(['plan', '--app', synthesised.dir]);
  expect(human.stdout).toContain('(us-east-1, deployed, UPDATE_COMPLETE, enforcement schedule rate(1 hour))');
  expect(human.stdout).toContain(`! drift   account ${X} is live but not in the deployed declaration; `
    + 'this deploy sends no update; the stack\'s enforcement schedule (rate(1 hour)) puts it back');
  const json = JSON.parse((await plans.run(['plan', '--app', synthesised.dir, '--json'])).stdout);
  expect(json.stacks[0].enforcement).toBe('rate(1 hour)');
  // And it does.
  await runEnforcement();
  expect(await livePermissions(env.ec2, exclusive)).toEqual([`UserId:${A}`]);
});

test('the calls of one run per construct: one read, then at most the writes that put it back', async () => {
  const [exclusive, additive] = [await createImage(env.ec2), await createImage(env.ec2)];
  await deployGolden(exclusive, additive);
  await share(exclusive, 'Add', X);
  await share(exclusive, 'Add', Y);
  await share(additive, 'Remove', B);
  await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: exclusive, Description: { Value: 'edited by hand' } }));

  await runEnforcement();
  const byImage = (image: string) => env.peer.requests.filter(r => r.params.ImageId === image)
    .map(r => `${r.action} ${r.params.Attribute ?? (r.params['Description.Value'] !== undefined ? 'description' : '')}`.trim());
  // Owned: read, one ModifyImageAttribute that removes both, read back; Describe: read, write, read back.
  expect(byImage(exclusive)).toEqual([
    'DescribeImageAttribute launchPermission', 'ModifyImageAttribute', 'DescribeImageAttribute launchPermission',
    'DescribeImageAttribute description', 'ModifyImageAttribute description', 'DescribeImageAttribute description',
  ]);
  // Shared: read, grant B (an addition is checked for public sharing first only when it adds the all group), read back.
  expect(byImage(additive)).toEqual(['DescribeImageAttribute launchPermission', 'ModifyImageAttribute', 'DescribeImageAttribute launchPermission']);
  // In line, a construct costs one read: the second run.
  await runEnforcement();
  expect(byImage(exclusive)).toEqual(['DescribeImageAttribute launchPermission', 'DescribeImageAttribute description']);
  expect(byImage(additive)).toEqual(['DescribeImageAttribute launchPermission']);
});

test('no run while a stack operation is under way: no EC2 call at all', async () => {
  const [exclusive, additive] = [await createImage(env.ec2), await createImage(env.ec2)];
  await deployGolden(exclusive, additive);
  await share(exclusive, 'Add', X);
  plans.cfn.setStatus(STACK, 'UPDATE_IN_PROGRESS');

  const out = await runEnforcement();
  expect(ec2Calls()).toEqual([]);
  expect(await livePermissions(env.ec2, exclusive)).toEqual([`UserId:${A}`, `UserId:${X}`]);
  expect(out.logs).toContainEqual(expect.objectContaining({ message: 'enforcement: nothing to do', why: expect.stringContaining('UPDATE_IN_PROGRESS') }));
  expect(out.metrics).toEqual([]);
});

test('an AMI deregistered since the deployment: no write to it, a warning, and the other constructs still converge', async () => {
  const [exclusive, additive] = [await createImage(env.ec2), await createImage(env.ec2)];
  await deployGolden(exclusive, additive);
  await env.ec2.send(new DeregisterImageCommand({ ImageId: exclusive }));
  await share(additive, 'Remove', B);

  const out = await runEnforcement();
  expect(env.peer.writes().map(r => r.params.ImageId)).toEqual([additive]);
  expect(await livePermissions(env.ec2, additive)).toEqual([`UserId:${B}`]);
  expect(out.logs.filter(l => l.message === 'enforcement: AMI no longer exists, nothing written').map(l => l.construct).sort())
    .toEqual([`${STACK}/Describe`, `${STACK}/Owned`]);
  expect(out.metrics).toEqual([expect.objectContaining({ Corrections: 1, EnforcementFailures: 0 })]);
});

test('a token image id: the AMI the deployment applied (parameter values and physical ids as CloudFormation keeps them)', async () => {
  const [first, second] = [await createImage(env.ec2), await createImage(env.ec2)];
  const synthesised = plans.synth(STACK, stack => {
    AmiSharingHandler.configure(stack, { enforceEvery: Duration.hours(1) });
    const image = new CfnParameter(stack, 'GoldenAmi', { type: 'AWS::EC2::Image::Id' }).valueAsString;
    new AmiLaunchPermissions(stack, 'Owned', { imageId: image, permissions: [LaunchPermission.account(A)], mode: LaunchPermissionMode.EXCLUSIVE });
    new AmiImdsPolicy(stack, 'Imds', { imageId: image });
  });
  await plans.deploy(STACK, synthesised, { parameters: { GoldenAmi: first } });
  await plans.deploy(STACK, synthesised, { parameters: { GoldenAmi: second } });
  await share(first, 'Add', X); // the previous AMI is not the stack's any more: never touched
  await share(second, 'Add', X);

  await runEnforcement();
  expect(new Set(env.peer.requests.map(r => r.params.ImageId))).toEqual(new Set([second]));
  expect(await livePermissions(env.ec2, second)).toEqual([`UserId:${A}`]);
  expect(await livePermissions(env.ec2, first)).toEqual([`UserId:${X}`]);
});

test('a failure after a write takes that write back, the rest waits for the next run, and both are counted', async () => {
  const [exclusive, additive] = [await createImage(env.ec2), await createImage(env.ec2)];
  await deployGolden(exclusive, additive);
  await share(exclusive, 'Add', X);
  // The revocation is written, but reads keep showing the state before it until the run's time is up.
  env.peer.injectFaults({ staleReadsMs: 120_000, actions: ['DescribeImageAttribute'] });

  const out = await runEnforcement(26_000); // 6 s of budget after the handler's margin for answering
  env.peer.clearFaults();
  expect(await livePermissions(env.ec2, exclusive)).toEqual([`UserId:${A}`, `UserId:${X}`]);
  const failed = out.logs.filter(l => l.message === 'enforcement: construct not converged');
  expect(failed).toEqual([
    expect.objectContaining({ construct: `${STACK}/Owned`, reason: expect.stringContaining('This request\'s 1 write to ' + exclusive + ' was undone') }),
    expect.objectContaining({ construct: `${STACK}/Describe`, reason: 'out of time: the next run continues' }),
    expect.objectContaining({ construct: `${STACK}/Shared`, reason: 'out of time: the next run continues' }),
  ]);
  expect(out.metrics).toEqual([expect.objectContaining({ Corrections: 0, EnforcementFailures: 3 })]);
});

test('an account-wide guard turned off by hand is turned on again, reported as the setting', async () => {
  const image = await createImage(env.ec2);
  await plans.deploy(STACK, plans.synth(STACK, stack => {
    AmiSharingHandler.configure(stack, { enforceEvery: Duration.hours(1) });
    new ImageBlockPublicAccess(stack, 'Guard');
    new AmiLaunchPermissions(stack, 'Shared', { imageId: image, permissions: [LaunchPermission.account(B)] });
  }));
  env.peer.setBlockPublicAccess('unblocked');

  const out = await runEnforcement();
  expect(env.peer.writes().map(r => r.action)).toEqual(['EnableImageBlockPublicAccess']);
  expect(out.logs.filter(l => l.message === 'enforcement: put back')).toEqual([expect.objectContaining({
    setting: 'ImageBlockPublicAccess in us-east-1',
    corrections: [`${STACK}/Guard (Custom::ImageBlockPublicAccess): set back to the declared value (1 write)`],
  })]);
  expect(out.metrics).toEqual([expect.objectContaining({ Corrections: 1, EnforcementFailures: 0 })]);
});

test('a deprecation cancelled and a protection disabled by hand are put back, each with one write', async () => {
  const image = await createImage(env.ec2);
  const deprecateAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30 * 86_400_000);
  await plans.deploy(STACK, plans.synth(STACK, stack => {
    AmiSharingHandler.configure(stack, { enforceEvery: Duration.hours(1) });
    new AmiDeprecation(stack, 'Deprecate', { imageId: image, deprecateAt });
    new AmiDeregistrationProtection(stack, 'Protect', { imageId: image, withCooldown: true });
  }));
  await env.ec2.send(new DisableImageDeprecationCommand({ ImageId: image }));
  await env.ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: image }));

  const out = await runEnforcement();
  const handlerRequests = [...env.peer.requests];
  expect(env.peer.writes().map(w => w.action).sort()).toEqual(['EnableImageDeprecation', 'EnableImageDeregistrationProtection']);
  const live = (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [image] }))).Images![0];
  expect({ deprecation: live.DeprecationTime, protection: live.DeregistrationProtection })
    .toEqual({ deprecation: deprecateAt.toISOString(), protection: 'enabled-with-cooldown' });
  expect(out.metrics).toEqual([expect.objectContaining({ Corrections: 2, EnforcementFailures: 0 })]);
  expect(handlerRequests.filter(r => !r.iam || r.iam.some(v => v.result !== 'Allowed'))).toEqual([]);
});

test('a share that keeps superseded AMIs: the current AMI is put back, the window stays as it is and no kept AMI is touched', async () => {
  const [first, second] = [await createImage(env.ec2), await createImage(env.ec2)];
  const stackOn = (image: string) => plans.synth(STACK, stack => {
    AmiSharingHandler.configure(stack, { enforceEvery: Duration.hours(1) });
    new AmiLaunchPermissions(stack, 'Owned', {
      imageId: image, permissions: [LaunchPermission.account(A)], mode: LaunchPermissionMode.EXCLUSIVE, supersededImages: SupersededImages.keep(2),
    });
  });
  await plans.deployReadingItsStack(STACK, stackOn(first));
  await plans.deployReadingItsStack(STACK, stackOn(second));
  expect(await livePermissions(env.ec2, first)).toEqual([`UserId:${A}`]); // kept
  await share(second, 'Add', X);
  await share(first, 'Remove', A); // someone unshared the kept AMI by hand

  const out = await runEnforcement();
  const handlerRequests = [...env.peer.requests];
  expect(await livePermissions(env.ec2, second)).toEqual([`UserId:${A}`]);
  expect(await livePermissions(env.ec2, first)).toEqual([]);
  expect(new Set(handlerRequests.filter(r => r.action === 'ModifyImageAttribute').map(r => r.params.ImageId))).toEqual(new Set([second]));
  expect(handlerRequests.filter(r => !r.iam || r.iam.some(v => v.result !== 'Allowed'))).toEqual([]);
  expect(plans.cfn.requests.filter(r => r.iam?.result !== 'Allowed')).toEqual([]);
  expect(out.metrics).toEqual([expect.objectContaining({ Corrections: 1, EnforcementFailures: 0 })]);
});
