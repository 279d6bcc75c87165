// What SupersededImages.keep() adds to a stack, and what revoke() (the default) leaves exactly as it was.
import { App, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AmiLaunchPermissions, AmiLaunchPermissionsProps, LaunchPermission, SupersededImages } from '../../src';

function synth(props: Partial<AmiLaunchPermissionsProps> = {}, retain = false): Template {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const share = new AmiLaunchPermissions(stack, 'Share', {
    imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.account('111122223333')], ...props,
  });
  if (retain) share.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return Template.fromStack(stack);
}

const logicalIdOf = (template: Template, type: string) => Object.keys(template.findResources(type))[0];

test('revoke() is the default and renders the stack exactly as before windows existed', () => {
  const byDefault = synth().toJSON();
  expect(synth({ supersededImages: SupersededImages.revoke() }).toJSON()).toEqual(byDefault);
  const template = synth();
  template.hasResourceProperties('Custom::AmiLaunchPermissions', Match.objectLike({ SupersededImages: Match.absent() }));
  template.resourceCountIs('Custom::AmiSupersededImages', 0);
  template.resourceCountIs('AWS::IAM::ManagedPolicy', 2); // the log policy (with the encryption checks) and one image policy
});

test('keep(2): the property, a KeptImages policy from the resource\'s attribute, a guard that depends on it, the stack-record reads', () => {
  const template = synth({ supersededImages: SupersededImages.keep(2, { deprecateAfter: Duration.days(7) }) });
  const share = logicalIdOf(template, 'Custom::AmiLaunchPermissions');
  template.hasResourceProperties('Custom::AmiLaunchPermissions', Match.objectLike({ SupersededImages: { Keep: 2, DeprecateAfterMinutes: 7 * 24 * 60 } }));

  const kept = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('superseded AMIs this share keeps') } });
  expect(Object.keys(kept)).toHaveLength(1);
  const [keptId, keptPolicy] = Object.entries<any>(kept)[0];
  expect(keptPolicy.Properties.PolicyDocument.Statement).toEqual([{
    Action: ['ec2:DescribeImageAttribute', 'ec2:ModifyImageAttribute', 'ec2:EnableImageDeprecation', 'ec2:DisableImageDeprecation'],
    Effect: 'Allow',
    Resource: { 'Fn::Split': [',', { 'Fn::GetAtt': [share, 'KeptImageArns'] }] },
  }]);

  const guard = template.findResources('Custom::AmiSupersededImages');
  expect(Object.values<any>(guard)[0]).toMatchObject({
    DependsOn: [keptId],
    Properties: { ImageId: 'ami-0123456789abcdef0', KeptImages: { 'Fn::GetAtt': [share, 'KeptImages'] }, SupersededImages: { Keep: 2 } },
  });

  const reads = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('status and resource record') } });
  const [readsId, readsPolicy] = Object.entries<any>(reads)[0];
  expect(readsPolicy.Properties.PolicyDocument.Statement).toEqual([{
    Action: ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackResource'], Effect: 'Allow', Resource: { Ref: 'AWS::StackId' },
  }]);
  // The resource depends on it, so a cleanup Delete still reads the record after the last keep() left the template.
  expect(template.toJSON().Resources[share].DependsOn).toContain(readsId);
  // The previous AMI is deprecated through the image policy that granted it.
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', Match.objectLike({
    PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Action: ['ec2:EnableImageDeprecation', 'ec2:DisableImageDeprecation'] })]) }),
  }));
});

test('RETAIN keeps both the current AMI\'s share and the kept AMIs\' (neither resource is deleted)', () => {
  const template = synth({ supersededImages: SupersededImages.keep(1) }, true).toJSON();
  const retained = Object.values<any>(template.Resources)
    .filter(r => ['Custom::AmiLaunchPermissions', 'Custom::AmiSupersededImages'].includes(r.Type)).map(r => r.DeletionPolicy);
  expect(retained).toEqual(['Retain', 'Retain']);
});

test.each([
  [() => SupersededImages.keep(Token.asNumber({ Ref: 'Count' })), 'SupersededImages.keep(count) needs a number known at synth time'],
  [() => SupersededImages.keep(0), '0 is not a whole number of superseded AMIs to keep from 1 to 10'],
  [() => SupersededImages.keep(2, { deprecateAfter: Duration.seconds(30) }), 'is not a whole number of minutes'],
])('bad keep() arguments fail where they are written: %#', (make, message) => {
  expect(make).toThrow(message);
});
