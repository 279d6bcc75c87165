// A stack of this library deployed through the emulated CloudFormation against the EC2 peer, with the handler role's
// policies of each moment enforced by the peer's IAM evaluator.
import { CfnSimulator } from './cfn-simulator';
import { CloudFormationReadPeer, stackId } from './cloudformation/read-peer';
import { EmulatedStack, StackVersion } from './cloudformation/stack';
import { HandlerEnvironment } from './handler-environment';
import { handlerRoleOf } from './image-id-kinds';
import { createImage } from './images';

/** One custom-resource request and the IAM verdicts on the EC2 requests the handler made for it. */
export interface InvocationRecord {
  readonly request: string;
  readonly verdicts: Array<{ action: string; resource: string; result: string }>;
}

export class EmulatedDeployments {
  public readonly stack: EmulatedStack;
  /** The AMIs Image Builder built, by recipe version. */
  public readonly built = new Map<string, string>();
  public readonly invocations: InvocationRecord[] = [];
  private phase = 'create';
  /** How many of the peer's IAM verdicts are already assigned to an invocation. */
  private verdictsSeen = 0;
  /** How many of the read peer's requests are already assigned to an invocation. */
  private cfnSeen = 0;

  /**
   * `readPeer`: the stack is attached to this CloudFormation read peer while it deploys (its status and record of the
   * moment, with the role's policies of the moment enforced), and its events carry the stack's own id.
   */
  constructor(private readonly env: HandlerEnvironment, firstTemplate: any, private readonly readPeer?: CloudFormationReadPeer) {
    const stackName = 'TokenRollover';
    this.stack = new EmulatedStack({
      stackName,
      cfn: readPeer
        ? new CfnSimulator(env.handler, env.server, undefined, { stackId: stackId(stackName) })
        : env.simulator(),
      roleLogicalId: handlerRoleOf(firstTemplate),
      onInvoke: (policies, request) => {
        this.closeInvocation();
        env.peer.enforceIdentityPolicies(policies);
        readPeer?.enforceIdentityPolicies(policies);
        this.invocations.push({ request: `${this.phase}: ${request.type} ${request.logicalId} on ${request.imageId}`, verdicts: [] });
      },
      buildImage: async (_logicalId, properties) => {
        const version = String(properties.ImageRecipeArn).split('/').pop()!;
        const image = await this.withoutIam(() => createImage(env.ec2, { description: 'from the pipeline' }));
        this.built.set(version, image);
        return image;
      },
    });
    readPeer?.attach(stackName, this.stack);
  }

  public async deploy(version: StackVersion, phase: string, failAfter?: string) {
    this.phase = phase;
    try {
      return await this.stack.deploy(version, failAfter);
    } finally {
      this.closeInvocation();
      this.env.peer.enforceIdentityPolicies(undefined);
      this.readPeer?.enforceIdentityPolicies(undefined);
    }
  }

  public async destroy() {
    this.phase = 'delete stack';
    try {
      return await this.stack.destroy();
    } finally {
      this.closeInvocation();
      this.env.peer.enforceIdentityPolicies(undefined);
      this.readPeer?.enforceIdentityPolicies(undefined);
    }
  }

  /** Runs setup or inspection with IAM out of the way (it is the test's access, not the handler's). */
  public async withoutIam<T>(action: () => Promise<T>): Promise<T> {
    this.env.peer.enforceIdentityPolicies(undefined);
    this.readPeer?.enforceIdentityPolicies(undefined);
    return action();
  }

  /**
   * Runs a probe as the handler's role with the policies attached now; its verdicts belong to no invocation (so they
   * are not in denials()).
   */
  public async asRole<T>(probe: () => Promise<T>): Promise<T> {
    this.closeInvocation();
    this.env.peer.enforceIdentityPolicies(this.stack.rolePolicies());
    try {
      return await probe();
    } finally {
      this.env.peer.enforceIdentityPolicies(undefined);
      this.verdictsSeen = this.env.peer.iamVerdicts().length;
    }
  }

  /** Every request the IAM evaluator refused so far. */
  public denials(): InvocationRecord['verdicts'] {
    this.closeInvocation();
    return this.invocations.flatMap(i => i.verdicts).filter(v => v.result !== 'Allowed');
  }

  /** Moves the verdicts the peer gathered since the last request into that request's record. */
  private closeInvocation(): void {
    const last = this.invocations[this.invocations.length - 1];
    const all = this.env.peer.iamVerdicts();
    if (last) last.verdicts.push(...all.slice(this.verdictsSeen).map(({ action, resource, result }) => ({ action, resource, result })));
    this.verdictsSeen = all.length;
    // The CloudFormation reads the request made (a resource that keeps superseded AMIs reads its own stack).
    const reads = this.readPeer?.requests.slice(this.cfnSeen) ?? [];
    if (last) last.verdicts.push(...reads.map(r => ({ action: `cloudformation:${r.action}`, resource: r.params.StackName ?? '*', result: r.iam?.result ?? 'NotEvaluated' })));
    this.cfnSeen = this.readPeer?.requests.length ?? 0;
  }
}
