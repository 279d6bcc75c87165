// The EC2 test peer's account-level settings, driven with the real SDK: block public access for AMIs and Allowed AMIs,
// a change that takes a few reads to show, a setting an organization's declarative policy owns, and EC2's limits on
// the criteria.
import {
  DisableAllowedImagesSettingsCommand,
  EnableAllowedImagesSettingsCommand,
  EnableImageBlockPublicAccessCommand,
  GetAllowedImagesSettingsCommand,
  GetImageBlockPublicAccessStateCommand,
  ModifyImageAttributeCommand,
  ReplaceImageCriteriaInAllowedImagesSettingsCommand,
} from '@aws-sdk/client-ec2';
import { failure, usePeer } from './peer-fixture';
import { createImage } from '../support/images';

const f = usePeer();
const blockState = async () => (await f.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState;

describe('a change that takes a while to show', () => {
  test('Get shows the previous state for the set number of reads, then the new one', async () => {
    f.peer.setBlockPublicAccessPropagation(2);
    expect((await f.ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }))).ImageBlockPublicAccessState)
      .toBe('block-new-sharing');
    expect([await blockState(), await blockState(), await blockState(), await blockState()])
      .toEqual(['unblocked', 'unblocked', 'block-new-sharing', 'block-new-sharing']);
  });

  test('a public share is refused by the state Get shows, not by the one on its way', async () => {
    const image = await createImage(f.ec2);
    f.peer.setBlockPublicAccessPropagation(5);
    await f.ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }));
    await f.makePublic(image);
    expect(await f.launchPermissions(image)).toEqual([{ Group: 'all' }]);
  });
});

describe('managed by a declarative policy', () => {
  test('Get says so; Enable and Disable are refused and change nothing', async () => {
    f.peer.setBlockPublicAccess('unblocked', 'declarative-policy');
    expect(await f.ec2.send(new GetImageBlockPublicAccessStateCommand({})))
      .toMatchObject({ ImageBlockPublicAccessState: 'unblocked', ManagedBy: 'declarative-policy' });
    expect(await failure(f.ec2.send(new EnableImageBlockPublicAccessCommand({ ImageBlockPublicAccessState: 'block-new-sharing' }))))
      .toMatchObject({ name: 'OperationNotPermitted' });
    expect(await blockState()).toBe('unblocked');

    f.peer.setAllowedImages({ state: 'enabled', criteria: [] }, 'declarative-policy');
    expect(await failure(f.ec2.send(new DisableAllowedImagesSettingsCommand({})))).toMatchObject({ name: 'OperationNotPermitted' });
    expect(await f.ec2.send(new GetAllowedImagesSettingsCommand({}))).toMatchObject({ State: 'enabled', ManagedBy: 'declarative-policy' });
  });
});

describe('Allowed AMIs', () => {
  test('off by default; criteria replaced and read back in another order; state enabled, audit-mode, disabled', async () => {
    expect(await f.ec2.send(new GetAllowedImagesSettingsCommand({}))).toMatchObject({ State: 'disabled', ImageCriteria: [], ManagedBy: 'account' });
    await f.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({
      ImageCriteria: [
        { ImageProviders: ['amazon', '111122223333'] },
        { ImageNames: ['golden-*'], CreationDateCondition: { MaximumDaysSinceCreated: 30 }, DeprecationTimeCondition: { MaximumDaysSinceDeprecated: 0 } },
      ],
    }));
    expect((await f.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: 'audit-mode' }))).AllowedImagesSettingsState).toBe('audit-mode');
    const settings = await f.ec2.send(new GetAllowedImagesSettingsCommand({}));
    expect(settings.State).toBe('audit-mode');
    expect(settings.ImageCriteria).toEqual([
      { ImageNames: ['golden-*'], CreationDateCondition: { MaximumDaysSinceCreated: 30 }, DeprecationTimeCondition: { MaximumDaysSinceDeprecated: 0 } },
      { ImageProviders: ['111122223333', 'amazon'] },
    ]);
    expect((await f.ec2.send(new DisableAllowedImagesSettingsCommand({}))).AllowedImagesSettingsState).toBe('disabled');
    await f.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({}));
    expect(await f.ec2.send(new GetAllowedImagesSettingsCommand({}))).toMatchObject({ State: 'disabled', ImageCriteria: [] });
  });

  test.each([
    ['11 criteria', Array.from({ length: 11 }, () => ({ ImageProviders: ['amazon'] })), 'The request contains 11 image criteria. The maximum is 10.'],
    ['201 providers', [{ ImageProviders: Array.from({ length: 201 }, (_, i) => String(100000000000 + i)) }], 'The request contains 201 image providers. The maximum is 200.'],
    ['none with another provider', [{ ImageProviders: ['none', 'amazon'] }], 'When none is specified as an image provider, no other values can be specified.'],
    ['an unknown provider', [{ ImageProviders: ['amazn'] }], "The image provider 'amazn' is not valid."],
  ])('EC2\'s limits: %s is refused', async (_what, criteria, message) => {
    expect(await failure(f.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: criteria }))))
      .toMatchObject({ name: 'InvalidParameterValue', message });
  });

  test('Enable needs enabled or audit-mode; DryRun changes nothing', async () => {
    expect(await failure(f.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: 'disabled' as any }))))
      .toMatchObject({ name: 'InvalidParameterValue' });
    expect(await failure(f.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: 'enabled', DryRun: true }))))
      .toMatchObject({ name: 'DryRunOperation' });
    expect((await f.ec2.send(new GetAllowedImagesSettingsCommand({}))).State).toBe('disabled');
  });

  test('writes are counted as writes in the request log', async () => {
    await f.ec2.send(new EnableAllowedImagesSettingsCommand({ AllowedImagesSettingsState: 'enabled' }));
    await f.ec2.send(new ReplaceImageCriteriaInAllowedImagesSettingsCommand({ ImageCriteria: [{ ImageProviders: ['amazon'] }] }));
    expect(f.peer.writes().map(w => w.action)).toEqual(['EnableAllowedImagesSettings', 'ReplaceImageCriteriaInAllowedImagesSettings']);
  });
});

test('the account settings stay apart from images: sharing still works', async () => {
  const image = await createImage(f.ec2);
  await f.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: '111122223333' }] } }));
  expect(await f.launchPermissions(image)).toEqual([{ UserId: '111122223333' }]);
});
