// AmiDeregistrationProtection at synth time: the custom resource and the handler's permissions (only on its image).
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AmiDeprecation, AmiDeregistrationProtection } from '../../src';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}
const IMAGE = 'ami-0123456789abcdef0';
const imageArn = (imageId: unknown) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:us-east-1::image/${imageId}`]] });

test('declares a Custom::AmiDeregistrationProtection; the cooldown is off unless asked for', () => {
  const s = stack();
  new AmiDeregistrationProtection(s, 'Plain', { imageId: IMAGE });
  new AmiDeregistrationProtection(s, 'Cooled', { imageId: 'ami-11111111', withCooldown: true });
  const template = Template.fromStack(s);
  template.hasResourceProperties('Custom::AmiDeregistrationProtection', { ImageId: IMAGE, WithCooldown: false });
  template.hasResourceProperties('Custom::AmiDeregistrationProtection', { ImageId: 'ami-11111111', WithCooldown: true });
});

test('each kind of action only on the images that declare it', () => {
  const s = stack();
  new AmiDeregistrationProtection(s, 'Protect', { imageId: IMAGE });
  new AmiDeprecation(s, 'Deprecate', { imageId: 'ami-22222222', deprecateAt: new Date(Date.now() + 86_400_000) });
  const statements = Object.values<any>(Template.fromStack(s).findResources('AWS::IAM::ManagedPolicy'))
    .flatMap(p => p.Properties.PolicyDocument.Statement).slice(1);
  expect(statements).toEqual([
    { Effect: 'Allow', Action: 'ec2:DescribeImages', Resource: '*' },
    { Effect: 'Allow', Action: ['ec2:EnableImageDeregistrationProtection', 'ec2:DisableImageDeregistrationProtection'], Resource: imageArn(IMAGE) },
    { Effect: 'Allow', Action: ['ec2:EnableImageDeprecation', 'ec2:DisableImageDeprecation'], Resource: imageArn('ami-22222222') },
  ]);
});

test('a malformed image id and a second construct on one image are refused at synth', () => {
  expect(() => new AmiDeregistrationProtection(stack(), 'P', { imageId: 'ami-1' }))
    .toThrow("AmiDeregistrationProtection.imageId: 'ami-1' is not an AMI id");
  const s = stack();
  new AmiDeregistrationProtection(s, 'First', { imageId: IMAGE });
  expect(() => new AmiDeregistrationProtection(s, 'Second', { imageId: IMAGE, withCooldown: true }))
    .toThrow(`Test/Second: ${IMAGE}'s deregistrationProtection is already managed by Test/First; one construct per image may set it`);
});
