// The catalogue of bad inputs: each one as a construct user would write it (when the typed API can express it) and as
// CloudFormation would hand it to the handler, with the exact message each side must fail with. The handler event is
// what the construct would have put in the template had the value been a token resolved at deploy time, or what a
// template author could write by hand. test/moto/bad-inputs.test.ts runs every entry (synth, and the handler against
// moto through the EC2 peer with no EC2 request allowed); scripts/bad-inputs-doc.ts renders docs/bad-inputs.md from it.
// The entries live in one file per concept (bad-inputs-*.ts); their order here is the order of the tests and the doc.
//
// Messages are written out there, not taken from src/validation/, so a change of wording shows up as a test failure.
import { ACCOUNT_SETTINGS } from './bad-inputs-account-settings';
import type { BadInput } from './bad-inputs-builders';
import { DEPRECATIONS } from './bad-inputs-deprecation';
import { DEREGISTRATION_PROTECTIONS } from './bad-inputs-deregistration-protection';
import { DESCRIPTIONS } from './bad-inputs-descriptions';
import { ENCRYPTION } from './bad-inputs-encryption';
import { IMAGE_IDS } from './bad-inputs-image-ids';
import { ENTRIES } from './bad-inputs-launch-permissions';
import { LISTS, PRINCIPALS } from './bad-inputs-principals';
import { REQUESTS } from './bad-inputs-requests';
import { SUPERSEDED_IMAGES } from './bad-inputs-superseded-images';

export { EXAMPLE_IMAGE_ID, RESOURCE_TYPES } from './bad-inputs-builders';
export type { BadInput, BadInputEvent } from './bad-inputs-builders';

export const BAD_INPUTS: readonly BadInput[] = [
  ...PRINCIPALS, ...LISTS, ...ENTRIES, ...IMAGE_IDS, ...DESCRIPTIONS, ...DEPRECATIONS, ...DEREGISTRATION_PROTECTIONS, ...REQUESTS,
  ...ENCRYPTION, ...ACCOUNT_SETTINGS, ...SUPERSEDED_IMAGES,
];
