// The requests of the AMI usage report actions as the peer reads and checks them (EC2 API Reference,
// CreateImageUsageReport and ImageUsageResourceTypeRequest:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImageUsageReport.html,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageUsageResourceTypeRequest.html).
import { Answer, ec2Error } from './protocol';

/** The resource types a report may count (ImageUsageResourceTypeRequest, ResourceType: "Valid values"). */
export const USAGE_RESOURCE_TYPES = ['ec2:Instance', 'ec2:LaunchTemplate', 'imagebuilder:ImageRecipe', 'imagebuilder:ContainerRecipe'] as const;
export type UsageResourceType = typeof USAGE_RESOURCE_TYPES[number];

export interface ResourceTypeRequest {
  readonly type: string;
  /** version-depth for ec2:LaunchTemplate ("Integers between 1 and 10000", default 20). */
  readonly versionDepth?: number;
}

/**
 * ResourceType.N.ResourceType with ResourceType.N.ResourceTypeOption.M.OptionName / .OptionValue.K, or the reason
 * they are invalid: a known type at most once; options "Valid only when ResourceType is ec2:LaunchTemplate"; the one
 * option is version-depth, with one value, an integer between 1 and 10000.
 */
export function resourceTypesOf(p: Record<string, string>): ResourceTypeRequest[] | string {
  const types: ResourceTypeRequest[] = [];
  const indexes = [...new Set(Object.keys(p).map(k => /^ResourceType\.(\d+)\./.exec(k)?.[1]).filter((i): i is string => i !== undefined))]
    .sort((a, b) => Number(a) - Number(b));
  for (const i of indexes) {
    const type = p[`ResourceType.${i}.ResourceType`];
    if (type === undefined) return `ResourceType.${i}.ResourceType is required`;
    if (!(USAGE_RESOURCE_TYPES as readonly string[]).includes(type)) return `ResourceType: ${type} is not one of ${USAGE_RESOURCE_TYPES.join(', ')}`;
    if (types.some(t => t.type === type)) return `ResourceType: ${type} is listed twice`;
    const options = Object.keys(p).filter(k => k.startsWith(`ResourceType.${i}.ResourceTypeOption.`) && k.endsWith('.OptionName'));
    if (options.length > 0 && type !== 'ec2:LaunchTemplate') return `ResourceTypeOption is valid only for ec2:LaunchTemplate, not ${type}`;
    let versionDepth: number | undefined;
    for (const option of options) {
      const prefix = option.slice(0, -'.OptionName'.length);
      if (p[option] !== 'version-depth') return `ResourceTypeOption: unknown option ${p[option]} (the only one is version-depth)`;
      const values = listOf(p, `${prefix}.OptionValue`);
      if (values.length !== 1 || !/^\d+$/.test(values[0]) || Number(values[0]) < 1 || Number(values[0]) > 10000) {
        return `version-depth takes one integer between 1 and 10000, got ${JSON.stringify(values)}`;
      }
      versionDepth = Number(values[0]);
    }
    types.push({ type, versionDepth });
  }
  return types;
}

/** The values of Name.1, Name.2 ... in order. */
export function listOf(p: Record<string, string>, name: string): string[] {
  const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)$`);
  return Object.entries(p).flatMap(([k, v]) => {
    const m = pattern.exec(k);
    return m ? [[Number(m[1]), v] as const] : [];
  }).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** The values of the Filter.N whose Name is `name`, or undefined when there is none. */
export function filterValues(p: Record<string, string>, name: string): string[] | undefined {
  const key = Object.keys(p).find(k => /^Filter\.\d+\.Name$/.test(k) && p[k] === name);
  return key === undefined ? undefined : listOf(p, key.replace(/Name$/, 'Value'));
}

export function missingParameter(name: string): Answer {
  return ec2Error(400, 'MissingParameter', `The request must contain the parameter ${name}`);
}

export function invalid(message: string): Answer {
  return ec2Error(400, 'InvalidParameterValue', message);
}
