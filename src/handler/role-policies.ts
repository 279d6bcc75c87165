import { CfnResource, CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AccountSettingGrant, AccountSettingPolicies } from './account-setting-access';
import { EncryptionAccess } from './encryption-access';
import { DEPRECATION_ACCESS, DEREGISTRATION_PROTECTION_ACCESS, ImageAccessPolicies, ImageGrantKind } from './image-access';
import { IMAGE_READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS, READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS } from './nag-reasons';
import { PolicyQuotaWarning } from './policy-quota';
import { keepSupersededImages, stackRecordPolicy } from './superseded-access';
import { suppressNagFindings } from '../nag-suppressions';

/** The claims whose handler needs other actions than the attribute reads and writes of ImageAccess policies. */
const LIFECYCLE_GRANTS: Partial<Record<string, ImageGrantKind>> = {
  deprecation: DEPRECATION_ACCESS,
  deregistrationProtection: DEREGISTRATION_PROTECTION_ACCESS,
};

/**
 * Every customer-managed policy of the handler's role, created in the handler construct's scope (so their construct
 * ids and logical ids are what they always were) as the stack's constructs need them, and the warning when an update
 * could attach more of them than IAM's quota (policy-quota.ts).
 */
export class HandlerRolePolicies {
  /** Writes to the handler's log group, and also holds the read-only checks EC2 cannot scope to a resource. */
  public readonly logs: iam.ManagedPolicy;
  private readonly imageAccess: ImageAccessPolicies;
  private readonly encryptionAccess: EncryptionAccess;
  private readonly accountSettings: AccountSettingPolicies;
  private readonly policyQuota: PolicyQuotaWarning;
  private imageReadsAdded = false;
  private publicSharingChecks?: iam.ManagedPolicy;
  /** How many KeptImages policies (one per AmiLaunchPermissions that keeps superseded AMIs) the role has. */
  private keptImagePolicies = 0;
  private stackRecordReads?: iam.ManagedPolicy;

  constructor(private readonly scope: Construct, private readonly role: iam.IRole, logGroupArn: string) {
    this.policyQuota = new PolicyQuotaWarning(scope);
    this.logs = new iam.ManagedPolicy(scope, 'Logs', {
      // Also holds the checks before sharing (see encryptionChecks). The description stays as it was: IAM cannot
      // change a policy's description, so CloudFormation would replace the policy of every existing stack on upgrade.
      description: 'cdk-ami-sharing handler: write to its own log group',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroupArn],
      })],
      roles: [role],
    });
    this.imageAccess = new ImageAccessPolicies(scope, role);
    this.encryptionAccess = new EncryptionAccess(scope, role);
    this.accountSettings = new AccountSettingPolicies(scope, role);
  }

  /** The policy that lets the handler touch this image as a construct of this attribute needs. */
  public forImage(attribute: string, imageId: string): iam.ManagedPolicy {
    const lifecycle = LIFECYCLE_GRANTS[attribute];
    const policy = lifecycle ? this.allowLifecycle(lifecycle, imageId) : this.imageAccess.grant(imageId);
    this.checkQuota();
    return policy;
  }

  /** The policy that lets the handler read and change an account-level setting (account-setting-access.ts). */
  public forAccountSetting(grant: AccountSettingGrant): iam.ManagedPolicy {
    const policy = this.accountSettings.allow(grant);
    this.checkQuota();
    return policy;
  }

  /**
   * Lets the handler keep superseded AMIs of this launch-permissions resource shared and deprecated: deprecation access
   * on its image (the previous AMI is deprecated through the policy that granted it), reads of its own stack's status
   * and record, and the KeptImages policy and SupersededImages guard (src/handler/superseded-access.ts).
   */
  public keepSupersededImages(construct: Construct, resource: CustomResource, imageId: string,
    properties: Record<string, unknown>, serviceToken: string): CustomResource {
    resource.node.addDependency(this.allowLifecycle(DEPRECATION_ACCESS, imageId));
    this.keptImagePolicies++;
    // A policy of its own that the resource depends on (not a statement of the log policy, which is updated in place):
    // the cleanup Delete of a resource that kept superseded AMIs still reads the stack's record after the last
    // construct that keeps any left the template.
    this.stackRecordReads ??= stackRecordPolicy(this.scope, this.role);
    resource.node.addDependency(this.stackRecordReads);
    const guard = keepSupersededImages(construct, resource, { role: this.role, serviceToken, properties });
    this.checkQuota();
    return guard;
  }

  /**
   * Lets the handler make the checks EC2 requires before an AMI is made public. These read actions have no
   * resource-level permissions, so they are only granted when some construct of the stack declares public access.
   */
  public allowPublicSharingChecks(): iam.ManagedPolicy {
    if (!this.publicSharingChecks) {
      this.publicSharingChecks = new iam.ManagedPolicy(this.scope, 'PublicSharingChecks', {
        description: 'cdk-ami-sharing handler: read block public access for AMIs and product codes before making an AMI public',
        statements: [new iam.PolicyStatement({
          actions: ['ec2:GetImageBlockPublicAccessState', 'ec2:DescribeImages'],
          resources: ['*'],
        })],
        roles: [this.role],
      });
      suppressNagFindings(this.publicSharingChecks.node.defaultChild as CfnResource, READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS);
      this.checkQuota();
    }
    return this.publicSharingChecks;
  }

  /**
   * Lets the handler read an AMI's block device mappings and snapshots before sharing it (and tell the AWS-managed
   * key aws/ebs apart), so that it never reports a share recipients cannot launch. See src/handler/encryption-access.ts.
   */
  public encryptionChecks(): iam.ManagedPolicy {
    return this.encryptionAccess.allowChecks(this.logs);
  }

  /**
   * Lets the handler create, list and revoke KMS grants on these imported keys.
   */
  public keyGrants(keyArns: string[]): iam.ManagedPolicy {
    const policy = this.encryptionAccess.allowKeyGrants(keyArns);
    this.checkQuota();
    return policy;
  }

  /**
   * Lets the handler give these accounts createVolumePermission on the account's snapshots (allowCopy).
   */
  public snapshotSharing(accounts: string[]): iam.ManagedPolicy {
    const policy = this.encryptionAccess.allowSnapshotSharing(accounts);
    this.checkQuota();
    return policy;
  }

  /**
   * `kind`'s actions on this image only, and DescribeImages (where EC2 reports the deprecation time and the
   * deregistration protection; it has no resource-level permissions) in the log policy, as the encryption checks are.
   */
  private allowLifecycle(kind: ImageGrantKind, imageId: string): iam.ManagedPolicy {
    if (!this.imageReadsAdded) {
      this.imageReadsAdded = true;
      this.logs.addStatements(new iam.PolicyStatement({ actions: ['ec2:DescribeImages'], resources: ['*'] }));
      suppressNagFindings(this.logs.node.defaultChild as CfnResource, IMAGE_READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS);
    }
    return this.imageAccess.grant(imageId, kind);
  }

  /** Warns when an update could attach more managed policies to the role than IAM's default quota (policy-quota.ts). */
  private checkQuota(): void {
    const encryption = this.encryptionAccess.policies;
    this.policyQuota.check({
      // The log policy (which also holds the encryption checks), then the optional ones.
      updatedInPlace: 1 + (this.publicSharingChecks ? 1 : 0) + (encryption.snapshotSharing ? 1 : 0) + this.accountSettings.count
        + this.keptImagePolicies + (this.stackRecordReads ? 1 : 0),
      replacedOnChange: this.imageAccess.policyCount + (encryption.keyGrants ? 1 : 0),
    });
  }
}
