import { ArnFormat, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nameAfterContent } from './content-named';

/**
 * Images per customer-managed policy. IAM counts a managed policy at most 6,144 characters (whitespace excluded); one
 * image ARN takes at most 65 of them in the longest partition and Region names
 * ("arn:aws-us-gov:ec2:us-gov-west-1::image/ami-0123456789abcdef0" plus quotes and a comma), so 85 image ARNs stay
 * below 5,600 with the statements around them (an AMI with deprecation or protection as well is listed once per
 * statement, and counts once per listing). A role holds 10 managed policies by default. Image policies are replaced,
 * not updated, when their images change, so during an update old and new ones are attached together: with the log
 * policy and the public-sharing checks, 4 image policies (340 AMIs) stay within 10 even if all of them change at once;
 * beyond that synthesis warns (policy-quota.ts).
 */
export const IMAGES_PER_POLICY = 85;

/**
 * Image ids that are tokens per policy. Each is written into the policy's description (see ImageAccessPolicies), which
 * IAM limits to 1,000 characters: 40 ids of at most 21 characters ("ami-" and 17 hex digits) and their separators
 * stay below 1,000 with the fixed text.
 */
export const TOKEN_IMAGES_PER_POLICY = 40;

/** A kind of access to an image: its actions, granted in a statement of its own that names only the images that need it. */
export interface ImageGrantKind {
  readonly actions: string[];
}

/** What AmiLaunchPermissions, AmiImdsPolicy and AmiDescription need on their image. */
export const ATTRIBUTE_ACCESS: ImageGrantKind = { actions: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'] };

/** What AmiDeprecation needs on its image (Service Authorization Reference, Amazon EC2: both take the `image` resource). */
export const DEPRECATION_ACCESS: ImageGrantKind = { actions: ['ec2:EnableImageDeprecation', 'ec2:DisableImageDeprecation'] };

/** What AmiDeregistrationProtection needs on its image (both actions take the `image` resource too). */
export const DEREGISTRATION_PROTECTION_ACCESS: ImageGrantKind = {
  actions: ['ec2:EnableImageDeregistrationProtection', 'ec2:DisableImageDeregistrationProtection'],
};

const DESCRIPTION = 'cdk-ami-sharing handler: read and modify attributes of these AMIs only';
/** For a policy that also holds deprecation or protection statements (never the case before they existed). */
const LIFECYCLE_DESCRIPTION = 'cdk-ami-sharing handler: attributes, deprecation, deregistration protection of these AMIs only';

interface ImagePolicy {
  readonly policy: iam.ManagedPolicy;
  /** One statement per kind of access, in the order they were first needed. */
  readonly statements: Map<ImageGrantKind, iam.PolicyStatement>;
  readonly tokenImages: string[];
  /** Image ARNs listed, over all statements (what the policy's size depends on). */
  count: number;
}

/**
 * The customer-managed policies that let the handler read and modify attributes of the stack's declared AMIs, and
 * nothing else. Built so that the handler keeps its access to an AMI until CloudFormation has deleted every custom
 * resource that applied something to it, whether the AMI left the stack because its construct was removed or because
 * `imageId` now resolves to another AMI:
 *
 * - CloudFormation deletes removed resources and the old instances of replaced ones in its cleanup phase, after it has
 *   updated every resource that stays, and deletes dependents (the custom resources) before what they depend on (these
 *   policies). A policy updated in place would already have dropped the old AMI when the Delete on it runs.
 * - So a policy is never updated to drop an image. Its logical id is a hash of its statement: when literal image ids
 *   change, the policy of the new set is a new resource and the old one is removed from the template.
 * - An image id that is a token renders the same statement whatever AMI it resolves to, so its policy's logical id
 *   cannot change with it. The resolved ids are written into the policy's description instead, which IAM cannot
 *   change in place: CloudFormation replaces the policy (creates the new one first, deletes the old one in cleanup)
 *   whenever a token resolves to another AMI.
 */
export class ImageAccessPolicies {
  private readonly policies: ImagePolicy[] = [];
  private readonly policyOf = new Map<string, iam.ManagedPolicy>();

  constructor(private readonly scope: Construct, private readonly role: iam.IRole) {}

  /** How many image policies the role has. */
  public get policyCount(): number {
    return this.policies.length;
  }

  /**
   * The policy that grants `kind` on the image (creating or extending one); a construct's custom resource must depend
   * on it. Deprecation and protection share the attribute policies rather than having their own, so that they do not
   * add policies to the role's quota of 10 (see policy-quota.ts); a policy's statement of a kind lists only the images
   * that need it, and policies without those kinds render exactly as before they existed.
   */
  public grant(imageId: string, kind: ImageGrantKind = ATTRIBUTE_ACCESS): iam.ManagedPolicy {
    // Several constructs on one image share one entry; a token's string form is stable, so tokens dedupe too.
    const key = `${kind.actions.join(',')} ${imageId}`;
    const existing = this.policyOf.get(key);
    if (existing) return existing;

    const isToken = Token.isUnresolved(imageId);
    const current = this.withRoomFor(isToken && !this.listsToken(imageId));
    let statement = current.statements.get(kind);
    if (!statement) {
      statement = new iam.PolicyStatement({ actions: kind.actions });
      current.statements.set(kind, statement);
      current.policy.addStatements(statement);
    }
    statement.addResources(Stack.of(this.scope).formatArn({
      service: 'ec2',
      account: '',
      resource: 'image',
      resourceName: imageId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }));
    current.count++;
    if (isToken && !current.tokenImages.includes(imageId)) current.tokenImages.push(imageId);
    this.policyOf.set(key, current.policy);
    return current.policy;
  }

  /** Whether the last policy already names this token (a second kind on the same image adds no description entry). */
  private listsToken(imageId: string): boolean {
    return this.policies[this.policies.length - 1]?.tokenImages.includes(imageId) ?? false;
  }

  private withRoomFor(newToken: boolean): ImagePolicy {
    const last = this.policies[this.policies.length - 1];
    if (last && last.count < IMAGES_PER_POLICY && (!newToken || last.tokenImages.length < TOKEN_IMAGES_PER_POLICY)) {
      return last;
    }
    const statements = new Map<ImageGrantKind, iam.PolicyStatement>();
    const tokenImages: string[] = [];
    const onlyAttributes = () => statements.size === 1 && statements.has(ATTRIBUTE_ACCESS);
    const policy = new iam.ManagedPolicy(this.scope, `ImageAccess${this.policies.length + 1}`, {
      // Unchanged for literal ids, so upgrading the library does not replace existing policies.
      description: Lazy.string({
        produce: () => {
          const fixed = onlyAttributes() ? DESCRIPTION : LIFECYCLE_DESCRIPTION;
          return tokenImages.length === 0 ? fixed : `${fixed}; resolved at deploy time: ${tokenImages.join(' ')}`;
        },
      }),
      roles: [this.role],
    });
    // A logical id derived from the images it grants (see the class comment); a policy of attribute access only is
    // hashed as before deprecation and protection existed, so upgrading the library replaces nothing.
    nameAfterContent(this.scope, policy, 'ImageAccess', () => (onlyAttributes()
      ? statements.get(ATTRIBUTE_ACCESS)!.toStatementJson()
      : [...statements.values()].map(st => st.toStatementJson())));
    const added: ImagePolicy = { policy, statements, tokenImages, count: 0 };
    this.policies.push(added);
    return added;
  }
}
