// The bad-input catalogue's entries for the request itself: a RequestType or ResourceType that is missing, misspelled
// or not this library's.
import { ACCOUNT, BadInput, create, DESCRIPTION, exact, IMDS_POLICY, LAUNCH_PERMISSIONS, lp } from './bad-inputs-builders';

export const REQUESTS: BadInput[] = [
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
