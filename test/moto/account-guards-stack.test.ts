// Both account guards in one stack, deployed through the emulated CloudFormation (update phase in dependency order,
// cleanup phase dependents first), with the handler role's policies of each moment enforced by the EC2 peer's IAM
// evaluator: each setting's policy exists before its first read and is only removed after the Delete that restores it.
import { GetImageBlockPublicAccessStateCommand } from '@aws-sdk/client-ec2';
import { RemovalPolicy } from 'aws-cdk-lib';
import { AllowedImages, AmiDescription, ImageBlockPublicAccess, ImageCriterion } from '../../src';
import { EmulatedDeployments } from '../support/emulated-deployments';
import { liveValue } from '../support/handler-environment';
import { useHandlerEnvironment } from '../support/handler-environment-hooks';
import { templateOf } from '../support/image-id-kinds';
import { createImage } from '../support/images';

const env = useHandlerEnvironment();

test('add both guards to a stack, then remove them: every request allowed by the policies of its moment, settings put back', async () => {
  const image = await createImage(env.ec2, { description: 'golden' });
  const before = templateOf(stack => { new AmiDescription(stack, 'Describe', { imageId: image, description: 'Golden image' }); });
  const guarded = templateOf(stack => {
    new AmiDescription(stack, 'Describe', { imageId: image, description: 'Golden image' });
    new ImageBlockPublicAccess(stack, 'BlockPublicAccess', { removalPolicy: RemovalPolicy.DESTROY });
    new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.providers('amazon')] });
  });
  const deployments = new EmulatedDeployments(env, before);
  expect(await deployments.deploy({ template: before }, 'create')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(await deployments.deploy({ template: guarded }, 'add the guards')).toEqual({ status: 'COMPLETE', failures: [] });
  const on = await deployments.withoutIam(async () => ({
    blocked: (await env.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState,
    allowed: env.peer.allowedImagesShown(),
  }));
  expect(on).toEqual({ blocked: 'block-new-sharing', allowed: { state: 'enabled', criteria: [{ providers: ['amazon'], imageNames: [], marketplaceProductCodes: [] }] } });

  expect(await deployments.deploy({ template: before }, 'remove the guards')).toEqual({ status: 'COMPLETE', failures: [] });
  expect(deployments.denials()).toEqual([]);
  const settingRequests = deployments.invocations.filter(i => /BlockPublicAccess|AllowedImages/.test(i.request));
  expect(settingRequests.map(i => i.request.replace(/ on .*$/, ''))).toEqual([
    expect.stringMatching(/^add the guards: Create (BlockPublicAccess|AllowedImages)/),
    expect.stringMatching(/^add the guards: Create (BlockPublicAccess|AllowedImages)/),
    expect.stringMatching(/^remove the guards: Delete (BlockPublicAccess|AllowedImages)/),
    expect.stringMatching(/^remove the guards: Delete (BlockPublicAccess|AllowedImages)/),
  ]);
  // The Deletes made their writes, under the policies still attached in the cleanup phase.
  expect(settingRequests.slice(2).flatMap(i => i.verdicts.map(v => `${v.action} ${v.result}`)).filter(v => /Disable|Replace/.test(v)).sort())
    .toEqual(['ec2:DisableAllowedImagesSettings Allowed', 'ec2:DisableImageBlockPublicAccess Allowed', 'ec2:ReplaceImageCriteriaInAllowedImagesSettings Allowed']);
  const off = await deployments.withoutIam(async () => ({
    blocked: (await env.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState,
    allowed: env.peer.allowedImagesShown(),
    description: await liveValue(env.ec2, image, 'description'),
  }));
  expect(off).toEqual({ blocked: 'unblocked', allowed: { state: 'disabled', criteria: [] }, description: 'Golden image' });
});
