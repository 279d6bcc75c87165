// integ-runner test, snapshot-only here (no AWS account): `npx projen integ` verifies the committed snapshot,
// `npx projen integ:update` rewrites it without deploying. With credentials, `integ-runner` would deploy it for real.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AmiLaunchPermissions, LaunchPermission, LaunchPermissionMode } from '../src';

const app = new App();
const stack = new Stack(app, 'AmiSharingInteg');

new AmiLaunchPermissions(stack, 'Additive', {
  imageId: 'ami-0123456789abcdef0',
  permissions: [
    LaunchPermission.account('111122223333'),
    LaunchPermission.organization('arn:aws:organizations::123456789012:organization/o-abcdefghij'),
  ],
});
const exclusive = new AmiLaunchPermissions(stack, 'Exclusive', {
  imageId: 'ami-0fedcba9876543210',
  permissions: [LaunchPermission.organizationalUnit('arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij')],
  mode: LaunchPermissionMode.EXCLUSIVE,
});
exclusive.applyRemovalPolicy(RemovalPolicy.RETAIN);

new IntegTest(app, 'AmiSharing', { testCases: [stack] });
