// The planner of each custom resource type of this library. A construct whose resource type has no planner here is
// reported as an error (a newer library version than this command), never silently skipped.
//
// Extension point: a new resource type gets a planner here, built like these (see planner.ts): parse the properties
// with the handler's parser, read the live state with read-only calls only (add them to LiveState), decide with the
// handler's pure plan module, and report grants/revocations and drift. The model (model.ts) takes new Change and Drift
// kinds; the renderers show unknown kinds generically until they learn them. (Key grants and snapshot permissions are
// AmiLaunchPermissions' own: launch-permissions.ts plans them with encryption.ts.)
import { allowedImagesPlanner, blockPublicAccessPlanner } from './account-settings';
import { deprecationPlanner } from './deprecation';
import { deregistrationProtectionPlanner } from './deregistration-protection';
import { descriptionPlanner } from './description';
import { imdsPolicyPlanner } from './imds-policy';
import { launchPermissionsPlanner } from './launch-permissions';
import { ResourcePlanner } from './planner';
import { servedByHandler } from '../../lambda/deployed-stack/library-resources';

export const PLANNERS: Readonly<Record<string, ResourcePlanner>> = {
  'Custom::AmiLaunchPermissions': launchPermissionsPlanner,
  'Custom::AmiDescription': descriptionPlanner,
  'Custom::AmiImdsPolicy': imdsPolicyPlanner,
  'Custom::ImageBlockPublicAccess': blockPublicAccessPlanner,
  'Custom::AllowedImages': allowedImagesPlanner,
  'Custom::AmiDeprecation': deprecationPlanner,
  'Custom::AmiDeregistrationProtection': deregistrationProtectionPlanner,
};

/** The resource types of account-level settings: no ImageId, one value per account and Region. */
export const ACCOUNT_SETTING_TYPES: readonly string[] = ['Custom::ImageBlockPublicAccess', 'Custom::AllowedImages'];

/** Whether a template resource is a construct of this library (for this command or a newer one). */
export function isLibraryResource(resource: any, handlerLogicalIds: ReadonlySet<string>): boolean {
  const type = String(resource?.Type ?? '');
  if (type in PLANNERS) return true;
  // A newer resource type of this library: served by the library's handler function.
  return type.startsWith('Custom::Ami') && servedByHandler(resource, handlerLogicalIds);
}
