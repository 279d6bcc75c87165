// The account-level settings' decisions and bookkeeping, without EC2: which call block public access needs, what is
// remembered for restoring on Delete, and the wait for EC2 to show a change.
import { isManagedByDeclarativePolicy } from '../../lambda/account-settings/declarative-policy';
import { foundStatePhysicalId, parseFoundState } from '../../lambda/account-settings/found-state';
import { waitForPropagation } from '../../lambda/account-settings/propagation';
import { Deadline } from '../../lambda/deadline';
import {
  blockPublicAccessDifferences,
  blockPublicAccessWrite,
  foundBlockPublicAccess,
} from '../../lambda/image-block-public-access/plan';

describe('block public access: the one call that converges it', () => {
  test.each([
    [{ state: 'unblocked' }, 'block-new-sharing', 'enable'],
    [{ state: undefined }, 'block-new-sharing', 'enable'],
    [{ state: 'block-new-sharing' }, 'block-new-sharing', undefined],
    [{ state: 'block-new-sharing' }, 'unblocked', 'disable'],
    [{ state: 'unblocked' }, 'unblocked', undefined],
    // A state EC2 might add later still lets AMIs be made public as far as this library knows: it is not block-new-sharing.
    [{ state: 'block-all-sharing-someday' }, 'unblocked', undefined],
  ] as const)('live %j, desired %s: %s', (live, desired, write) => {
    expect(blockPublicAccessWrite(live, desired)).toBe(write);
    expect(blockPublicAccessDifferences(live, desired)).toHaveLength(write === undefined ? 0 : 1);
  });

  test('what is remembered is one of the two states EC2 accepts', () => {
    expect(foundBlockPublicAccess({ state: 'block-new-sharing' })).toBe('block-new-sharing');
    expect(foundBlockPublicAccess({ state: 'unblocked' })).toBe('unblocked');
    expect(foundBlockPublicAccess({})).toBe('unblocked');
  });

  test('only managedBy declarative-policy takes it out of the account\'s hands', () => {
    expect(isManagedByDeclarativePolicy({ state: 'unblocked', managedBy: 'declarative-policy' })).toBe(true);
    expect(isManagedByDeclarativePolicy({ state: 'unblocked', managedBy: 'account' })).toBe(false);
    expect(isManagedByDeclarativePolicy({ state: 'unblocked' })).toBe(false);
  });
});

describe('the found state in the physical id', () => {
  test('round-trips, and is only read back for its own setting', () => {
    const id = foundStatePhysicalId('ImageBlockPublicAccess', 'eu-west-1', 'unblocked')!;
    expect(id).toMatch(/^ImageBlockPublicAccess\/eu-west-1\/[A-Za-z0-9_-]+$/);
    expect(parseFoundState('ImageBlockPublicAccess', id)).toEqual({ region: 'eu-west-1', found: 'unblocked' });
    expect(parseFoundState('AllowedImages', id)).toBeUndefined();
  });

  test('ids it did not make are not read as a found state', () => {
    for (const id of ['BlockPublicAccess-not-created', 'ImageBlockPublicAccess/us-east-1', 'ImageBlockPublicAccess/us-east-1/%%%',
      'ImageBlockPublicAccess/us-east-1/abc/def']) {
      expect(parseFoundState('ImageBlockPublicAccess', id)).toBeUndefined();
    }
  });

  test('a state too large for CloudFormation\'s 1 KB physical id is refused rather than cut', () => {
    // Random-looking account ids do not compress much: 200 of them take well over 1 KB.
    const accounts = Array.from({ length: 200 }, (_, i) => String(100000000000 + ((i * 7_919_113_331) % 899999999999)));
    expect(foundStatePhysicalId('AllowedImages', 'us-east-1', { criteria: [{ providers: accounts }] })).toBeUndefined();
    expect(foundStatePhysicalId('AllowedImages', 'us-east-1', { criteria: [{ providers: accounts.slice(0, 20) }] })).toBeDefined();
  });
});

describe('waiting for EC2 to apply a change', () => {
  test('returns the reads it took once the change shows', async () => {
    const answers = ['unblocked', 'unblocked', 'block-new-sharing'];
    const reads = await waitForPropagation({ deadline: new Deadline(Date.now() + 30_000) }, {
      call: 'EnableImageBlockPublicAccess',
      setting: 'block public access',
      then: 'try later',
      read: async () => answers.shift()!,
      differences: live => live === 'block-new-sharing' ? [] : [`reads ${live}`],
    });
    expect(reads).toBe(3);
  });

  test('out of time: says the call was accepted, what still differs, and what to do', async () => {
    await expect(waitForPropagation({ deadline: new Deadline(Date.now() + 1_200) }, {
      call: 'DisableImageBlockPublicAccess',
      setting: 'block public access',
      then: 'It can take minutes; delete again later',
      read: async () => 'block-new-sharing',
      differences: live => [`still reads '${live}'`],
    })).rejects.toThrow(/^DisableImageBlockPublicAccess was accepted, but after [23] reads over 1 s block public access still reads 'block-new-sharing'\. It can take minutes; delete again later$/);
  });
});
