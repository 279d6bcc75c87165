import * as crypto from 'crypto';
import * as path from 'path';
import { Annotations, ArnFormat, CfnResource, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AmiSharingHandlerProps } from './ami-sharing-handler';
import { suppressNagFindings } from './nag-suppressions';
import { show } from './validation';

/** Where the esbuild bundle of lambda/ lands; the same relative path from src/ (ts-jest) and lib/ (published). */
const HANDLER_ASSET = path.join(__dirname, '..', 'assets', 'ami-attribute-handler');

/** The image attributes ModifyImageAttribute changes, as EC2 names them. */
export type ManagedAttribute = 'launchPermission' | 'description' | 'imdsSupport';

/**
 * How long one invocation may take. The handler keeps a margin of this for itself to answer CloudFormation.
 */
export const HANDLER_TIMEOUT = Duration.minutes(5);

/**
 * How long CloudFormation waits for an answer before it fails the resource. Longer than one invocation plus the
 * minute Lambda waits before its first asynchronous retry, so a crashed invocation still gets a second chance; short
 * enough that a handler that never answers fails the stack in minutes instead of CloudFormation's default hour.
 */
export const SERVICE_TIMEOUT = Duration.minutes(12);

/**
 * Images per customer-managed policy. IAM counts a managed policy at most 6,144 characters (whitespace excluded); one
 * image ARN takes at most 65 of them in the longest partition and Region names
 * ("arn:aws-us-gov:ec2:us-gov-west-1::image/ami-0123456789abcdef0" plus quotes and a comma), so 85 images stay below
 * 5,600 with the statement around them. A role holds 10 managed policies by default. Image policies are replaced,
 * not updated, when their images change (see nameAfterContent), so during an update old and new ones are attached
 * together: with the log policy and the public-sharing checks, 4 image policies (340 AMIs) stay within 10 even if all
 * of them change at once; beyond that synthesis warns.
 */
export const IMAGES_PER_POLICY = 85;

/**
 * The one custom-resource handler of a stack, shared by every construct of this library in it. Created on first use
 * at the stack's root under a fixed id (renaming it would replace the function in users' stacks).
 */
export class AmiAttributeHandler extends Construct {
  /** The stack's handler, created on first use with the given settings (see AmiSharingHandler.configure). */
  public static of(scope: Construct, settings?: AmiSharingHandlerProps): AmiAttributeHandler {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(AmiAttributeHandler.ID);
    if (existing instanceof AmiAttributeHandler) {
      if (settings) {
        throw new Error(`AmiSharingHandler.configure: the cdk-ami-sharing handler of stack ${stack.node.path} already exists; `
          + 'call configure() before adding any construct of cdk-ami-sharing to the stack, and only once');
      }
      return existing;
    }
    return new AmiAttributeHandler(stack, AmiAttributeHandler.ID, settings ?? {});
  }

  private static readonly ID = 'CdkAmiSharingHandler';

  public readonly function: lambda.Function;
  private readonly role: iam.Role;
  /** Image ARNs go into customer-managed policies of IMAGES_PER_POLICY images each, created as images are declared. */
  private readonly imagePolicies: Array<{ policy: iam.ManagedPolicy; statement: iam.PolicyStatement; count: number }> = [];
  private readonly imagePolicyOf = new Map<string, iam.ManagedPolicy>();
  private readonly claims = new Map<string, Array<{ path: string; sole: boolean; principals: string[] }>>();
  private publicSharingChecks?: iam.ManagedPolicy;

  private constructor(scope: Construct, id: string, settings: AmiSharingHandlerProps) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: settings.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: settings.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      encryptionKey: settings.logEncryptionKey,
    });
    if (!settings.logEncryptionKey) {
      suppressNagFindings(logGroup.node.defaultChild as CfnResource, [{
        id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        reason: 'The handler logs image ids, principal counts and outcomes, never secrets (the presigned ResponseURL is never logged); '
          + 'CloudWatch Logs encrypts them at rest with its own keys. AmiSharingHandler.configure({ logEncryptionKey }) uses a KMS key.',
      }]);
    }

    // Every permission lives in a customer-managed policy: no inline policies (NIST IAMNoInlinePolicy), and the image
    // ARNs of big stacks spread over several policies instead of overflowing one.
    this.role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-ami-sharing handler: reads and modifies attributes of the AMIs this stack declares',
    });
    const logsPolicy = new iam.ManagedPolicy(this, 'Logs', {
      description: 'cdk-ami-sharing handler: write to its own log group',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      })],
      roles: [this.role],
    });

    this.function = new lambda.Function(this, 'Function', {
      description: 'cdk-ami-sharing: converges AMI launch permissions and attributes for CloudFormation',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      handler: 'index.handler',
      // Pinned, not "latest": a lookup puts a region map in the template and could pick a runtime the bundle was not
      // built for (esbuild targets node24). Constructed by name because Runtime.NODEJS_24_X is newer than our
      // aws-cdk-lib floor; the template is the same either way.
      runtime: new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS),
      timeout: HANDLER_TIMEOUT,
      memorySize: 256,
      role: this.role,
      logGroup,
    });
    this.function.node.addDependency(logsPolicy);
    suppressNagFindings(this.function.node.defaultChild as CfnResource, [
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The handler only calls the regional EC2 API and the CloudFormation response URL; it reaches no VPC resource, '
          + 'and placing it in a VPC would require NAT or endpoints the stack may not have.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'CloudFormation invokes the handler and receives every outcome through the response URL; an invocation that cannot '
          + 'answer fails the stack at the custom resource ServiceTimeout. A dead-letter queue would have no consumer.',
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'The handler runs only while CloudFormation deploys this stack; reserving concurrency would take capacity from the '
          + 'account pool shared by all other functions.',
      },
    ]);
  }

  /**
   * Adds the custom resource of a construct of this library (as its `Resource` child), after registering what it
   * manages (see manage). The resource depends on the policy that lets the handler touch its image.
   */
  public addResource(construct: Construct, options: {
    resourceType: string;
    imageId: string;
    attribute: ManagedAttribute;
    sole: boolean;
    /** For launch permissions: the principals declared (keys of the resolved ones). */
    principals?: string[];
    properties: Record<string, unknown>;
  }): CustomResource {
    const policy = this.manage(construct, options.imageId, options.attribute, options.sole, options.principals ?? []);
    const resource = new CustomResource(construct, 'Resource', {
      resourceType: options.resourceType,
      serviceToken: this.function.functionArn,
      serviceTimeout: SERVICE_TIMEOUT,
      properties: options.properties,
    });
    resource.node.addDependency(policy);
    return resource;
  }

  /**
   * Registers a construct that manages one attribute of an image, and lets the handler read and modify that image.
   * Throws when the construct would fight another one of this stack over the same attribute: two constructs setting
   * one image's description, or an EXCLUSIVE launch-permission set next to any other on the same image (it would
   * revoke the other's principals on every deployment). Tokens cannot be compared and are not checked.
   *
   * @returns the policy that lets the handler touch the image: the construct's custom resource must depend on it.
   */
  private manage(construct: Construct, imageId: string, attribute: ManagedAttribute, sole: boolean, principals: string[]): iam.ManagedPolicy {
    if (!Token.isUnresolved(imageId)) {
      const key = `${imageId}/${attribute}`;
      const others = this.claims.get(key) ?? [];
      const rival = others.find(o => sole || o.sole);
      if (rival) {
        throw new Error(`${construct.node.path}: ${imageId}'s ${attribute} is already managed by ${rival.path}; `
          + (attribute === 'launchPermission'
            ? 'an EXCLUSIVE AmiLaunchPermissions must be the only one on its image (merge their permissions into one construct)'
            : 'one construct per image may set it'));
      }
      // Two ADDITIVE sets on one image that share a principal: removing either construct (or dropping the principal
      // from it) would revoke the principal the other still declares.
      for (const other of others) {
        const shared = principals.find(p => other.principals.includes(p));
        if (shared !== undefined) {
          throw new Error(`${construct.node.path}: ${show(shared.slice(shared.indexOf(':') + 1))} on ${imageId} is already declared by `
            + `${other.path}; AmiLaunchPermissions on one image must not share a principal (revoking it for one would revoke it for both)`);
        }
      }
      this.claims.set(key, [...others, { path: construct.node.path, sole, principals }]);
    }
    return this.grantImage(imageId);
  }

  /**
   * Lets the handler make the checks EC2 requires before an AMI is made public. These read actions have no
   * resource-level permissions, so they are only granted when some construct of the stack declares public access.
   */
  public allowPublicSharingChecks(): iam.ManagedPolicy {
    if (!this.publicSharingChecks) {
      this.publicSharingChecks = new iam.ManagedPolicy(this, 'PublicSharingChecks', {
        description: 'cdk-ami-sharing handler: read block public access for AMIs and product codes before making an AMI public',
        statements: [new iam.PolicyStatement({
          actions: ['ec2:GetImageBlockPublicAccessState', 'ec2:DescribeImages'],
          resources: ['*'],
        })],
        roles: [this.role],
      });
      suppressNagFindings(this.publicSharingChecks.node.defaultChild as CfnResource, [{
        id: 'AwsSolutions-IAM5',
        appliesTo: ['Resource::*'],
        reason: 'ec2:GetImageBlockPublicAccessState and ec2:DescribeImages are read-only and support no resource-level permissions '
          + '(Service Authorization Reference, Amazon EC2); granted only to stacks that declare LaunchPermission.publicAccess().',
      }]);
    }
    return this.publicSharingChecks;
  }

  /**
   * Gives an image policy a logical id derived from the images it grants, so that a policy is never updated to drop
   * an image: CloudFormation creates the policy of the new set, and deletes the old one only in its cleanup phase,
   * after the Delete of every custom resource that depended on it. That Delete (of a removed construct, or of the old
   * AMI after an imageId change) still has the access it needs to revoke; a policy updated in place would already
   * have lost it. An image id that is a token (a parameter, an Image Builder image) resolves to the same template
   * text whatever AMI it deploys as, so this cannot help there.
   */
  private nameAfterContent(policy: iam.ManagedPolicy, statement: iam.PolicyStatement): void {
    const stack = Stack.of(this);
    (policy.node.defaultChild as CfnResource).overrideLogicalId(Lazy.string({
      produce: () => {
        const content = JSON.stringify(stack.resolve(statement.toStatementJson()));
        return `${this.node.id}ImageAccess${crypto.createHash('sha256').update(content).digest('hex').slice(0, 16).toUpperCase()}`;
      },
    }));
  }

  private grantImage(imageId: string): iam.ManagedPolicy {
    // Several constructs on one image share one entry; a token's string form is stable, so it dedupes too.
    const existing = this.imagePolicyOf.get(imageId);
    if (existing) return existing;

    let current = this.imagePolicies[this.imagePolicies.length - 1];
    if (!current || current.count === IMAGES_PER_POLICY) {
      const statement = new iam.PolicyStatement({ actions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'] });
      const policy = new iam.ManagedPolicy(this, `ImageAccess${this.imagePolicies.length + 1}`, {
        description: 'cdk-ami-sharing handler: read and modify attributes of these AMIs only',
        statements: [statement],
        roles: [this.role],
      });
      this.nameAfterContent(policy, statement);
      current = { policy, statement, count: 0 };
      this.imagePolicies.push(current);
      if (this.imagePolicies.length === 5) {
        // The log policy, the public-sharing checks, and every image policy twice: 12, above the default quota.
        Annotations.of(this).addWarningV2('cdk-ami-sharing:imagePoliciesMidUpdate',
          `More than ${4 * IMAGES_PER_POLICY} AMIs: the handler's role needs 5 or more image policies. An update that changes `
          + 'all of them at once (removing the first of many constructs, say) attaches the old and the new ones together until '
          + 'CloudFormation\'s cleanup phase, more than the 10 managed policies IAM allows a role by default. Raise the '
          + '"Managed policies per role" quota (up to 20), or spread the AMIs over several stacks.');
      }
    }
    current.statement.addResources(Stack.of(this).formatArn({
      service: 'ec2',
      account: '',
      resource: 'image',
      resourceName: imageId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }));
    current.count++;
    this.imagePolicyOf.set(imageId, current.policy);
    return current.policy;
  }
}
