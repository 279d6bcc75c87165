import { Annotations, Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AllowedImages, AllowedImagesState } from './allowed-images';
import { AmiLaunchPermissions } from './ami-launch-permissions';
import { ImageCriterion } from './image-criterion';

/** The warning id users acknowledge (`Annotations.of(share).acknowledgeWarning(...)`). */
export const RECIPIENT_DISALLOWS_PRODUCER = 'cdk-ami-sharing:recipientDisallowsProducer';

const checked = new WeakSet<IConstruct>();

/**
 * Makes sure the app checks, once, at synthesis, that every account a share names can launch what it is given: when
 * the same app declares AllowedImages for that account and Region, some criterion must be able to admit AMIs of the
 * producer's account. Called by both constructs, so the check exists whichever is declared first.
 */
export function checkShareAdmission(scope: IConstruct): void {
  const root = scope.node.root;
  if (checked.has(root)) return;
  checked.add(root);
  Aspects.of(root).add(new ShareAdmissionCheck(root));
}

/** Runs on the app root only, after the whole tree exists (aspects run at synthesis). */
class ShareAdmissionCheck implements IAspect {
  constructor(private readonly root: IConstruct) {}

  public visit(node: IConstruct): void {
    if (node !== this.root) return;
    const all = this.root.node.findAll();
    const guards = all.filter((c): c is AllowedImages => c instanceof AllowedImages && c.state === AllowedImagesState.ENABLED);
    for (const share of all.filter((c): c is AmiLaunchPermissions => c instanceof AmiLaunchPermissions)) {
      const producer = Stack.of(share);
      if (Token.isUnresolved(producer.account) || Token.isUnresolved(producer.region)) continue;
      for (const recipient of share._recipientAccounts) {
        const guard = guards.find(g => Stack.of(g).account === recipient && Stack.of(g).region === producer.region);
        if (guard && !mayAdmit(guard.criteria, producer.account)) {
          Annotations.of(share.node.defaultChild ?? share).addWarningV2(RECIPIENT_DISALLOWS_PRODUCER,
            `${share.node.path} shares ${share.imageId} with account ${recipient}, but ${guard.node.path} (Allowed AMIs of account ${recipient}, `
            + `Region ${producer.region}) admits no AMI of account ${producer.account}: the recipient would see the share and could not launch it. `
            + `Add '${producer.account}' to the providers of a criterion of ${guard.node.path} (ImageCriterion.providers('${producer.account}')).`);
        }
      }
    }
  }
}

/**
 * Whether some criterion could admit an AMI of `producer`: one naming it (or a provider only known at deploy time)
 * among its providers, or one with no providers at all. Names, ages and product codes are not known for a shared AMI
 * at synthesis, so such a criterion counts as admitting it: the check only warns when nothing could.
 */
function mayAdmit(criteria: readonly ImageCriterion[], producer: string): boolean {
  return criteria.some(c => c.imageProviders.length === 0 || c.imageProviders.some(p => p === producer || Token.isUnresolved(p)));
}
