// The key-policy statements that let recipients use a customer-managed KMS key for EBS: the construct adds them to a key
// this app creates, and prints them for the owner of an imported key (whose policy the app cannot change). Plain JSON
// and no aws-cdk-lib, so the handler's validation prints exactly what the construct would add.

/**
 * What EBS needs of the key that encrypts an AMI's snapshots to launch or copy it in another account (EBS user guide,
 * "Share a KMS key" for encrypted snapshots and AMIs). CreateGrant is a separate statement: it is only allowed for an
 * AWS resource (EBS creates a grant per volume), never for the recipient's own use.
 */
export const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** Who may use the key: accounts, organizations (their ids) and OUs (their aws:PrincipalOrgPaths patterns). */
export interface KeyRecipients {
  readonly accounts: readonly string[];
  readonly organizationIds: readonly string[];
  readonly organizationalUnitPaths: readonly string[];
}

export type PolicyStatementJson = Record<string, unknown>;

/** `o-xxx` out of an organization ARN (arn:...:organization/o-xxx). */
export function organizationIdOf(organizationArn: string): string {
  return organizationArn.split('/')[1];
}

/**
 * The aws:PrincipalOrgPaths pattern of an OU and the OUs below it. The OU ARN (arn:...:ou/o-xxx/ou-xxx) has no root id,
 * while the paths do (o-xxx/r-xxxx/ou-xxx/...): a wildcard stands for the root and any parent OUs.
 */
export function organizationalUnitPathOf(organizationalUnitArn: string): string {
  const [, organizationId, unitId] = organizationalUnitArn.split('/');
  return `${organizationId}/*/${unitId}/*`;
}

/** The statements for `recipients`, two per kind of principal declared (use, and CreateGrant for AWS resources only). */
export function keyPolicyStatements(recipients: KeyRecipients, partition: string, sidPrefix = 'CdkAmiSharing'): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [];
  const both = (kind: string, principal: unknown, condition: Record<string, unknown>) => {
    statements.push({
      Sid: `${sidPrefix}Use${kind}`,
      Effect: 'Allow',
      Principal: principal,
      Action: KEY_USE_ACTIONS,
      Resource: '*',
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    });
    statements.push({
      Sid: `${sidPrefix}Grant${kind}`,
      Effect: 'Allow',
      Principal: principal,
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { ...condition, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    });
  };
  if (recipients.accounts.length > 0) {
    both('Accounts', { AWS: recipients.accounts.map(a => `arn:${partition}:iam::${a}:root`) }, {});
  }
  if (recipients.organizationIds.length > 0) {
    both('Organizations', { AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': [...recipients.organizationIds] } });
  }
  if (recipients.organizationalUnitPaths.length > 0) {
    both('OrganizationalUnits', { AWS: '*' }, { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [...recipients.organizationalUnitPaths] } });
  }
  return statements;
}
