// AllowedImages as synthesised: the resource and its properties, the removal behaviour and the policy, EC2's limits
// checked at synth (token values left to the handler), and one per account and Region.
import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AllowedImages, AllowedImagesState, ImageCriterion } from '../../src';

const RECIPIENT = { account: '444455556666', region: 'eu-west-1' };

test('the declared state and criteria as EC2 spells them; restores on Delete by default', () => {
  const stack = new Stack(new App(), 'Recipient', { env: RECIPIENT });
  new AllowedImages(stack, 'AllowedImages', {
    state: AllowedImagesState.AUDIT_MODE,
    criteria: [
      ImageCriterion.providers('amazon', '111122223333'),
      ImageCriterion.of({ imageNames: ['golden-*'], marketplaceProductCodes: ['abcdefghijklmnopqrstuvwxy'], maximumDaysSinceCreated: 90, maximumDaysSinceDeprecated: 0 }),
    ],
  });
  const template = Template.fromStack(stack);
  template.hasResource('Custom::AllowedImages', {
    Properties: {
      State: 'audit-mode',
      ImageCriteria: [
        { ImageProviders: ['amazon', '111122223333'] },
        {
          ImageNames: ['golden-*'],
          MarketplaceProductCodes: ['abcdefghijklmnopqrstuvwxy'],
          CreationDateCondition: { MaximumDaysSinceCreated: 90 },
          DeprecationTimeCondition: { MaximumDaysSinceDeprecated: 0 },
        },
      ],
      RestoreOnDelete: true,
    },
    DeletionPolicy: 'Delete',
    DependsOn: Match.arrayWith([Match.stringLikeRegexp('^CdkAmiSharingHandlerAllowedImagesSettings')]),
  });
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    Description: 'cdk-ami-sharing handler: read and change Allowed AMIs in this account and Region',
    PolicyDocument: {
      Statement: [{
        Resource: '*',
        Action: ['ec2:GetAllowedImagesSettings', 'ec2:ReplaceImageCriteriaInAllowedImagesSettings',
          'ec2:EnableAllowedImagesSettings', 'ec2:DisableAllowedImagesSettings'],
      }],
    },
  });
});

test('RemovalPolicy.RETAIN: no Delete, nothing remembered, and no Disable permission', () => {
  const stack = new Stack(new App(), 'Recipient', { env: RECIPIENT });
  new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.providers('amazon')], removalPolicy: RemovalPolicy.RETAIN });
  const template = Template.fromStack(stack);
  template.hasResource('Custom::AllowedImages', {
    Properties: Match.objectEquals({ ServiceToken: Match.anyValue(), ServiceTimeout: '720', State: 'enabled', ImageCriteria: [{ ImageProviders: ['amazon'] }] }),
    DeletionPolicy: 'Retain',
  });
  expect(JSON.stringify(template.toJSON())).not.toContain('DisableAllowedImagesSettings');
});

test('a token provider (an account from a parameter) is left to the handler', () => {
  const stack = new Stack(new App(), 'Recipient', { env: RECIPIENT });
  const producer = new CfnParameter(stack, 'Producer').valueAsString;
  new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.providers(producer, 'amazon')] });
  Template.fromStack(stack).hasResourceProperties('Custom::AllowedImages', { ImageCriteria: [{ ImageProviders: [{ Ref: 'Producer' }, 'amazon'] }] });
});

test('several problems are reported together', () => {
  const stack = new Stack(new App(), 'Recipient', { env: RECIPIENT });
  expect(() => new AllowedImages(stack, 'AllowedImages', {
    criteria: Array.from({ length: 11 }, () => ImageCriterion.providers('amazon')),
    removalPolicy: RemovalPolicy.SNAPSHOT,
  })).toThrow('AllowedImages.criteria: 11 criteria; EC2 allows at most 10\n'
    + "AllowedImages.removalPolicy: 'snapshot' is not supported; use RemovalPolicy.DESTROY (the settings found at the first deployment are put back) "
    + 'or RemovalPolicy.RETAIN (the settings stay as they are)');
});

test('one per account and Region in an app', () => {
  const app = new App();
  new AllowedImages(new Stack(app, 'A', { env: RECIPIENT }), 'AllowedImages', { criteria: [ImageCriterion.providers('amazon')] });
  new AllowedImages(new Stack(app, 'B', { env: { ...RECIPIENT, region: 'us-east-1' } }), 'AllowedImages', { criteria: [ImageCriterion.providers('amazon')] });
  new AllowedImages(new Stack(app, 'C', { env: RECIPIENT }), 'AllowedImages', { criteria: [ImageCriterion.providers('amazon')] });
  expect(() => app.synth()).toThrow('AllowedImages: C/AllowedImages and A/AllowedImages both manage Allowed AMIs in account 444455556666, '
    + 'Region eu-west-1; declare one AllowedImages per account and Region');
});

test('ImageCriterion.providers keeps its providers readable', () => {
  expect(ImageCriterion.providers('amazon', '111122223333').imageProviders).toEqual(['amazon', '111122223333']);
  expect(ImageCriterion.of({ imageNames: ['golden-*'] }).imageProviders).toEqual([]);
});
