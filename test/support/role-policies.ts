// A role's identity policies as a synthesised template declares them, in the shape Ec2Peer.enforceIdentityPolicies
// takes; the template's intrinsic functions resolved by the CloudFormation emulation's resolver, for callers that
// deploy nothing.
import { ACCOUNT_ID, REGION, resolve } from './cloudformation/intrinsics';
import type { IdentityPolicy } from './ec2-peer';

/**
 * A template's Resources with every intrinsic function resolved as cloudformation/intrinsics.ts resolves it, without
 * deploying anything: a Ref to a resource gives its logical id (so rolePolicies still finds the role), Fn::GetAtt an
 * ARN naming the resource and the attribute (enough for IAM evaluation), a Ref to a parameter its value in `parameters`.
 */
export function resolveResources(resources: Record<string, any>,
  options: { readonly stackName: string; readonly parameters?: Record<string, string> }): Record<string, any> {
  return resolve(resources, {
    stackName: options.stackName,
    parameters: options.parameters ?? {},
    exports: {},
    ref: logicalId => logicalId,
    getAtt: (logicalId, attribute) => `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:getatt/${logicalId}/${attribute}`,
  });
}

/**
 * The identity policies attached to the role `roleLogicalId` in `resources` (a template's Resources, as
 * resolveResources returns them or not yet resolved): every AWS::IAM::ManagedPolicy and AWS::IAM::Policy whose
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
