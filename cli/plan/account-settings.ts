// Custom::ImageBlockPublicAccess and Custom::AllowedImages: what a deploy would write to the account's setting (the
// handlers' own plan modules), what CloudFormation's Delete would put back (the state the physical id remembers), and
// drift from what was deployed. Reads only: GetImageBlockPublicAccessState, GetAllowedImagesSettings.
import { declarationProblem, Findings, PlannerInput, PlannerOutput, ResourcePlanner } from './planner';
import { isManagedByDeclarativePolicy } from '../../lambda/account-settings/declarative-policy';
import { parseFoundState } from '../../lambda/account-settings/found-state';
import { allowedImagesWrites, AllowedImagesSettings } from '../../lambda/allowed-images/plan';
import { ALLOWED_IMAGES_ID, parseAllowedImagesProperties } from '../../lambda/allowed-images/resource';
import type { AccountSettingState, LiveImageCriterion } from '../../lambda/ec2';
import { blockPublicAccessWrite, BlockPublicAccessState } from '../../lambda/image-block-public-access/plan';
import { IMAGE_BLOCK_PUBLIC_ACCESS_ID, parseImageBlockPublicAccessProperties } from '../../lambda/image-block-public-access/resource';
import { ALLOWED_IMAGES_DISABLED, BLOCK_NEW_SHARING, managedByDeclarativePolicyError } from '../../src/validation';
import type { Read } from '../live';

const BPA = 'block public access for AMIs';
const ALLOWED = 'Allowed AMIs';

export const blockPublicAccessPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;
    const live = settingOf(findings, await input.live.imageBlockPublicAccess());
    if (!live) return findings;
    const shown = live.state ?? 'unblocked';

    if (deployed && blockPublicAccessWrite(live, BLOCK_NEW_SHARING) !== undefined) {
      findings.drift.push({ kind: 'account-setting', setting: BPA, live: shown, declared: BLOCK_NEW_SHARING });
    }
    if ((action === 'create' || action === 'update') && desired) {
      const problem = declarationProblem(() => parseImageBlockPublicAccessProperties(desired.properties));
      if (problem) {
        findings.addError(problem);
      } else if (isManagedByDeclarativePolicy(live)) {
        findings.addError(`the deploy would fail: ${managedByDeclarativePolicyError('ImageBlockPublicAccess', BPA, 'image_block_public_access')}`);
      } else if (blockPublicAccessWrite(live, BLOCK_NEW_SHARING) !== undefined) {
        findings.changes.push({ kind: 'account-setting', setting: BPA, from: shown, to: BLOCK_NEW_SHARING, restore: false });
      }
    }
    if (action === 'delete' && deployed) {
      const found = parseFoundState<BlockPublicAccessState>(IMAGE_BLOCK_PUBLIC_ACCESS_ID, deployed.physicalId ?? '');
      if (deployed.deletionPolicy === 'Retain' || deployed.properties.RestoreOnDelete === undefined) {
        findings.notes.push(`RemovalPolicy RETAIN: ${BPA} stays as it is`);
      } else if (found && !isManagedByDeclarativePolicy(live) && blockPublicAccessWrite(live, found.found) !== undefined) {
        findings.changes.push({ kind: 'account-setting', setting: BPA, from: shown, to: found.found, restore: true });
      }
    }
    return findings;
  },
};

export const allowedImagesPlanner: ResourcePlanner = {
  async plan(input: PlannerInput): Promise<PlannerOutput> {
    const findings = new Findings(input.where);
    const { desired, deployed, action } = input;
    const live = settingOf(findings, await input.live.allowedImages());
    if (!live) return findings;

    const declared = deployed ? parsed(deployed.properties) : undefined;
    if (declared && allowedImagesWrites(live, declared).length > 0) {
      findings.drift.push({ kind: 'account-setting', setting: ALLOWED, live: summary(live), declared: summary(declared) });
    }
    if ((action === 'create' || action === 'update') && desired) {
      const problem = declarationProblem(() => parseAllowedImagesProperties(desired.properties));
      if (problem) {
        findings.addError(problem);
      } else if (isManagedByDeclarativePolicy(live)) {
        findings.addError(`the deploy would fail: ${managedByDeclarativePolicyError('AllowedImages', ALLOWED, 'allowed_images_settings')}`);
      } else {
        const wanted = parsed(desired.properties)!;
        if (allowedImagesWrites(live, wanted).length > 0) {
          findings.changes.push({ kind: 'account-setting', setting: ALLOWED, from: summary(live), to: summary(wanted), restore: false });
        }
      }
    }
    if (action === 'delete' && deployed) {
      const found = parseFoundState<AllowedImagesSettings>(ALLOWED_IMAGES_ID, deployed.physicalId ?? '');
      if (deployed.deletionPolicy === 'Retain' || !found) {
        findings.notes.push(`RemovalPolicy RETAIN: ${ALLOWED} stay as they are`);
      } else if (!isManagedByDeclarativePolicy(live) && allowedImagesWrites(live, found.found).length > 0) {
        findings.changes.push({ kind: 'account-setting', setting: ALLOWED, from: summary(live), to: summary(found.found), restore: true });
      }
    }
    return findings;
  },
};

function settingOf<T>(findings: Findings, read: Read<T>): T | undefined {
  if (read.ok) return read.value;
  findings.addError(read.gone ? 'the setting could not be read' : read.error);
  return undefined;
}

function parsed(properties: Record<string, unknown>): AllowedImagesSettings | undefined {
  try {
    return parseAllowedImagesProperties(properties);
  } catch {
    return undefined;
  }
}

/** 'enabled: [amazon 111122223333] [names golden-*, created within 90 days]', for one line of the plan. */
function summary(settings: AccountSettingState & { criteria: LiveImageCriterion[] } | AllowedImagesSettings): string {
  const state = settings.state ?? ALLOWED_IMAGES_DISABLED;
  const criteria = (settings.criteria as LiveImageCriterion[]).map(c => `[${[
    // Sorted: EC2 promises no order, and the same settings must read the same.
    ...[...c.ImageProviders ?? []].sort(),
    ...(c.ImageNames?.length ? [`names ${[...c.ImageNames].sort().join(' ')}`] : []),
    ...(c.MarketplaceProductCodes?.length ? [`product codes ${[...c.MarketplaceProductCodes].sort().join(' ')}`] : []),
    ...(c.CreationDateCondition ? [`created within ${c.CreationDateCondition.MaximumDaysSinceCreated} days`] : []),
    ...(c.DeprecationTimeCondition ? [`deprecated within ${c.DeprecationTimeCondition.MaximumDaysSinceDeprecated} days`] : []),
    ...(c.unsupported ?? []),
  ].join(', ')}]`).sort();
  return `${state}${criteria.length ? `: ${criteria.join(' ')}` : ', no criteria'}`;
}
