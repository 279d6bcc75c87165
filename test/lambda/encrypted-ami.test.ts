// Encrypted AMIs in the handler, with EC2 and KMS mocked as small live stores: the pre-flight (aws/ebs, undeclared
// keys, public sharing of encrypted or watermarked AMIs), KMS grants on imported keys, snapshot createVolumePermission,
// their moves on Update, their revocation on Delete, and the undo of an image change that fails.
import {
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateGrantCommand, DescribeKeyCommand, ListGrantsCommand, RevokeGrantCommand } from '@aws-sdk/client-kms';
import 'aws-sdk-client-mock-jest';
import { GRANT_OPERATIONS_FOR_EBS } from '../../lambda/encryption/operations';
import { encryptionProblems } from '../../lambda/encryption/preflight';
import { GRANT_OPERATIONS } from '../../src/handler/encryption-access';
import { awsError, useMockedHandler } from '../support/mocked-ec2';

const { ec2, kms, cfn } = useMockedHandler();
const IMAGE = 'ami-0123456789abcdef0';
const NEW_IMAGE = 'ami-0fedcba9876543210';
const OWNER = '123456789012';
const KEY = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${OWNER}:key/5678abcd-12ab-34cd-56ef-1234567890ab`;
const AWS_EBS = `arn:aws:kms:us-east-1:${OWNER}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;
const A = '111111111111';
const B = '222222222222';
const ORG = 'arn:aws:organizations::123456789012:organization/o-abcdefghij';

interface Fake {
  perms: Map<string, string[]>;
  snapshotPerms: Map<string, string[]>;
  grants: Array<{ KeyId: string; GrantId: string; Name: string; GranteePrincipal: string }>;
}

/** EC2 and KMS as live stores. Each image has one snapshot `snap-<image hex>` encrypted with `keyOf(image)`. */
function fake(keyOf: (image: string) => string | undefined, opts: { watermark?: boolean } = {}): Fake {
  const state: Fake = { perms: new Map(), snapshotPerms: new Map(), grants: [] };
  const snap = (image: string) => `snap-${image.slice(4)}`;
  ec2.on(DescribeImagesCommand).callsFake(input => ({
    Images: input.ImageIds.map((ImageId: string) => ({
      ImageId,
      OwnerId: OWNER,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snap(ImageId), Encrypted: keyOf(ImageId) !== undefined } }],
      ImageWatermarks: opts.watermark ? [{ WatermarkKey: `${OWNER}:approved` }] : undefined,
    })),
  }));
  ec2.on(DescribeSnapshotsCommand).callsFake(input => ({
    Snapshots: input.SnapshotIds.map((id: string) => ({ SnapshotId: id, Encrypted: true, KmsKeyId: keyOf(`ami-${id.slice(5)}`) })),
  }));
  ec2.on(DescribeImageAttributeCommand).callsFake(input => ({
    LaunchPermissions: (state.perms.get(input.ImageId) ?? []).map(UserId => ({ UserId })),
  }));
  ec2.on(ModifyImageAttributeCommand).callsFake(input => {
    const live = state.perms.get(input.ImageId) ?? [];
    const removed = (input.LaunchPermission.Remove ?? []).map((p: any) => p.UserId);
    const added = (input.LaunchPermission.Add ?? []).map((p: any) => p.UserId);
    state.perms.set(input.ImageId, [...live.filter(a => !removed.includes(a)), ...added.filter((a: string) => !live.includes(a))]);
    return {};
  });
  ec2.on(DescribeSnapshotAttributeCommand).callsFake(input => ({
    CreateVolumePermissions: (state.snapshotPerms.get(input.SnapshotId) ?? []).map(UserId => ({ UserId })),
  }));
  ec2.on(ModifySnapshotAttributeCommand).callsFake(input => {
    const live = state.snapshotPerms.get(input.SnapshotId) ?? [];
    const p = input.CreateVolumePermission;
    if (p.Add && p.Remove) throw awsError('InvalidParameterCombination');
    const removed = (p.Remove ?? []).map((x: any) => x.UserId);
    state.snapshotPerms.set(input.SnapshotId, [...live.filter(a => !removed.includes(a)), ...(p.Add ?? []).map((x: any) => x.UserId)]);
    return {};
  });
  kms.on(DescribeKeyCommand).callsFake(input => ({ KeyMetadata: { KeyId: input.KeyId, KeyManager: input.KeyId === AWS_EBS ? 'AWS' : 'CUSTOMER' } }));
  kms.on(ListGrantsCommand).callsFake(input => ({ Grants: state.grants.filter(g => g.KeyId === input.KeyId), Truncated: false }));
  kms.on(CreateGrantCommand).callsFake(input => {
    const GrantId = `grant-${state.grants.length + 1}`;
    state.grants.push({ KeyId: input.KeyId, GrantId, Name: input.Name, GranteePrincipal: input.GranteePrincipal });
    return { GrantId };
  });
  kms.on(RevokeGrantCommand).callsFake(input => {
    state.grants = state.grants.filter(g => !(g.KeyId === input.KeyId && g.GrantId === input.GrantId));
    return {};
  });
  return state;
}

const event = (RequestType: string, props: object, extra: object = {}) => ({
  RequestType, LogicalResourceId: 'Share', ResourceType: 'Custom::AmiLaunchPermissions', ResourceProperties: props, ...extra,
}) as any;
const props = (accounts: string[], extra: object = {}, image = IMAGE) => ({
  ImageId: image, Permissions: accounts.map(UserId => ({ UserId })), Mode: 'ADDITIVE', ...extra,
});
const imported = (arn = KEY) => ({ EncryptionKeys: [{ KeyArn: arn, SharedBy: 'GRANTS' }] });
const grantsOf = (state: Fake) => state.grants.map(g => `${g.GranteePrincipal.split(':')[4]} ${g.KeyId === KEY ? 'KEY' : g.KeyId} ${g.Name}`).sort();
const writes = () => [
  ...ec2.calls().map(c => c.args[0].constructor.name).filter(n => /^Modify/.test(n)),
  ...kms.calls().map(c => c.args[0].constructor.name).filter(n => /^(Create|Revoke)Grant/.test(n)),
];

test('the grant operations the handler asks for are the ones its IAM policy allows', () => {
  expect(GRANT_OPERATIONS_FOR_EBS).toEqual(GRANT_OPERATIONS);
});

describe('pre-flight', () => {
  const facts = (keys: Record<string, string | undefined>) => ({
    ownerId: OWNER,
    productCodes: [],
    watermarks: [],
    snapshots: Object.keys(keys).map(snapshotId => ({ snapshotId, encrypted: true })),
    snapshotKeys: new Map(Object.entries(keys)),
  });

  test('decides from the snapshots\' keys alone: declared passes, aws/ebs always fails, undeclared fails unless shared elsewhere', () => {
    const declared = { encryptionKeys: [{ KeyArn: KEY, SharedBy: 'GRANTS' as const }], keysSharedElsewhere: false };
    expect(encryptionProblems(IMAGE, facts({ 'snap-1': KEY, 'snap-2': undefined }), declared, new Map())).toEqual([]);
    expect(encryptionProblems(IMAGE, facts({ 'snap-1': OTHER_KEY }), declared, new Map([[OTHER_KEY, 'CUSTOMER']]))[0])
      .toMatch(/^EncryptionKeys: ami-0123456789abcdef0 is encrypted with KMS key .*5678abcd.* \(snapshots snap-1\), which is not among encryptionKeys/);
    expect(encryptionProblems(IMAGE, facts({ 'snap-1': OTHER_KEY }), { ...declared, keysSharedElsewhere: true }, new Map())).toEqual([]);
    expect(encryptionProblems(IMAGE, facts({ 'snap-1': AWS_EBS }), { ...declared, keysSharedElsewhere: true }, new Map([[AWS_EBS, 'AWS']])))
      .toEqual([expect.stringMatching(/^ImageId: ami-0123456789abcdef0 is encrypted with the AWS-managed key .* Copy the AMI with a customer-managed key/)]);
  });

  test('an AMI encrypted with aws/ebs: FAILED saying what to do, with no EC2 or KMS write, even with keysSharedElsewhere', async () => {
    fake(() => AWS_EBS);
    const answer = await cfn().send(event('Create', props([A], { KeysSharedElsewhere: 'true' })));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain('(aws ec2 copy-image --encrypted --kms-key-id <key>)');
    expect(writes()).toEqual([]);
  });

  test('an undeclared customer-managed key: FAILED naming it; with keysSharedElsewhere: SUCCESS', async () => {
    fake(() => OTHER_KEY);
    const answer = await cfn().send(event('Create', props([A], imported())));
    expect(answer.Reason).toContain(`encrypted with KMS key ${OTHER_KEY} (snapshots snap-0123456789abcdef0), which is not among encryptionKeys`);
    expect(writes()).toEqual([]);
    expect(await cfn().send(event('Create', props([A], { KeysSharedElsewhere: 'true' })))).toMatchObject({ Status: 'SUCCESS' });
  });

  test('public access on an encrypted or watermarked AMI: FAILED before any write', async () => {
    fake(() => KEY);
    ec2.on(GetImageBlockPublicAccessStateCommand).resolves({ ImageBlockPublicAccessState: 'unblocked' });
    const encrypted = await cfn().send(event('Create', { ImageId: IMAGE, Permissions: [{ Group: 'all' }], Mode: 'ADDITIVE' }));
    expect(encrypted.Reason).toBe(`Permissions: LaunchPermission.publicAccess() cannot make ${IMAGE} public: its snapshots snap-0123456789abcdef0 `
      + 'are encrypted, and EC2 never makes an AMI with encrypted snapshots public. Share it with accounts, organizations or OUs instead.');
    fake(() => undefined, { watermark: true });
    const watermarked = await cfn().send(event('Create', { ImageId: IMAGE, Permissions: [{ Group: 'all' }], Mode: 'ADDITIVE' }));
    expect(watermarked.Reason).toMatch(/cannot make .* public: it carries the watermark 123456789012:approved/);
    expect(writes()).toEqual([]);
  });

  test('an unencrypted AMI: one DescribeImages, no DescribeSnapshots, no KMS call', async () => {
    fake(() => undefined);
    expect(await cfn().send(event('Create', props([A])))).toMatchObject({ Status: 'SUCCESS' });
    expect(ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
    expect(ec2).toHaveReceivedCommandTimes(DescribeSnapshotsCommand, 0);
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('an imported key: grants', () => {
  test('Create grants each account the EBS operations, named after the AMI; accounts dropped lose theirs; Delete revokes all', async () => {
    const state = fake(() => KEY);
    expect(await cfn().send(event('Create', props([A, B], imported())))).toMatchObject({ Status: 'SUCCESS' });
    expect(kms).toHaveReceivedCommandWith(CreateGrantCommand, {
      KeyId: KEY, GranteePrincipal: `arn:aws:iam::${A}:root`, Operations: GRANT_OPERATIONS_FOR_EBS as any, Name: `cdk-ami-sharing-${IMAGE}`,
    });
    expect(grantsOf(state)).toEqual([`${A} KEY cdk-ami-sharing-${IMAGE}`, `${B} KEY cdk-ami-sharing-${IMAGE}`]);
    expect(state.perms.get(IMAGE)).toEqual([A, B]);

    // Someone else's grant on the same key, under another name, is never touched.
    state.grants.push({ KeyId: KEY, GrantId: 'theirs', Name: 'other', GranteePrincipal: `arn:aws:iam::${B}:root` });
    const physical = { PhysicalResourceId: `${IMAGE}/launchPermission` };
    expect(await cfn().send(event('Update', props([A], imported()), { ...physical, OldResourceProperties: props([A, B], imported()) })))
      .toMatchObject({ Status: 'SUCCESS' });
    expect(grantsOf(state)).toEqual([`${A} KEY cdk-ami-sharing-${IMAGE}`, `${B} KEY other`]);

    expect(await cfn().send(event('Delete', props([A], imported()), physical))).toMatchObject({ Status: 'SUCCESS' });
    expect(grantsOf(state)).toEqual([`${B} KEY other`]);
    expect(state.perms.get(IMAGE)).toEqual([]);
  });

  test('organizations with an imported key are refused with the key-policy statement to add, before any call', async () => {
    fake(() => KEY);
    const answer = await cfn().send(event('Create', { ImageId: IMAGE, Permissions: [{ OrganizationArn: ORG }], Mode: 'ADDITIVE', ...imported() }));
    expect(answer.Reason).toContain('"aws:PrincipalOrgID":["o-abcdefghij"]');
    expect(ec2.calls()).toHaveLength(0);
    expect(kms.calls()).toHaveLength(0);
  });

  test('an image change that fails on the new AMI undoes its grants there; the old AMI keeps its own', async () => {
    const state = fake(image => (image === IMAGE ? KEY : KEY));
    expect(await cfn().send(event('Create', props([A], imported())))).toMatchObject({ Status: 'SUCCESS' });
    ec2.on(ModifyImageAttributeCommand).rejects(awsError('UnauthorizedOperation', 'not authorized'));
    const answer = await cfn().send(event('Update', props([A], imported(), NEW_IMAGE),
      { PhysicalResourceId: `${IMAGE}/launchPermission`, OldResourceProperties: props([A], imported()) }));
    expect(answer.Reason).toMatch(/This request's 1 write to ami-0fedcba9876543210 was undone$/);
    expect(grantsOf(state)).toEqual([`${A} KEY cdk-ami-sharing-${IMAGE}`]);
  });
});

describe('allowCopy: snapshot createVolumePermission', () => {
  test('on, then off, then on again with an image change, then Delete', async () => {
    const state = fake(() => undefined);
    const snap = 'snap-0123456789abcdef0';
    const physical = { PhysicalResourceId: `${IMAGE}/launchPermission` };
    expect(await cfn().send(event('Create', props([A, B], { AllowCopy: 'true' })))).toMatchObject({ Status: 'SUCCESS' });
    expect(state.snapshotPerms.get(snap)).toEqual([A, B]);
    expect(ec2).toHaveReceivedCommandWith(ModifySnapshotAttributeCommand, {
      SnapshotId: snap, Attribute: 'createVolumePermission', CreateVolumePermission: { Add: [{ UserId: A }, { UserId: B }] },
    });

    expect(await cfn().send(event('Update', props([A, B]), { ...physical, OldResourceProperties: props([A, B], { AllowCopy: 'true' }) })))
      .toMatchObject({ Status: 'SUCCESS' });
    expect(state.snapshotPerms.get(snap)).toEqual([]);
    expect(state.perms.get(IMAGE)).toEqual([A, B]);

    expect(await cfn().send(event('Update', props([A], { AllowCopy: 'true' }, NEW_IMAGE), { ...physical, OldResourceProperties: props([A, B]) })))
      .toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: `${NEW_IMAGE}/launchPermission` });
    expect(state.snapshotPerms.get('snap-0fedcba9876543210')).toEqual([A]);

    expect(await cfn().send(event('Delete', props([A], { AllowCopy: 'true' }, NEW_IMAGE), { PhysicalResourceId: `${NEW_IMAGE}/launchPermission` })))
      .toMatchObject({ Status: 'SUCCESS' });
    expect(state.snapshotPerms.get('snap-0fedcba9876543210')).toEqual([]);
  });

  test('organizations with allowCopy are refused before any call', async () => {
    const answer = await cfn().send(event('Create', { ImageId: IMAGE, Permissions: [{ OrganizationArn: ORG }], Mode: 'ADDITIVE', AllowCopy: 'true' }));
    expect(answer.Reason).toMatch(/^Permissions\[0\]: AllowCopy cannot share snapshots with .*: EC2 shares snapshots with accounts only/);
    expect(ec2.calls()).toHaveLength(0);
  });
});
