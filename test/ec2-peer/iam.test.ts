// The EC2 test peer's IAM enforcement: identity policies evaluated by @cloud-copilot/iam-simulate on every request.
import {
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeTagsCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer } from './peer-fixture';
import { createImage } from '../support/images';

const f = usePeer();
const { attribute, launchPermissions, shareWith } = f;
const ACCOUNT = '111122223333';

const imageArn = (imageId: string) => `arn:aws:ec2:us-east-1::image/${imageId}`;
const ATTRIBUTE_ACTIONS = ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'];
const policy = (name: string, ...statements: object[]) => ({ name, document: { Version: '2012-10-17', Statement: statements } });
const allow = (action: string | string[], resource: string | string[], extra: object = {}) => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });

/** Tags an image through moto itself, as someone else in the account would. */
async function tag(imageId: string, key: string, value: string) {
  await f.ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: [{ Key: key, Value: value }] }));
}

test('a granted image is allowed; another is refused with UnauthorizedOperation (403), recorded with its verdict, not applied', async () => {
  const [granted, other] = [await createImage(f.ec2), await createImage(f.ec2)];
  f.peer.enforceIdentityPolicies([policy('ImageAccess', allow(ATTRIBUTE_ACTIONS, imageArn(granted)))]);

  await shareWith(granted, ACCOUNT);
  expect(await launchPermissions(granted)).toEqual([{ UserId: ACCOUNT }]);
  const err = await failure(shareWith(other, ACCOUNT));
  expect(err.name).toBe('UnauthorizedOperation');
  expect(err.$metadata?.httpStatusCode).toBe(403);
  expect((await failure(launchPermissions(other))).name).toBe('UnauthorizedOperation');

  expect(f.peer.requests.filter(r => r.injected === 'iam').map(r => [r.action, r.iam])).toEqual([
    ['ModifyImageAttribute', [expect.objectContaining({ action: 'ec2:ModifyImageAttribute', resource: imageArn(other), result: 'ImplicitlyDenied' })]],
    ['DescribeImageAttribute', [expect.objectContaining({ action: 'ec2:DescribeImageAttribute', resource: imageArn(other), result: 'ImplicitlyDenied' })]],
  ]);
  expect(f.peer.iamVerdicts().map(v => `${v.action} ${v.resource} ${v.result}`)).toEqual([
    `ec2:ModifyImageAttribute ${imageArn(granted)} Allowed`,
    `ec2:DescribeImageAttribute ${imageArn(granted)} Allowed`,
    `ec2:ModifyImageAttribute ${imageArn(other)} ImplicitlyDenied`,
    `ec2:DescribeImageAttribute ${imageArn(other)} ImplicitlyDenied`,
  ]);

  f.peer.enforceIdentityPolicies(undefined);
  expect(await launchPermissions(other)).toEqual([]);
});

test('a condition on aws:ResourceTag/owner allows only the image whose live tag matches', async () => {
  const [tagged, untagged, wrongValue] = [await createImage(f.ec2), await createImage(f.ec2), await createImage(f.ec2)];
  await tag(tagged, 'owner', 'x');
  await tag(wrongValue, 'owner', 'y');
  f.peer.enforceIdentityPolicies([policy('Tagged', allow(ATTRIBUTE_ACTIONS, 'arn:aws:ec2:*::image/*', {
    Condition: { StringEquals: { 'aws:ResourceTag/owner': 'x' } },
  }))]);

  await shareWith(tagged, ACCOUNT);
  expect((await failure(shareWith(untagged, ACCOUNT))).name).toBe('UnauthorizedOperation');
  expect((await failure(shareWith(wrongValue, ACCOUNT))).name).toBe('UnauthorizedOperation');
  expect(f.peer.iamVerdicts()[0].context).toMatchObject({ 'aws:ResourceTag/owner': 'x', 'ec2:ImageID': tagged });

  // The tags are read live: tagging the image (through moto, as another principal could) lets the handler in.
  f.peer.enforceIdentityPolicies(undefined);
  await tag(untagged, 'owner', 'x');
  f.peer.enforceIdentityPolicies([policy('Tagged', allow(ATTRIBUTE_ACTIONS, 'arn:aws:ec2:*::image/*', {
    Condition: { StringEquals: { 'aws:ResourceTag/owner': 'x' } },
  }))]);
  await shareWith(untagged, ACCOUNT);
});

test('an explicit Deny wins over an Allow', async () => {
  const [kept, denied] = [await createImage(f.ec2), await createImage(f.ec2)];
  f.peer.enforceIdentityPolicies([
    policy('AllImages', allow(ATTRIBUTE_ACTIONS, 'arn:aws:ec2:*::image/*')),
    policy('NotThisOne', { Effect: 'Deny', Action: 'ec2:ModifyImageAttribute', Resource: imageArn(denied) }),
  ]);

  await shareWith(kept, ACCOUNT);
  expect((await failure(shareWith(denied, ACCOUNT))).name).toBe('UnauthorizedOperation');
  expect(f.peer.iamVerdicts().map(v => v.result)).toEqual(['Allowed', 'ExplicitlyDenied']);
  expect(await launchPermissions(denied)).toEqual([]); // the Deny names only the write
});

test('actions without resource-level permissions are asked on \'*\', so only a Resource \'*\' grants them', async () => {
  const imageId = await createImage(f.ec2);
  const reads = ['ec2:DescribeImages', 'ec2:GetImageBlockPublicAccessState'];
  f.peer.enforceIdentityPolicies([policy('ScopedReads', allow(reads, imageArn(imageId)))]);
  expect((await failure(f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })))).name).toBe('UnauthorizedOperation');
  expect((await failure(f.ec2.send(new GetImageBlockPublicAccessStateCommand({})))).name).toBe('UnauthorizedOperation');
  expect(f.peer.iamVerdicts().map(v => `${v.action} ${v.resource} ${v.result}`)).toEqual([
    'ec2:DescribeImages * ImplicitlyDenied',
    'ec2:GetImageBlockPublicAccessState * ImplicitlyDenied',
  ]);

  f.peer.enforceIdentityPolicies([policy('Reads', allow(reads, '*'))]);
  expect((await f.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.map(i => i.ImageId)).toEqual([imageId]);
  expect((await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState).toBe('unblocked');
});

test('undefined policies (the default, and after reset) enforce nothing and record no verdicts', async () => {
  const imageId = await createImage(f.ec2);
  f.peer.enforceIdentityPolicies([]);
  expect((await failure(shareWith(imageId, ACCOUNT))).name).toBe('UnauthorizedOperation');

  f.peer.enforceIdentityPolicies(undefined);
  await shareWith(imageId, ACCOUNT);
  f.peer.enforceIdentityPolicies([]);
  await f.peer.reset();
  const again = await createImage(f.ec2);
  await shareWith(again, ACCOUNT);
  expect(f.peer.requests.map(r => r.iam)).toEqual([undefined, undefined]);
});

test('the context names the attribute written, its value and the Region; a condition on them is honoured', async () => {
  const imageId = await createImage(f.ec2);
  f.peer.enforceIdentityPolicies([policy('DescriptionOnly', allow('ec2:ModifyImageAttribute', imageArn(imageId), {
    Condition: { StringEquals: { 'ec2:Attribute': 'description', 'aws:RequestedRegion': 'us-east-1' } },
  }))]);
  await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'hardened' } }));
  expect((await failure(shareWith(imageId, ACCOUNT))).name).toBe('UnauthorizedOperation');
  expect(f.peer.iamVerdicts().map(v => v.context)).toEqual([
    expect.objectContaining({ 'ec2:Attribute': 'description', 'ec2:Attribute/description': 'hardened', 'aws:RequestedRegion': 'us-east-1' }),
    expect.objectContaining({ 'ec2:Attribute': 'launchPermission' }),
  ]);
});

test('CreateTags is asked once per resource, and refused as a whole if one is not allowed', async () => {
  const [mine, theirs] = [await createImage(f.ec2), await createImage(f.ec2)];
  f.peer.enforceIdentityPolicies([policy('TagMine', allow('ec2:CreateTags', imageArn(mine), {
    Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['owner'] } },
  }))]);
  const err = await failure(f.ec2.send(new CreateTagsCommand({ Resources: [mine, theirs], Tags: [{ Key: 'owner', Value: 'x' }] })));
  expect(err.name).toBe('UnauthorizedOperation');
  expect(f.peer.iamVerdicts().map(v => `${v.resource} ${v.result}`)).toEqual([`${imageArn(mine)} Allowed`, `${imageArn(theirs)} ImplicitlyDenied`]);
  expect(f.peer.iamVerdicts()[0].context).toMatchObject({ 'aws:RequestTag/owner': 'x', 'aws:TagKeys': ['owner'] });

  f.peer.enforceIdentityPolicies(undefined);
  expect((await f.ec2.send(new DescribeTagsCommand({}))).Tags).toEqual([]);
});

test('a DryRun is answered DryRunOperation when allowed and UnauthorizedOperation when not', async () => {
  const imageId = await createImage(f.ec2);
  const dryRun = () => f.ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, Description: { Value: 'x' }, DryRun: true }));
  f.peer.enforceIdentityPolicies([policy('Reads', allow('ec2:DescribeImageAttribute', imageArn(imageId)))]);
  expect((await failure(dryRun())).name).toBe('UnauthorizedOperation');
  expect((await attribute(imageId, 'description')).ImageId).toBe(imageId);

  f.peer.enforceIdentityPolicies([policy('Writes', allow('ec2:ModifyImageAttribute', imageArn(imageId)))]);
  expect((await failure(dryRun())).name).toBe('DryRunOperation');
});

test('a policy the evaluator rejects refuses every request, with the reason in the verdict; bad input throws', async () => {
  const imageId = await createImage(f.ec2);
  f.peer.enforceIdentityPolicies([policy('Broken', { Effect: 'Allow', Action: 'ec2:ModifyImageAttribute', Resource: imageArn(imageId), Bogus: 1 })]);
  expect((await failure(shareWith(imageId, ACCOUNT))).name).toBe('UnauthorizedOperation');
  expect(f.peer.iamVerdicts()).toEqual([expect.objectContaining({ result: 'Error', error: expect.stringContaining('Bogus') })]);

  expect(() => f.peer.enforceIdentityPolicies([{ name: '', document: {} }])).toThrow(/policies\[0\] must be \{ name: non-empty string/);
  expect(() => f.peer.enforceIdentityPolicies([{ name: 'P', document: 'not an object' }])).toThrow(/policies\[0\]/);
});
