import * as path from 'path';
import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AccountSettingGrant, AccountSettingPolicies } from './handler/account-setting-access';
import { ImageClaim, ImageClaims } from './handler/claims';
import { EncryptionAccess } from './handler/encryption-access';
import { Enforcement } from './handler/enforcement';
import { CORRECTIONS_METRIC, FAILURES_METRIC, METRIC_DIMENSION, METRIC_NAMESPACE } from './handler/enforcement-contract';
import { DEPRECATION_ACCESS, DEREGISTRATION_PROTECTION_ACCESS, ImageAccessPolicies, ImageGrantKind } from './handler/image-access';
import { HANDLER_TIMEOUT, SERVICE_TIMEOUT } from './handler/limits';
import {
  FUNCTION_ONLY_CLOUDFORMATION_INVOKES,
  IMAGE_READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
  LOG_GROUP_WITHOUT_KMS,
  READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
} from './handler/nag-reasons';
import { PolicyQuotaWarning } from './handler/policy-quota';
import { defaultHandlerRuntime, handlerRuntimeError } from './handler/runtime';
import { keepSupersededImages, stackRecordPolicy } from './handler/superseded-access';
import { suppressNagFindings } from './nag-suppressions';

/** Where the esbuild bundle of lambda/ lands; the same relative path from src/ (ts-jest) and lib/ (published). */
const HANDLER_ASSET = path.join(__dirname, '..', 'assets', 'ami-attribute-handler');

/** The claims whose handler needs other actions than the attribute reads and writes of ImageAccess policies. */
const LIFECYCLE_GRANTS: Partial<Record<string, ImageGrantKind>> = {
  deprecation: DEPRECATION_ACCESS,
  deregistrationProtection: DEREGISTRATION_PROTECTION_ACCESS,
};

/**
 * Settings of the one handler function cdk-ami-sharing adds to a stack.
 */
export interface AmiSharingHandlerProps {
  /**
   * How long the handler's log events are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the handler's log group when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN - the record of what was shared outlives the stack
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * A KMS key to encrypt the handler's log group with. Its key policy must let CloudWatch Logs use it.
   *
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * The Lambda runtime of the handler function: a Node.js runtime, nodejs24.x or newer.
   *
   * The default follows your aws-cdk-lib: when an upgrade of it adds a Node.js runtime, the handler moves to it (and
   * cdk-nag's AwsSolutions-L1, which asks for the newest runtime aws-cdk-lib defines, stays satisfied). Choose one here
   * to stay on a runtime, e.g. in a Region the newest runtime has not reached yet; cdk-nag then reports AwsSolutions-L1
   * on the function once aws-cdk-lib defines a newer one, for you to acknowledge.
   *
   * @default - the newest Node.js runtime your aws-cdk-lib defines, and never older than nodejs24.x
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Puts the AMIs back to what the stack declares on a schedule, between deployments, and not only when a deployment
   * changes a construct's properties (CloudFormation invokes the handler only then).
   *
   * Every period an EventBridge Scheduler schedule invokes the handler, which reads the stack's deployed template,
   * parameter values and physical ids from CloudFormation and converges each construct as an Update with unchanged
   * properties would: EXCLUSIVE revokes anyone added by hand, ADDITIVE grants what is declared and missing (and revokes
   * nobody), attributes go back to their declared values. It skips a run while a stack operation is in progress. What
   * it puts back is logged and counted (`metricCorrections()`). At least 15 minutes, in whole minutes.
   *
   * @default - no schedule: the AMIs are converged when a deployment creates, updates or deletes a construct
   */
  readonly enforceEvery?: Duration;
}

/**
 * The one custom-resource handler cdk-ami-sharing adds to a stack, shared by every construct of this library in it:
 * a Lambda function, its role and its log group, at `CdkAmiSharingHandler` under the stack root (a fixed id: renaming
 * it would replace the function in users' stacks). Created on first use; `configure` creates it with other settings.
 */
export class AmiSharingHandler extends Construct {
  /**
   * Sets the stack's handler settings. Call it before adding any construct of this library to the stack, and once.
   *
   * @param scope any construct in the stack
   */
  public static configure(scope: Construct, props: AmiSharingHandlerProps): void {
    const stack = Stack.of(scope);
    if (AmiSharingHandler.find(stack)) {
      throw new Error(`AmiSharingHandler.configure: the cdk-ami-sharing handler of stack ${stack.node.path} already exists; `
        + 'call configure() before adding any construct of cdk-ami-sharing to the stack, and only once');
    }
    const runtimeError = props.runtime && handlerRuntimeError('AmiSharingHandlerProps.runtime', props.runtime);
    if (runtimeError) throw new Error(runtimeError);
    new AmiSharingHandler(stack, AmiSharingHandler.ID, props);
  }

  /**
   * The handler of the stack that `scope` belongs to, created with the default settings if the stack has none yet.
   *
   * @param scope any construct in the stack
   */
  public static of(scope: Construct): AmiSharingHandler {
    const stack = Stack.of(scope);
    return AmiSharingHandler.find(stack) ?? new AmiSharingHandler(stack, AmiSharingHandler.ID, {});
  }

  private static readonly ID = 'CdkAmiSharingHandler';

  private static find(stack: Stack): AmiSharingHandler | undefined {
    const existing = stack.node.tryFindChild(AmiSharingHandler.ID);
    return existing instanceof AmiSharingHandler ? existing : undefined;
  }

  /** The function CloudFormation invokes for every custom resource of this library in the stack. */
  public readonly function: lambda.IFunction;

  /** The function's role: it may touch only the AMIs the stack declares. */
  public readonly role: iam.IRole;

  /** The stack's name, the dimension of the enforcement metrics. */
  private readonly stackName: string;

  private readonly imageAccess: ImageAccessPolicies;
  private imageReadsAdded = false;
  private readonly encryptionAccess: EncryptionAccess;
  private readonly logsPolicy: iam.ManagedPolicy;
  private readonly claims = new ImageClaims();
  private publicSharingChecks?: iam.ManagedPolicy;
  private readonly policyQuota = new PolicyQuotaWarning(this);
  private readonly accountSettings: AccountSettingPolicies;
  /** How many KeptImages policies (one per AmiLaunchPermissions that keeps superseded AMIs) the role has. */
  private keptImagePolicies = 0;
  private stackRecordReads?: iam.ManagedPolicy;

  private constructor(scope: Construct, id: string, props: AmiSharingHandlerProps) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      encryptionKey: props.logEncryptionKey,
    });
    if (!props.logEncryptionKey) {
      suppressNagFindings(logGroup.node.defaultChild as CfnResource, LOG_GROUP_WITHOUT_KMS);
    }

    // Every permission lives in a customer-managed policy: no inline policies (NIST IAMNoInlinePolicy), and the image
    // ARNs of big stacks spread over several policies instead of overflowing one.
    this.role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-ami-sharing handler: reads and modifies attributes of the AMIs this stack declares',
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'Logs', {
      // Also holds the checks before sharing (see _allowEncryptionChecks). The description stays as it was: IAM cannot
      // change a policy's description, so CloudFormation would replace the policy of every existing stack on upgrade.
      description: 'cdk-ami-sharing handler: write to its own log group',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      })],
      roles: [this.role],
    });
    this.logsPolicy = logsPolicy;
    this.imageAccess = new ImageAccessPolicies(this, this.role);
    this.encryptionAccess = new EncryptionAccess(this, this.role);
    this.accountSettings = new AccountSettingPolicies(this, this.role);

    const fn = new lambda.Function(this, 'Function', {
      description: 'cdk-ami-sharing: converges AMI launch permissions and attributes for CloudFormation',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      handler: 'index.handler',
      // Fixed for a given aws-cdk-lib (no regional lookup, so no region map in users' snapshots): docs/lambda-runtime.md.
      runtime: props.runtime ?? defaultHandlerRuntime(),
      timeout: HANDLER_TIMEOUT,
      memorySize: 256,
      role: this.role,
      logGroup,
    });
    fn.node.addDependency(logsPolicy);
    suppressNagFindings(fn.node.defaultChild as CfnResource, FUNCTION_ONLY_CLOUDFORMATION_INVOKES);
    this.function = fn;

    this.stackName = Stack.of(this).stackName;
    if (props.enforceEvery) {
      new Enforcement(this, 'Enforcement', { handler: fn, handlerRole: this.role, period: props.enforceEvery });
    }
  }

  /**
   * How many constructs of this stack an enforcement run put back to their declaration (see `enforceEvery`): zero
   * when nobody changed the AMIs by hand. Alarm on it to hear of every out-of-band share.
   *
   * @default - sum over 1 hour
   */
  public metricCorrections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.enforcementMetric(CORRECTIONS_METRIC, props);
  }

  /**
   * How many constructs of this stack an enforcement run could not converge (refused, denied, out of time), counting
   * a run that could not read the stack as one.
   *
   * @default - sum over 1 hour
   */
  public metricEnforcementFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.enforcementMetric(FAILURES_METRIC, props);
  }

  private enforcementMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { [METRIC_DIMENSION]: this.stackName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
      ...props,
    });
  }

  /**
   * Adds the custom resource of a construct of this library (as its `Resource` child), after registering its claim
   * (which throws when it would fight another construct of the stack). The resource depends on the policy that lets
   * the handler touch its image.
   *
   * @internal
   */
  public _addResource(construct: Construct, claim: ImageClaim & { resourceType: string; properties: Record<string, unknown> }): CustomResource {
    this.claims.register(construct, claim);
    const resource = new CustomResource(construct, 'Resource', {
      resourceType: claim.resourceType,
      serviceToken: this.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      properties: claim.properties,
    });
    const lifecycle = LIFECYCLE_GRANTS[claim.attribute];
    resource.node.addDependency(lifecycle ? this.allowLifecycle(lifecycle, claim.imageId) : this.imageAccess.grant(claim.imageId));
    this.checkPolicyQuota();
    return resource;
  }

  /**
   * Adds the custom resource of a construct that manages an account-level setting (as its `Resource` child), depending
   * on the policy that lets the handler read and change that setting (see src/handler/account-setting-access.ts).
   *
   * @internal
   */
  public _addAccountSettingResource(construct: Construct,
    setting: { resourceType: string; properties: Record<string, unknown>; grant: AccountSettingGrant }): CustomResource {
    const policy = this.accountSettings.allow(setting.grant);
    const resource = new CustomResource(construct, 'Resource', {
      resourceType: setting.resourceType,
      serviceToken: this.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      properties: setting.properties,
    });
    resource.node.addDependency(policy);
    this.checkPolicyQuota();
    return resource;
  }

  /**
   * Lets the handler keep superseded AMIs of this launch-permissions resource shared and deprecated: deprecation access
   * on its image (the previous AMI is deprecated through the policy that granted it), reads of its own stack's status
   * and record, and the KeptImages policy and SupersededImages guard (src/handler/superseded-access.ts).
   *
   * @internal
   */
  public _keepSupersededImages(construct: Construct, resource: CustomResource, imageId: string, properties: Record<string, unknown>): CustomResource {
    resource.node.addDependency(this.allowLifecycle(DEPRECATION_ACCESS, imageId));
    this.keptImagePolicies++;
    // A policy of its own that the resource depends on (not a statement of the log policy, which is updated in place):
    // the cleanup Delete of a resource that kept superseded AMIs still reads the stack's record after the last
    // construct that keeps any left the template.
    this.stackRecordReads ??= stackRecordPolicy(this, this.role);
    resource.node.addDependency(this.stackRecordReads);
    const guard = keepSupersededImages(construct, resource, { role: this.role, serviceToken: this.function.functionArn, properties });
    this.checkPolicyQuota();
    return guard;
  }

  /**
   * Lets the handler make the checks EC2 requires before an AMI is made public. These read actions have no
   * resource-level permissions, so they are only granted when some construct of the stack declares public access.
   *
   * @internal
   */
  public _allowPublicSharingChecks(): iam.ManagedPolicy {
    if (!this.publicSharingChecks) {
      this.publicSharingChecks = new iam.ManagedPolicy(this, 'PublicSharingChecks', {
        description: 'cdk-ami-sharing handler: read block public access for AMIs and product codes before making an AMI public',
        statements: [new iam.PolicyStatement({
          actions: ['ec2:GetImageBlockPublicAccessState', 'ec2:DescribeImages'],
          resources: ['*'],
        })],
        roles: [this.role],
      });
      suppressNagFindings(this.publicSharingChecks.node.defaultChild as CfnResource, READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS);
      this.checkPolicyQuota();
    }
    return this.publicSharingChecks;
  }

  /**
   * Lets the handler read an AMI's block device mappings and snapshots before sharing it (and tell the AWS-managed
   * key aws/ebs apart), so that it never reports a share recipients cannot launch. See src/handler/encryption-access.ts.
   *
   * @internal
   */
  public _allowEncryptionChecks(): iam.ManagedPolicy {
    return this.encryptionAccess.allowChecks(this.logsPolicy);
  }

  /**
   * Lets the handler create, list and revoke KMS grants on these imported keys.
   *
   * @internal
   */
  public _allowKeyGrants(keyArns: string[]): iam.ManagedPolicy {
    const policy = this.encryptionAccess.allowKeyGrants(keyArns);
    this.checkPolicyQuota();
    return policy;
  }

  /**
   * Lets the handler give these accounts createVolumePermission on the account's snapshots (allowCopy).
   *
   * @internal
   */
  public _allowSnapshotSharing(accounts: string[]): iam.ManagedPolicy {
    const policy = this.encryptionAccess.allowSnapshotSharing(accounts);
    this.checkPolicyQuota();
    return policy;
  }

  /**
   * `kind`'s actions on this image only, and DescribeImages (where EC2 reports the deprecation time and the
   * deregistration protection; it has no resource-level permissions) in the log policy, as the encryption checks are.
   */
  private allowLifecycle(kind: ImageGrantKind, imageId: string): iam.ManagedPolicy {
    if (!this.imageReadsAdded) {
      this.imageReadsAdded = true;
      this.logsPolicy.addStatements(new iam.PolicyStatement({ actions: ['ec2:DescribeImages'], resources: ['*'] }));
      suppressNagFindings(this.logsPolicy.node.defaultChild as CfnResource, IMAGE_READS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS);
    }
    return this.imageAccess.grant(imageId, kind);
  }

  /** Warns when an update could attach more managed policies to the role than IAM's default quota (policy-quota.ts). */
  private checkPolicyQuota(): void {
    const encryption = this.encryptionAccess.policies;
    this.policyQuota.check({
      // The log policy (which also holds the encryption checks), then the optional ones.
      updatedInPlace: 1 + (this.publicSharingChecks ? 1 : 0) + (encryption.snapshotSharing ? 1 : 0) + this.accountSettings.count
        + this.keptImagePolicies + (this.stackRecordReads ? 1 : 0),
      replacedOnChange: this.imageAccess.policyCount + (encryption.keyGrants ? 1 : 0),
    });
  }
}
