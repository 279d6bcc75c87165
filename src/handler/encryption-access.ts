import { ArnFormat, CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nameAfterContent } from './content-named';
import { ArnAsNagSees, ENCRYPTION_CHECKS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS, SNAPSHOTS_OF_THE_ACCOUNT } from './nag-reasons';
import { suppressNagFindings } from '../nag-suppressions';

/**
 * The operations of the grants the handler creates on an imported key for each declared account: what EBS needs to
 * launch or copy an AMI encrypted with it (EBS user guide, "Share a KMS key"). A grant cannot carry a condition such as
 * kms:GrantIsForAWSResource (grant constraints are encryption-context constraints only), so CreateGrant is granted to
 * the recipient account outright; EBS needs it to create the grant of each volume it decrypts, and the recipient's own
 * IAM policies decide which of its principals may use it. The handler's CreateGrant is limited to exactly these.
 */
export const GRANT_OPERATIONS = ['Decrypt', 'DescribeKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant'];

/**
 * The policies the handler needs for encrypted AMIs, each created the first time a construct of the stack needs it:
 *
 * - the checks (every stack that shares an AMI): read the AMI's block device mappings and snapshots, which EC2 allows
 *   on `*` only, and tell the account's AWS-managed key aws/ebs apart from its customer-managed keys (kms:DescribeKey,
 *   read-only, on the keys of the stack's account and Region, where aws/ebs lives).
 * - KeyGrants (stacks with imported keys): create, list and revoke grants on those keys' ARNs only.
 * - SnapshotSharing (stacks that use allowCopy): read and change createVolumePermission of the account's snapshots,
 *   adding only the accounts declared with allowCopy and never the `all` group.
 */
export class EncryptionAccess {
  private checksAdded = false;
  private keyGrants?: { policy: iam.ManagedPolicy; statements: iam.PolicyStatement[]; keys: Set<string> };
  private snapshots?: { policy: iam.ManagedPolicy; accounts: Set<string> };

  constructor(private readonly scope: Construct, private readonly role: iam.IRole) {}

  /** Whether the KeyGrants policy (named after its keys) and the SnapshotSharing policy (updated in place) exist. */
  public get policies(): { keyGrants: boolean; snapshotSharing: boolean } {
    return { keyGrants: this.keyGrants !== undefined, snapshotSharing: this.snapshots !== undefined };
  }

  /**
   * Adds the checks to `base` (the handler's log policy) rather than a policy of their own: every stack that shares an
   * AMI needs them, and a role holds only 10 managed policies, which the image policies need (see image-access.ts).
   */
  public allowChecks(base: iam.ManagedPolicy): iam.ManagedPolicy {
    if (!this.checksAdded) {
      this.checksAdded = true;
      const stack = Stack.of(this.scope);
      base.addStatements(
        new iam.PolicyStatement({ actions: ['ec2:DescribeImages', 'ec2:DescribeSnapshots'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['kms:DescribeKey'],
          resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
        }),
      );
      suppressNagFindings(base.node.defaultChild as CfnResource, ENCRYPTION_CHECKS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS(arnAsNagSees(stack)));
    }
    return base;
  }

  /**
   * Grants on these keys. The policy's logical id follows its keys: a key dropped from the stack keeps its policy (and
   * the handler its access to revoke the grants) until CloudFormation's cleanup phase, as image policies do.
   */
  public allowKeyGrants(keyArns: string[]): iam.ManagedPolicy {
    if (!this.keyGrants) {
      const keys = new Set<string>();
      const statements = [
        new iam.PolicyStatement({ actions: ['kms:ListGrants', 'kms:RevokeGrant'] }),
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant'],
          conditions: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': GRANT_OPERATIONS } },
        }),
      ];
      const policy = new iam.ManagedPolicy(this.scope, 'KeyGrants', {
        description: 'cdk-ami-sharing handler: create, list and revoke KMS grants for AMI recipients on the imported keys this stack declares',
        statements,
        roles: [this.role],
      });
      nameAfterContent(this.scope, policy, 'KeyGrants', () => [...keys]);
      this.keyGrants = { policy, statements, keys };
    }
    for (const arn of keyArns) {
      if (!this.keyGrants.keys.has(arn)) {
        this.keyGrants.keys.add(arn);
        this.keyGrants.statements.forEach(s => s.addResources(arn));
      }
    }
    return this.keyGrants.policy;
  }

  /** createVolumePermission on the account's snapshots, adding only `accounts` (all allowCopy accounts of the stack). */
  public allowSnapshotSharing(accounts: string[]): iam.ManagedPolicy {
    if (!this.snapshots) {
      const stack = Stack.of(this.scope);
      // Snapshot ARNs carry no account (Service Authorization Reference, Amazon EC2: arn:...:ec2:<region>::snapshot/<id>).
      const snapshotArns = stack.formatArn({ service: 'ec2', account: '', resource: 'snapshot', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
      const declared = new Set<string>();
      const modify = (conditions: Record<string, unknown>) => new iam.PolicyStatement({
        actions: ['ec2:ModifySnapshotAttribute'], resources: [snapshotArns], conditions,
      });
      const policy = new iam.ManagedPolicy(this.scope, 'SnapshotSharing', {
        description: 'cdk-ami-sharing handler: let the accounts declared with allowCopy create volumes from the shared AMIs\' snapshots',
        statements: [
          new iam.PolicyStatement({ actions: ['ec2:DescribeSnapshotAttribute'], resources: [snapshotArns] }),
          // Additions: only the declared accounts (ec2:Add/userId), never the `all` group (public).
          modify({
            StringEquals: { 'ec2:Add/userId': Lazy.list({ produce: () => [...declared].sort() }) },
            Null: { 'ec2:Add/group': 'true' },
          }),
          // Removals only narrow access (and EXCLUSIVE revokes accounts nobody declared), so any account may be removed.
          modify({ Null: { 'ec2:Add/userId': 'true', 'ec2:Add/group': 'true' } }),
        ],
        roles: [this.role],
      });
      suppressNagFindings(policy.node.defaultChild as CfnResource, SNAPSHOTS_OF_THE_ACCOUNT(arnAsNagSees(stack)));
      this.snapshots = { policy, accounts: declared };
    }
    accounts.forEach(a => this.snapshots!.accounts.add(a));
    return this.snapshots.policy;
  }
}

/** An ARN of the stack's account and Region as cdk-nag prints it: literal values as they are, pseudo parameters as <AWS::...>. */
function arnAsNagSees(stack: Stack): ArnAsNagSees {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return (service, resource) => `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
}
