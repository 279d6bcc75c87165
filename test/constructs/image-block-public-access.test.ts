// ImageBlockPublicAccess as synthesised: its resource, removal behaviour and policy, one per account and Region, and
// never next to a public share of the same account and Region.
import { App, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AmiDescription, AmiLaunchPermissions, ImageBlockPublicAccess, LaunchPermission } from '../../src';

const PRODUCER = { account: '123456789012', region: 'us-east-1' };

function stackIn(app: App, id: string, env?: StackProps['env']): Stack {
  return new Stack(app, id, { env });
}

function publicShare(stack: Stack, id = 'Public'): void {
  new AmiLaunchPermissions(stack, id, { imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.publicAccess()] });
}

test('by default: the guard stays when the construct goes, and the role may not turn it off', () => {
  const stack = stackIn(new App(), 'Producer', PRODUCER);
  new ImageBlockPublicAccess(stack, 'BlockPublicAccess');
  const template = Template.fromStack(stack);
  template.hasResource('Custom::ImageBlockPublicAccess', {
    Properties: Match.objectEquals({ ServiceToken: Match.anyValue(), ServiceTimeout: '720' }),
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    DependsOn: Match.arrayWith([Match.stringLikeRegexp('^CdkAmiSharingHandlerImageBlockPublicAccessSettings')]),
  });
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    Description: 'cdk-ami-sharing handler: read and change block public access for AMIs in this account and Region',
    PolicyDocument: { Statement: [{ Effect: 'Allow', Resource: '*', Action: ['ec2:GetImageBlockPublicAccessState', 'ec2:EnableImageBlockPublicAccess'] }] },
  });
});

test('RemovalPolicy.DESTROY: Delete reaches the handler, which puts back what it found, and the role may disable', () => {
  const stack = stackIn(new App(), 'Producer', PRODUCER);
  new ImageBlockPublicAccess(stack, 'BlockPublicAccess', { removalPolicy: RemovalPolicy.DESTROY });
  const template = Template.fromStack(stack);
  template.hasResource('Custom::ImageBlockPublicAccess', { Properties: { RestoreOnDelete: true }, DeletionPolicy: 'Delete' });
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: { Statement: [{ Action: ['ec2:GetImageBlockPublicAccessState', 'ec2:EnableImageBlockPublicAccess', 'ec2:DisableImageBlockPublicAccess'] }] },
  });
});

test('other removal policies are refused, naming the property and the value', () => {
  const stack = stackIn(new App(), 'Producer', PRODUCER);
  expect(() => new ImageBlockPublicAccess(stack, 'BlockPublicAccess', { removalPolicy: RemovalPolicy.SNAPSHOT }))
    .toThrow("ImageBlockPublicAccess.removalPolicy: 'snapshot' is not supported; use RemovalPolicy.RETAIN (the guard stays on) "
      + 'or RemovalPolicy.DESTROY (the state found at the first deployment is put back)');
});

test('stacks without it get no account-setting permissions', () => {
  const stack = stackIn(new App(), 'Producer', PRODUCER);
  new AmiDescription(stack, 'Desc', { imageId: 'ami-0123456789abcdef0', description: 'Golden' });
  expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('ImageBlockPublicAccess');
});

describe('one per account and Region', () => {
  test('a second one in the same stack fails synthesis, naming both', () => {
    const app = new App();
    const stack = stackIn(app, 'Producer', PRODUCER);
    new ImageBlockPublicAccess(stack, 'One');
    new ImageBlockPublicAccess(stack, 'Two');
    expect(() => app.synth()).toThrow('ImageBlockPublicAccess: Producer/Two and Producer/One both manage block public access for AMIs in '
      + 'account 123456789012, Region us-east-1; declare one ImageBlockPublicAccess per account and Region');
  });

  test('a second one in another stack of the same environment fails synthesis too', () => {
    const app = new App();
    new ImageBlockPublicAccess(stackIn(app, 'First', PRODUCER), 'Guard');
    new ImageBlockPublicAccess(stackIn(app, 'Second', PRODUCER), 'Guard');
    expect(() => app.synth()).toThrow(/Second\/Guard and First\/Guard both manage block public access for AMIs in account 123456789012, Region us-east-1/);
  });

  test('other Regions, other accounts, and environment-agnostic stacks are separate', () => {
    const app = new App();
    new ImageBlockPublicAccess(stackIn(app, 'East', PRODUCER), 'Guard');
    new ImageBlockPublicAccess(stackIn(app, 'West', { ...PRODUCER, region: 'us-west-2' }), 'Guard');
    new ImageBlockPublicAccess(stackIn(app, 'Other', { ...PRODUCER, account: '210987654321' }), 'Guard');
    new ImageBlockPublicAccess(stackIn(app, 'AgnosticA'), 'Guard');
    new ImageBlockPublicAccess(stackIn(app, 'AgnosticB'), 'Guard');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('never next to a public share of the same account and Region', () => {
  test('in the same stack: synthesis fails naming both constructs', () => {
    const app = new App();
    const stack = stackIn(app, 'Producer', PRODUCER);
    new ImageBlockPublicAccess(stack, 'BlockPublicAccess');
    publicShare(stack);
    expect(() => app.synth()).toThrow('ImageBlockPublicAccess: Producer/BlockPublicAccess blocks public sharing of AMIs in account 123456789012, '
      + 'Region us-east-1, and Producer/Public makes ami-0123456789abcdef0 public there (LaunchPermission.publicAccess()); EC2 would refuse that share. '
      + 'Remove one of them');
  });

  test.each([
    ['us-west-2', undefined],
    ['us-east-1', /Guard\/BlockPublicAccess blocks public sharing .* and Sharing\/Public makes ami-0123456789abcdef0 public there/],
  ])('in another stack, in %s', (region, error) => {
    const app = new App();
    new ImageBlockPublicAccess(stackIn(app, 'Guard', PRODUCER), 'BlockPublicAccess');
    publicShare(stackIn(app, 'Sharing', { ...PRODUCER, region }));
    if (error === undefined) {
      expect(() => app.synth()).not.toThrow();
      return;
    }
    expect(() => app.synth()).toThrow(error);
  });

  test('sharing with accounts is not a public share', () => {
    const app = new App();
    const stack = stackIn(app, 'Producer', PRODUCER);
    new ImageBlockPublicAccess(stack, 'BlockPublicAccess');
    new AmiLaunchPermissions(stack, 'Share', { imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.account('111122223333')] });
    expect(() => app.synth()).not.toThrow();
  });
});
