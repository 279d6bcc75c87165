// What AmiDeregistrationProtection declares, as the handler receives it: CloudFormation hands booleans over as strings.
import { show } from './show';

/** Parses WithCooldown ('true' / 'false', or absent for false), or returns why it is neither. */
export function parseWithCooldown(property: string, value: unknown): boolean | string {
  if (value === undefined || value === 'false' || value === false) return false;
  if (value === 'true' || value === true) return true;
  return `${property}: ${show(value)} is not true or false`;
}
