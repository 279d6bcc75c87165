// One app, a producer and its recipients: a share with an account whose Allowed AMIs (declared in the same app) admit no
// AMI of the producer's account warns at synthesis, naming both constructs and the missing provider.
import { App, Annotations as CoreAnnotations, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AllowedImages, AllowedImagesState, AmiLaunchPermissions, ImageCriterion, LaunchPermission } from '../../src';

const PRODUCER = '111122223333';
const RECIPIENT = '444455556666';
const REGION = 'eu-west-1';
const WARNING = 'cdk-ami-sharing:recipientDisallowsProducer';

function app(criteria: ImageCriterion[], options: { state?: AllowedImagesState; recipientRegion?: string; shareWith?: (s: Stack) => string } = {}) {
  const a = new App();
  const producer = new Stack(a, 'Producer', { env: { account: PRODUCER, region: REGION } });
  const recipient = new Stack(a, 'Recipient', { env: { account: RECIPIENT, region: options.recipientRegion ?? REGION } });
  new AllowedImages(recipient, 'AllowedImages', { criteria, state: options.state });
  const share = new AmiLaunchPermissions(producer, 'Share', {
    imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.account(options.shareWith?.(producer) ?? RECIPIENT)],
  });
  return { producer, share };
}

const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(WARNING));

test('a recipient that admits only Amazon\'s AMIs: a warning naming both constructs and the missing provider', () => {
  const { producer } = app([ImageCriterion.providers('amazon')]);
  const found = warnings(producer);
  expect(found).toHaveLength(1);
  expect(found[0].id).toBe('/Producer/Share/Resource');
  expect(found[0].entry.data).toBe('Producer/Share shares ami-0123456789abcdef0 with account 444455556666, but Recipient/AllowedImages (Allowed AMIs '
    + 'of account 444455556666, Region eu-west-1) admits no AMI of account 111122223333: the recipient would see the share and could not launch it. '
    + "Add '111122223333' to the providers of a criterion of Recipient/AllowedImages (ImageCriterion.providers('111122223333')). "
    + `[ack: ${WARNING}]`);
});

test.each([
  ['the producer among the providers', [ImageCriterion.providers('amazon'), ImageCriterion.providers(PRODUCER)], {}],
  ['a criterion without providers (names only)', [ImageCriterion.of({ imageNames: ['golden-*'] })], {}],
  ['audit mode (nothing is refused)', [ImageCriterion.providers('amazon')], { state: AllowedImagesState.AUDIT_MODE }],
  ['Allowed AMIs of another Region', [ImageCriterion.providers('amazon')], { recipientRegion: 'us-east-1' }],
  ['a recipient account that is a token', [ImageCriterion.providers('amazon')], { shareWith: (s: Stack) => new CfnParameter(s, 'Account').valueAsString }],
])('no warning with %s', (_what, criteria, options) => {
  expect(warnings(app(criteria, options).producer)).toEqual([]);
});

test('a provider known only at deploy time might be the producer: no warning', () => {
  const a = new App();
  const recipient = new Stack(a, 'Recipient', { env: { account: RECIPIENT, region: REGION } });
  new AllowedImages(recipient, 'AllowedImages', { criteria: [ImageCriterion.providers(new CfnParameter(recipient, 'P').valueAsString)] });
  const producer = new Stack(a, 'Producer', { env: { account: PRODUCER, region: REGION } });
  new AmiLaunchPermissions(producer, 'Share', { imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.account(RECIPIENT)] });
  expect(warnings(producer)).toEqual([]);
});

test.each([
  ['on the share', (share: AmiLaunchPermissions) => share],
  ['on the producer stack', (share: AmiLaunchPermissions) => Stack.of(share)],
])('acknowledged %s: gone', (_where, scope) => {
  const { producer, share } = app([ImageCriterion.providers('amazon')]);
  CoreAnnotations.of(scope(share)).acknowledgeWarning(WARNING, 'the recipient adds our account in its own pipeline');
  expect(warnings(producer)).toEqual([]);
});
