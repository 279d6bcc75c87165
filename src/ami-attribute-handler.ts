import * as path from 'path';
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

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
 * The one custom-resource handler of a stack, shared by every construct of this library in it. Created on first use
 * at the stack's root under a fixed id (renaming it would replace the function in users' stacks).
 */
export class AmiAttributeHandler extends Construct {
  /** The stack's handler, created on first use. */
  public static of(scope: Construct): AmiAttributeHandler {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(AmiAttributeHandler.ID);
    return existing instanceof AmiAttributeHandler ? existing : new AmiAttributeHandler(stack, AmiAttributeHandler.ID);
  }

  private static readonly ID = 'CdkAmiSharingHandler';

  public readonly function: lambda.Function;
  private readonly imageStatement: iam.PolicyStatement;
  private readonly imageIds = new Set<string>();
  private readonly claims = new Map<string, Array<{ path: string; sole: boolean }>>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
    });

    // Reads and writes of image attributes, scoped to the images the stack declares (filled in by grantImage).
    this.imageStatement = new iam.PolicyStatement({
      actions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'],
    });
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        this.imageStatement,
      ],
    });

    // An inline policy on the role, not a separate AWS::IAM::Policy: the function (and so every custom resource)
    // then depends on the role with its permissions, and no other resource of the user's stack is involved.
    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-ami-sharing handler: reads and modifies attributes of the AMIs this stack declares',
      inlinePolicies: { AmiAttributes: policy },
    });

    this.function = new lambda.Function(this, 'Function', {
      description: 'cdk-ami-sharing: converges AMI launch permissions and attributes for CloudFormation',
      code: lambda.Code.fromAsset(HANDLER_ASSET),
      handler: 'index.handler',
      // Pinned, not "latest": a lookup puts a region map in the template and could pick a runtime the bundle was not
      // built for (esbuild targets node22).
      runtime: lambda.Runtime.NODEJS_22_X,
      timeout: HANDLER_TIMEOUT,
      memorySize: 256,
      role,
      logGroup,
    });
  }

  /** The ServiceToken custom resources use: the function's ARN, so CloudFormation invokes it directly. */
  public get serviceToken(): string {
    return this.function.functionArn;
  }

  /**
   * Registers a construct that manages one attribute of an image, and lets the handler read and modify that image.
   * Throws when the construct would fight another one of this stack over the same attribute: two constructs setting
   * one image's description, or an EXCLUSIVE launch-permission set next to any other on the same image (it would
   * revoke the other's principals on every deployment). Tokens cannot be compared and are not checked.
   */
  public manage(construct: Construct, imageId: string, attribute: ManagedAttribute, sole: boolean): void {
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
      this.claims.set(key, [...others, { path: construct.node.path, sole }]);
    }
    this.grantImage(imageId);
  }

  private grantImage(imageId: string): void {
    // Several constructs on one image share one entry; a token's string form is stable, so it dedupes too.
    if (this.imageIds.has(imageId)) return;
    this.imageIds.add(imageId);
    const arn = Stack.of(this).formatArn({
      service: 'ec2',
      account: '',
      resource: 'image',
      resourceName: imageId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.imageStatement.addResources(arn);
  }
}
