import { App, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, AmiSharingHandler, LaunchPermission, LaunchPermissionMode } from '../../src';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
}
const IMAGE = 'ami-0123456789abcdef0';

describe('AmiImdsPolicy', () => {
  test('declares a Custom::AmiImdsPolicy with the image', () => {
    const s = stack();
    new AmiImdsPolicy(s, 'Imds', { imageId: IMAGE });
    Template.fromStack(s).hasResourceProperties('Custom::AmiImdsPolicy', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkAmiSharingHandlerFunction'), 'Arn'] },
      ImageId: IMAGE,
      ServiceTimeout: '720',
    });
  });

  test('warns at synth time that the change cannot be undone', () => {
    const s = stack();
    new AmiImdsPolicy(s, 'Imds', { imageId: IMAGE });
    Annotations.fromStack(s).hasWarning('/Test/Imds', Match.stringLikeRegexp(`sets imdsSupport=v2.0 on ${IMAGE}, which EC2 cannot undo`));
  });

  test('rejects a malformed image id', () => {
    expect(() => new AmiImdsPolicy(stack(), 'Imds', { imageId: 'image-1' })).toThrow("AmiImdsPolicy.imageId: 'image-1' is not an AMI id");
  });
});

describe('AmiDescription', () => {
  test('declares a Custom::AmiDescription with the image and the description', () => {
    const s = stack();
    new AmiDescription(s, 'Desc', { imageId: IMAGE, description: 'Golden image, CIS hardened' });
    Template.fromStack(s).hasResourceProperties('Custom::AmiDescription', { ImageId: IMAGE, Description: 'Golden image, CIS hardened' });
  });

  test.each([
    ['empty', '', "AmiDescription.description: a non-empty description is required (got '')"],
    ['256 characters', 'x'.repeat(256), 'is 256 characters long; EC2 allows at most 255'],
    ['a newline', 'line one\nline two', "AmiDescription.description: 'line one\\nline two' contains a control character (U+000A) at position 8"],
  ])('rejects a description that is %s', (_name, description, message) => {
    expect(() => new AmiDescription(stack(), 'Desc', { imageId: IMAGE, description })).toThrow(message);
  });

  test('accepts 255 characters, including non-ASCII ones', () => {
    expect(() => new AmiDescription(stack(), 'Desc', { imageId: IMAGE, description: 'é'.repeat(255) })).not.toThrow();
  });
});

describe('constructs of all three kinds', () => {
  test('share one handler', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'Share', { imageId: IMAGE, permissions: [LaunchPermission.account('111122223333')] });
    new AmiImdsPolicy(s, 'Imds', { imageId: IMAGE });
    new AmiDescription(s, 'Desc', { imageId: 'ami-11111111', description: 'x' });
    Template.fromStack(s).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('two constructs that would fight over one attribute of one image are refused', () => {
    const s = stack();
    new AmiDescription(s, 'A', { imageId: IMAGE, description: 'one' });
    expect(() => new AmiDescription(s, 'B', { imageId: IMAGE, description: 'two' }))
      .toThrow(`Test/B: ${IMAGE}'s description is already managed by Test/A; one construct per image may set it`);

    new AmiLaunchPermissions(s, 'Additive', { imageId: IMAGE, permissions: [] });
    expect(() => new AmiLaunchPermissions(s, 'Exclusive', { imageId: IMAGE, permissions: [], mode: LaunchPermissionMode.EXCLUSIVE }))
      .toThrow(`Test/Exclusive: ${IMAGE}'s launchPermission is already managed by Test/Additive; an EXCLUSIVE AmiLaunchPermissions must be the only one on its image`);
  });

  test('two ADDITIVE launch-permission sets on one image may not share a principal', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'A', { imageId: IMAGE, permissions: [LaunchPermission.account('111122223333'), LaunchPermission.publicAccess()] });
    expect(() => new AmiLaunchPermissions(s, 'B', { imageId: IMAGE, permissions: [LaunchPermission.publicAccess()] }))
      .toThrow(`Test/B: 'all' on ${IMAGE} is already declared by Test/A; AmiLaunchPermissions on one image must not share a principal`);
    expect(() => new AmiLaunchPermissions(s, 'C', { imageId: 'ami-11111111', permissions: [LaunchPermission.publicAccess()] })).not.toThrow();
  });

  test('constructs that do not fight may share an image: additive launch permissions, IMDS policies', () => {
    const s = stack();
    new AmiLaunchPermissions(s, 'A', { imageId: IMAGE, permissions: [LaunchPermission.account('111122223333')] });
    new AmiLaunchPermissions(s, 'B', { imageId: IMAGE, permissions: [LaunchPermission.account('444455556666')] });
    new AmiImdsPolicy(s, 'I1', { imageId: IMAGE });
    new AmiImdsPolicy(s, 'I2', { imageId: IMAGE });
    new AmiDescription(s, 'D', { imageId: IMAGE, description: 'd' });
    const token = Token.asString({ Ref: 'Image' });
    new AmiDescription(s, 'T1', { imageId: token, description: 'd' });
    expect(() => new AmiDescription(s, 'T2', { imageId: token, description: 'd' })).not.toThrow();
  });
});

describe('AmiSharingHandler.configure', () => {
  test('sets the log group retention, removal policy and key', () => {
    const s = stack();
    AmiSharingHandler.configure(s, {
      logRetention: RetentionDays.ONE_MONTH, logRemovalPolicy: RemovalPolicy.DESTROY, logEncryptionKey: new Key(s, 'Key'),
    });
    new AmiImdsPolicy(s, 'Imds', { imageId: IMAGE });
    Template.fromStack(s).hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
      DeletionPolicy: 'Delete',
    });
  });

  test('defaults: one year, retained', () => {
    const s = stack();
    new AmiImdsPolicy(s, 'Imds', { imageId: IMAGE });
    Template.fromStack(s).hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  test('refuses to configure a handler that already exists', () => {
    const s = stack();
    new AmiImdsPolicy(s, 'Imds', { imageId: IMAGE });
    expect(() => AmiSharingHandler.configure(s, {})).toThrow('call configure() before adding any construct of cdk-ami-sharing to the stack, and only once');
  });
});
