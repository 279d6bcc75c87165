import { describeDifferences, isEmpty, planConverge, planDelete, unwritten } from '../../lambda/launch-permissions/plan';

const set = (...keys: string[]) => new Set(keys);
const A = 'UserId:111111111111';
const B = 'UserId:222222222222';
const C = 'UserId:333333333333';
const PUBLIC = 'Group:all';
const ORG = 'OrganizationArn:arn:aws:organizations::123456789012:organization/o-abcdefghij';

describe('planConverge', () => {
  test('nothing to do when the live set already has what is declared', () => {
    expect(planConverge({ desired: set(A, B), live: set(B, A), mode: 'ADDITIVE' })).toEqual({ add: [], remove: [] });
    expect(planConverge({ desired: set(A, B), live: set(B, A), mode: 'EXCLUSIVE' })).toEqual({ add: [], remove: [] });
  });

  test('ADDITIVE create adds only what is missing and leaves others alone', () => {
    expect(planConverge({ desired: set(A, B), live: set(B, C), mode: 'ADDITIVE' })).toEqual({ add: [A], remove: [] });
  });

  test('ADDITIVE update revokes what the previous declaration had and this one dropped, if it is live', () => {
    expect(planConverge({ desired: set(A), previous: set(A, B, ORG), live: set(A, B, C), mode: 'ADDITIVE' }))
      .toEqual({ add: [], remove: [B] });
  });

  test('ADDITIVE never revokes a principal someone else added', () => {
    expect(planConverge({ desired: set(), previous: set(A), live: set(A, C, PUBLIC), mode: 'ADDITIVE' }))
      .toEqual({ add: [], remove: [A] });
  });

  test('EXCLUSIVE makes the live set exactly the declared set', () => {
    expect(planConverge({ desired: set(A, ORG), live: set(B, C, PUBLIC, A), mode: 'EXCLUSIVE' }))
      .toEqual({ add: [ORG], remove: [B, C, PUBLIC].sort() });
  });

  test('EXCLUSIVE with nothing declared makes the AMI private', () => {
    expect(planConverge({ desired: set(), live: set(A, PUBLIC), mode: 'EXCLUSIVE' })).toEqual({ add: [], remove: [PUBLIC, A].sort() });
  });

  test('switching EXCLUSIVE to ADDITIVE keeps outsiders added meanwhile', () => {
    expect(planConverge({ desired: set(A), previous: set(A, B), live: set(A, B, C), mode: 'ADDITIVE' })).toEqual({ add: [], remove: [B] });
  });

  test('outputs are sorted so the same input always gives the same calls', () => {
    const plan = planConverge({ desired: set(C, A, B), live: set(), mode: 'ADDITIVE' });
    expect(plan.add).toEqual([A, B, C]);
  });
});

describe('planDelete', () => {
  test('revokes the declared principals that are live, nothing else', () => {
    expect(planDelete(set(A, B, PUBLIC), set(B, C, PUBLIC))).toEqual({ add: [], remove: [PUBLIC, B].sort() });
  });
});

describe('unwritten', () => {
  test('what a fresh read still asks for but was written already is not written again', () => {
    expect(unwritten({ add: [A, B], remove: [C] }, { add: [A], remove: [C] })).toEqual({ add: [B], remove: [] });
  });
  test('a plan fully written leaves nothing (a stale read: wait, do not write)', () => {
    expect(isEmpty(unwritten({ add: [A], remove: [B] }, { add: [A, C], remove: [B] }))).toBe(true);
  });
});

describe('describeDifferences', () => {
  test('names what is missing and what is still live', () => {
    expect(describeDifferences({ add: [A], remove: [B] })).toEqual([`${A} is not live yet`, `${B} is still live`]);
  });
});
