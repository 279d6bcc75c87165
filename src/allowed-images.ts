import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { AmiSharingHandler } from './ami-sharing-handler';
import { describeEnvironment, inSameEnvironment } from './environment';
import { ImageCriterion } from './image-criterion';
import { checkShareAdmission } from './share-admission';
import { CONSTRUCT_FIELD_NAMES, imageCriteriaErrors } from './validation';

/**
 * What Allowed AMIs does with AMIs that meet no criterion.
 */
export enum AllowedImagesState {
  /** They cannot be discovered (DescribeImages) or launched in the account. */
  ENABLED = 'enabled',
  /** Nothing is refused: EC2 only reports which AMIs would not be allowed (DescribeImages `ImageAllowed`). */
  AUDIT_MODE = 'audit-mode',
}

/**
 * Properties of `AllowedImages`.
 */
export interface AllowedImagesProps {
  /**
   * Whether AMIs that meet no criterion are refused, or only reported.
   *
   * @default AllowedImagesState.ENABLED
   */
  readonly state?: AllowedImagesState;

  /**
   * The criteria: an AMI is allowed when it meets at least one. At most 10, with at most 200 providers in all. An empty
   * list allows only the account's own AMIs (which are always allowed).
   */
  readonly criteria: ImageCriterion[];

  /**
   * What happens to the account's settings when this construct leaves the stack, or the stack is deleted.
   *
   * `RemovalPolicy.DESTROY` puts back the state and criteria the construct found when it was first deployed.
   * `RemovalPolicy.RETAIN` leaves the settings as they are.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Allowed AMIs in the stack's account and Region: which AMIs the account may discover and launch.
 *
 * One per account and Region in an app. At deploy time the handler reads the live settings and replaces the criteria
 * only when they differ from the declared ones (compared as sets), then sets the state. When an AWS Organizations
 * declarative policy manages the settings, the deployment fails before any change, saying so.
 */
export class AllowedImages extends Construct {
  /** The declared criteria. */
  public readonly criteria: ImageCriterion[];

  /** The declared state. */
  public readonly state: AllowedImagesState;

  constructor(scope: Construct, id: string, props: AllowedImagesProps) {
    super(scope, id);
    const entries = props.criteria.map(c => c._toEntry());
    const problems = imageCriteriaErrors('AllowedImages.criteria', entries, CONSTRUCT_FIELD_NAMES, v => Token.isUnresolved(v));
    const removal = props.removalPolicy ?? RemovalPolicy.DESTROY;
    if (removal !== RemovalPolicy.RETAIN && removal !== RemovalPolicy.DESTROY) {
      problems.push(`AllowedImages.removalPolicy: '${removal}' is not supported; use RemovalPolicy.DESTROY (the settings found at the first `
        + 'deployment are put back) or RemovalPolicy.RETAIN (the settings stay as they are)');
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));

    this.criteria = [...props.criteria];
    this.state = props.state ?? AllowedImagesState.ENABLED;
    const restore = removal === RemovalPolicy.DESTROY;
    const resource = AmiSharingHandler.of(this)._addAccountSettingResource(this, {
      resourceType: 'Custom::AllowedImages',
      properties: { State: this.state, ImageCriteria: entries, ...(restore ? { RestoreOnDelete: true } : {}) },
      grant: {
        id: 'AllowedImagesSettings',
        setting: 'Allowed AMIs',
        construct: 'AllowedImages',
        actions: ['ec2:GetAllowedImagesSettings', 'ec2:ReplaceImageCriteriaInAllowedImagesSettings', 'ec2:EnableAllowedImagesSettings',
          // Disable only to put back settings that were off.
          ...(restore ? ['ec2:DisableAllowedImagesSettings'] : [])],
      },
    });
    resource.applyRemovalPolicy(removal);
    checkShareAdmission(this);
    this.node.addValidation({
      validate: () => {
        const others = inSameEnvironment(this, isAllowedImages);
        return others[0] === this ? [] : [`AllowedImages: ${this.node.path} and ${others[0].node.path} both manage Allowed AMIs in `
          + `${describeEnvironment(resource.stack)}; declare one AllowedImages per account and Region`];
      },
    });
  }
}

function isAllowedImages(c: IConstruct): c is AllowedImages {
  return c instanceof AllowedImages;
}
