// The bad-input catalogue's entries for encrypted AMIs (encryptionKeys, allowCopy, keysSharedElsewhere): what EC2 and
// KMS cannot do, refused at synth time and by the handler before any EC2 or KMS request. Messages written out.
import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ACCOUNT, BadInput, BadInputEvent, exact, EXAMPLE_IMAGE_ID, ORG, OU, share, shareEvent } from './bad-inputs-builders';
import { AmiLaunchPermissionsProps, LaunchPermission } from '../../src';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ALIAS = 'arn:aws:kms:us-east-1:123456789012:alias/golden-ami';
const IMPORTED = { KeyArn: KEY, SharedBy: 'GRANTS' };
const USE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/** An AmiLaunchPermissions with an imported key made from `keyArn`. */
function encrypted(permissions: () => LaunchPermission[], props: Partial<AmiLaunchPermissionsProps> & { keyArn?: string } = {}) {
  const { keyArn, ...rest } = props;
  return share(permissions, EXAMPLE_IMAGE_ID, stack => ({
    ...(keyArn ? { encryptionKeys: [kms.Key.fromKeyArn(stack, 'Key', keyArn)] } : {}),
    ...rest,
  }));
}

function both(name: string, build: (stack: Stack) => void, synthError: string,
  handlerEvent: (imageId: string) => BadInputEvent, reason: string): BadInput {
  return { name, synth: { build, error: synthError }, handler: exact(handlerEvent, reason) };
}

const copyNotOrg = (where: string, copy: string, value: string) => `${where}: ${copy} cannot share snapshots with '${value}': EC2 shares snapshots `
  + 'with accounts only (ModifySnapshotAttribute has no organization or OU form). Declare the accounts that may copy the AMI in an '
  + `AmiLaunchPermissions with ${copy}, and the organization or OU in another one without it`;

const importedWithOrg = (where: string, shown: string, statement: object) => `${where}: '${KEY}' is an imported key, and KMS grants name `
  + `accounts only, so it cannot be shared with '${shown}'. Ask the key's owner to add these statements to its key policy, then remove the key `
  + `from encryptionKeys and set keysSharedElsewhere: true: ${JSON.stringify(statement)}`;

const statements = (kind: string, condition: object) => [
  { Sid: `CdkAmiSharingUse${kind}`, Effect: 'Allow', Principal: { AWS: '*' }, Action: USE, Resource: '*', Condition: condition },
  {
    Sid: `CdkAmiSharingGrant${kind}`,
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: 'kms:CreateGrant',
    Resource: '*',
    Condition: { ...condition, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  },
];

export const ENCRYPTION: BadInput[] = [
  both('allowCopy with an organization',
    encrypted(() => [LaunchPermission.organization(ORG)], { allowCopy: true }),
    copyNotOrg('AmiLaunchPermissions.permissions[0]', 'AmiLaunchPermissions.allowCopy', ORG),
    shareEvent([{ OrganizationArn: ORG }], { AllowCopy: 'true' }),
    copyNotOrg('Permissions[0]', 'AllowCopy', ORG)),
  both('allowCopy with an OU',
    encrypted(() => [LaunchPermission.account(ACCOUNT), LaunchPermission.organizationalUnit(OU)], { allowCopy: true }),
    copyNotOrg('AmiLaunchPermissions.permissions[1]', 'AmiLaunchPermissions.allowCopy', OU),
    shareEvent([{ UserId: ACCOUNT }, { OrganizationalUnitArn: OU }], { AllowCopy: 'true' }),
    copyNotOrg('Permissions[1]', 'AllowCopy', OU)),
  both('allowCopy with public access',
    encrypted(() => [LaunchPermission.publicAccess()], { allowCopy: true }),
    'AmiLaunchPermissions.permissions[0]: LaunchPermission.publicAccess() cannot be combined with AmiLaunchPermissions.allowCopy: it grants '
      + 'createVolumePermission to the declared accounts only and never makes snapshots public',
    shareEvent([{ Group: 'all' }], { AllowCopy: 'true' }),
    'Permissions[0]: LaunchPermission.publicAccess() cannot be combined with AllowCopy: it grants createVolumePermission to the declared '
      + 'accounts only and never makes snapshots public'),
  both('public access with encryption keys',
    encrypted(() => [LaunchPermission.publicAccess()], { keyArn: KEY }),
    'AmiLaunchPermissions.permissions[0]: LaunchPermission.publicAccess() cannot be combined with AmiLaunchPermissions.encryptionKeys: EC2 '
      + 'never makes an AMI with encrypted snapshots public. Share it with accounts, organizations or OUs, or publish an unencrypted copy',
    shareEvent([{ Group: 'all' }], { EncryptionKeys: [IMPORTED] }),
    'Permissions[0]: LaunchPermission.publicAccess() cannot be combined with EncryptionKeys: EC2 never makes an AMI with encrypted '
      + 'snapshots public. Share it with accounts, organizations or OUs, or publish an unencrypted copy'),
  both('an imported key with an organization (grants name accounts only)',
    encrypted(() => [LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)], { keyArn: KEY }),
    importedWithOrg('AmiLaunchPermissions.encryptionKeys[0]', ORG, statements('Organizations', { StringEquals: { 'aws:PrincipalOrgID': ['o-abcdefghij'] } })),
    shareEvent([{ UserId: ACCOUNT }, { OrganizationArn: ORG }], { EncryptionKeys: [IMPORTED] }),
    importedWithOrg('EncryptionKeys[0]', ORG, statements('Organizations', { StringEquals: { 'aws:PrincipalOrgID': ['o-abcdefghij'] } }))),
  both('an imported key with an OU',
    encrypted(() => [LaunchPermission.organizationalUnit(OU)], { keyArn: KEY }),
    importedWithOrg('AmiLaunchPermissions.encryptionKeys[0]', OU,
      statements('OrganizationalUnits', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abcdefghij/*/ou-ab12-cdefghij/*'] } })),
    shareEvent([{ OrganizationalUnitArn: OU }], { EncryptionKeys: [IMPORTED] }),
    importedWithOrg('EncryptionKeys[0]', OU,
      statements('OrganizationalUnits', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-abcdefghij/*/ou-ab12-cdefghij/*'] } }))),
  both('an alias ARN as an encryption key',
    encrypted(() => [LaunchPermission.account(ACCOUNT)], { keyArn: ALIAS }),
    `AmiLaunchPermissions.encryptionKeys[0]: '${ALIAS}' is an alias ARN, not a key ARN; EBS names the key itself `
      + '(arn:<partition>:kms:<region>:<account>:key/<key id>)',
    shareEvent([{ UserId: ACCOUNT }], { EncryptionKeys: [{ KeyArn: ALIAS, SharedBy: 'GRANTS' }] }),
    `EncryptionKeys[0].KeyArn: '${ALIAS}' is an alias ARN, not a key ARN; EBS names the key itself (arn:<partition>:kms:<region>:<account>:key/<key id>)`),
  both('a key ARN whose key id is not a key id',
    encrypted(() => [LaunchPermission.account(ACCOUNT)], { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/golden' }),
    "AmiLaunchPermissions.encryptionKeys[0]: 'arn:aws:kms:us-east-1:123456789012:key/golden' is not a KMS key ARN "
      + '(arn:<partition>:kms:<region>:<12-digit account>:key/<key id>)',
    shareEvent([{ UserId: ACCOUNT }], { EncryptionKeys: [{ KeyArn: 'arn:aws:kms:us-east-1:123456789012:key/golden', SharedBy: 'GRANTS' }] }),
    "EncryptionKeys[0].KeyArn: 'arn:aws:kms:us-east-1:123456789012:key/golden' is not a KMS key ARN "
      + '(arn:<partition>:kms:<region>:<12-digit account>:key/<key id>)'),
  both('the same key twice',
    share(() => [LaunchPermission.account(ACCOUNT)], EXAMPLE_IMAGE_ID, stack => {
      const key = kms.Key.fromKeyArn(stack, 'Key', KEY);
      return { encryptionKeys: [key, key] };
    }),
    `AmiLaunchPermissions.encryptionKeys[1]: '${KEY}' is declared twice (also at AmiLaunchPermissions.encryptionKeys[0])`,
    shareEvent([{ UserId: ACCOUNT }], { EncryptionKeys: [IMPORTED, IMPORTED] }),
    `EncryptionKeys[1]: '${KEY}' is declared twice (also at EncryptionKeys[0])`),
  {
    name: 'AllowCopy that is not a boolean',
    synth: undefined,
    handler: exact(shareEvent([{ UserId: ACCOUNT }], { AllowCopy: 'yes' }), "AllowCopy: 'yes' is not a boolean ('true' or 'false')"),
  },
  {
    name: 'an encryption key shared by an unknown method',
    synth: undefined,
    handler: exact(shareEvent([{ UserId: ACCOUNT }], { EncryptionKeys: [{ KeyArn: KEY, SharedBy: 'ALIAS' }] }),
      "EncryptionKeys[0].SharedBy: 'ALIAS' is not a key sharing method (KEY_POLICY or GRANTS)"),
  },
];
