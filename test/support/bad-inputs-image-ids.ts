// The bad-input catalogue's entries for image ids, on all three resource types, and for the properties of
// Custom::AmiImdsPolicy, whose only property is its image id.
import {
  ACCOUNT, BadInput, create, DESCRIPTION, exact, EXAMPLE_IMAGE_ID, IMDS_POLICY, LAUNCH_PERMISSIONS, lp, share, update,
} from './bad-inputs-builders';
import { AmiDescription, AmiImdsPolicy, LaunchPermission } from '../../src';

const NOT_AMI = 'is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)';

export const IMAGE_IDS: BadInput[] = [
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
