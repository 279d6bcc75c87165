// AmiDeprecation at synth time: the custom resource it declares, the rules it checks before deployment, and the
// permissions it gives the handler (only on its own image).
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AmiDeprecation, AmiDescription } from '../../src';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}
const IMAGE = 'ami-0123456789abcdef0';
const DAY = 86_400_000;
const imageArn = (imageId: unknown) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:us-east-1::image/${imageId}`]] });
const managedStatements = (template: Template) =>
  Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(p => p.Properties.PolicyDocument.Statement);

test('declares a Custom::AmiDeprecation with the image and the time in UTC', () => {
  const s = stack();
  new AmiDeprecation(s, 'Deprecation', { imageId: IMAGE, deprecateAt: new Date('2030-01-02T03:04:05.678Z') });
  Template.fromStack(s).hasResourceProperties('Custom::AmiDeprecation', {
    ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkAmiSharingHandlerFunction'), 'Arn'] },
    ImageId: IMAGE,
    DeprecateAt: '2030-01-02T03:04:05.678Z',
    ServiceTimeout: '720',
  });
});

test('the handler may enable and cancel deprecation of the declared image only, and read DescribeImages', () => {
  // (The statements of one policy are in the order the constructs first needed them.)
  const s = stack();
  new AmiDeprecation(s, 'Deprecation', { imageId: IMAGE, deprecateAt: new Date('2030-01-01T00:00:00Z') });
  new AmiDescription(s, 'Other', { imageId: 'ami-11111111', description: 'not deprecated' });
  const template = Template.fromStack(s);
  expect(managedStatements(template)).toEqual([
    { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.anything() },
    { Effect: 'Allow', Action: 'ec2:DescribeImages', Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:EnableImageDeprecation', 'ec2:DisableImageDeprecation'], Resource: imageArn(IMAGE) },
    { Effect: 'Allow', Action: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute'], Resource: imageArn('ami-11111111') },
  ]);
  // In the image policy (no policy of its own: the role holds 10), which the custom resource waits for.
  const [imagePolicy] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: 'cdk-ami-sharing handler: attributes, deprecation, deregistration protection of these AMIs only' },
  }));
  expect(imagePolicy).toMatch(/^CdkAmiSharingHandlerImageAccess[0-9A-F]{16}$/);
  template.hasResource('Custom::AmiDeprecation', { DependsOn: Match.arrayWith([imagePolicy]) });
});

test('an image id from a token: the resolved id is written into the policy description, so a new AMI replaces the policy', () => {
  const s = stack();
  const image = new CfnParameter(s, 'Image');
  new AmiDeprecation(s, 'Deprecation', { imageId: image.valueAsString, deprecateAt: new Date('2030-01-01T00:00:00Z') });
  Template.fromStack(s).hasResourceProperties('AWS::IAM::ManagedPolicy', {
    Description: {
      'Fn::Join': ['', [
        'cdk-ami-sharing handler: attributes, deprecation, deregistration protection of these AMIs only; resolved at deploy time: ',
        { Ref: 'Image' },
      ]],
    },
  });
});

describe('checked at synth', () => {
  test('a malformed image id', () => {
    expect(() => new AmiDeprecation(stack(), 'D', { imageId: 'image-1', deprecateAt: new Date(Date.now() + DAY) }))
      .toThrow("AmiDeprecation.imageId: 'image-1' is not an AMI id");
  });

  test('an invalid Date', () => {
    expect(() => new AmiDeprecation(stack(), 'D', { imageId: IMAGE, deprecateAt: new Date('31/12/2030') }))
      .toThrow('AmiDeprecation.deprecateAt: an invalid Date was given');
  });

  test('more than 10 years from now', () => {
    const tooLate = new Date(Date.now() + 3660 * DAY);
    expect(() => new AmiDeprecation(stack(), 'D', { imageId: IMAGE, deprecateAt: tooLate }))
      .toThrow(`AmiDeprecation.deprecateAt: ${tooLate.toISOString()} is more than 10 years from now`);
  });

  test('a time that has passed is not an error: the handler deprecates at the earliest time EC2 accepts', () => {
    expect(() => new AmiDeprecation(stack(), 'D', { imageId: IMAGE, deprecateAt: new Date('2020-01-01T00:00:00Z') })).not.toThrow();
  });

  test('two deprecations of one image', () => {
    const s = stack();
    new AmiDeprecation(s, 'First', { imageId: IMAGE, deprecateAt: new Date(Date.now() + DAY) });
    expect(() => new AmiDeprecation(s, 'Second', { imageId: IMAGE, deprecateAt: new Date(Date.now() + 2 * DAY) }))
      .toThrow(`Test/Second: ${IMAGE}'s deprecation is already managed by Test/First; one construct per image may set it`);
  });
});
