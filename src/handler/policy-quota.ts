import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Managed policies IAM lets a role hold by default ("Managed policies per role"; up to 20 on request). */
export const MANAGED_POLICIES_PER_ROLE = 10;

/** The handler role's managed policies, by how CloudFormation changes them. */
export interface RolePolicyCount {
  /** Policies with a fixed logical id, updated in place (logs, public-sharing checks, snapshot sharing). */
  readonly updatedInPlace: number;
  /**
   * Policies whose logical id follows their content (image policies, key grants): a change creates a new one, and the
   * old one stays attached until CloudFormation's cleanup phase, so during an update each may count twice.
   */
  readonly replacedOnChange: number;
}

/** The most managed policies the role holds at once: mid-update, when every content-named policy changed. */
export function policiesDuringUpdate(count: RolePolicyCount): number {
  return count.updatedInPlace + 2 * count.replacedOnChange;
}

/**
 * Warns once, on `scope`, when an update that changes every content-named policy would attach more than the default
 * quota allows. Called whenever the handler adds a policy; the count only grows.
 */
export class PolicyQuotaWarning {
  private warned = false;

  constructor(private readonly scope: Construct) {}

  public check(count: RolePolicyCount): void {
    const total = policiesDuringUpdate(count);
    if (this.warned || total <= MANAGED_POLICIES_PER_ROLE) return;
    this.warned = true;
    Annotations.of(this.scope).addWarningV2('cdk-ami-sharing:imagePoliciesMidUpdate',
      `The handler's role needs ${count.replacedOnChange} or more policies that are replaced when the AMIs or keys they `
      + `grant change, and ${count.updatedInPlace} others. An update that changes all of them at once (removing the first `
      + 'of many constructs, say) attaches the old and the new ones together until CloudFormation\'s cleanup phase: '
      + `${total} managed policies, more than the ${MANAGED_POLICIES_PER_ROLE} IAM allows a role by default. Raise the `
      + '"Managed policies per role" quota (up to 20), or spread the AMIs over several stacks.');
  }
}
