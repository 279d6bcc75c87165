import * as path from 'path';
import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AmiSharingHandlerProps } from './ami-sharing-handler-props';
import { AccountSettingGrant } from './handler/account-setting-access';
import { ImageClaim, ImageClaims } from './handler/claims';
import { Enforcement } from './handler/enforcement';
import { CORRECTIONS_METRIC, FAILURES_METRIC, METRIC_DIMENSION, METRIC_NAMESPACE } from './handler/enforcement-contract';
import { HANDLER_TIMEOUT, SERVICE_TIMEOUT } from './handler/limits';
import { FUNCTION_ONLY_CLOUDFORMATION_INVOKES, LOG_GROUP_WITHOUT_KMS } from './handler/nag-reasons';
import { HandlerRolePolicies } from './handler/role-policies';
import { defaultHandlerRuntime, handlerRuntimeError } from './handler/runtime';
import { suppressNagFindings } from './nag-suppressions';

/** Where the esbuild bundle of lambda/ lands; the same relative path from src/ (ts-jest) and lib/ (published). */
const HANDLER_ASSET = path.join(__dirname, '..', 'assets', 'ami-attribute-handler');

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

  private readonly claims = new ImageClaims();
  private readonly policies: HandlerRolePolicies;

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
    this.policies = new HandlerRolePolicies(this, this.role, logGroup.logGroupArn);

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
    fn.node.addDependency(this.policies.logs);
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
    resource.node.addDependency(this.policies.forImage(claim.attribute, claim.imageId));
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
    const policy = this.policies.forAccountSetting(setting.grant);
    const resource = new CustomResource(construct, 'Resource', {
      resourceType: setting.resourceType,
      serviceToken: this.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      properties: setting.properties,
    });
    resource.node.addDependency(policy);
    return resource;
  }

  /**
   * Lets the handler keep superseded AMIs of this launch-permissions resource shared and deprecated
   * (src/handler/superseded-access.ts).
   *
   * @internal
   */
  public _keepSupersededImages(construct: Construct, resource: CustomResource, imageId: string, properties: Record<string, unknown>): CustomResource {
    return this.policies.keepSupersededImages(construct, resource, imageId, properties, this.function.functionArn);
  }

  /**
   * Lets the handler make the checks EC2 requires before an AMI is made public (only for stacks that declare it).
   *
   * @internal
   */
  public _allowPublicSharingChecks(): iam.ManagedPolicy {
    return this.policies.allowPublicSharingChecks();
  }

  /**
   * Lets the handler read an AMI's storage before sharing it (src/handler/encryption-access.ts).
   *
   * @internal
   */
  public _allowEncryptionChecks(): iam.ManagedPolicy {
    return this.policies.encryptionChecks();
  }

  /**
   * Lets the handler create, list and revoke KMS grants on these imported keys.
   *
   * @internal
   */
  public _allowKeyGrants(keyArns: string[]): iam.ManagedPolicy {
    return this.policies.keyGrants(keyArns);
  }

  /**
   * Lets the handler give these accounts createVolumePermission on the account's snapshots (allowCopy).
   *
   * @internal
   */
  public _allowSnapshotSharing(accounts: string[]): iam.ManagedPolicy {
    return this.policies.snapshotSharing(accounts);
  }
}
