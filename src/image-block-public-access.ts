import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AmiLaunchPermissions } from './ami-launch-permissions';
import { AmiSharingHandler } from './ami-sharing-handler';
import { describeEnvironment, inSameEnvironment } from './environment';

/**
 * Properties of `ImageBlockPublicAccess`.
 */
export interface ImageBlockPublicAccessProps {
  /**
   * What happens to the account's setting when this construct leaves the stack, or the stack is deleted.
   *
   * `RemovalPolicy.RETAIN` leaves block public access on. `RemovalPolicy.DESTROY` puts back the state the construct
   * found when it was first deployed: if public sharing was allowed then, it is allowed again. No other policy applies.
   *
   * @default RemovalPolicy.RETAIN - the guard stays on
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Turns on block public access for AMIs in the stack's account and Region: EC2 then refuses to make any AMI public
 * there (AMIs that are already public stay public).
 *
 * One per account and Region in an app. A stack that declares it may not make an AMI of the same account and Region
 * public (`LaunchPermission.publicAccess()`): synthesis fails naming both constructs. When an AWS Organizations
 * declarative policy manages the setting, the deployment fails before any change, saying so.
 *
 * EC2 can take up to 10 minutes to apply the change. The handler waits for it as long as its invocation allows
 * (about four and a half minutes), and otherwise fails saying the change is on its way: deploying again later
 * succeeds without another call.
 */
export class ImageBlockPublicAccess extends Construct {
  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ImageBlockPublicAccessProps = {}) {
    super(scope, id);
    const removal = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removal !== RemovalPolicy.RETAIN && removal !== RemovalPolicy.DESTROY) {
      throw new Error(`ImageBlockPublicAccess.removalPolicy: '${removal}' is not supported; use RemovalPolicy.RETAIN (the guard stays on) `
        + 'or RemovalPolicy.DESTROY (the state found at the first deployment is put back)');
    }
    const restore = removal === RemovalPolicy.DESTROY;
    this.resource = AmiSharingHandler.of(this)._addAccountSettingResource(this, {
      resourceType: 'Custom::ImageBlockPublicAccess',
      // RestoreOnDelete too, not only the DeletionPolicy: a Delete that reaches the handler without it changes nothing.
      properties: restore ? { RestoreOnDelete: true } : {},
      grant: {
        id: 'ImageBlockPublicAccessSettings',
        setting: 'block public access for AMIs',
        construct: 'ImageBlockPublicAccess',
        // Disable only when the construct may have to put back an unblocked account.
        actions: ['ec2:GetImageBlockPublicAccessState', 'ec2:EnableImageBlockPublicAccess', ...(restore ? ['ec2:DisableImageBlockPublicAccess'] : [])],
      },
    });
    this.resource.applyRemovalPolicy(removal);
    this.node.addValidation({ validate: () => this.conflicts() });
  }

  private conflicts(): string[] {
    const where = describeEnvironment(this.resource.stack);
    const problems: string[] = [];
    const guards = inSameEnvironment(this, isImageBlockPublicAccess);
    if (guards[0] !== this) {
      problems.push(`ImageBlockPublicAccess: ${this.node.path} and ${guards[0].node.path} both manage block public access for AMIs in `
        + `${where}; declare one ImageBlockPublicAccess per account and Region`);
    }
    for (const share of inSameEnvironment(this, isPublicShare)) {
      problems.push(`ImageBlockPublicAccess: ${this.node.path} blocks public sharing of AMIs in ${where}, and ${share.node.path} makes `
        + `${share.imageId} public there (LaunchPermission.publicAccess()); EC2 would refuse that share. Remove one of them`);
    }
    return problems;
  }
}

function isImageBlockPublicAccess(c: IConstruct): c is ImageBlockPublicAccess {
  return c instanceof ImageBlockPublicAccess;
}

function isPublicShare(c: IConstruct): c is AmiLaunchPermissions {
  return c instanceof AmiLaunchPermissions && c._makesPublic;
}
