// The catalogue of bad inputs: each one as a construct user would write it (when the typed API can express it) and as
// CloudFormation would hand it to the handler, with the exact message each side must fail with. The handler event is
// what the construct would have put in the template had the value been a token resolved at deploy time, or what a
// template author could write by hand. test/moto/bad-inputs.test.ts runs every entry (synth, and the handler against
// moto through the EC2 peer with no EC2 request allowed); scripts/bad-inputs-doc.ts renders docs/bad-inputs.md from it.
//
// Messages are written out here, not taken from src/validation.ts, so a change of wording shows up as a test failure.
import {
  ACCOUNT, BadInput, create, DESCRIPTION, exact, EXAMPLE_IMAGE_ID, IMDS_POLICY, LAUNCH_PERMISSIONS, lp, ORG, OU, share, shareEvent, update,
} from './bad-inputs-builders';
import { ENCRYPTION } from './bad-inputs-encryption';
import { AmiDescription, AmiImdsPolicy, LaunchPermission } from '../../src';

export { EXAMPLE_IMAGE_ID, RESOURCE_TYPES } from './bad-inputs-builders';
export type { BadInput, BadInputEvent } from './bad-inputs-builders';

// ---------------------------------------------------------------------------------------------------------------------
// Values and message parts.

const OTHER_ACCOUNT = '444455556666';
const FIELDS = 'UserId, Group, OrganizationArn, OrganizationalUnitArn';
const NOT_ACCOUNT = 'is not a 12-digit AWS account id';
const NOT_ORG = 'is not an organization ARN (arn:<partition>:organizations::<12-digit management account>:organization/o-<10 to 32 '
  + 'lowercase letters or digits>)';
const NOT_OU = 'is not an organizational unit ARN (arn:<partition>:organizations::<12-digit management account>:ou/o-<org id>/ou-'
  + '<root id>-<ou id>)';
const NOT_AMI = 'is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)';
const NOT_MODE = 'is not a launch permission mode (ADDITIVE or EXCLUSIVE)';
const NOT_GROUP = "is not a launch permission group (the only group is 'all', which makes the AMI public)";
const QUOTA = "accounts, organizations and OUs exceed EC2's quota of 1000 sharing entities per AMI";
/** 256 characters, one more than EC2 allows. */
const LONG_DESCRIPTION = 'Golden image: Amazon Linux 2023, CIS level 1 hardened, SSM agent, CloudWatch agent. '.repeat(4).slice(0, 256);
/** How messages show a value over 120 characters: its first 117, then '...'. */
const LONG_DESCRIPTION_SHOWN = `${LONG_DESCRIPTION.slice(0, 117)}...`;

// ---------------------------------------------------------------------------------------------------------------------
// Builders.

function accounts(count: number, first = 100000000000): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i));
}

/** One principal declared through `factory` at synth time and as `{ [field]: value }` (after a valid account) at deploy. */
function principal(name: string, factory: 'account' | 'organization' | 'organizationalUnit', value: string, problem: string): BadInput {
  const field = { account: 'UserId', organization: 'OrganizationArn', organizationalUnit: 'OrganizationalUnitArn' }[factory];
  return {
    name,
    synth: { build: share(() => [LaunchPermission[factory](value)]), error: `LaunchPermission.${factory}: ${problem}` },
    handler: exact(shareEvent([{ UserId: ACCOUNT }, { [field]: value }]), `Permissions[1].${field}: ${problem}`),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Custom::AmiLaunchPermissions: principals.

const PRINCIPALS: BadInput[] = [
  principal('account id of 11 digits', 'account', '11112222333', `'11112222333' ${NOT_ACCOUNT} (it has 11 digits)`),
  principal('account id of 13 digits', 'account', '1111222233334', `'1111222233334' ${NOT_ACCOUNT} (it has 13 digits)`),
  principal('account id with a letter', 'account', '11112222333a', `'11112222333a' ${NOT_ACCOUNT}`),
  principal('account id with spaces between the groups', 'account', '1111 2222 3333', `'1111 2222 3333' ${NOT_ACCOUNT}`),
  principal('account id with dashes, as the console shows it', 'account', '1111-2222-3333', `'1111-2222-3333' ${NOT_ACCOUNT}`),
  principal('account id with a leading space', 'account', ` ${ACCOUNT}`, `' ${ACCOUNT}' ${NOT_ACCOUNT}`),
  principal('account id with a trailing space', 'account', `${ACCOUNT} `, `'${ACCOUNT} ' ${NOT_ACCOUNT}`),
  // Pasted from a web page: the message must make the invisible character visible, as it does for control characters.
  principal('account id with a trailing zero-width space', 'account', `${ACCOUNT}\u200b`, `'${ACCOUNT}\\u200b' ${NOT_ACCOUNT}`),
  principal('empty account id', 'account', '', `'' ${NOT_ACCOUNT}`),
  principal('organization ARN passed as an account', 'account', ORG, `'${ORG}' is an organization ARN, not a 12-digit AWS account id`),
  principal('IAM root user ARN instead of the account id', 'account', `arn:aws:iam::${ACCOUNT}:root`,
    `'arn:aws:iam::${ACCOUNT}:root' ${NOT_ACCOUNT}`),
  principal('Organizations account ARN instead of the account id', 'account', `arn:aws:organizations::123456789012:account/o-abcdefghij/${ACCOUNT}`,
    `'arn:aws:organizations::123456789012:account/o-abcdefghij/${ACCOUNT}' is an AWS Organizations account ARN, not a 12-digit AWS account id`),
  principal('OU ARN passed as an organization', 'organization', OU,
    `'${OU}' is an organizational unit ARN, not an organization ARN; use LaunchPermission.organizationalUnit()`),
  principal('organization ARN passed as an OU', 'organizationalUnit', ORG,
    `'${ORG}' is an organization ARN, not an organizational unit ARN; use LaunchPermission.organization()`),
  principal('account id passed as an organization', 'organization', ACCOUNT,
    `'${ACCOUNT}' is an AWS account id, not an organization ARN; use LaunchPermission.account()`),
  principal('account id passed as an OU', 'organizationalUnit', ACCOUNT,
    `'${ACCOUNT}' is an AWS account id, not an organizational unit ARN; use LaunchPermission.account()`),
  principal('organization ARN in a partition that does not exist', 'organization', ORG.replace('arn:aws:', 'arn:aws-us:'),
    `'${ORG.replace('arn:aws:', 'arn:aws-us:')}' ${NOT_ORG}`),
  principal('OU ARN in a partition that does not exist', 'organizationalUnit', OU.replace('arn:aws:', 'arn:aws-global:'),
    `'${OU.replace('arn:aws:', 'arn:aws-global:')}' ${NOT_OU}`),
  principal('organization id instead of its ARN', 'organization', 'o-abcdefghij', `'o-abcdefghij' ${NOT_ORG}`),
  principal('organization name as a plain string', 'organization', 'Example Corp', `'Example Corp' ${NOT_ORG}`),
  principal('OU id instead of its ARN', 'organizationalUnit', 'ou-ab12-cdefghij', `'ou-ab12-cdefghij' ${NOT_OU}`),
  principal('organization ARN with an upper-case organization id', 'organization', ORG.replace('o-abcdefghij', 'o-ABCDEFGHIJ'),
    `'${ORG.replace('o-abcdefghij', 'o-ABCDEFGHIJ')}' ${NOT_ORG}`),
];

// ---------------------------------------------------------------------------------------------------------------------
// Custom::AmiLaunchPermissions: the list as a whole.

const LISTS: BadInput[] = [
  {
    name: 'the same account twice',
    synth: {
      build: share(() => [LaunchPermission.account(ACCOUNT), LaunchPermission.account(ACCOUNT)]),
      error: `AmiLaunchPermissions.permissions[1]: '${ACCOUNT}' is declared twice (also at AmiLaunchPermissions.permissions[0])`,
    },
    handler: exact(shareEvent([{ UserId: ACCOUNT }, { UserId: ACCOUNT }]), `Permissions[1]: '${ACCOUNT}' is declared twice (also at Permissions[0])`),
  },
  {
    name: 'the same organization twice, apart',
    synth: {
      build: share(() => [LaunchPermission.organization(ORG), LaunchPermission.account(ACCOUNT), LaunchPermission.organization(ORG)]),
      error: `AmiLaunchPermissions.permissions[2]: '${ORG}' is declared twice (also at AmiLaunchPermissions.permissions[0])`,
    },
    handler: exact(shareEvent([{ OrganizationArn: ORG }, { UserId: ACCOUNT }, { OrganizationArn: ORG }]),
      `Permissions[2]: '${ORG}' is declared twice (also at Permissions[0])`),
  },
  {
    name: 'public access twice',
    synth: {
      build: share(() => [LaunchPermission.publicAccess(), LaunchPermission.publicAccess()]),
      error: "AmiLaunchPermissions.permissions[1]: 'all' is declared twice (also at AmiLaunchPermissions.permissions[0])",
    },
    handler: exact(shareEvent([{ Group: 'all' }, { Group: 'all' }]), "Permissions[1]: 'all' is declared twice (also at Permissions[0])"),
  },
  {
    name: '1,001 accounts: over EC2\'s 1,000-entity quota',
    synth: {
      build: share(() => accounts(1001).map(a => LaunchPermission.account(a))),
      error: `AmiLaunchPermissions.permissions: 1001 ${QUOTA}`,
    },
    handler: exact(shareEvent(accounts(1001).map(a => ({ UserId: a }))), `Permissions: 1001 ${QUOTA}`),
  },
  {
    name: '999 accounts, an organization and an OU: over the quota together',
    synth: {
      build: share(() => [
        ...accounts(999).map(a => LaunchPermission.account(a)), LaunchPermission.organization(ORG), LaunchPermission.organizationalUnit(OU),
      ]),
      error: `AmiLaunchPermissions.permissions: 1001 ${QUOTA}`,
    },
    handler: exact(shareEvent([...accounts(999).map(a => ({ UserId: a })), { OrganizationArn: ORG }, { OrganizationalUnitArn: OU }]),
      `Permissions: 1001 ${QUOTA}`),
  },
  {
    name: '300 account ids of 11 digits: one Reason for all, cut to CloudFormation\'s 4 KB',
    synth: {
      build: share(() => accounts(300, 10000000000).map(a => LaunchPermission.account(a))),
      error: `LaunchPermission.account: '10000000000' ${NOT_ACCOUNT} (it has 11 digits)`,
    },
    handler: {
      event: shareEvent(accounts(300, 10000000000).map(a => ({ UserId: a }))),
      reason: `300 problems: Permissions[0].UserId: '10000000000' ${NOT_ACCOUNT} (it has 11 digits); `
        + `Permissions[1].UserId: '10000000001' ${NOT_ACCOUNT} (it has 11 digits); `,
      match: 'prefix',
      prefixBecause: 'the handler shortens the Reason (ending it with " ...(truncated)") so that its answer fits CloudFormation\'s 4,096 bytes',
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Custom::AmiLaunchPermissions: entries, Mode and the properties themselves (the typed API cannot express these).

const ENTRIES: BadInput[] = [
  {
    name: 'Permissions is a string, not a list',
    synth: undefined,
    handler: exact(shareEvent(ACCOUNT), `Permissions: '${ACCOUNT}' is not a list of launch permissions`),
  },
  {
    name: 'Permissions is one entry, not a list of them',
    synth: undefined,
    handler: exact(shareEvent({ UserId: ACCOUNT }), `Permissions: {"UserId":"${ACCOUNT}"} is not a list of launch permissions`),
  },
  {
    name: 'an entry with two fields',
    synth: undefined,
    handler: exact(shareEvent([{ UserId: ACCOUNT, Group: 'all' }]),
      `Permissions[0]: a launch permission has exactly one of ${FIELDS} (got UserId and Group)`),
  },
  {
    name: 'an empty entry',
    synth: undefined,
    handler: exact(shareEvent([{ UserId: ACCOUNT }, {}]), `Permissions[1]: a launch permission has exactly one of ${FIELDS} (got none)`),
  },
  {
    name: 'an entry with an unknown field',
    synth: undefined,
    handler: exact(shareEvent([{ AccountId: ACCOUNT }]),
      `Permissions[0]: unknown field 'AccountId' in a launch permission (expected one of ${FIELDS})`),
  },
  {
    name: 'an entry with a field in the wrong case',
    synth: undefined,
    handler: exact(shareEvent([{ UserId: ACCOUNT }, { userId: OTHER_ACCOUNT }]),
      `Permissions[1]: unknown field 'userId' in a launch permission (expected one of ${FIELDS})`),
  },
  {
    name: 'Group other than \'all\'',
    synth: undefined,
    handler: exact(shareEvent([{ Group: 'All' }]), `Permissions[0].Group: 'All' ${NOT_GROUP}`),
  },
  {
    name: 'Group naming a set of accounts',
    synth: undefined,
    handler: exact(shareEvent([{ Group: 'everyone-in-my-org' }]), `Permissions[0].Group: 'everyone-in-my-org' ${NOT_GROUP}`),
  },
  {
    name: 'an entry that is a bare account id',
    synth: undefined,
    handler: exact(shareEvent([ACCOUNT]), `Permissions[0]: '${ACCOUNT}' is not a launch permission (an object with one of ${FIELDS})`),
  },
  {
    name: 'UserId is a list, not a string',
    synth: undefined,
    handler: exact(shareEvent([{ UserId: [ACCOUNT] }]), `Permissions[0].UserId: ["${ACCOUNT}"] ${NOT_ACCOUNT}`),
  },
  {
    name: 'Mode in lower case',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, lp(imageId, [{ UserId: ACCOUNT }], 'exclusive')), `Mode: 'exclusive' ${NOT_MODE}`),
  },
  {
    name: 'Mode that does not exist',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, lp(imageId, [{ UserId: ACCOUNT }], 'REPLACE')), `Mode: 'REPLACE' ${NOT_MODE}`),
  },
  {
    name: 'Mode is a list, not a string',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, lp(imageId, [{ UserId: ACCOUNT }], ['EXCLUSIVE'])), `Mode: ["EXCLUSIVE"] ${NOT_MODE}`),
  },
  {
    name: 'Permissions missing',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, { ImageId: imageId, Mode: 'ADDITIVE' }),
      'Permissions: undefined is not a list of launch permissions'),
  },
  {
    name: 'an extra property',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, { ...lp(imageId, [{ UserId: ACCOUNT }]), Principals: [OTHER_ACCOUNT] }),
      "Principals: unknown property 'Principals' (expected ImageId, Permissions, Mode, EncryptionKeys, AllowCopy, KeysSharedElsewhere)"),
  },
  {
    name: 'ImageId misspelled as ImageID',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, { ImageID: imageId, Permissions: [{ UserId: ACCOUNT }], Mode: 'ADDITIVE' }),
      "2 problems: ImageID: unknown property 'ImageID' (expected ImageId, Permissions, Mode, EncryptionKeys, AllowCopy, KeysSharedElsewhere); ImageId: an AMI id is required (got undefined)"),
  },
  {
    name: 'no ResourceProperties at all',
    synth: undefined,
    handler: exact(() => create(LAUNCH_PERMISSIONS),
      '2 problems: ImageId: an AMI id is required (got undefined); Permissions: undefined is not a list of launch permissions'),
  },
  {
    name: 'an Update that adds a 13-digit account id',
    synth: {
      build: share(() => [LaunchPermission.account(ACCOUNT), LaunchPermission.account('4444555566667')]),
      error: `LaunchPermission.account: '4444555566667' ${NOT_ACCOUNT} (it has 13 digits)`,
    },
    handler: exact(imageId => update(LAUNCH_PERMISSIONS, lp(imageId, [{ UserId: ACCOUNT }, { UserId: '4444555566667' }]),
      lp(imageId, [{ UserId: ACCOUNT }]), `${imageId}/launchPermission`),
    `Permissions[1].UserId: '4444555566667' ${NOT_ACCOUNT} (it has 13 digits)`),
  },
  {
    name: 'an Update that switches Mode to a value that does not exist',
    synth: undefined,
    handler: exact(imageId => update(LAUNCH_PERMISSIONS, lp(imageId, [], 'PRIVATE'), lp(imageId, [{ UserId: ACCOUNT }]),
      `${imageId}/launchPermission`), `Mode: 'PRIVATE' ${NOT_MODE}`),
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Image ids, on all three resource types.

const IMAGE_IDS: BadInput[] = [
  {
    name: 'AmiLaunchPermissions: empty image id',
    synth: { build: share(() => [LaunchPermission.account(ACCOUNT)], ''), error: "AmiLaunchPermissions.imageId: an AMI id is required (got '')" },
    handler: exact(() => create(LAUNCH_PERMISSIONS, lp('', [{ UserId: ACCOUNT }])), "ImageId: an AMI id is required (got '')"),
  },
  {
    name: 'AmiLaunchPermissions: malformed image id',
    synth: { build: share(() => [LaunchPermission.account(ACCOUNT)], 'ami-xyz'), error: `AmiLaunchPermissions.imageId: 'ami-xyz' ${NOT_AMI}` },
    handler: exact(() => create(LAUNCH_PERMISSIONS, lp('ami-xyz', [{ UserId: ACCOUNT }])), `ImageId: 'ami-xyz' ${NOT_AMI}`),
  },
  {
    name: 'AmiLaunchPermissions: image id with upper-case hex',
    synth: {
      build: share(() => [LaunchPermission.account(ACCOUNT)], 'ami-0123456789ABCDEF0'),
      error: `AmiLaunchPermissions.imageId: 'ami-0123456789ABCDEF0' ${NOT_AMI}`,
    },
    handler: exact(() => create(LAUNCH_PERMISSIONS, lp('ami-0123456789ABCDEF0', [{ UserId: ACCOUNT }])),
      `ImageId: 'ami-0123456789ABCDEF0' ${NOT_AMI}`),
  },
  {
    name: 'AmiLaunchPermissions: image id with 16 hex characters',
    synth: {
      build: share(() => [LaunchPermission.account(ACCOUNT)], 'ami-0123456789abcdef'),
      error: `AmiLaunchPermissions.imageId: 'ami-0123456789abcdef' ${NOT_AMI}`,
    },
    handler: exact(() => create(LAUNCH_PERMISSIONS, lp('ami-0123456789abcdef', [{ UserId: ACCOUNT }])), `ImageId: 'ami-0123456789abcdef' ${NOT_AMI}`),
  },
  {
    name: 'AmiLaunchPermissions: image id without the ami- prefix',
    synth: {
      build: share(() => [LaunchPermission.account(ACCOUNT)], '0123456789abcdef0'),
      error: `AmiLaunchPermissions.imageId: '0123456789abcdef0' ${NOT_AMI}`,
    },
    handler: exact(() => create(LAUNCH_PERMISSIONS, lp('0123456789abcdef0', [{ UserId: ACCOUNT }])), `ImageId: '0123456789abcdef0' ${NOT_AMI}`),
  },
  {
    name: 'AmiImdsPolicy: empty image id',
    synth: { build: stack => { new AmiImdsPolicy(stack, 'Imds', { imageId: '' }); }, error: "AmiImdsPolicy.imageId: an AMI id is required (got '')" },
    handler: exact(() => create(IMDS_POLICY, { ImageId: '' }), "ImageId: an AMI id is required (got '')"),
  },
  {
    name: 'AmiImdsPolicy: an instance id instead of an AMI id',
    synth: {
      build: stack => { new AmiImdsPolicy(stack, 'Imds', { imageId: 'i-0123456789abcdef0' }); },
      error: `AmiImdsPolicy.imageId: 'i-0123456789abcdef0' ${NOT_AMI}`,
    },
    handler: exact(() => create(IMDS_POLICY, { ImageId: 'i-0123456789abcdef0' }), `ImageId: 'i-0123456789abcdef0' ${NOT_AMI}`),
  },
  {
    name: 'AmiImdsPolicy: image id with upper-case hex, on Update',
    synth: {
      build: stack => { new AmiImdsPolicy(stack, 'Imds', { imageId: 'ami-0123456789ABCDEF0' }); },
      error: `AmiImdsPolicy.imageId: 'ami-0123456789ABCDEF0' ${NOT_AMI}`,
    },
    handler: exact(imageId => update(IMDS_POLICY, { ImageId: 'ami-0123456789ABCDEF0' }, { ImageId: imageId }, `${imageId}/imdsSupport`),
      `ImageId: 'ami-0123456789ABCDEF0' ${NOT_AMI}`),
  },
  {
    name: 'AmiImdsPolicy: ImageId is a list, not a string',
    synth: undefined,
    handler: exact(() => create(IMDS_POLICY, { ImageId: [EXAMPLE_IMAGE_ID] }), `ImageId: ["${EXAMPLE_IMAGE_ID}"] ${NOT_AMI}`),
  },
  {
    name: 'AmiImdsPolicy: ImageId missing',
    synth: undefined,
    handler: exact(() => create(IMDS_POLICY, {}), 'ImageId: an AMI id is required (got undefined)'),
  },
  {
    name: 'AmiImdsPolicy: an extra property',
    synth: undefined,
    handler: exact(imageId => create(IMDS_POLICY, { ImageId: imageId, HttpTokens: 'required' }),
      "HttpTokens: unknown property 'HttpTokens' (expected ImageId)"),
  },
  {
    name: 'AmiDescription: image id with a trailing space',
    synth: {
      build: stack => { new AmiDescription(stack, 'Desc', { imageId: `${EXAMPLE_IMAGE_ID} `, description: 'Golden image' }); },
      error: `AmiDescription.imageId: '${EXAMPLE_IMAGE_ID} ' ${NOT_AMI}`,
    },
    handler: exact(() => create(DESCRIPTION, { ImageId: `${EXAMPLE_IMAGE_ID} `, Description: 'Golden image' }),
      `ImageId: '${EXAMPLE_IMAGE_ID} ' ${NOT_AMI}`),
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Custom::AmiDescription: the description.

function described(name: string, description: string, problem: string): BadInput {
  return {
    name,
    synth: {
      build: stack => { new AmiDescription(stack, 'Desc', { imageId: EXAMPLE_IMAGE_ID, description }); },
      error: `AmiDescription.description: ${problem}`,
    },
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId, Description: description }), `Description: ${problem}`),
  };
}

const DESCRIPTIONS: BadInput[] = [
  described('empty description', '', "a non-empty description is required (got '')"),
  described('description of 256 characters', LONG_DESCRIPTION, `'${LONG_DESCRIPTION_SHOWN}' is 256 characters long; EC2 allows at most 255`),
  described('description with a newline', 'Golden image\nCIS hardened',
    "'Golden image\\nCIS hardened' contains a control character (U+000A) at position 12"),
  described('description with a tab', 'Golden\timage', "'Golden\\timage' contains a control character (U+0009) at position 6"),
  // DEL and the C1 controls (U+0080 to U+009F) are control characters too, and must show escaped like the others.
  described('description with DEL (U+007F)', 'Golden\u007fimage', "'Golden\\u007fimage' contains a control character (U+007F) at position 6"),
  described('description with a C1 control character, NEL (U+0085)', 'Golden\u0085image',
    "'Golden\\u0085image' contains a control character (U+0085) at position 6"),
  {
    name: 'Description is a list, not a string',
    synth: undefined,
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId, Description: ['Golden image', 'CIS hardened'] }),
      'Description: a non-empty description is required (got ["Golden image","CIS hardened"])'),
  },
  {
    name: 'Description missing',
    synth: undefined,
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId }), 'Description: a non-empty description is required (got undefined)'),
  },
  {
    name: 'an Update that empties the description',
    synth: {
      build: stack => { new AmiDescription(stack, 'Desc', { imageId: EXAMPLE_IMAGE_ID, description: '' }); },
      error: "AmiDescription.description: a non-empty description is required (got '')",
    },
    handler: exact(imageId => update(DESCRIPTION, { ImageId: imageId, Description: '' }, { ImageId: imageId, Description: 'Golden image' },
      `${imageId}/description/-`), "Description: a non-empty description is required (got '')"),
  },
  {
    name: 'AmiDescription: an extra property',
    synth: undefined,
    handler: exact(imageId => create(DESCRIPTION, { ImageId: imageId, Description: 'Golden image', Name: 'golden' }),
      "Name: unknown property 'Name' (expected ImageId, Description)"),
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// The request itself.

const REQUESTS: BadInput[] = [
  {
    name: 'unknown RequestType',
    synth: undefined,
    handler: exact(imageId => ({ RequestType: 'Rollback', ResourceType: LAUNCH_PERMISSIONS, ResourceProperties: lp(imageId, [{ UserId: ACCOUNT }]) }),
      'RequestType: "Rollback" is not Create, Update or Delete'),
  },
  {
    name: 'RequestType in lower case',
    synth: undefined,
    handler: exact(imageId => ({ RequestType: 'create', ResourceType: IMDS_POLICY, ResourceProperties: { ImageId: imageId } }),
      'RequestType: "create" is not Create, Update or Delete'),
  },
  {
    name: 'RequestType missing',
    synth: undefined,
    handler: exact(imageId => ({ ResourceType: DESCRIPTION, ResourceProperties: { ImageId: imageId, Description: 'Golden image' } }),
      'RequestType: undefined is not Create, Update or Delete'),
  },
  {
    name: 'unknown ResourceType',
    synth: undefined,
    handler: exact(imageId => create('Custom::AmiLaunchPermission', lp(imageId, [{ UserId: ACCOUNT }])),
      'ResourceType: "Custom::AmiLaunchPermission" is not handled by cdk-ami-sharing'),
  },
  {
    name: 'a generic custom resource type',
    synth: undefined,
    handler: exact(imageId => create('AWS::CloudFormation::CustomResource', { ImageId: imageId, Description: 'Golden image' }),
      'ResourceType: "AWS::CloudFormation::CustomResource" is not handled by cdk-ami-sharing'),
  },
  {
    name: 'ResourceType missing',
    synth: undefined,
    handler: exact(imageId => ({ RequestType: 'Create', ResourceProperties: { ImageId: imageId } }),
      'ResourceType: undefined is not handled by cdk-ami-sharing'),
  },
];

export const BAD_INPUTS: readonly BadInput[] = [...PRINCIPALS, ...LISTS, ...ENTRIES, ...IMAGE_IDS, ...DESCRIPTIONS, ...REQUESTS, ...ENCRYPTION];
