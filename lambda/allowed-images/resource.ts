// Custom::AllowedImages: Allowed AMIs in the account and Region. Create and Update replace the criteria when they differ
// from the declared ones and set the state, then read them back; Delete (with RestoreOnDelete, the default) puts back
// the state and criteria the first deployment found, remembered in the physical id.
import {
  ALLOWED_IMAGES_DISABLED,
  allowedImagesStateError,
  ImageCriterionEntry,
  imageCriteriaErrors,
  managedByDeclarativePolicyError,
  RESOURCE_FIELD_NAMES,
  show,
} from '../../src/validation';
import { isManagedByDeclarativePolicy } from '../account-settings/declarative-policy';
import { foundStatePhysicalId, parseFoundState } from '../account-settings/found-state';
import { waitForPropagation } from '../account-settings/propagation';
import { readPatiently } from '../converge';
import { allowedImagesSettings, replaceImageCriteria, setAllowedImagesState } from '../ec2';
import { DeclarationError, messageWithAccessHint } from '../errors';
import { log } from '../log';
import { unknownPropertyErrors } from '../properties';
import { Outcome, RequestContext, ResourceHandler } from '../resource';
import { allowedImagesDifferences, allowedImagesWrites, AllowedImagesSettings, unrestorableReason } from './plan';

export const ALLOWED_IMAGES_ID = 'AllowedImages';
/** The physical id's last segment when nothing is remembered (RestoreOnDelete off). */
const NOTHING_REMEMBERED = 'retained';
const THEN = 'EC2 applies account settings asynchronously; deploy again in a few minutes: the handler then finds them applied';

interface AllowedImagesDeclaration extends AllowedImagesSettings {
  readonly restoreOnDelete: boolean;
}

export function parseAllowedImagesProperties(properties: Record<string, unknown> | undefined): AllowedImagesDeclaration {
  const props = properties ?? {};
  const problems = [
    ...unknownPropertyErrors(props, ['State', 'ImageCriteria', 'RestoreOnDelete']),
    allowedImagesStateError('State', props.State),
    ...imageCriteriaErrors('ImageCriteria', props.ImageCriteria ?? [], RESOURCE_FIELD_NAMES),
  ].filter((p): p is string => p !== undefined);
  const restore = props.RestoreOnDelete;
  if (restore !== undefined && ![true, false, 'true', 'false'].includes(restore as string)) {
    problems.push(`RestoreOnDelete: ${show(restore)} is not true or false`);
  }
  if (problems.length > 0) throw new DeclarationError(problems);
  return {
    state: props.State as string,
    criteria: ((props.ImageCriteria ?? []) as ImageCriterionEntry[]).map(numbersAsNumbers),
    restoreOnDelete: restore === true || restore === 'true',
  };
}

export const handleAllowedImages: ResourceHandler = async (event, context): Promise<Outcome> => {
  const region = process.env.AWS_REGION ?? 'unknown-region';
  const read = () => readPatiently(context, 'GetAllowedImagesSettings', () => allowedImagesSettings(context.ec2));

  if (event.RequestType === 'Delete') {
    const unchanged = { physicalResourceId: event.PhysicalResourceId, data: {}, changes: { writes: 0 } };
    const remembered = parseFoundState<AllowedImagesSettings>(ALLOWED_IMAGES_ID, event.PhysicalResourceId);
    if (!remembered || !parseAllowedImagesProperties(event.ResourceProperties).restoreOnDelete) {
      log('INFO', 'Allowed AMIs left as they are', { restorable: remembered !== undefined });
      return unchanged;
    }
    const live = await read();
    if (isManagedByDeclarativePolicy(live)) {
      log('WARN', 'Allowed AMIs are managed by a declarative policy: not restored', { found: remembered.found.state, live: live.state });
      return unchanged;
    }
    const writes = await converge(context, live, remembered.found, read,
      'EC2 applies account settings asynchronously; delete again once GetAllowedImagesSettings shows them');
    return { ...unchanged, changes: { writes } };
  }

  const desired = parseAllowedImagesProperties(event.ResourceProperties);
  const live = await read();
  if (isManagedByDeclarativePolicy(live)) {
    throw new DeclarationError([managedByDeclarativePolicyError('AllowedImages', 'Allowed AMIs', 'allowed_images_settings')]);
  }
  const physicalResourceId = rememberedId(event, region, desired.restoreOnDelete, live);
  const writes = await converge(context, live, desired, read, THEN);
  return { physicalResourceId, data: { State: desired.state }, changes: { writes } };
};

/**
 * The physical id: kept from the first deployment when it remembers settings (on later Updates the live settings are
 * this construct's own); otherwise what is live now, when RestoreOnDelete asks for it. Throws, before any write, when
 * the settings found cannot be restored later.
 */
function rememberedId(event: { RequestType: string; PhysicalResourceId?: string }, region: string, restore: boolean,
  live: Awaited<ReturnType<typeof allowedImagesSettings>>): string {
  if (event.RequestType === 'Update' && parseFoundState(ALLOWED_IMAGES_ID, event.PhysicalResourceId!) !== undefined) {
    return event.PhysicalResourceId!;
  }
  if (!restore) return `${ALLOWED_IMAGES_ID}/${region}/${NOTHING_REMEMBERED}`;
  const found: AllowedImagesSettings = { state: live.state ?? ALLOWED_IMAGES_DISABLED, criteria: live.criteria };
  const unrestorable = unrestorableReason(live.criteria);
  const id = unrestorable === undefined ? foundStatePhysicalId(ALLOWED_IMAGES_ID, region, found) : undefined;
  if (id === undefined) {
    const values = live.criteria.reduce((n, c) =>
      n + (c.ImageProviders?.length ?? 0) + (c.ImageNames?.length ?? 0) + (c.MarketplaceProductCodes?.length ?? 0), 0);
    throw new DeclarationError([`RemovalPolicy: the Allowed AMIs settings this account and Region have now (${live.criteria.length} criteria, `
      + `${values} values) cannot be put back on Delete: ${unrestorable ?? 'they do not fit in the 1 KB CloudFormation keeps for a physical id'}. `
      + 'Use removalPolicy RemovalPolicy.RETAIN, or record them yourself (aws ec2 get-allowed-images-settings); nothing was changed']);
  }
  return id;
}

/** Makes the writes that bring the settings to `desired`, then reads them back. Returns the number of writes. */
async function converge(context: RequestContext, live: Awaited<ReturnType<typeof allowedImagesSettings>>, desired: AllowedImagesSettings,
  read: () => ReturnType<typeof allowedImagesSettings>, then: string): Promise<number> {
  const writes = allowedImagesWrites(live, desired);
  for (const write of writes) {
    const call = 'setState' in write
      ? (write.setState === ALLOWED_IMAGES_DISABLED ? 'DisableAllowedImagesSettings' : `EnableAllowedImagesSettings (${write.setState})`)
      : 'ReplaceImageCriteriaInAllowedImagesSettings';
    try {
      if ('setState' in write) {
        await setAllowedImagesState(context.ec2, write.setState);
      } else {
        await replaceImageCriteria(context.ec2, write.replaceCriteria);
      }
    } catch (error) {
      throw new Error(`${call} failed: ${messageWithAccessHint(error)}`);
    }
    log('INFO', `${call} accepted`, {});
  }
  if (writes.length > 0) {
    await waitForPropagation(context, {
      call: writes.length === 1 ? 'The change' : 'The changes',
      setting: 'Allowed AMIs',
      read,
      differences: l => allowedImagesDifferences(l, desired),
      then,
    });
  }
  return writes.length;
}

/** CloudFormation hands numbers over as strings; EC2's SDK wants numbers. Validation has checked they are whole. */
function numbersAsNumbers(c: ImageCriterionEntry): ImageCriterionEntry {
  return {
    ...c,
    ...(c.CreationDateCondition
      ? { CreationDateCondition: { MaximumDaysSinceCreated: Number(c.CreationDateCondition.MaximumDaysSinceCreated) } } : {}),
    ...(c.DeprecationTimeCondition
      ? { DeprecationTimeCondition: { MaximumDaysSinceDeprecated: Number(c.DeprecationTimeCondition.MaximumDaysSinceDeprecated) } } : {}),
  };
}
