// The bad-input catalogue's entries for AmiLaunchPermissions' supersededImages (SupersededImages.keep): a count outside
// 1 to 10, a deprecation delay that is not whole minutes, and the SupersededImages property as the handler receives it.
import { Duration } from 'aws-cdk-lib';
import { ACCOUNT, BadInput, create, exact, LAUNCH_PERMISSIONS, lp } from './bad-inputs-builders';
import { SupersededImages } from '../../src';

const keeping = (superseded: unknown) => (imageId: string) =>
  create(LAUNCH_PERMISSIONS, { ...lp(imageId, [{ UserId: ACCOUNT }]), SupersededImages: superseded });
const NOT_COUNT = 'is not a whole number of superseded AMIs to keep from 1 to 10 (use SupersededImages.revoke() to keep none; '
  + 'the window is limited by the 1 KB physical id that holds it)';
const NOT_MINUTES = 'is not a whole number of minutes from 0 to 5256000 (EC2 deprecates at most 10 years ahead, to the minute)';

export const SUPERSEDED_IMAGES: BadInput[] = [
  {
    name: 'SupersededImages.keep(0)',
    synth: { build: () => { SupersededImages.keep(0); }, error: `AmiLaunchPermissions.supersededImages (SupersededImages.keep count): 0 ${NOT_COUNT}` },
    handler: exact(keeping({ Keep: '0', DeprecateAfterMinutes: '0' }), `SupersededImages.Keep: '0' ${NOT_COUNT}`),
  },
  {
    name: 'SupersededImages.keep(11): more than the physical id holds',
    synth: { build: () => { SupersededImages.keep(11); }, error: `AmiLaunchPermissions.supersededImages (SupersededImages.keep count): 11 ${NOT_COUNT}` },
    handler: exact(keeping({ Keep: '11', DeprecateAfterMinutes: '0' }), `SupersededImages.Keep: '11' ${NOT_COUNT}`),
  },
  {
    name: 'SupersededImages.keep(1.5)',
    synth: { build: () => { SupersededImages.keep(1.5); }, error: `AmiLaunchPermissions.supersededImages (SupersededImages.keep count): 1.5 ${NOT_COUNT}` },
    handler: exact(keeping({ Keep: '1.5', DeprecateAfterMinutes: '0' }), `SupersededImages.Keep: '1.5' ${NOT_COUNT}`),
  },
  {
    name: 'SupersededImages deprecateAfter of 90 seconds',
    synth: {
      build: () => { SupersededImages.keep(2, { deprecateAfter: Duration.seconds(90) }); },
      error: `AmiLaunchPermissions.supersededImages (deprecateAfter, 1 minute 30 seconds): 1.5 ${NOT_MINUTES}`,
    },
    handler: exact(keeping({ Keep: '2', DeprecateAfterMinutes: '1.5' }), `SupersededImages.DeprecateAfterMinutes: '1.5' ${NOT_MINUTES}`),
  },
  {
    name: 'SupersededImages deprecateAfter of 11 years',
    synth: {
      build: () => { SupersededImages.keep(2, { deprecateAfter: Duration.days(11 * 365) }); },
      error: `AmiLaunchPermissions.supersededImages (deprecateAfter, 4015 days): 5781600 ${NOT_MINUTES}`,
    },
    handler: exact(keeping({ Keep: '2', DeprecateAfterMinutes: '5781600' }), `SupersededImages.DeprecateAfterMinutes: '5781600' ${NOT_MINUTES}`),
  },
  {
    name: 'SupersededImages as a bare number',
    synth: undefined,
    handler: exact(keeping('2'), "SupersededImages: '2' is not an object with Keep and DeprecateAfterMinutes"),
  },
  {
    name: 'SupersededImages with a mistyped property (Count)',
    synth: undefined,
    handler: exact(keeping({ Count: '2' }), `2 problems: SupersededImages.Count: not a property of SupersededImages (Keep, DeprecateAfterMinutes); SupersededImages.Keep: undefined ${NOT_COUNT}`),
  },
];
