// The decisions behind key grants and snapshot permissions (lambda/encryption/plan.ts), which the handler acts on and
// `cdk-ami-sharing plan` shows: where each set is read from, and what is added and removed for a live set.
import {
  checksEncryption,
  keyGrantsToConverge,
  keyGrantsToRevoke,
  managesEncryption,
  readsStorage,
  snapshotPermissionsToConverge,
  snapshotPermissionsToRevoke,
} from '../../lambda/encryption/plan';
import { keysToDescribe } from '../../lambda/encryption/preflight';
import { parseLaunchPermissionsProperties } from '../../lambda/launch-permissions/properties';

const IMAGE = 'ami-0123456789abcdef0';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OLD_KEY = 'arn:aws:kms:us-east-1:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab';
const IN_APP_KEY = 'arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const SNAP = 'snap-0123456789abcdef0';

function declaration(accounts: string[], extra: Record<string, unknown> = {}) {
  return parseLaunchPermissionsProperties({ ImageId: IMAGE, Permissions: accounts.map(UserId => ({ UserId })), ...extra });
}
const grants = (keys: string[]) => ({ EncryptionKeys: keys.map(KeyArn => ({ KeyArn, SharedBy: 'GRANTS' })) });
const live = (...keys: string[]) => new Set(keys);

describe('key grants', () => {
  test('an Update reads the keys of both declarations, and revokes what the previous one granted on a dropped key', () => {
    const previous = declaration([A, B], grants([OLD_KEY]));
    const decision = keyGrantsToConverge(declaration([A], grants([KEY])), previous);
    expect(decision.targets).toEqual([KEY, OLD_KEY]);
    expect(decision.plan(live(`${A} on ${OLD_KEY}`, `${B} on ${OLD_KEY}`))).toEqual({ remove: [`${A} on ${OLD_KEY}`, `${B} on ${OLD_KEY}`], add: [`${A} on ${KEY}`] });
  });

  test('ADDITIVE keeps a grant it did not make; EXCLUSIVE revokes it', () => {
    const byHand = live(`${A} on ${KEY}`, `${C} on ${KEY}`);
    expect(keyGrantsToConverge(declaration([A], grants([KEY]))).plan(byHand)).toEqual({ remove: [], add: [] });
    expect(keyGrantsToConverge(declaration([A], { ...grants([KEY]), Mode: 'EXCLUSIVE' })).plan(byHand)).toEqual({ remove: [`${C} on ${KEY}`], add: [] });
  });

  test('keys shared by key policy have no grants: nothing to read', () => {
    const inApp = declaration([A], { EncryptionKeys: [{ KeyArn: IN_APP_KEY, SharedBy: 'KEY_POLICY' }] });
    expect(keyGrantsToConverge(inApp).targets).toEqual([]);
    expect(managesEncryption(inApp)).toBe(false);
  });

  test('a Delete revokes only the declared grants that are live', () => {
    const decision = keyGrantsToRevoke(declaration([A, B], grants([KEY])));
    expect(decision.targets).toEqual([KEY]);
    expect(decision.plan(live(`${A} on ${KEY}`, `${C} on ${KEY}`))).toEqual({ remove: [`${A} on ${KEY}`], add: [] });
  });
});

describe('snapshot permissions', () => {
  test('with allowCopy: the declared accounts on every snapshot, in the declaration\'s mode', () => {
    const decision = snapshotPermissionsToConverge(declaration([A, B], { AllowCopy: 'true', Mode: 'EXCLUSIVE' }), undefined, [SNAP]);
    expect(decision.targets).toEqual([SNAP]);
    expect(decision.plan(live(`${C} on ${SNAP}`))).toEqual({ remove: [`${C} on ${SNAP}`], add: [`${A} on ${SNAP}`, `${B} on ${SNAP}`] });
  });

  test('allowCopy turned off: ADDITIVE whatever the mode, so only this construct\'s own accounts are revoked', () => {
    const previous = declaration([A], { AllowCopy: 'true', Mode: 'EXCLUSIVE' });
    const decision = snapshotPermissionsToConverge(declaration([A], { Mode: 'EXCLUSIVE' }), previous, [SNAP]);
    expect(decision.targets).toEqual([SNAP]);
    expect(decision.plan(live(`${A} on ${SNAP}`, `${C} on ${SNAP}`))).toEqual({ remove: [`${A} on ${SNAP}`], add: [] });
  });

  test('never allowCopy: nothing to read, on Update or Delete', () => {
    expect(snapshotPermissionsToConverge(declaration([A]), declaration([A]), [SNAP]).targets).toEqual([]);
    expect(snapshotPermissionsToRevoke(declaration([A]), [SNAP]).targets).toEqual([]);
  });
});

describe('when the handler reads the AMI\'s storage and checks its encryption', () => {
  test('storage: when it grants launch permissions, or manages grants or snapshot permissions (now or before)', () => {
    expect(readsStorage([], declaration([A]))).toBe(false);
    expect(readsStorage([`UserId:${A}`], declaration([A]))).toBe(true);
    expect(readsStorage([], declaration([A]), declaration([A], { AllowCopy: 'true' }))).toBe(true);
    expect(readsStorage([], declaration([A], grants([KEY])))).toBe(true);
  });

  test('the encryption check: for any principal but everyone', () => {
    expect(checksEncryption(declaration([A]))).toBe(true);
    expect(checksEncryption(parseLaunchPermissionsProperties({ ImageId: IMAGE, Permissions: [{ Group: 'all' }] }))).toBe(false);
  });

  test('DescribeKey is asked only about undeclared keys of the AMI owner\'s account', () => {
    const foreign = 'arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const facts = {
      ownerId: '123456789012',
      productCodes: [],
      watermarks: [],
      snapshots: [{ snapshotId: 'snap-1', encrypted: true }, { snapshotId: 'snap-2', encrypted: true }, { snapshotId: 'snap-3', encrypted: true }],
      snapshotKeys: new Map([['snap-1', KEY], ['snap-2', OLD_KEY], ['snap-3', foreign]]),
    };
    expect(keysToDescribe(facts, { encryptionKeys: [{ KeyArn: KEY, SharedBy: 'GRANTS' }], keysSharedElsewhere: false })).toEqual([OLD_KEY]);
  });
});
