// Resolves template expressions with what CloudFormation knows about the deployed stack: parameter values as resolved
// at the last deployment, resources' physical ids, outputs (an expression some output also has), exports and pseudo
// parameters. What only a deployment can produce (Fn::GetAtt of a resource no output exposes, a stack not deployed
// yet) stays unresolved: the plan then says "resolved at deploy".
import type { DeployedStack } from './read';

/** A value the plan cannot know before the deploy, kept with its template expression. */
export interface Unresolved { readonly $unresolved: unknown }

function isUnresolved(value: unknown): value is Unresolved {
  return typeof value === 'object' && value !== null && '$unresolved' in value;
}

/** Whether a resolved value still contains anything unresolved. */
export function containsUnresolved(value: unknown): boolean {
  if (isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnresolved);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsUnresolved);
  return false;
}

const INTRINSICS = new Set(['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split', 'Fn::ImportValue',
  'Fn::If', 'Fn::FindInMap', 'Fn::Base64', 'Fn::GetAZs', 'Fn::Cidr', 'Fn::ToJsonString', 'Fn::Length']);

export class Resolver {
  private readonly outputs: Array<{ expression: string; value: string }>;

  /**
   * @param deployed the stack as deployed (undefined when it is not)
   * @param exports the Region's exports, when some template imports values
   */
  constructor(private readonly deployed: DeployedStack | undefined, private readonly exports: Readonly<Record<string, string>> = {}) {
    const declared = deployed?.template?.Outputs ?? {};
    this.outputs = (deployed?.outputs ?? [])
      .filter(o => declared[o.key] !== undefined)
      .map(o => ({ expression: JSON.stringify(declared[o.key].Value), value: o.value }));
  }

  /** The value with every expression CloudFormation's reads can answer resolved, the rest wrapped as Unresolved. */
  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(v => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && INTRINSICS.has(entries[0][0])) {
      const resolved = this.intrinsic(entries[0][0], entries[0][1], value);
      return resolved === undefined ? { $unresolved: value } : resolved;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  private intrinsic(fn: string, arg: unknown, whole: unknown): unknown {
    const output = this.outputs.find(o => o.expression === JSON.stringify(whole));
    if (output) return output.value;
    const scalar = (v: unknown) => {
      const r = this.resolve(v);
      return containsUnresolved(r) ? undefined : r;
    };
    switch (fn) {
      case 'Ref': return this.ref(String(arg));
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown];
        const list = scalar(parts);
        return Array.isArray(list) ? list.join(separator) : undefined;
      }
      case 'Fn::Select': {
        const [index, list] = (arg as [unknown, unknown]).map(scalar);
        return Array.isArray(list) && index !== undefined ? list[Number(index)] : undefined;
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        const text = scalar(source);
        return typeof text === 'string' ? text.split(separator) : undefined;
      }
      case 'Fn::ImportValue': {
        const name = scalar(arg);
        return typeof name === 'string' ? this.exports[name] : undefined;
      }
      case 'Fn::Sub': {
        const [text, variables] = typeof arg === 'string' ? [arg, {}] : arg as [string, Record<string, unknown>];
        let unknown = false;
        const result = text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          const v = name in variables ? scalar(variables[name]) : name.includes('.') ? undefined : this.ref(name);
          if (typeof v !== 'string') unknown = true;
          return String(v);
        });
        return unknown ? undefined : result;
      }
      default: return undefined;
    }
  }

  private ref(name: string): string | undefined {
    const deployed = this.deployed;
    if (!deployed) return undefined;
    // arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>
    const arn = deployed.stackId.split(':');
    switch (name) {
      case 'AWS::StackName': return deployed.stackName;
      case 'AWS::StackId': return deployed.stackId;
      case 'AWS::Partition': return arn[1];
      case 'AWS::Region': return arn[3];
      case 'AWS::AccountId': return arn[4];
      case 'AWS::URLSuffix': return arn[1] === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    }
    if (name in deployed.parameters) return deployed.parameters[name];
    return deployed.resources.get(name)?.physicalId;
  }
}

/** Whether a template (or any part of it) imports values from other stacks. */
export function importsValues(template: unknown): boolean {
  return JSON.stringify(template ?? {}).includes('"Fn::ImportValue"');
}
