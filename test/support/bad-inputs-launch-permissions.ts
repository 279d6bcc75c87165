// The bad-input catalogue's entries for the rest of a Custom::AmiLaunchPermissions event: the shape of Permissions and
// its entries, Mode, and the properties themselves (which the typed API cannot express), then two Updates to a bad
// declaration.
import { ACCOUNT, BadInput, create, exact, LAUNCH_PERMISSIONS, lp, share, shareEvent, update } from './bad-inputs-builders';
import { NOT_ACCOUNT } from './bad-inputs-principals';
import { LaunchPermission } from '../../src';

const OTHER_ACCOUNT = '444455556666';
const FIELDS = 'UserId, Group, OrganizationArn, OrganizationalUnitArn';
const NOT_MODE = 'is not a launch permission mode (ADDITIVE or EXCLUSIVE)';
const NOT_GROUP = "is not a launch permission group (the only group is 'all', which makes the AMI public)";

export const ENTRIES: BadInput[] = [
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
      "Principals: unknown property 'Principals' (expected ImageId, Permissions, Mode, EncryptionKeys, AllowCopy, KeysSharedElsewhere, SupersededImages)"),
  },
  {
    name: 'ImageId misspelled as ImageID',
    synth: undefined,
    handler: exact(imageId => create(LAUNCH_PERMISSIONS, { ImageID: imageId, Permissions: [{ UserId: ACCOUNT }], Mode: 'ADDITIVE' }),
      "2 problems: ImageID: unknown property 'ImageID' (expected ImageId, Permissions, Mode, EncryptionKeys, AllowCopy, KeysSharedElsewhere, SupersededImages); ImageId: an AMI id is required (got undefined)"),
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
