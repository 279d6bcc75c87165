import { CustomResource, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { shareEncryptionKeys } from './encryption-keys';
import { LaunchPermission, LaunchPermissionMode } from './launch-permission';
import { checkShareAdmission } from './share-admission';
import { SupersededImages } from './superseded-images';
import { rejectAtSynth } from './synth-check';
import { encryptionErrors, imageIdError, launchPermissionKey, launchPermissionListErrors } from './validation';

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
   * Whether principals added outside this construct are left alone (ADDITIVE) or revoked (EXCLUSIVE) when the handler
   * converges it: at deployments that create it or change its properties, and on the stack's enforcement schedule if
   * it has one (`AmiSharingHandler.configure(scope, { enforceEvery })`).
   *
   * @default LaunchPermissionMode.ADDITIVE
   */
  readonly mode?: LaunchPermissionMode;

  /**
   * The customer-managed KMS keys that encrypt the AMI's snapshots. Recipients can only launch an encrypted AMI if they
   * may use every one of them. A key this app creates (`new kms.Key`) gets key-policy statements for exactly the
   * declared principals (accounts; organizations through `aws:PrincipalOrgID`; OUs through `aws:PrincipalOrgPaths`;
   * `kms:CreateGrant` only for AWS resources). An imported key (`Key.fromKeyArn`) gets KMS grants for the declared
   * accounts, created and revoked by the handler; organizations and OUs cannot be granted an imported key.
   *
   * Before sharing, the handler reads the AMI's snapshots and fails if one is encrypted with the AWS-managed key
   * aws/ebs, or with a customer-managed key not listed here (unless `keysSharedElsewhere`).
   *
   * @default - none: the AMI's snapshots must be unencrypted, or their keys shared elsewhere (`keysSharedElsewhere`)
   */
  readonly encryptionKeys?: kms.IKey[];

  /**
   * Also let the declared accounts copy the AMI (to another Region, or into their own account): the handler grants them
   * `createVolumePermission` on the AMI's snapshots, and revokes it with the launch permissions. EC2 shares snapshots
   * with accounts only, so this cannot be combined with organizations, OUs or public access.
   *
   * @default false
   */
  readonly allowCopy?: boolean;

  /**
   * The customer-managed keys that encrypt the AMI's snapshots and are not in `encryptionKeys` are shared with the
   * recipients by other means (their key policies are managed elsewhere). The handler then does not fail for such a
   * key; it still fails for the AWS-managed key aws/ebs, which no other account can ever use.
   *
   * @default false - a snapshot encrypted with a key not in `encryptionKeys` fails the deployment before any change
   */
  readonly keysSharedElsewhere?: boolean;

  /**
   * What happens to the previous AMI when `imageId` moves to another one (a rollover). `SupersededImages.keep(n)` keeps
   * the last n superseded AMIs shared as they were and deprecates them, so that recipients' launch templates and Auto
   * Scaling groups that still name them keep working; the AMI pushed out of that window is revoked. See
   * docs/superseded-images.md.
   *
   * @default SupersededImages.revoke() - the previous AMI loses everything at the deployment that shares the new one
   */
  readonly supersededImages?: SupersededImages;
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

  /** @internal declares LaunchPermission.publicAccess() (ImageBlockPublicAccess refuses to share an environment with it) */
  public readonly _makesPublic: boolean;

  /** @internal the accounts it shares with, tokens left out (checked against their Allowed AMIs, share-admission.ts) */
  public readonly _recipientAccounts: string[];

  private readonly resource: CustomResource;
  /** The SupersededImages guard, with SupersededImages.keep(): it revokes the kept AMIs when the construct goes. */
  private readonly guard?: CustomResource;

  constructor(scope: Construct, id: string, props: AmiLaunchPermissionsProps) {
    super(scope, id);

    rejectAtSynth(imageIdError('AmiLaunchPermissions.imageId', props.imageId), props.imageId);
    const entries = props.permissions.map(p => p._toEntry());
    // Duplicates are only certain among resolved values; two different tokens may still resolve to one principal,
    // which the handler catches.
    const resolved = entries.map(e => Token.isUnresolved(Object.values(e)[0]) ? undefined : e);
    const listErrors = launchPermissionListErrors('AmiLaunchPermissions.permissions', resolved);
    const keyProperty = 'AmiLaunchPermissions.encryptionKeys';
    const keys = shareEncryptionKeys(this, keyProperty, props.encryptionKeys ?? [], entries);
    const allowCopy = props.allowCopy ?? false;
    listErrors.push(...encryptionErrors(
      { permissions: 'AmiLaunchPermissions.permissions', encryptionKeys: keyProperty, allowCopy: 'AmiLaunchPermissions.allowCopy' },
      resolved, keys.map(k => Token.isUnresolved(k.KeyArn) ? undefined : k), allowCopy));
    if (listErrors.length > 0) {
      throw new Error(listErrors.join('\n'));
    }

    const mode = props.mode ?? LaunchPermissionMode.ADDITIVE;
    const superseded = (props.supersededImages ?? SupersededImages.revoke())._toProperty();
    const handler = AmiSharingHandler.of(this);
    this.imageId = props.imageId;
    // The encryption and window properties only appear when used, so templates of earlier versions stay unchanged.
    const properties = {
      ImageId: props.imageId,
      Permissions: entries,
      Mode: mode,
      ...(keys.length > 0 ? { EncryptionKeys: keys } : {}),
      ...(allowCopy ? { AllowCopy: true } : {}),
      ...(props.keysSharedElsewhere ? { KeysSharedElsewhere: true } : {}),
      ...(superseded ? { SupersededImages: superseded } : {}),
    };
    this.resource = handler._addResource(this, {
      resourceType: 'Custom::AmiLaunchPermissions',
      imageId: props.imageId,
      attribute: 'launchPermission',
      sole: mode === LaunchPermissionMode.EXCLUSIVE,
      principals: entries.filter(e => !Token.isUnresolved(Object.values(e)[0])).map(launchPermissionKey),
      properties,
    });
    this.resource.node.addDependency(handler._allowEncryptionChecks());
    const granted = keys.filter(k => k.SharedBy === 'GRANTS').map(k => k.KeyArn);
    if (granted.length > 0) {
      this.resource.node.addDependency(handler._allowKeyGrants(granted));
    }
    if (allowCopy) {
      this.resource.node.addDependency(handler._allowSnapshotSharing(entries.filter(e => e.UserId !== undefined).map(e => e.UserId!)));
    }
    if (superseded) {
      this.guard = handler._keepSupersededImages(this, this.resource, props.imageId, properties);
    }
    this._makesPublic = entries.some(e => e.Group !== undefined);
    this._recipientAccounts = entries.map(e => e.UserId).filter((a): a is string => a !== undefined && !Token.isUnresolved(a));
    checkShareAdmission(this);
    if (this._makesPublic) {
      this.resource.node.addDependency(handler._allowPublicSharingChecks());
    }
  }

  /**
   * What happens to the launch permissions when this construct leaves the stack.
   *
   * `RemovalPolicy.RETAIN` leaves them on the AMI (and on the superseded AMIs it keeps); `RemovalPolicy.DESTROY` (the
   * default) revokes the declared principals.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.resource.applyRemovalPolicy(policy);
    this.guard?.applyRemovalPolicy(policy);
  }
}
