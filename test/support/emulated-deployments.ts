// A stack of this library deployed through the emulated CloudFormation against the EC2 peer, with the handler role's
// policies of each moment enforced by the peer's IAM evaluator.
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

  constructor(private readonly env: HandlerEnvironment, firstTemplate: any) {
    this.stack = new EmulatedStack({
      stackName: 'TokenRollover',
      cfn: env.simulator(),
      roleLogicalId: handlerRoleOf(firstTemplate),
      onInvoke: (policies, request) => {
        this.closeInvocation();
        env.peer.enforceIdentityPolicies(policies);
        this.invocations.push({ request: `${this.phase}: ${request.type} ${request.logicalId} on ${request.imageId}`, verdicts: [] });
      },
      buildImage: async (_logicalId, properties) => {
        const version = String(properties.ImageRecipeArn).split('/').pop()!;
        const image = await this.withoutIam(() => createImage(env.ec2, { description: 'from the pipeline' }));
        this.built.set(version, image);
        return image;
      },
    });
  }

  public async deploy(version: StackVersion, phase: string, failAfter?: string) {
    this.phase = phase;
    try {
      return await this.stack.deploy(version, failAfter);
    } finally {
      this.closeInvocation();
      this.env.peer.enforceIdentityPolicies(undefined);
    }
  }

  public async destroy() {
    this.phase = 'delete stack';
    try {
      return await this.stack.destroy();
    } finally {
      this.closeInvocation();
      this.env.peer.enforceIdentityPolicies(undefined);
    }
  }

  /** Runs setup or inspection with IAM out of the way (it is the test's access, not the handler's). */
  public async withoutIam<T>(action: () => Promise<T>): Promise<T> {
    this.env.peer.enforceIdentityPolicies(undefined);
    return action();
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
  }
}
