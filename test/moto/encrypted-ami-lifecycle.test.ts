// Encrypted AMIs end to end against moto through the EC2 peer (which keeps what moto forgets: block device mappings,
// snapshot keys, aws/ebs as an AWS-managed key) and with the handler reaching KMS through the peer as well. After every
// step: the launch permissions, the key grants, the snapshot permissions, and the exact EC2 and KMS calls it made.
import { DescribeImagesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DeclaredResource } from '../support/cfn-simulator';
import { createEncryptedImage, createKey, kmsClient, liveGrants, liveSnapshotAccounts } from '../support/encrypted-images';
import { livePermissions } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { createImage } from '../support/images';

const A = '111122223333';
const B = '444455556666';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';

const env = useHandlerEnvironment();

function share(imageId: string, permissions: object[], extra: object = {}): Record<string, DeclaredResource> {
  return { Share: { Type: 'Custom::AmiLaunchPermissions', Properties: { ImageId: imageId, Permissions: permissions, Mode: 'ADDITIVE', ...extra } } };
}
const accounts = (...ids: string[]) => ids.map(UserId => ({ UserId }));

/** The calls the handler made since the log was last cleared (the test's own reads are made after), then forgets them. */
function calls(): Record<string, number> {
  const counts = env.peer.countByAction();
  env.peer.clearLog();
  return counts;
}

test('the peer keeps what moto forgets: the mapping of an encrypted snapshot, and its key', async () => {
  const kms = kmsClient(env.peer.endpoint);
  const key = await createKey(kms);
  const { imageId, snapshotId } = await createEncryptedImage(env.ec2, key);
  const image = (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0];
  expect(image.BlockDeviceMappings).toEqual([
    expect.objectContaining({ DeviceName: '/dev/xvda', Ebs: expect.objectContaining({ SnapshotId: snapshotId, Encrypted: true }) }),
  ]);
  const snapshot = (await env.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0];
  expect([snapshot.Encrypted, snapshot.KmsKeyId]).toEqual([true, key]);
  kms.destroy();
});

test('an imported key: accounts added and dropped, allowCopy on, off and on, image change, Delete', async () => {
  const kms = kmsClient(env.peer.endpoint);
  const key = await createKey(kms);
  const keys = { EncryptionKeys: [{ KeyArn: key, SharedBy: 'GRANTS' }] };
  const first = await createEncryptedImage(env.ec2, key);
  const cfn = env.simulator();
  env.peer.clearLog();

  // Create: two accounts, allowCopy.
  expect(await cfn.deploy(share(first.imageId, accounts(A, B), { ...keys, AllowCopy: 'true' }))).toBeUndefined();
  expect(calls()).toEqual({
    DescribeImageAttribute: 2,
    DescribeImages: 1,
    DescribeSnapshots: 1,
    ListGrants: 2,
    CreateGrant: 2,
    DescribeSnapshotAttribute: 2,
    ModifySnapshotAttribute: 1,
    ModifyImageAttribute: 1,
  });
  const name = `cdk-ami-sharing-${first.imageId}`;
  expect(await livePermissions(env.ec2, first.imageId)).toEqual([`UserId:${A}`, `UserId:${B}`]);
  expect(await liveGrants(kms, key)).toEqual([`${A} ${name}`, `${B} ${name}`]);
  expect(await liveSnapshotAccounts(env.ec2, first.snapshotId)).toEqual([A, B]);

  // Update: B dropped, allowCopy off: B loses all three, A keeps launch and key, loses copy.
  env.peer.clearLog();
  expect(await cfn.deploy(share(first.imageId, accounts(A), keys))).toBeUndefined();
  expect(calls()).toEqual({
    DescribeImageAttribute: 2,
    DescribeImages: 1,
    DescribeSnapshots: 1,
    ListGrants: 2,
    RevokeGrant: 1,
    DescribeSnapshotAttribute: 2,
    ModifySnapshotAttribute: 1,
    ModifyImageAttribute: 1,
  });
  expect(await livePermissions(env.ec2, first.imageId)).toEqual([`UserId:${A}`]);
  expect(await liveGrants(kms, key)).toEqual([`${A} ${name}`]);
  expect(await liveSnapshotAccounts(env.ec2, first.snapshotId)).toEqual([]);

  // Update: allowCopy on again.
  env.peer.clearLog();
  expect(await cfn.deploy(share(first.imageId, accounts(A), { ...keys, AllowCopy: 'true' }))).toBeUndefined();
  expect(calls()).toEqual({
    DescribeImageAttribute: 1, DescribeImages: 1, DescribeSnapshots: 1, ListGrants: 1, DescribeSnapshotAttribute: 2, ModifySnapshotAttribute: 1,
  });
  expect(await liveSnapshotAccounts(env.ec2, first.snapshotId)).toEqual([A]);

  // Image change: all three move to the new AMI (Update), then leave the old one (cleanup Delete).
  const second = await createEncryptedImage(env.ec2, key);
  env.peer.clearLog();
  expect(await cfn.deploy(share(second.imageId, accounts(A), { ...keys, AllowCopy: 'true' }))).toBeUndefined();
  expect(calls()).toEqual({
    DescribeImageAttribute: 4,
    DescribeImages: 2,
    DescribeSnapshots: 1,
    ListGrants: 4,
    CreateGrant: 1,
    RevokeGrant: 1,
    DescribeSnapshotAttribute: 4,
    ModifySnapshotAttribute: 2,
    ModifyImageAttribute: 2,
  });
  expect(await livePermissions(env.ec2, second.imageId)).toEqual([`UserId:${A}`]);
  expect(await livePermissions(env.ec2, first.imageId)).toEqual([]);
  expect(await liveGrants(kms, key)).toEqual([`${A} cdk-ami-sharing-${second.imageId}`]);
  expect(await liveSnapshotAccounts(env.ec2, second.snapshotId)).toEqual([A]);
  expect(await liveSnapshotAccounts(env.ec2, first.snapshotId)).toEqual([]);

  // Delete: all three revoked.
  env.peer.clearLog();
  expect(await cfn.destroy()).toBeUndefined();
  expect(calls()).toEqual({
    DescribeImageAttribute: 2,
    ModifyImageAttribute: 1,
    ListGrants: 2,
    RevokeGrant: 1,
    DescribeImages: 1,
    DescribeSnapshotAttribute: 2,
    ModifySnapshotAttribute: 1,
  });
  expect(await livePermissions(env.ec2, second.imageId)).toEqual([]);
  expect(await liveGrants(kms, key)).toEqual([]);
  expect(await liveSnapshotAccounts(env.ec2, second.snapshotId)).toEqual([]);
  kms.destroy();
});

test('a key shared by its key policy (in-app): the handler checks the AMI and calls KMS not at all', async () => {
  const kms = kmsClient(env.peer.endpoint);
  const key = await createKey(kms);
  const { imageId } = await createEncryptedImage(env.ec2, key);
  env.peer.clearLog();
  const cfn = env.simulator();
  expect(await cfn.deploy(share(imageId, [{ UserId: A }, { OrganizationArn: ORG }], { EncryptionKeys: [{ KeyArn: key, SharedBy: 'KEY_POLICY' }] })))
    .toBeUndefined();
  expect(calls()).toEqual({ DescribeImageAttribute: 2, DescribeImages: 1, DescribeSnapshots: 1, ModifyImageAttribute: 1 });
  expect(await liveGrants(kms, key)).toEqual([]);
  kms.destroy();
});

test('aws/ebs: FAILED with what to do, and not a single write', async () => {
  const { imageId } = await createEncryptedImage(env.ec2, undefined);
  env.peer.clearLog();
  const answer = await env.simulator().deploy(share(imageId, accounts(A), { KeysSharedElsewhere: 'true' }));
  expect(answer?.Reason).toMatch(new RegExp(`^ImageId: ${imageId} is encrypted with the AWS-managed key arn:aws:kms:us-east-1:\\d{12}:key/.* \\(aws/ebs; `));
  expect(env.peer.writes()).toEqual([]);
  expect(calls()).toEqual({ DescribeImageAttribute: 1, DescribeImages: 1, DescribeSnapshots: 1, DescribeKey: 1 });
});

test('publicAccess() on an encrypted AMI: FAILED, and not a single write', async () => {
  const kms = kmsClient(env.peer.endpoint);
  const { imageId, snapshotId } = await createEncryptedImage(env.ec2, await createKey(kms));
  env.peer.clearLog();
  const answer = await env.simulator().deploy(share(imageId, [{ Group: 'all' }]));
  expect(answer?.Reason).toBe(`Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: its snapshots ${snapshotId} are encrypted, `
    + 'and EC2 never makes an AMI with encrypted snapshots public. Share it with accounts, organizations or OUs instead.');
  expect(env.peer.writes()).toEqual([]);
  kms.destroy();
});

test('publicAccess() on a watermarked AMI: FAILED, and not a single write', async () => {
  const imageId = await createImage(env.ec2);
  env.peer.encryption.setWatermark(imageId, '123456789012:approved');
  const described = (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0];
  expect(described.ImageWatermarks?.map(w => w.WatermarkKey)).toEqual(['123456789012:approved']);
  env.peer.clearLog();
  const answer = await env.simulator().deploy(share(imageId, [{ Group: 'all' }]));
  expect(answer?.Reason).toBe(`Permissions: LaunchPermission.publicAccess() cannot make ${imageId} public: it carries the watermark `
    + '123456789012:approved, and EC2 never makes a watermarked AMI public. Share it with accounts or organizations instead.');
  expect(env.peer.writes()).toEqual([]);
});

// The KeyGrants and SnapshotSharing policies can be as new as the deployment: their first reads are denied until IAM
// has applied them (KMS: AccessDeniedException, HTTP 400; EC2: UnauthorizedOperation, HTTP 403).
test.each([
  ['ListGrants', 400],
  ['DescribeSnapshotAttribute', 403],
])('%s denied for 2.5 s while IAM applies a new policy: waited out, then one write each', async (action, status) => {
  const kms = kmsClient(env.peer.endpoint);
  const key = await createKey(kms);
  const { imageId, snapshotId } = await createEncryptedImage(env.ec2, key);
  const cfn = env.simulator();
  env.peer.clearLog();
  env.peer.injectFaults({ deniedForMs: 2_500, actions: [action as string] });

  expect(await cfn.deploy(share(imageId, accounts(A), { EncryptionKeys: [{ KeyArn: key, SharedBy: 'GRANTS' }], AllowCopy: 'true' }))).toBeUndefined();

  const denied = env.peer.requests.filter(r => r.injected === 'denied');
  expect(denied.length).toBeGreaterThanOrEqual(2);
  expect(denied.every(r => r.action === action && r.status === status)).toBe(true);
  expect(env.peer.countByAction()).toMatchObject({ CreateGrant: 1, ModifySnapshotAttribute: 1, ModifyImageAttribute: 1 });
  expect(await liveGrants(kms, key)).toEqual([`${A} cdk-ami-sharing-${imageId}`]);
  expect(await liveSnapshotAccounts(env.ec2, snapshotId)).toEqual([A]);
  expect(await livePermissions(env.ec2, imageId)).toEqual([`UserId:${A}`]);
  env.peer.clearFaults();
  kms.destroy();
});
