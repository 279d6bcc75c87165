import { show } from '../src/validation';

// CloudFormation passes ServiceToken and ServiceTimeout along with a resource's own properties.
const PROTOCOL_PROPERTIES = ['ServiceToken', 'ServiceTimeout'];

/** Problems for properties a resource type does not know: a mistyped name would otherwise be silently ignored. */
export function unknownPropertyErrors(properties: Record<string, unknown>, known: string[]): string[] {
  return Object.keys(properties)
    .filter(key => !known.includes(key) && !PROTOCOL_PROPERTIES.includes(key))
    .map(key => `${key}: unknown property ${show(key)} (expected ${known.join(', ')})`);
}
