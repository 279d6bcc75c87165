// The caller's IAM identity policies, enforced by a real policy evaluator (@cloud-copilot/iam-simulate) on every
// request that reaches the peer while they are set.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { IamRequest, iamRequestsFor } from './iam-requests';
import { MotoBackend } from './moto-backend';
import { Fault, RequestStage } from './pipeline';
import { accessDenied, Call } from './protocol';

/** moto's account: every resource the peer holds belongs to it, and so does the caller. */
export const PEER_ACCOUNT = '123456789012';
/** Who the caller is to IAM: the handler Lambda's role session. */
export const HANDLER_PRINCIPAL = `arn:aws:sts::${PEER_ACCOUNT}:assumed-role/HandlerRole/handler`;

/** An identity policy attached to the caller: its name (e.g. the template's logical id) and its JSON document. */
export interface IdentityPolicy {
  readonly name: string;
  readonly document: unknown;
}

/** 'Error': the evaluator could not run (e.g. an invalid policy document); the request is refused. */
export type IamResult = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied' | 'Error';

/** The evaluator's answer to one IAM request. */
export interface IamVerdict {
  /** e.g. 'ec2:ModifyImageAttribute'. */
  readonly action: string;
  /** The resource ARN evaluated, or '*'. */
  readonly resource: string;
  readonly result: IamResult;
  /** The context keys supplied (aws:ResourceTag/..., ec2:Attribute, ec2:ImageID, aws:RequestedRegion ...). */
  readonly context: Record<string, string | string[]>;
  /** Why the evaluator could not run, for 'Error'. */
  readonly error?: string;
}

export class IdentityPolicyEnforcement implements RequestStage {
  private policies?: ReadonlyArray<IdentityPolicy>;

  constructor(private readonly moto: MotoBackend) {}

  /** undefined: no enforcement. The array is copied, so later changes to the caller's array do not leak in. */
  public enforce(policies: ReadonlyArray<IdentityPolicy> | undefined): void {
    if (policies !== undefined) {
      for (const [i, policy] of policies.entries()) {
        if (typeof policy?.name !== 'string' || policy.name === '' || typeof policy.document !== 'object' || policy.document === null) {
          throw new Error(`enforceIdentityPolicies: policies[${i}] must be { name: non-empty string, document: object }, got ${JSON.stringify(policy)}`);
        }
      }
    }
    this.policies = policies === undefined ? undefined : [...policies];
  }

  /**
   * EMULATES: IAM's authorization of an EC2 request (IAM User Guide, "Policy evaluation logic"): allowed only when
   * every resource the request acts on is allowed by an identity policy and none denies it explicitly; otherwise
   * EC2 answers UnauthorizedOperation (403; EC2 API Reference, "Error codes").
   */
  public async decide(call: Call): Promise<Fault | undefined> {
    const policies = this.policies;
    if (policies === undefined) {
      return undefined;
    }
    const requests = await iamRequestsFor(call, (id) => this.moto.resourceTags(id, call.authorization));
    const verdicts: IamVerdict[] = [];
    for (const request of requests) {
      verdicts.push(await evaluate(request, policies));
    }
    call.log.iam = verdicts;
    return verdicts.every((v) => v.result === 'Allowed') ? undefined : { kind: 'answer', name: 'iam', answer: accessDenied(call) };
  }
}

/** One request evaluated against the handler principal's identity policies (also used by the CloudFormation read peer). */
export async function evaluate(request: IamRequest, policies: ReadonlyArray<IdentityPolicy>): Promise<IamVerdict> {
  const outcome = await runSimulation({
    request: {
      principal: HANDLER_PRINCIPAL,
      action: request.action,
      resource: { resource: request.resource, accountId: PEER_ACCOUNT },
      contextVariables: request.context,
    },
    identityPolicies: policies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  }, {});
  const verdict = { action: request.action, resource: request.resource, context: request.context };
  if (outcome.resultType === 'error') {
    return { ...verdict, result: 'Error', error: JSON.stringify(outcome.errors) };
  }
  return { ...verdict, result: outcome.overallResult };
}
