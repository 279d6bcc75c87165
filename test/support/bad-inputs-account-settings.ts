// The bad-input catalogue's entries for the account-level settings: Allowed AMIs' state and criteria against EC2's
// limits, and the properties of Custom::ImageBlockPublicAccess and Custom::AllowedImages.
import { ALLOWED_IMAGES, BadInput, BLOCK_PUBLIC_ACCESS, create, exact } from './bad-inputs-builders';
import { AllowedImages, ImageCriterion, ImageCriterionOptions } from '../../src';

const PRODUCER = '111122223333';

/** An AllowedImages with these criteria, and the Custom::AllowedImages Create that carries them. */
function criteria(name: string, build: () => ImageCriterion[], entries: unknown[], synthError: string, reason: string): BadInput {
  return {
    name,
    synth: { build: stack => { new AllowedImages(stack, 'AllowedImages', { criteria: build() }); }, error: synthError },
    handler: exact(() => create(ALLOWED_IMAGES, { State: 'enabled', ImageCriteria: entries, RestoreOnDelete: 'true' }), reason),
  };
}

/** One criterion made with ImageCriterion.of, rejected by the factory itself. */
function criterion(name: string, options: ImageCriterionOptions, entry: Record<string, unknown>,
  field: string, resourceField: string, problem: string): BadInput {
  return criteria(name, () => [ImageCriterion.of(options)], [entry],
    `ImageCriterion.${field}: ${problem}`, `ImageCriteria[0].${resourceField}: ${problem}`);
}

const accounts = (n: number, from = 100000000000) => Array.from({ length: n }, (_, i) => String(from + i));

export const ACCOUNT_SETTINGS: BadInput[] = [
  criteria('11 image criteria', () => accounts(11).map(a => ImageCriterion.providers(a)), accounts(11).map(a => ({ ImageProviders: [a] })),
    'AllowedImages.criteria: 11 criteria; EC2 allows at most 10', 'ImageCriteria: 11 criteria; EC2 allows at most 10'),
  criteria('201 providers across the criteria', () => [ImageCriterion.providers(...accounts(101)), ImageCriterion.providers(...accounts(100, 200000000000))],
    [{ ImageProviders: accounts(101) }, { ImageProviders: accounts(100, 200000000000) }],
    'AllowedImages.criteria: 201 values of providers in all; EC2 allows at most 200 across all criteria',
    'ImageCriteria: 201 values of ImageProviders in all; EC2 allows at most 200 across all criteria'),
  criterion("'none' with another provider", { providers: ['none', 'amazon'] }, { ImageProviders: ['none', 'amazon'] }, 'providers', 'ImageProviders',
    "'none' (the account's own AMIs only) must be the criterion's only provider, got [\"none\",\"amazon\"]"),
  criterion('a misspelled provider', { providers: ['amazn'] }, { ImageProviders: ['amazn'] }, 'providers', 'ImageProviders',
    "'amazn' is not amazon, aws-marketplace, aws-backup-vault, none or a 12-digit account id"),
  criterion('an 11-digit account as provider', { providers: ['11112222333'] }, { ImageProviders: ['11112222333'] }, 'providers', 'ImageProviders',
    "'11112222333' is not amazon, aws-marketplace, aws-backup-vault, none or a 12-digit account id"),
  criterion('a provider listed twice', { providers: [PRODUCER, PRODUCER] }, { ImageProviders: [PRODUCER, PRODUCER] }, 'providers', 'ImageProviders',
    `'${PRODUCER}' is listed twice`),
  criterion('an image name with a character EC2 refuses', { imageNames: ['golden:al2023'] }, { ImageNames: ['golden:al2023'] }, 'imageNames', 'ImageNames',
    "'golden:al2023' is not an AMI name pattern (1 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _ * ?)"),
  criterion('an image name pattern with ? shorter than 3 characters', { imageNames: ['a?'] }, { ImageNames: ['a?'] }, 'imageNames', 'ImageNames',
    "'a?' is too short; a pattern with ? needs at least 3 characters"),
  criteria('a negative maximumDaysSinceCreated', () => [ImageCriterion.of({ maximumDaysSinceCreated: -1 })],
    // CloudFormation hands the number over as a string.
    [{ CreationDateCondition: { MaximumDaysSinceCreated: '-1' } }],
    'ImageCriterion.maximumDaysSinceCreated: -1 is not a whole number of days from 0 to 2147483647',
    "ImageCriteria[0].CreationDateCondition.MaximumDaysSinceCreated: '-1' is not a whole number of days from 0 to 2147483647"),
  {
    name: 'maximumDaysSinceDeprecated that is not a whole number',
    synth: {
      build: stack => { new AllowedImages(stack, 'AllowedImages', { criteria: [ImageCriterion.of({ maximumDaysSinceDeprecated: 1.5 })] }); },
      error: 'ImageCriterion.maximumDaysSinceDeprecated: 1.5 is not a whole number of days from 0 to 2147483647',
    },
    handler: exact(() => create(ALLOWED_IMAGES, { State: 'enabled', ImageCriteria: [{ DeprecationTimeCondition: { MaximumDaysSinceDeprecated: '1.5' } }] }),
      "ImageCriteria[0].DeprecationTimeCondition.MaximumDaysSinceDeprecated: '1.5' is not a whole number of days from 0 to 2147483647"),
  },
  criteria('an empty criterion', () => [ImageCriterion.of({})], [{}],
    'ImageCriterion: a criterion needs at least one of providers, imageNames, marketplaceProductCodes, maximumDaysSinceCreated, maximumDaysSinceDeprecated',
    'ImageCriteria[0]: a criterion needs at least one of ImageProviders, ImageNames, MarketplaceProductCodes, '
      + 'CreationDateCondition.MaximumDaysSinceCreated, DeprecationTimeCondition.MaximumDaysSinceDeprecated'),
  {
    name: "AllowedImages: State 'disabled'",
    synth: undefined,
    handler: exact(() => create(ALLOWED_IMAGES, { State: 'disabled', ImageCriteria: [{ ImageProviders: ['amazon'] }] }),
      "State: 'disabled' is not enabled or audit-mode"),
  },
  {
    name: 'AllowedImages: ImageCriteria is not a list',
    synth: undefined,
    handler: exact(() => create(ALLOWED_IMAGES, { State: 'enabled', ImageCriteria: { ImageProviders: ['amazon'] } }),
      'ImageCriteria: {"ImageProviders":["amazon"]} is not a list of image criteria'),
  },
  {
    name: 'AllowedImages: an extra property',
    synth: undefined,
    handler: exact(() => create(ALLOWED_IMAGES, { State: 'enabled', ImageCriteria: [], Criteria: [] }),
      "Criteria: unknown property 'Criteria' (expected State, ImageCriteria, RestoreOnDelete)"),
  },
  {
    name: 'ImageBlockPublicAccess: RestoreOnDelete that is not a boolean',
    synth: undefined,
    handler: exact(() => create(BLOCK_PUBLIC_ACCESS, { RestoreOnDelete: 'yes' }), "RestoreOnDelete: 'yes' is not true or false"),
  },
  {
    name: 'ImageBlockPublicAccess: an extra property',
    synth: undefined,
    handler: exact(() => create(BLOCK_PUBLIC_ACCESS, { State: 'unblocked' }), "State: unknown property 'State' (expected RestoreOnDelete)"),
  },
];
