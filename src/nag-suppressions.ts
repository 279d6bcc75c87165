import * as cdk from 'aws-cdk-lib';
import { CfnResource } from 'aws-cdk-lib';

/** A cdk-nag rule this library knowingly does not follow on one of its own resources, and why. */
export interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: string[];
}

/** The part of aws-cdk-lib's `Validations` (2.257 and later) used here; the aws-cdk-lib floor does not have it. */
interface ValidationsApi {
  of(scope: CfnResource): { acknowledge(...rules: Array<{ id: string; reason: string }>): void };
}

/**
 * Suppresses findings on this library's own resources only, each with its reason, for both generations of cdk-nag,
 * without making cdk-nag a dependency of users who do not run it:
 *
 * - cdk-nag 2 (Aspects) reads `cdk_nag` template metadata. Reasons stay ASCII (it stores anything else base64-encoded).
 * - cdk-nag 3 (validation plugins) ignores that metadata and reads acknowledgements made with aws-cdk-lib's
 *   `Validations.of(construct).acknowledge()`, under the same rule ids; a finding that names a resource
 *   (`AwsSolutions-IAM5[Resource::*]`) is acknowledged by that full id. `Validations` only exists in the aws-cdk-lib
 *   the user's app runs with if it is 2.257 or later, which cdk-nag 3 requires anyway, so it is looked up at run time.
 */
export function suppressNagFindings(resource: CfnResource, suppressions: NagSuppression[]): void {
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [
      ...existing,
      ...suppressions.map(s => ({ reason: s.reason, id: s.id, ...(s.appliesTo ? { applies_to: s.appliesTo } : {}) })),
    ],
  });

  const validations = (cdk as unknown as { Validations?: ValidationsApi }).Validations;
  if (validations) {
    validations.of(resource).acknowledge(...suppressions.flatMap(s =>
      (s.appliesTo ? s.appliesTo.map(finding => `${s.id}[${finding}]`) : [s.id]).map(id => ({ id, reason: s.reason }))));
  }
}
