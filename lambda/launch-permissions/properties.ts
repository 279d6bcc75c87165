// The custom resource's properties, as CloudFormation hands them over (every scalar arrives as a string), checked with
// the same rules the constructs apply at synth time. Everything is checked before the first EC2 call.
import {
  imageIdError,
  LAUNCH_PERMISSION_MODES,
  LaunchPermissionEntry,
  launchPermissionError,
  launchPermissionKey,
  launchPermissionListErrors,
  show,
} from '../../src/validation';
import { DeclarationError } from '../errors';
import { unknownPropertyErrors } from '../properties';
import { Mode } from './plan';

export interface LaunchPermissionsDeclaration {
  readonly imageId: string;
  /** Principal keys (launchPermissionKey). */
  readonly permissions: ReadonlySet<string>;
  readonly mode: Mode;
}


export function parseLaunchPermissionsProperties(properties: Record<string, unknown> | undefined): LaunchPermissionsDeclaration {
  const props = properties ?? {};

  const problems = unknownPropertyErrors(props, ['ImageId', 'Permissions', 'Mode']);

  const imageError = imageIdError('ImageId', props.ImageId);
  if (imageError) problems.push(imageError);

  const mode = props.Mode ?? 'ADDITIVE';
  if (!(LAUNCH_PERMISSION_MODES as readonly unknown[]).includes(mode)) {
    problems.push(`Mode: ${show(mode)} is not a launch permission mode (${LAUNCH_PERMISSION_MODES.join(' or ')})`);
  }

  let entries: Array<LaunchPermissionEntry | undefined> = [];
  if (!Array.isArray(props.Permissions)) {
    problems.push(`Permissions: ${show(props.Permissions)} is not a list of launch permissions`);
  } else {
    entries = props.Permissions.map((entry, i) => {
      const error = launchPermissionError(`Permissions[${i}]`, entry);
      if (error) problems.push(error);
      return error ? undefined : entry as LaunchPermissionEntry;
    });
    problems.push(...launchPermissionListErrors('Permissions', entries));
  }

  if (problems.length > 0) throw new DeclarationError(problems);
  return {
    imageId: props.ImageId as string,
    permissions: new Set(entries.map(e => launchPermissionKey(e!))),
    mode: mode as Mode,
  };
}
