// Everything a lifecycle run needs: the EC2 peer (moto behind our proxy), a loopback ResponseURL server, and the
// handler bundle taken out of a synthesised cloud assembly, pointed at the peer through the standard SDK variables.
import { DescribeImageAttributeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnSimulator, DeclaredResource, Handler, ResponseServer } from './cfn-simulator';
import { loadHandler, synthesize } from './cloud-assembly';
import { Ec2Peer } from './ec2-peer';
import { ec2Client } from './images';
import { AmiLaunchPermissions, AmiLaunchPermissionsProps } from '../../src';

export interface HandlerEnvironment {
  readonly peer: Ec2Peer;
  readonly server: ResponseServer;
  /** A client for setting up and inspecting state (not the handler's own). */
  readonly ec2: EC2Client;
  readonly handler: Handler;
  /** The handler bundle's index.js in the synthesised cloud assembly (see loadHandlerInstance). */
  readonly handlerPath: string;
  /** A fresh CloudFormation stand-in (one per simulated stack). */
  simulator(remainingMs?: number): CfnSimulator;
  stop(): Promise<void>;
}

/** The custom resources of a stack built by `build`, as synthesised. */
export function stackResources(build: (stack: Stack) => void): Record<string, DeclaredResource> {
  const app = new App();
  const stack = new Stack(app, 'AmiSharingLifecycle', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return synthesize(app, stack).customResources;
}

/** The custom resources of a stack holding the given AmiLaunchPermissions, as synthesised. */
export function launchPermissionsStack(
  declarations: Record<string, AmiLaunchPermissionsProps & { retain?: boolean }>): Record<string, DeclaredResource> {
  return stackResources(stack => {
    for (const [id, { retain, ...props }] of Object.entries(declarations)) {
      const construct = new AmiLaunchPermissions(stack, id, props);
      if (retain) construct.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
  });
}

export async function startHandlerEnvironment(): Promise<HandlerEnvironment> {
  const peer = await Ec2Peer.start();
  // The handler's own client reads these, exactly as it would read Lambda's environment.
  process.env.AWS_ENDPOINT_URL_EC2 = peer.endpoint;
  // KMS through the peer as well: recorded with the EC2 requests, and never a real endpoint.
  process.env.AWS_ENDPOINT_URL_KMS = peer.endpoint;
  // CloudFormation (the handler reads it only for scheduled enforcement): never a real endpoint either. A port nothing
  // listens on, until a test starts the CloudFormation read peer (plan-environment.ts) and points this at it.
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = 'http://127.0.0.1:9';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTTESTTESTTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-not-real';
  delete process.env.AWS_PROFILE;

  let handler: Handler;
  let handlerPath: string;
  try {
    const app = new App();
    const stack = new Stack(app, 'HandlerSource');
    new AmiLaunchPermissions(stack, 'Share', { imageId: 'ami-12345678', permissions: [] });
    handlerPath = synthesize(app, stack).handlerPath;
    handler = loadHandler(handlerPath);
  } catch (error) {
    // Without this, the running peer keeps jest waiting after the failure instead of letting it report.
    await peer.stop();
    throw new Error(`could not load the handler bundle from a synthesised stack (run \`npx projen bundle:handler\` first?): ${error}`);
  }

  const server = await ResponseServer.start();
  const ec2 = ec2Client(peer.endpoint);
  return {
    peer,
    server,
    ec2,
    handler,
    handlerPath,
    simulator: (remainingMs?: number) => new CfnSimulator(handler, server, remainingMs),
    stop: async () => {
      ec2.destroy();
      await server.stop();
      await peer.stop();
    },
  };
}

/** An attribute EC2 answers as { Value }, read through the peer. */
export async function liveValue(ec2: EC2Client, imageId: string, attribute: 'description' | 'imdsSupport'): Promise<string | undefined> {
  const answer = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: attribute }));
  return (attribute === 'description' ? answer.Description : answer.ImdsSupport)?.Value;
}

/** The AMI's live launch permissions as sorted 'Field:value' strings. */
export async function livePermissions(ec2: EC2Client, imageId: string): Promise<string[]> {
  const answer = await ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
  return (answer.LaunchPermissions ?? []).map(p => Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}:${v}`)[0]).sort();
}
