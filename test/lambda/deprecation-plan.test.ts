// The deprecation decision (lambda/deprecation/plan.ts), the rules it applies (src/validation/deprecation.ts) and the
// physical id that remembers the original (lambda/deprecation/original.ts): pure functions, no EC2.
import { deprecationPhysicalId, parseDeprecationPhysicalId } from '../../lambda/deprecation/original';
import { LiveDeprecation, planDeprecation } from '../../lambda/deprecation/plan';
import { DEPRECATION_LEAD_MS, deprecateAtError, earliestDeprecationTime, parseDeprecateAt, roundToMinute } from '../../src/validation';

const IMAGE = 'ami-0123456789abcdef0';
const NOW = new Date('2027-05-10T09:30:20.000Z');
const CREATED = new Date('2027-01-01T00:00:00.000Z');
const d = (iso: string) => new Date(iso);
const privateAmi = (deprecationTime?: string): LiveDeprecation =>
  ({ public: false, creationDate: CREATED, deprecationTime: deprecationTime ? d(deprecationTime) : undefined });
const publicAmi = (deprecationTime?: string): LiveDeprecation => ({ ...privateAmi(deprecationTime), public: true });
const plan = (target: string | undefined, live: LiveDeprecation) => planDeprecation(IMAGE, target === undefined ? undefined : d(target), live, NOW, 'DeprecateAt');

describe('minutes', () => {
  test('EC2 rounds to the nearest minute', () => {
    expect(roundToMinute(d('2027-06-01T00:00:29.999Z')).toISOString()).toBe('2027-06-01T00:00:00.000Z');
    expect(roundToMinute(d('2027-06-01T00:00:30.000Z')).toISOString()).toBe('2027-06-01T00:01:00.000Z');
  });

  test('the earliest deprecation time is the first whole minute at least a minute away', () => {
    expect(earliestDeprecationTime(NOW).toISOString()).toBe('2027-05-10T09:32:00.000Z');
    expect(earliestDeprecationTime(d('2027-05-10T09:31:00.000Z')).toISOString()).toBe('2027-05-10T09:32:00.000Z');
    // The case a CI run met: 50 ms before a whole minute, "the next minute" had passed by the time EC2 read it.
    const justBefore = d('2027-05-10T09:30:59.950Z');
    expect(earliestDeprecationTime(justBefore).getTime() - justBefore.getTime()).toBeGreaterThanOrEqual(DEPRECATION_LEAD_MS);
    expect(earliestDeprecationTime(justBefore).toISOString()).toBe('2027-05-10T09:32:00.000Z');
  });
});

describe('planDeprecation', () => {
  test('no deprecation yet: one EnableImageDeprecation at the rounded time', () => {
    expect(plan('2027-08-01T10:00:40Z', privateAmi())).toEqual({ change: { action: 'enable', at: d('2027-08-01T10:01:00Z') }, passed: false });
  });

  test('already there (after rounding): no call', () => {
    expect(plan('2027-08-01T10:00:10Z', privateAmi('2027-08-01T10:00:00Z'))).toEqual({ change: { action: 'none' }, passed: false });
  });

  test('a private AMI\'s deprecation moves later or earlier', () => {
    expect(plan('2027-09-01T00:00:00Z', privateAmi('2027-08-01T00:00:00Z')).change).toEqual({ action: 'enable', at: d('2027-09-01T00:00:00Z') });
    expect(plan('2027-07-01T00:00:00Z', privateAmi('2027-08-01T00:00:00Z')).change).toEqual({ action: 'enable', at: d('2027-07-01T00:00:00Z') });
  });

  test('cancelling: DisableImageDeprecation, or nothing when there is none', () => {
    expect(plan(undefined, privateAmi('2027-08-01T00:00:00Z')).change).toEqual({ action: 'disable' });
    expect(plan(undefined, privateAmi()).change).toEqual({ action: 'none' });
  });

  describe('a time that has passed', () => {
    test('deprecates at the earliest time EC2 will still accept', () => {
      expect(plan('2027-05-01T00:00:00Z', privateAmi())).toEqual({ change: { action: 'enable', at: d('2027-05-10T09:32:00Z') }, passed: true });
    });

    test('a time less than a minute ahead counts as passed: EC2 could refuse it by the time the call arrives', () => {
      expect(plan('2027-05-10T09:31:40Z', privateAmi())).toMatchObject({ passed: false, change: { action: 'enable', at: d('2027-05-10T09:32:00Z') } });
      expect(plan('2027-05-10T09:31:29Z', privateAmi())).toMatchObject({ passed: true, change: { action: 'enable', at: d('2027-05-10T09:32:00Z') } });
    });

    test('already deprecated (or will be by the earliest time): no call, so a redeploy writes nothing', () => {
      expect(plan('2027-05-01T00:00:00Z', privateAmi('2027-05-10T09:32:00Z'))).toEqual({ change: { action: 'none' }, passed: true });
      expect(plan('2027-05-01T00:00:00Z', privateAmi('2026-01-01T00:00:00Z'))).toEqual({ change: { action: 'none' }, passed: true });
    });

    test('deprecated later than now: brought forward to the earliest time', () => {
      expect(plan('2027-05-01T00:00:00Z', privateAmi('2027-12-01T00:00:00Z')).change).toEqual({ action: 'enable', at: d('2027-05-10T09:32:00Z') });
    });
  });

  test('more than 10 years ahead: refused, no call', () => {
    const decision = plan('2037-05-10T09:32:00Z', privateAmi());
    expect(decision.change).toEqual({ action: 'none' });
    expect(decision.refusal).toBe('DeprecateAt: 2037-05-10T09:32:00.000Z is more than 10 years from now, the latest time EC2 accepts (EnableImageDeprecation); '
      + 'choose a time at most 10 years after the deployment');
    expect(plan('2037-05-10T09:30:00Z', privateAmi()).refusal).toBeUndefined();
  });

  describe('a public AMI', () => {
    test('at most 2 years from its creation', () => {
      const decision = plan('2029-01-01T00:01:00Z', publicAmi());
      expect(decision.change).toEqual({ action: 'none' });
      expect(decision.refusal).toMatch(/more than 2 years after ami-0123456789abcdef0 was created \(2027-01-01T00:00:00.000Z\).* or make the AMI private first/);
      expect(plan('2029-01-01T00:00:00Z', publicAmi()).change).toEqual({ action: 'enable', at: d('2029-01-01T00:00:00Z') });
    });

    test('its deprecation may move earlier, never later', () => {
      expect(plan('2027-07-01T00:00:00Z', publicAmi('2027-08-01T00:00:00Z')).change).toEqual({ action: 'enable', at: d('2027-07-01T00:00:00Z') });
      const later = plan('2027-09-01T00:00:00Z', publicAmi('2027-08-01T00:00:00Z'));
      expect(later.change).toEqual({ action: 'none' });
      expect(later.refusal).toMatch(/is public, and EC2 does not let a public AMI's deprecation be moved later .*make the AMI private first, or declare 2027-08-01T00:00:00.000Z or earlier/);
    });

    test('its deprecation cannot be cancelled', () => {
      const decision = plan(undefined, publicAmi('2027-08-01T00:00:00Z'));
      expect(decision.change).toEqual({ action: 'none' });
      expect(decision.refusal).toMatch(/does not let a public AMI's deprecation \(2027-08-01T00:00:00.000Z\) be cancelled; make the AMI private first/);
    });
  });
});

describe('parseDeprecateAt and deprecateAtError', () => {
  test.each([
    ['2027-06-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z'],
    ['2027-06-01T00:00:00Z', '2027-06-01T00:00:00.000Z'],
    ['2027-06-01T00:00Z', '2027-06-01T00:00:00.000Z'],
  ])('accepts %s', (value, iso) => {
    expect((parseDeprecateAt('DeprecateAt', value) as Date).toISOString()).toBe(iso);
  });

  test.each([
    [undefined, /'?undefined'? is not a UTC date and time/],
    ['tomorrow', /'tomorrow' is not a UTC date and time/],
    ['2027-06-01T00:00:00+02:00', /is not a UTC date and time/],
    ['2027-02-30T00:00:00Z', /'2027-02-30T00:00:00Z' is not a valid date/],
  ])('refuses %s', (value, message) => {
    expect(parseDeprecateAt('DeprecateAt', value)).toMatch(message);
  });

  test('an invalid Date is named', () => {
    expect(deprecateAtError('AmiDeprecation.deprecateAt', new Date('nope'), NOW)).toBe('AmiDeprecation.deprecateAt: an invalid Date was given');
  });
});

describe('the physical id', () => {
  test('keeps the original time, or that there was none', () => {
    expect(deprecationPhysicalId(IMAGE, d('2027-08-01T00:00:00Z'))).toBe(`${IMAGE}/deprecation/2027-08-01T00:00:00.000Z`);
    expect(parseDeprecationPhysicalId(`${IMAGE}/deprecation/2027-08-01T00:00:00.000Z`)).toEqual({ imageId: IMAGE, original: d('2027-08-01T00:00:00Z') });
    expect(parseDeprecationPhysicalId(deprecationPhysicalId(IMAGE, undefined))).toEqual({ imageId: IMAGE, original: undefined });
  });

  test('an id it did not make (a failed Create\'s placeholder) is not parsed', () => {
    expect(parseDeprecationPhysicalId('Deprecation-not-created')).toBeUndefined();
    expect(parseDeprecationPhysicalId(`${IMAGE}/deprecation/garbage`)).toBeUndefined();
  });
});
