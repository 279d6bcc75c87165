// What an enforcement run converges, decided from the deployed stack alone, and the metric document it emits.
import { foundStatePhysicalId } from '../../lambda/account-settings/found-state';
import type { DeployedStack } from '../../lambda/deployed-stack/read';
import { declarationsToEnforce, isSettled } from '../../lambda/enforcement/declarations';
import { enforcementMetricDocument } from '../../lambda/enforcement/metric';
import { describeCorrection } from '../../lambda/enforcement/run';

const HANDLED = new Set(['Custom::AmiLaunchPermissions', 'Custom::AmiDescription', 'Custom::ImageBlockPublicAccess']);
const TOKEN = { 'Fn::GetAtt': ['CdkAmiSharingHandlerFunction1234ABCD', 'Arn'] };

function deployed(resources: Record<string, any>, physicalIds: Record<string, string>, parameters: Record<string, string> = {}): DeployedStack {
  return {
    stackName: 'Golden',
    stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Golden/00000000-0000-0000-0000-000000000000',
    status: 'UPDATE_COMPLETE',
    template: { Resources: { CdkAmiSharingHandlerFunction1234ABCD: { Type: 'AWS::Lambda::Function' }, ...resources } },
    parameters,
    resources: new Map(Object.entries(physicalIds).map(([id, physicalId]) => [id, { type: resources[id]?.Type ?? '', physicalId }])),
    outputs: [],
  };
}

const share = (imageId: unknown, extra: Record<string, unknown> = {}) => ({
  Type: 'Custom::AmiLaunchPermissions',
  Properties: { ServiceToken: TOKEN, ServiceTimeout: '720', ImageId: imageId, Permissions: [{ UserId: '111122223333' }], Mode: 'EXCLUSIVE', ...extra },
  Metadata: { 'aws:cdk:path': 'Golden/Share/Resource/Default' },
});

test('a construct is converged on the AMI its physical id names, with its properties resolved and its own ServiceToken left out', () => {
  const { enforce, skipped } = declarationsToEnforce(
    deployed({ Share: share({ Ref: 'GoldenAmi' }, { Permissions: [{ UserId: { Ref: 'Account' } }] }) },
      { Share: 'ami-0aaaaaaaaaaaaaaaa/launchPermission' }, { GoldenAmi: 'ami-0aaaaaaaaaaaaaaaa', Account: '444455556666' }),
    HANDLED);
  expect(skipped).toEqual([]);
  expect(enforce).toEqual([{
    logicalId: 'Share',
    path: 'Golden/Share',
    resourceType: 'Custom::AmiLaunchPermissions',
    physicalId: 'ami-0aaaaaaaaaaaaaaaa/launchPermission',
    subject: 'ami-0aaaaaaaaaaaaaaaa',
    imageId: 'ami-0aaaaaaaaaaaaaaaa',
    properties: { ServiceTimeout: '720', ImageId: 'ami-0aaaaaaaaaaaaaaaa', Permissions: [{ UserId: '444455556666' }], Mode: 'EXCLUSIVE' },
  }]);
});

test('an Image Builder token (no output, no parameter) still works: the physical id gives the AMI', () => {
  const { enforce } = declarationsToEnforce(
    deployed({ Share: share({ 'Fn::GetAtt': ['Image', 'ImageId'] }) }, { Share: 'ami-0bbbbbbbbbbbbbbbb/launchPermission' }), HANDLED);
  expect(enforce.map(e => e.properties.ImageId)).toEqual(['ami-0bbbbbbbbbbbbbbbb']);
});

test('an account setting is converged as the account setting and Region its physical id names, with no ImageId', () => {
  const physicalId = foundStatePhysicalId('ImageBlockPublicAccess', 'eu-west-1', { state: 'unblocked' })!;
  const { enforce } = declarationsToEnforce(deployed({
    Guard: { Type: 'Custom::ImageBlockPublicAccess', Properties: { ServiceToken: TOKEN, ServiceTimeout: '720' } },
  }, { Guard: physicalId }), HANDLED);
  expect(enforce).toEqual([expect.objectContaining({
    subject: 'ImageBlockPublicAccess in eu-west-1', imageId: undefined, physicalId, properties: { ServiceTimeout: '720' },
  })]);
});

test('skipped, with the reason: never applied (a failed Create\'s physical id), a property only the deployment knows', () => {
  const { enforce, skipped } = declarationsToEnforce(deployed({
    Failed: share('ami-0aaaaaaaaaaaaaaaa'),
    FromAttribute: share('ami-0aaaaaaaaaaaaaaaa', { Permissions: [{ UserId: { 'Fn::GetAtt': ['Account', 'Id'] } }] }),
  }, { Failed: 'Failed-not-created', FromAttribute: 'ami-0aaaaaaaaaaaaaaaa/launchPermission' }), HANDLED);
  expect(enforce).toEqual([]);
  expect(skipped).toEqual([
    { logicalId: 'Failed', path: 'Golden/Share', reason: 'its physical id (Failed-not-created) is not one the handler answered with: it was never applied' },
    { logicalId: 'FromAttribute', path: 'Golden/Share', reason: expect.stringMatching(/^Permissions: only the deployment knows the value/) },
  ]);
});

test('not enforced: types the handler does not handle, and custom resources of another function', () => {
  const { enforce, skipped } = declarationsToEnforce(deployed({
    Unknown: { ...share('ami-0aaaaaaaaaaaaaaaa'), Type: 'Custom::AmiSomethingNewer' },
    Foreign: { ...share('ami-0aaaaaaaaaaaaaaaa'), Properties: { ...share('ami-0aaaaaaaaaaaaaaaa').Properties, ServiceToken: { 'Fn::GetAtt': ['Other', 'Arn'] } } },
  }, { Unknown: 'ami-0aaaaaaaaaaaaaaaa/launchPermission', Foreign: 'ami-0aaaaaaaaaaaaaaaa/launchPermission' }), HANDLED);
  expect([enforce, skipped]).toEqual([[], []]);
});

test.each([
  ['CREATE_COMPLETE', true], ['UPDATE_COMPLETE', true], ['UPDATE_ROLLBACK_COMPLETE', true], ['IMPORT_COMPLETE', true],
  ['UPDATE_IN_PROGRESS', false], ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', false], ['UPDATE_ROLLBACK_IN_PROGRESS', false],
  ['ROLLBACK_COMPLETE', false], ['DELETE_COMPLETE', false], ['CREATE_IN_PROGRESS', false], ['UPDATE_ROLLBACK_FAILED', false],
])('stack status %s: settled %s', (status, settled) => {
  expect(isSettled(status)).toBe(settled);
});

test('the correction lines say who lost and gained what, or that an attribute was set back', () => {
  expect(describeCorrection({ path: 'Golden/Share', resourceType: 'Custom::AmiLaunchPermissions' },
    { physicalResourceId: 'x', data: {}, changes: { writes: 2, removedKeys: ['UserId:777788889999'], addedKeys: ['UserId:111122223333'] } }))
    .toEqual(['Golden/Share (Custom::AmiLaunchPermissions): revoked UserId:777788889999', 'Golden/Share (Custom::AmiLaunchPermissions): granted UserId:111122223333']);
  expect(describeCorrection({ path: 'Golden/Imds', resourceType: 'Custom::AmiImdsPolicy' }, { physicalResourceId: 'x', data: {}, changes: { writes: 1 } }))
    .toEqual(['Golden/Imds (Custom::AmiImdsPolicy): set back to the declared value (1 write)']);
});

test('the metric document follows the embedded metric format: namespace, one dimension set, both metrics as counts', () => {
  expect(enforcementMetricDocument('Golden', { corrections: 2, failures: 1 }, 1_800_000_000_000)).toEqual({
    _aws: {
      Timestamp: 1_800_000_000_000,
      CloudWatchMetrics: [{
        Namespace: 'CdkAmiSharing',
        Dimensions: [['StackName']],
        Metrics: [{ Name: 'Corrections', Unit: 'Count' }, { Name: 'EnforcementFailures', Unit: 'Count' }],
      }],
    },
    StackName: 'Golden',
    Corrections: 2,
    EnforcementFailures: 1,
  });
});
