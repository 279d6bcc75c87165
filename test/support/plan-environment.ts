// What a test of `cdk-ami-sharing plan` needs: the EC2 peer and the real handler (handler-environment.ts), stacks
// deployed through the emulated CloudFormation (cloudformation/stack.ts) and published to the CloudFormation read
// peer, cloud assemblies synthesised into temporary directories, and the shipped bundle (assets/cli/index.js) run as
// a user runs it: a separate node process, configured through the standard SDK variables only.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnSimulator } from './cfn-simulator';
import { CloudFormationReadPeer, stackId } from './cloudformation/read-peer';
import { EmulatedStack, StackVersion } from './cloudformation/stack';
import type { IdentityPolicy } from './ec2-peer';
import { HandlerEnvironment } from './handler-environment';
import { loadHandlerInstance } from './handler-instance';
import { handlerRoleOf } from './image-id-kinds';

const CLI = path.join(__dirname, '..', '..', 'assets', 'cli', 'index.js');
const BUNDLE: Command = { command: process.execPath, args: [CLI] };
export const STACK_ENV = { account: '123456789012', region: 'us-east-1' };

/** How to start the command: the bundle with node by default; `npx` in a consumer project for the packaging test. */
export interface Command {
  readonly command: string;
  readonly args: string[];
  readonly cwd?: string;
}

export interface PlanRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Synthesised {
  /** The cloud assembly directory (what `--app` takes). */
  readonly dir: string;
  readonly template: any;
}

export class PlanEnvironment {
  public static async start(env: HandlerEnvironment): Promise<PlanEnvironment> {
    const cfn = await CloudFormationReadPeer.start();
    // The handler's own CloudFormation client (scheduled enforcement) reads this, as it would read Lambda's environment.
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cfn.endpoint;
    return new PlanEnvironment(env, cfn);
  }

  private readonly stacks = new Map<string, EmulatedStack>();
  private readonly dirs: string[] = [];

  private constructor(private readonly env: HandlerEnvironment, public readonly cfn: CloudFormationReadPeer) {}

  /** Synthesises a stack named `stackName` built by `build`; the directory is removed on stop(). */
  public synth(stackName: string, build: (stack: Stack) => void): Synthesised {
    return this.synthStack(app => {
      const stack = new Stack(app, stackName, { env: STACK_ENV });
      build(stack);
      return stack;
    });
  }

  /** Synthesises the stack `create` adds to an app into a fresh temporary cdk.out, removed on stop(). */
  public synthStack(create: (app: App) => Stack): Synthesised {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cdk-out-'));
    this.dirs.push(dir);
    // Construct paths in the template's metadata, as the cdk CLI asks for by default: the plan names constructs by them.
    const app = new App({ outdir: dir, context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = create(app);
    return { dir, template: app.synth().getStackArtifact(stack.artifactId).template };
  }

  /**
   * Deploys the synthesised stack through the emulated CloudFormation (the real handler against the EC2 peer) and
   * publishes what CloudFormation then knows to the read peer. Throws when the deployment fails.
   */
  public async deploy(stackName: string, synthesised: Synthesised, inputs: Omit<StackVersion, 'template'> = {},
    buildImage?: (logicalId: string, properties: Record<string, any>) => Promise<string>): Promise<void> {
    let stack = this.stacks.get(stackName);
    if (!stack) {
      stack = new EmulatedStack({ stackName, cfn: this.env.simulator(), roleLogicalId: handlerRoleOf(synthesised.template), buildImage });
      this.stacks.set(stackName, stack);
    }
    await this.deployed(stackName, stack, synthesised, inputs);
  }

  /**
   * As deploy(), with the stack attached to the read peer while it deploys (its status and the physical ids on record
   * at each moment), and requests carrying its own stack id: a construct that keeps superseded AMIs reads its stack.
   * The stack gets its own handler instance (a function of its own), whose CloudFormation client, made on first use,
   * reaches this read peer whatever another one the shared handler instance was first used with.
   */
  public async deployReadingItsStack(stackName: string, synthesised: Synthesised): Promise<void> {
    let stack = this.stacks.get(stackName);
    if (!stack) {
      const handler = loadHandlerInstance(this.env.handlerPath);
      const cfn = new CfnSimulator(handler, this.env.server, undefined, { stackId: stackId(stackName) });
      stack = new EmulatedStack({ stackName, cfn, roleLogicalId: handlerRoleOf(synthesised.template) });
      this.stacks.set(stackName, stack);
    }
    this.cfn.attach(stackName, stack);
    try {
      await this.deployed(stackName, stack, synthesised, {});
    } finally {
      this.cfn.detach(stackName);
    }
  }

  private async deployed(stackName: string, stack: EmulatedStack, synthesised: Synthesised, inputs: Omit<StackVersion, 'template'>) {
    const result = await stack.deploy({ template: synthesised.template, ...inputs });
    if (result.status !== 'COMPLETE' || result.failures.length > 0) {
      throw new Error(`deploying ${stackName} failed: ${JSON.stringify(result.failures.map(f => f.Reason))}`);
    }
    this.cfn.setStack(stackName, stack.deployedState());
  }

  /** The managed policies attached to the handler's role of a deployed stack, as IAM evaluates them now. */
  public rolePolicies(stackName: string): IdentityPolicy[] {
    const stack = this.stacks.get(stackName);
    if (!stack) throw new Error(`rolePolicies: stack ${stackName} was not deployed`);
    return stack.rolePolicies().map(p => ({ name: p.name, document: p.document as object }));
  }

  /** Forgets every deployed stack (the read peer then answers "does not exist") and any identity policies set on it. */
  public reset(): void {
    for (const name of this.stacks.keys()) {
      this.cfn.setStack(name, undefined);
      this.cfn.detach(name);
    }
    this.stacks.clear();
    this.cfn.requests.length = 0;
    this.cfn.enforceIdentityPolicies(undefined);
  }

  /**
   * Runs the command (by default the bundle in assets/cli) against the peers; `environment` adds to (or, with undefined
   * values, removes from) its variables.
   */
  public run(args: string[], environment: Record<string, string | undefined> = {}, cli: Command = BUNDLE): Promise<PlanRun> {
    return runCli(cli, args, {
      AWS_ENDPOINT_URL_EC2: this.env.peer.endpoint,
      AWS_ENDPOINT_URL_CLOUDFORMATION: this.cfn.endpoint,
      // KMS through the EC2 peer, as the handler's: its log records ListGrants and DescribeKey with the EC2 reads.
      AWS_ENDPOINT_URL_KMS: this.env.peer.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIATESTTESTTESTTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
      ...environment,
    });
  }

  public async stop(): Promise<void> {
    await this.cfn.stop();
    for (const dir of this.dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs assets/cli/index.js in a child process with only these AWS variables (none inherited), a HOME without AWS
 * configuration files, and instance metadata off, so nothing reaches for real credentials or a real endpoint.
 * Asynchronous on purpose: the peers serve from this process's event loop.
 */
function runCli(cli: Command, args: string[], environment: Record<string, string | undefined>): Promise<PlanRun> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-home-'));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  const variables = { ...inherited, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...environment };
  const child = spawn(cli.command, [...cli.args, ...args], {
    cwd: cli.cwd,
    env: Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', c => { stdout += c; });
  child.stderr.on('data', c => { stderr += c; });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', code => {
      fs.rmSync(home, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Registers the hooks every plan test file shares (after useHandlerEnvironment's, whose environment it needs) and
 * returns the file's PlanEnvironment, to be used inside tests and hooks (it starts in beforeAll).
 */
export function usePlanEnvironment(env: HandlerEnvironment): PlanEnvironment {
  let current: PlanEnvironment | undefined;
  beforeAll(async () => { current = await PlanEnvironment.start(env); });
  afterAll(async () => current?.stop());
  beforeEach(() => current!.reset());
  return new Proxy({} as PlanEnvironment, {
    get: (_target, property) => {
      if (!current) throw new Error('the plan environment starts in beforeAll: use it inside tests and hooks');
      const value = (current as any)[property];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
