// The bad-input catalogue's entries for the principals of Custom::AmiLaunchPermissions: each one on its own (account
// ids, organization and OU ARNs, and one kind passed as another), then the list as a whole (duplicates, EC2's quota).
import { ACCOUNT, BadInput, exact, ORG, OU, share, shareEvent } from './bad-inputs-builders';
import { LaunchPermission } from '../../src';

export const NOT_ACCOUNT = 'is not a 12-digit AWS account id';
const NOT_ORG = 'is not an organization ARN (arn:<partition>:organizations::<12-digit management account>:organization/o-<10 to 32 '
  + 'lowercase letters or digits>)';
const NOT_OU = 'is not an organizational unit ARN (arn:<partition>:organizations::<12-digit management account>:ou/o-<org id>/ou-'
  + '<root id>-<ou id>)';
const QUOTA = "accounts, organizations and OUs exceed EC2's quota of 1000 sharing entities per AMI";

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

export const PRINCIPALS: BadInput[] = [
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

export const LISTS: BadInput[] = [
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
