// What CloudFormation is told when EC2 throttles an invocation for its whole time budget. The EC2 client's own retries
// (until the deadline, with jitter) are tested in retry.test.ts; here the client has already given up, with the
// attempt count the SDK records on the error.
import { DescribeImageAttributeCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, cfn } = useMockedHandler();
const IMAGE = 'ami-0123456789abcdef0';
const ACCOUNT = '111111111111';

/** RequestLimitExceeded as the SDK throws it after `attempts` tries (HTTP 503, the status EC2 answers it with). */
function throttledFor(attempts: number, totalRetryDelay: number): Error {
  return Object.assign(awsError('RequestLimitExceeded', 'Request limit exceeded.'), {
    $metadata: { httpStatusCode: 503, attempts, totalRetryDelay },
  });
}

const createEvent = {
  RequestType: 'Create',
  LogicalResourceId: 'Share',
  ResourceType: 'Custom::AmiLaunchPermissions',
  ResourceProperties: { ImageId: IMAGE, Permissions: [{ UserId: ACCOUNT }], Mode: 'ADDITIVE' },
} as any;

test('a write throttled until the deadline: FAILED, saying how long it was retried and why', async () => {
  ec2.on(DescribeImageAttributeCommand).resolves({ ImageId: IMAGE, LaunchPermissions: [] });
  ec2.on(ModifyImageAttributeCommand).rejects(throttledFor(37, 251_400));

  const answer = await cfn().send(createEvent);

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toBe(`ModifyImageAttribute (add 1 launch permission) on ${IMAGE} failed: RequestLimitExceeded: `
    + 'Request limit exceeded. (37 attempts over 251 s of backoff; retries stop when the request\'s time budget runs out: '
    + 'EC2 throttles API requests per account and Region, and this stack shares that rate with everything else in the account)');
  // The handler does not add attempts of its own on top of the client's.
  expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(1);
});

test('a planning read throttled until the deadline: FAILED before any write', async () => {
  ec2.on(DescribeImageAttributeCommand).rejects(throttledFor(52, 262_000));

  const answer = await cfn().send(createEvent);

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toMatch(/^DescribeImageAttribute launchPermission of ami-0123456789abcdef0 failed: RequestLimitExceeded: Request limit exceeded\. \(52 attempts over 262 s/);
  expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
});

test('an error that was not retried reads as before', async () => {
  ec2.on(DescribeImageAttributeCommand).resolves({ ImageId: IMAGE, LaunchPermissions: [] });
  ec2.on(ModifyImageAttributeCommand).rejects(Object.assign(awsError('InvalidUserID.Malformed', 'bad'), { $metadata: { attempts: 1 } }));

  const answer = await cfn().send(createEvent);

  expect(answer.Reason).toBe(`ModifyImageAttribute (add 1 launch permission) on ${IMAGE} failed: InvalidUserID.Malformed: bad`);
});
