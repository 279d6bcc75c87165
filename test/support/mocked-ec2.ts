// The jest hooks every handler unit test file shares: EC2 mocked with aws-sdk-client-mock, a server that receives the
// handler's answers to CloudFormation, and a quiet handler.
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { CfnSimulator, ResponseServer } from './cfn-simulator';
import { handler } from '../../lambda/index';

export interface MockedHandler {
  /** The mocked EC2 client (reset before each test). */
  readonly ec2: AwsStub<any, any, any>;
  /** The mocked KMS client (reset before each test). */
  readonly kms: AwsStub<any, any, any>;
  /** CloudFormation for one request, giving the handler `remainingMs` of invocation time (default 60 s). */
  cfn(remainingMs?: number): CfnSimulator;
}

/** Registers the hooks and returns the file's mocked EC2 and CloudFormation. */
export function useMockedHandler(): MockedHandler {
  const ec2 = mockClient(EC2Client);
  const kms = mockClient(KMSClient);
  let server: ResponseServer | undefined;
  beforeAll(async () => { server = await ResponseServer.start(); });
  afterAll(async () => { await server?.stop(); });
  beforeEach(() => {
    ec2.reset();
    kms.reset();
    // The pre-flight reads the AMI before sharing it: by default an AMI with one unencrypted snapshot. Tests of
    // encrypted AMIs answer DescribeImages themselves.
    ec2.on(DescribeImagesCommand).callsFake(input => ({
      Images: (input.ImageIds ?? []).map((ImageId: string) => ({
        ImageId, OwnerId: '123456789012', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0', Encrypted: false } }],
      })),
    }));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  return {
    ec2,
    kms,
    cfn: remainingMs => {
      if (!server) throw new Error('the response server starts in beforeAll: use cfn() inside tests and hooks');
      return new CfnSimulator(handler, server, remainingMs);
    },
  };
}

/** An error as the SDK throws it for an EC2 error code. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
