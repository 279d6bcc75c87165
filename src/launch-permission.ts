import { rejectAtSynth } from './synth-check';
import {
  accountIdError,
  LaunchPermissionEntry,
  organizationalUnitArnError,
  organizationArnError,
} from './validation';

/**
 * How `AmiLaunchPermissions` treats principals it did not declare.
 */
export enum LaunchPermissionMode {
  /**
   * Grant the declared principals and leave everyone else alone. Principals this construct declared before and no
   * longer declares are revoked; principals someone else added are never touched.
   */
  ADDITIVE = 'ADDITIVE',

  /**
   * The AMI's launch permissions become exactly the declared set: any other principal, including one added outside
   * this stack, is revoked whenever the handler converges the construct. That is when a deployment creates it or
   * changes its properties (CloudFormation invokes a custom resource only then), and on every run of the enforcement
   * schedule if the stack has one (`AmiSharingHandler.configure(scope, { enforceEvery })`).
   */
  EXCLUSIVE = 'EXCLUSIVE',
}

/**
 * A principal that may launch an AMI: an AWS account, an organization, an organizational unit, or everyone.
 */
export class LaunchPermission {
  /**
   * Lets one AWS account launch the AMI.
   *
   * @param accountId the 12-digit account id, e.g. '111122223333'
   */
  public static account(accountId: string): LaunchPermission {
    rejectAtSynth(accountIdError('LaunchPermission.account', accountId), accountId);
    return new LaunchPermission({ UserId: accountId });
  }

  /**
   * Lets every account of an AWS Organizations organization launch the AMI.
   *
   * @param organizationArn e.g. 'arn:aws:organizations::123456789012:organization/o-abcdefghij'
   */
  public static organization(organizationArn: string): LaunchPermission {
    rejectAtSynth(organizationArnError('LaunchPermission.organization', organizationArn), organizationArn);
    return new LaunchPermission({ OrganizationArn: organizationArn });
  }

  /**
   * Lets every account of an organizational unit (and the OUs below it) launch the AMI.
   *
   * @param organizationalUnitArn e.g. 'arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij'
   */
  public static organizationalUnit(organizationalUnitArn: string): LaunchPermission {
    rejectAtSynth(
      organizationalUnitArnError('LaunchPermission.organizationalUnit', organizationalUnitArn), organizationalUnitArn);
    return new LaunchPermission({ OrganizationalUnitArn: organizationalUnitArn });
  }

  /**
   * Makes the AMI public: every AWS account may launch it.
   *
   * The only way this library makes an AMI public. EC2 refuses it while block public access for AMIs is on, and for
   * AMIs with an AWS Marketplace product code.
   */
  public static publicAccess(): LaunchPermission {
    return new LaunchPermission({ Group: 'all' });
  }

  /**
   * The EC2 field this principal goes in: `UserId`, `Group`, `OrganizationArn` or `OrganizationalUnitArn`.
   */
  public readonly field: string;

  /**
   * The account id, the ARN, or `all`.
   */
  public readonly value: string;

  private constructor(entry: LaunchPermissionEntry) {
    const [field, value] = Object.entries(entry)[0];
    this.field = field;
    this.value = value;
  }

  /** @internal the entry as EC2 and the handler spell it */
  public _toEntry(): LaunchPermissionEntry {
    return { [this.field]: this.value };
  }
}
