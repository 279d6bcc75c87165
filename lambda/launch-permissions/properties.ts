// The custom resource's properties, as CloudFormation hands them over (every scalar arrives as a string), checked with
// the same rules the constructs apply at synth time. Everything is checked before the first EC2 call.
import {
  EncryptionKeyEntry,
  encryptionErrors,
  imageIdError,
  KEY_SHARING_METHODS,
  kmsKeyArnError,
  LAUNCH_PERMISSION_MODES,
  LaunchPermissionEntry,
  launchPermissionError,
  launchPermissionKey,
  launchPermissionListErrors,
  parseSupersededImages,
  show,
  SupersededImagesEntry,
} from '../../src/validation';
import { DeclarationError } from '../errors';
import { unknownPropertyErrors } from '../properties';
import { Mode } from './plan';

export interface LaunchPermissionsDeclaration {
  readonly imageId: string;
  /** Principal keys (launchPermissionKey). */
  readonly permissions: ReadonlySet<string>;
  readonly mode: Mode;
  /** The declared keys (EncryptionKeys): the ones that encrypt the AMI's snapshots and are shared with the recipients. */
  readonly encryptionKeys: readonly EncryptionKeyEntry[];
  /** Also grant the declared accounts createVolumePermission on the AMI's snapshots. */
  readonly allowCopy: boolean;
  /** Keys that encrypt the AMI and are not declared are shared by other means: do not fail for them. */
  readonly keysSharedElsewhere: boolean;
  /** Keep superseded AMIs shared (SupersededImages.keep); undefined: revoke them (the default). */
  readonly supersededImages?: SupersededImagesEntry;
}

/** A boolean property as CloudFormation hands it over (the string 'true' or 'false'), or its default when absent. */
function flag(problems: string[], name: string, value: unknown): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  problems.push(`${name}: ${show(value)} is not a boolean ('true' or 'false')`);
  return false;
}

function parseKeys(problems: string[], value: unknown): Array<EncryptionKeyEntry | undefined> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`EncryptionKeys: ${show(value)} is not a list of encryption keys`);
    return [];
  }
  return value.map((key, i) => {
    const where = `EncryptionKeys[${i}]`;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      problems.push(`${where}: ${show(key)} is not an encryption key (an object with KeyArn and SharedBy)`);
      return undefined;
    }
    const before = problems.length;
    problems.push(...unknownPropertyErrors(key, ['KeyArn', 'SharedBy']).map(p => `${where}.${p}`));
    const arnError = kmsKeyArnError(`${where}.KeyArn`, key.KeyArn);
    if (arnError) problems.push(arnError);
    if (!(KEY_SHARING_METHODS as readonly unknown[]).includes(key.SharedBy)) {
      problems.push(`${where}.SharedBy: ${show(key.SharedBy)} is not a key sharing method (${KEY_SHARING_METHODS.join(' or ')})`);
    }
    return problems.length === before ? key as EncryptionKeyEntry : undefined;
  });
}


export function parseLaunchPermissionsProperties(properties: Record<string, unknown> | undefined): LaunchPermissionsDeclaration {
  const props = properties ?? {};

  const problems = unknownPropertyErrors(props, ['ImageId', 'Permissions', 'Mode', 'EncryptionKeys', 'AllowCopy', 'KeysSharedElsewhere', 'SupersededImages']);

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
  const keys = parseKeys(problems, props.EncryptionKeys);
  const allowCopy = flag(problems, 'AllowCopy', props.AllowCopy);
  const keysSharedElsewhere = flag(problems, 'KeysSharedElsewhere', props.KeysSharedElsewhere);
  const supersededImages = parseSupersededImages(problems, props.SupersededImages);
  problems.push(...encryptionErrors({ permissions: 'Permissions', encryptionKeys: 'EncryptionKeys', allowCopy: 'AllowCopy' }, entries, keys, allowCopy));

  if (problems.length > 0) throw new DeclarationError(problems);
  return {
    imageId: props.ImageId as string,
    permissions: new Set(entries.map(e => launchPermissionKey(e!))),
    mode: mode as Mode,
    encryptionKeys: keys as EncryptionKeyEntry[],
    allowCopy,
    keysSharedElsewhere,
    ...(supersededImages ? { supersededImages } : {}),
  };
}
