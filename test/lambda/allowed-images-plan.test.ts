// Custom::AllowedImages' decisions without EC2: criteria compared as sets, the order of the writes, and which found
// settings can be written back.
import { allowedImagesDifferences, allowedImagesWrites, criterionKey, sameCriteria, unrestorableReason } from '../../lambda/allowed-images/plan';

const AMAZON = { ImageProviders: ['amazon'] };
const PRODUCERS = { ImageProviders: ['111122223333', '444455556666'], ImageNames: ['golden-*'], CreationDateCondition: { MaximumDaysSinceCreated: 90 } };

describe('criteria as sets', () => {
  test('the order of criteria and of their values, repeated values, and numbers as strings make no difference', () => {
    const reordered = {
      ImageNames: ['golden-*'],
      ImageProviders: ['444455556666', '111122223333', '444455556666'],
      CreationDateCondition: { MaximumDaysSinceCreated: '90' as unknown as number },
    };
    expect(sameCriteria([AMAZON, PRODUCERS], [reordered, AMAZON])).toBe(true);
    expect(criterionKey(PRODUCERS)).toBe(criterionKey(reordered));
  });

  test.each([
    ['a value more', [AMAZON], [{ ImageProviders: ['amazon', 'aws-marketplace'] }]],
    ['a criterion more', [AMAZON], [AMAZON, PRODUCERS]],
    ['the same values in other fields', [{ ImageNames: ['amazon'] }], [AMAZON]],
    ['another age', [PRODUCERS], [{ ...PRODUCERS, CreationDateCondition: { MaximumDaysSinceCreated: 91 } }]],
    ['a live criterion with a field the library does not declare', [{ ...AMAZON, unsupported: ['ImageWatermarks'] }], [AMAZON]],
  ])('%s is a difference', (_what, a, b) => {
    expect(sameCriteria(a, b)).toBe(false);
  });
});

describe('the writes, in order', () => {
  test('none when state and criteria match', () => {
    expect(allowedImagesWrites({ state: 'enabled', criteria: [AMAZON] }, { state: 'enabled', criteria: [AMAZON] })).toEqual([]);
  });

  test('turning on: criteria first, so the old criteria are never enforced', () => {
    expect(allowedImagesWrites({ state: 'disabled', criteria: [] }, { state: 'enabled', criteria: [AMAZON] }))
      .toEqual([{ replaceCriteria: [AMAZON] }, { setState: 'enabled' }]);
  });

  test('putting back settings that were off: disabled first, then the criteria', () => {
    expect(allowedImagesWrites({ state: 'enabled', criteria: [AMAZON] }, { state: 'disabled', criteria: [] }))
      .toEqual([{ setState: 'disabled' }, { replaceCriteria: [] }]);
  });

  test('a missing state counts as disabled', () => {
    expect(allowedImagesWrites({ criteria: [] }, { state: 'disabled', criteria: [] })).toEqual([]);
  });

  test('the read-back names what still differs', () => {
    expect(allowedImagesDifferences({ state: 'audit-mode', criteria: [] }, { state: 'enabled', criteria: [AMAZON] }))
      .toEqual(['criteria are 0 other than the 1 requested', "state is 'audit-mode' instead of 'enabled'"]);
  });
});

test('found criteria with fields the library cannot write back are named', () => {
  expect(unrestorableReason([AMAZON])).toBeUndefined();
  expect(unrestorableReason([{ ...AMAZON, unsupported: ['ImageWatermarks'] }, { unsupported: ['ScanResultCondition', 'ImageWatermarks'] }]))
    .toBe('their criteria use ImageWatermarks, ScanResultCondition, which AllowedImages cannot write back');
});
