import { CfnResource } from 'aws-cdk-lib';

/** A cdk-nag rule this library knowingly does not follow on one of its own resources, and why. */
export interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: string[];
}

/**
 * Records suppressions in the `cdk_nag` metadata cdk-nag reads, on this library's own resources only, without making
 * cdk-nag a dependency of users who do not run it. Reasons stay ASCII (cdk-nag stores anything else base64-encoded).
 */
export function suppressNagFindings(resource: CfnResource, suppressions: NagSuppression[]): void {
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [
      ...existing,
      ...suppressions.map(s => ({ reason: s.reason, id: s.id, ...(s.appliesTo ? { applies_to: s.appliesTo } : {}) })),
    ],
  });
}
