// What the tests of the EC2 test peer share: one peer per test file, reset before each test, driven with the real
// AWS SDK v3 EC2Client (so they also check that the SDK parses what the peer answers).
import {
  DescribeImageAttributeCommand,
  DescribeImageAttributeCommandOutput,
  EC2Client,
  ImageAttributeName,
  LaunchPermission,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { Ec2Peer } from '../support/ec2-peer';
import { ec2Client } from '../support/images';

export interface PeerFixture {
  readonly peer: Ec2Peer;
  readonly ec2: EC2Client;
  attribute(imageId: string, name: ImageAttributeName): Promise<DescribeImageAttributeCommandOutput>;
  launchPermissions(imageId: string): Promise<LaunchPermission[]>;
  makePublic(imageId: string): Promise<unknown>;
  shareWith(imageId: string, account: string): Promise<unknown>;
}

/** Registers the hooks (start in beforeAll, reset before each test, stop in afterAll) and returns the fixture. */
export function usePeer(): PeerFixture {
  let peer: Ec2Peer | undefined;
  let ec2: EC2Client | undefined;
  beforeAll(async () => {
    peer = await Ec2Peer.start();
    ec2 = ec2Client(peer.endpoint);
  });
  afterAll(async () => {
    ec2?.destroy();
    await peer?.stop();
  });
  beforeEach(async () => {
    await peer!.reset();
  });
  const client = (): EC2Client => {
    if (!ec2) throw new Error('the peer starts in beforeAll: use the fixture inside tests and hooks');
    return ec2;
  };
  const fixture: PeerFixture = {
    get peer() {
      if (!peer) throw new Error('the peer starts in beforeAll: use the fixture inside tests and hooks');
      return peer;
    },
    get ec2() {
      return client();
    },
    attribute: (imageId, name) => client().send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: name })),
    launchPermissions: async (imageId) => (await fixture.attribute(imageId, 'launchPermission')).LaunchPermissions ?? [],
    makePublic: (imageId) => client().send(new ModifyImageAttributeCommand({
      ImageId: imageId, LaunchPermission: { Add: [{ Group: 'all' }] },
    })),
    shareWith: (imageId, account) => client().send(new ModifyImageAttributeCommand({
      ImageId: imageId, LaunchPermission: { Add: [{ UserId: account }] },
    })),
  };
  return fixture;
}

export interface SdkFailure {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { httpStatusCode?: number };
}

/** Runs a promise that must fail and returns the SDK error. */
export async function failure(promise: Promise<unknown>): Promise<SdkFailure> {
  try {
    await promise;
  } catch (err) {
    return err as SdkFailure;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
