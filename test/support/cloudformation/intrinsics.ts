// CloudFormation's intrinsic functions, as far as this library's templates (and the test stacks around them) use
// them: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::ImportValue and the pseudo parameters.

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** What resolving needs to know at one moment of a deployment. */
export interface ResolveContext {
  readonly stackName: string;
  /** Parameter values of the template version being resolved. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Exports of other stacks, for Fn::ImportValue. */
  readonly exports: Readonly<Record<string, string>>;
  /** The physical id a Ref to a resource returns. */
  ref(logicalId: string): string;
  /** A resource's attribute. */
  getAtt(logicalId: string, attribute: string): string;
}

const PSEUDO: Record<string, (context: ResolveContext) => string> = {
  'AWS::AccountId': () => ACCOUNT_ID,
  'AWS::Region': () => REGION,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': context => context.stackName,
  'AWS::StackId': context => `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/${context.stackName}/00000000-0000-0000-0000-000000000000`,
};

function ref(name: string, context: ResolveContext): string {
  if (PSEUDO[name]) return PSEUDO[name](context);
  if (name in context.parameters) return context.parameters[name];
  return context.ref(name);
}

/** The value with every intrinsic function replaced by what CloudFormation would put there. */
export function resolve(value: unknown, context: ResolveContext): any {
  if (Array.isArray(value)) return value.map(v => resolve(v, context));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [fn, arg] = entries[0];
    switch (fn) {
      case 'Ref': return ref(arg as string, context);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return context.getAtt(logicalId, attribute);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolve(parts, context) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return resolve(list, context)[Number(resolve(index, context))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return String(resolve(source, context)).split(separator);
      }
      case 'Fn::ImportValue': {
        const name = resolve(arg, context) as string;
        if (!(name in context.exports)) throw new Error(`Fn::ImportValue: no export named ${name}`);
        return context.exports[name];
      }
      case 'Fn::Sub': {
        const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg as [string, Record<string, unknown>];
        return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (name in variables) return resolve(variables[name], context);
          const [logicalId, attribute] = name.split('.');
          return attribute ? context.getAtt(logicalId, attribute) : ref(name, context);
        });
      }
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, context)]));
}

/** The logical ids a value refers to (Ref, Fn::GetAtt, Fn::Sub), which CloudFormation treats as dependencies. */
export function referencedResources(value: unknown, resources: Readonly<Record<string, unknown>>): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    for (const [key, arg] of Object.entries(v as Record<string, unknown>)) {
      if (key === 'Ref' && typeof arg === 'string' && arg in resources) {found.add(arg);} else if (key === 'Fn::GetAtt') {found.add(Array.isArray(arg) ? arg[0] : String(arg).split('.')[0]);} else if (key === 'Fn::Sub') {
        const text = typeof arg === 'string' ? arg : (arg as [string])[0];
        for (const [, name] of text.matchAll(/\$\{([^}.]+)/g)) if (name in resources) found.add(name);
        visit(arg);
      } else {visit(arg);}
    }
  };
  visit(value);
  return found;
}
