// The handler role's policies as IAM will count them, computed from a synthesised template, whatever strategy the
// constructs use (inline policies on the role, AWS::IAM::Policy / RolePolicy resources, customer-managed policies).
//
// IAM counts a policy's characters without whitespace (IAM user guide, "IAM and AWS STS quotas": role policy size,
// 10,240 characters for all inline policies of a role together; managed policy size, 6,144 characters each; managed
// policies per role, 10 by default). The template holds intrinsic functions where CloudFormation substitutes the
// partition, Region, account and generated names, so those are resolved first with stand-ins of realistic length.

/** Values that replace pseudo parameters and generated names. */
export interface Substitution {
  readonly label: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly urlSuffix: string;
  readonly stackName: string;
}

/** The common case: the aws partition in us-east-1. */
export const TYPICAL: Substitution = {
  label: 'aws / us-east-1', partition: 'aws', region: 'us-east-1', account: '123456789012', urlSuffix: 'amazonaws.com', stackName: '',
};

/**
 * The longest partition + Region pair (23 characters together; aws-iso-b + us-isob-east-1 ties): a policy that fits
 * with these fits everywhere.
 */
export const LONGEST: Substitution = {
  label: 'aws-us-gov / us-gov-west-1', partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012', urlSuffix: 'amazonaws.com', stackName: '',
};

export const INLINE_LIMIT = 10_240;
export const MANAGED_LIMIT = 6_144;
export const MANAGED_PER_ROLE = 10;

export interface AttachedPolicy {
  /** inline: role Policies, AWS::IAM::Policy, AWS::IAM::RolePolicy; managed: AWS::IAM::ManagedPolicy; aws-managed: an ARN. */
  readonly kind: 'inline' | 'managed' | 'aws-managed';
  readonly name: string;
  /** Characters as IAM counts them, with the LONGEST substitution; 0 for aws-managed (not ours to size). */
  readonly chars: number;
  /** The same with the TYPICAL substitution. */
  readonly typicalChars: number;
  /** Image ARNs the document names. */
  readonly images: number;
  /** The document resolved with TYPICAL, for coverage checks. */
  readonly document?: any;
}

export interface RolePolicies {
  readonly roleLogicalId: string;
  readonly policies: AttachedPolicy[];
  /** Sum over the role's inline policies (the 10,240 limit is for all of them together). */
  readonly inlineChars: number;
  readonly managedCount: number;
  readonly largestManagedChars: number;
  readonly problems: string[];
}

/** Resolves the intrinsic functions a policy document may contain, to a plain JSON value. */
export function resolve(value: unknown, template: any, sub: Substitution): any {
  if (Array.isArray(value)) return value.map(v => resolve(v, template, sub));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0] as [string, any];
    switch (key) {
      case 'Ref': return ref(String(arg), template, sub);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return getAtt(id, attribute, template, sub);
      }
      case 'Fn::Join': return (resolve(arg[1], template, sub) as unknown[]).map(String).join(arg[0]);
      case 'Fn::Select': return (resolve(arg[1], template, sub) as unknown[])[Number(resolve(arg[0], template, sub))];
      case 'Fn::Split': return String(resolve(arg[1], template, sub)).split(arg[0]);
      case 'Fn::If': return resolve(arg[1], template, sub);
      case 'Fn::ImportValue': return `imported-${'x'.repeat(20)}`;
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        return String(text).replace(/\$\{([^}!]+)\}/g, (_: string, name: string) => {
          if (vars && name in vars) return String(resolve(vars[name], template, sub));
          const [id, attribute] = name.split('.');
          return String(attribute ? getAtt(id, attribute, template, sub) : ref(id, template, sub));
        });
      }
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, template, sub)]));
}

function stackName(sub: Substitution): string {
  return sub.stackName || 'AmiSharingStack';
}

/** CloudFormation's generated physical names: stack name, logical id, 12 random characters. */
function generatedName(logicalId: string, sub: Substitution): string {
  return `${stackName(sub)}-${logicalId}`.slice(0, 50) + '-ABCDEFGHIJKL';
}

function ref(id: string, template: any, sub: Substitution): string {
  switch (id) {
    case 'AWS::Partition': return sub.partition;
    case 'AWS::Region': return sub.region;
    case 'AWS::AccountId': return sub.account;
    case 'AWS::URLSuffix': return sub.urlSuffix;
    case 'AWS::StackName': return stackName(sub);
    case 'AWS::StackId': return `arn:${sub.partition}:cloudformation:${sub.region}:${sub.account}:stack/${stackName(sub)}/11111111-2222-3333-4444-555555555555`;
    case 'AWS::NoValue': return '';
  }
  const resource = template.Resources?.[id];
  const name = resource?.Properties?.ManagedPolicyName ?? resource?.Properties?.RoleName ?? generatedName(id, sub);
  if (resource?.Type === 'AWS::IAM::ManagedPolicy') return `arn:${sub.partition}:iam::${sub.account}:policy/${name}`;
  if (template.Parameters?.[id]) return `parameter-${id}`;
  return String(name);
}

function getAtt(id: string, attribute: string, template: any, sub: Substitution): string {
  const type: string = template.Resources?.[id]?.Type ?? 'AWS::Unknown::Thing';
  const name = ref(id, template, sub);
  if (attribute !== 'Arn') return `${name}-${attribute}`;
  switch (type) {
    case 'AWS::Logs::LogGroup': return `arn:${sub.partition}:logs:${sub.region}:${sub.account}:log-group:${name}:*`;
    case 'AWS::IAM::Role': return `arn:${sub.partition}:iam::${sub.account}:role/${name}`;
    case 'AWS::Lambda::Function': return `arn:${sub.partition}:lambda:${sub.region}:${sub.account}:function:${name}`;
    default: return `arn:${sub.partition}:${type.split('::')[1].toLowerCase()}:${sub.region}:${sub.account}:${name}`;
  }
}

/** IAM's count: the JSON text without whitespace outside strings. */
export function iamChars(document: unknown): number {
  return JSON.stringify(document).length;
}

function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? null).includes(`{"Ref":"${logicalId}"}`);
}

/** The policies attached to the role of the template's Lambda function(s), sized and checked against IAM's limits. */
export function rolePolicies(template: any, roleLogicalId: string, stack: string): RolePolicies {
  const typical = { ...TYPICAL, stackName: stack };
  const longest = { ...LONGEST, stackName: stack };
  const resources: Record<string, any> = template.Resources ?? {};
  const role = resources[roleLogicalId];
  const policies: AttachedPolicy[] = [];
  const size = (document: unknown) => ({
    chars: iamChars(resolve(document, template, longest)),
    typicalChars: iamChars(resolve(document, template, typical)),
    images: (JSON.stringify(resolve(document, template, typical)).match(/:image\//g) ?? []).length,
    document: resolve(document, template, typical),
  });

  for (const p of role?.Properties?.Policies ?? []) {
    policies.push({ kind: 'inline', name: `${roleLogicalId}/${p.PolicyName}`, ...size(p.PolicyDocument) });
  }
  const managedIds = new Set<string>();
  for (const [id, r] of Object.entries(resources)) {
    const props = r.Properties ?? {};
    if ((r.Type === 'AWS::IAM::Policy' && refersTo(props.Roles, roleLogicalId))
      || (r.Type === 'AWS::IAM::RolePolicy' && refersTo(props.RoleName, roleLogicalId))) {
      policies.push({ kind: 'inline', name: id, ...size(props.PolicyDocument) });
    }
    if (r.Type === 'AWS::IAM::ManagedPolicy' && refersTo(props.Roles, roleLogicalId)) {
      managedIds.add(id);
    }
  }
  for (const arn of role?.Properties?.ManagedPolicyArns ?? []) {
    const target = typeof arn === 'object' && arn !== null && 'Ref' in arn ? String(arn.Ref) : undefined;
    if (target && resources[target]?.Type === 'AWS::IAM::ManagedPolicy') {
      managedIds.add(target);
    } else {
      policies.push({ kind: 'aws-managed', name: String(resolve(arn, template, typical)), chars: 0, typicalChars: 0, images: 0 });
    }
  }
  for (const id of managedIds) {
    policies.push({ kind: 'managed', name: id, ...size(resources[id].Properties.PolicyDocument) });
  }

  const inlineChars = policies.filter(p => p.kind === 'inline').reduce((sum, p) => sum + p.chars, 0);
  const managed = policies.filter(p => p.kind !== 'inline');
  const largestManagedChars = Math.max(0, ...managed.map(p => p.chars));
  const problems: string[] = [];
  if (inlineChars > INLINE_LIMIT) {
    problems.push(`the role's inline policies total ${inlineChars} characters, over IAM's ${INLINE_LIMIT} per role`);
  }
  for (const p of managed.filter(m => m.chars > MANAGED_LIMIT)) {
    problems.push(`managed policy ${p.name} has ${p.chars} characters, over IAM's ${MANAGED_LIMIT}`);
  }
  if (managed.length > MANAGED_PER_ROLE) {
    problems.push(`${managed.length} managed policies on the role, over IAM's default quota of ${MANAGED_PER_ROLE}`);
  }
  return { roleLogicalId, policies, inlineChars, managedCount: managed.length, largestManagedChars, problems };
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\?/g, '.')).join('.*')}$`, 'i');
  return re.test(value);
}

/** Whether an Allow statement of these policies grants `action` on `resource` (no Deny or Condition evaluation). */
export function allows(policies: readonly AttachedPolicy[], action: string, resource: string): boolean {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  return policies.some(p => list(p.document?.Statement)
    .some((s: any) => s?.Effect === 'Allow'
      && list(s.Action).some(a => glob(String(a), action))
      && list(s.Resource).some(r => glob(String(r), resource))));
}
