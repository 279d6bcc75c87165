import { MANAGED_BY_DECLARATIVE_POLICY } from '../../src/validation';
import type { AccountSettingState } from '../ec2';

/** An organization's declarative policy sets it: the account's own calls cannot change it. */
export function isManagedByDeclarativePolicy(live: AccountSettingState): boolean {
  return live.managedBy === MANAGED_BY_DECLARATIVE_POLICY;
}
