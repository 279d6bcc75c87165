import { CustomResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { LaunchPermission, LaunchPermissionMode } from './launch-permission';
import { rejectAtSynth } from './synth-check';
import { imageIdError, launchPermissionKey, launchPermissionListErrors } from './validation';

/**
 * Properties of `AmiLaunchPermissions`.
 */
export interface AmiLaunchPermissionsProps {
  /**
   * The AMI to share, e.g. 'ami-0123456789abcdef0'. A token (such as an Image Builder image's `attrImageId`) works;
   * its value is checked at deploy time. Changing it replaces the resource: the new AMI gets the permissions and
   * the old one loses them.
   */
  readonly imageId: string;

  /**
   * Who may launch the AMI. Each principal at most once; at most 1,000 accounts, organizations and OUs (EC2's
   * sharing quota per AMI).
   */
  readonly permissions: LaunchPermission[];

  /**
   * Whether principals added outside this construct are left alone (ADDITIVE) or revoked (EXCLUSIVE).
   *
   * @default LaunchPermissionMode.ADDITIVE
   */
  readonly mode?: LaunchPermissionMode;
}

/**
 * Declares who may launch an AMI: AWS accounts, organizations, organizational units, or everyone.
 *
 * At deploy time the stack's handler reads the AMI's live launch permissions and makes the fewest
 * ModifyImageAttribute calls that converge them (removals first). When the construct is removed from the stack, the
 * principals it declared are revoked, unless `applyRemovalPolicy(RemovalPolicy.RETAIN)` was called.
 */
export class AmiLaunchPermissions extends Construct {
  /** The AMI whose launch permissions this construct manages. */
  public readonly imageId: string;

  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: AmiLaunchPermissionsProps) {
    super(scope, id);

    rejectAtSynth(imageIdError('AmiLaunchPermissions.imageId', props.imageId), props.imageId);
    const entries = props.permissions.map(p => p._toEntry());
    // Duplicates are only certain among resolved values; two different tokens may still resolve to one principal,
    // which the handler catches.
    const listErrors = launchPermissionListErrors(
      'AmiLaunchPermissions.permissions', entries.map(e => Token.isUnresolved(Object.values(e)[0]) ? undefined : e));
    if (listErrors.length > 0) {
      throw new Error(listErrors.join('\n'));
    }

    const mode = props.mode ?? LaunchPermissionMode.ADDITIVE;
    const handler = AmiSharingHandler.of(this);
    this.imageId = props.imageId;
    this.resource = handler._addResource(this, {
      resourceType: 'Custom::AmiLaunchPermissions',
      imageId: props.imageId,
      attribute: 'launchPermission',
      sole: mode === LaunchPermissionMode.EXCLUSIVE,
      principals: entries.filter(e => !Token.isUnresolved(Object.values(e)[0])).map(launchPermissionKey),
      properties: { ImageId: props.imageId, Permissions: entries, Mode: mode },
    });
    if (entries.some(e => e.Group !== undefined)) {
      this.resource.node.addDependency(handler._allowPublicSharingChecks());
    }
  }

  /**
   * What happens to the launch permissions when this construct leaves the stack.
   *
   * `RemovalPolicy.RETAIN` leaves them on the AMI; `RemovalPolicy.DESTROY` (the default) revokes the declared
   * principals.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.resource.applyRemovalPolicy(policy);
  }
}
