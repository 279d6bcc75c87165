// A role's identity policies as a synthesised template declares them, in the shape Ec2Peer.enforceIdentityPolicies
// takes; and a small resolver of the intrinsic functions those policies contain, for callers that have no
// CloudFormation emulation of their own.
import type { IdentityPolicy } from './ec2-peer';

/**
 * The identity policies attached to the role `roleLogicalId` in `resources` (a template's Resources, intrinsics
 * resolved to plain strings except the role references): every AWS::IAM::ManagedPolicy and AWS::IAM::Policy whose
 * `Roles` lists the role (as `{ Ref: roleLogicalId }` or the plain string `roleLogicalId`), named by logical id, and
 * the role's own inline `Policies`, named `<role>/<PolicyName>`. AWS-managed policies (ManagedPolicyArns) are not
 * in the template, so they are not returned.
 */
export function rolePolicies(resources: Record<string, any>, roleLogicalId: string): IdentityPolicy[] {
  const role = resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') {
    throw new Error(`rolePolicies: '${roleLogicalId}' is not an AWS::IAM::Role of the template (it is ${role?.Type ?? 'absent'})`);
  }
  const attached = Object.entries(resources)
    .filter(([, r]) => ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].includes(r.Type))
    .filter(([, r]) => ((r.Properties?.Roles ?? []) as unknown[]).some((ref) => ref === roleLogicalId || (ref as any)?.Ref === roleLogicalId))
    .map(([id, r]) => ({ name: id, document: r.Properties.PolicyDocument }));
  const inline = ((role.Properties?.Policies ?? []) as any[])
    .map((p) => ({ name: `${roleLogicalId}/${p.PolicyName}`, document: p.PolicyDocument }));
  return [...attached, ...inline];
}

/** The logical id of the template's only AWS::IAM::Role; an error naming them if there is not exactly one. */
export function onlyRole(resources: Record<string, any>): string {
  const roles = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::IAM::Role');
  if (roles.length !== 1) {
    throw new Error(`onlyRole: expected exactly one AWS::IAM::Role, found ${roles.length}: ${roles.join(', ')}`);
  }
  return roles[0];
}

export interface IntrinsicValues {
  /** Values of `Ref`s: pseudo parameters (AWS::Partition ...) and template parameters. Other Refs stay as they are. */
  readonly refs: Record<string, string>;
  /** The value of `Fn::GetAtt [logicalId, attribute]` (default: an ARN naming both, enough for IAM evaluation). */
  readonly getAtt?: (logicalId: string, attribute: string) => string;
}

/** The pseudo parameters of a stack in moto's account and us-east-1, as CloudFormation resolves them. */
export const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * `value` with Ref (of the given names), Fn::Join and Fn::GetAtt resolved, as CloudFormation would before IAM sees
 * a policy. A Ref not in `refs` is left as it is (so role references stay for rolePolicies); any other intrinsic
 * function is an error naming it.
 */
export function resolveIntrinsics(value: unknown, values: IntrinsicValues): any {
  const resolve = (v: unknown): any => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Ref') return typeof arg === 'string' && arg in values.refs ? values.refs[arg] : v;
      if (fn === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolve(parts) as unknown[]).map((part) => {
          if (typeof part !== 'string') throw new Error(`resolveIntrinsics: cannot join ${JSON.stringify(part)}`);
          return part;
        }).join(separator);
      }
      if (fn === 'Fn::GetAtt') {
        const [id, attribute] = typeof arg === 'string' ? arg.split('.') : arg as [string, string];
        return values.getAtt ? values.getAtt(id, attribute) : `arn:aws:cloudformation:us-east-1:123456789012:getatt/${id}/${attribute}`;
      }
      if (fn.startsWith('Fn::')) throw new Error(`resolveIntrinsics: ${fn} is not supported (in ${JSON.stringify(v)})`);
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, resolve(x)]));
  };
  return resolve(value);
}
