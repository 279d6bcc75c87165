// The superseded-images window's decision (lambda/superseded/plan.ts) and its physical id (window.ts), directly.
import { LaunchPermissionsDeclaration } from '../../lambda/launch-permissions/properties';
import { keptImagesToFollow, leavingDeclaration, planWindow, rollbackMatters, sharingChanged, WindowInput } from '../../lambda/superseded/plan';
import { formatWindow, parseWindow, SupersededWindow } from '../../lambda/superseded/window';

const [A, B, C, D, E] = ['ami-0000000000000000a', 'ami-0000000000000000b', 'ami-0000000000000000c', 'ami-0000000000000000d', 'ami-0000000000000000e'];
const NONE = new Set<string>();

function input(previous: Partial<SupersededWindow> & { imageId: string }, imageId: string, extra: Partial<WindowInput> = {}): WindowInput {
  return { previous: { kept: [], pushedOut: [], ...previous }, imageId, keep: 2, previouslyKept: true, rollback: false, gone: NONE, ...extra };
}

describe('physical id', () => {
  test.each<[string, SupersededWindow]>([
    [`${A}/launchPermission`, { imageId: A, kept: [], pushedOut: [] }],
    [`${B}/launchPermission/kept:${A}/before:none`, { imageId: B, kept: [A], pushedOut: [], before: 'none' }],
    [`${D}/launchPermission/kept:${C},${B}/pushedOut:${A}/before:2027-01-01T00:00:00.000Z`,
      { imageId: D, kept: [C, B], pushedOut: [A], before: '2027-01-01T00:00:00.000Z' }],
    [`${D}/launchPermission/kept:${C}`, { imageId: D, kept: [C], pushedOut: [] }],
  ])('%s round-trips', (id, window) => {
    expect(parseWindow(id)).toEqual(window);
    expect(formatWindow(window)).toBe(id);
  });

  test.each(['Share-not-created', `${A}/imdsSupport`, `${A}/launchPermission/kept:ami-XYZ`, `${A}/launchPermission/other`, undefined])(
    '%s is not a window', id => expect(parseWindow(id)).toBeUndefined());

  test('ten kept AMIs, ten pushed out and a time stay far below the 1 KB a physical id holds', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `ami-${String(i).padStart(17, '0')}`);
    const id = formatWindow({ imageId: A, kept: ids.slice(0, 10), pushedOut: ids.slice(10), before: '2027-01-01T00:00:00.000Z' });
    expect(id.length).toBeLessThan(600); // 525: about half of what CloudFormation accepts
  });
});

describe('planWindow', () => {
  test('first rollover: the previous AMI is kept and deprecated, nothing is revoked', () => {
    expect(planWindow(input({ imageId: A }, B))).toEqual({
      window: { imageId: B, kept: [A], pushedOut: [], before: undefined },
      deprecate: A,
      restoreDeprecation: undefined,
      revoke: [],
      reshare: [],
      dropped: [],
    });
  });

  test('a rollover with a full window pushes the oldest out and records it for a rollback', () => {
    const plan = planWindow(input({ imageId: C, kept: [B, A], before: 'none' }, D));
    expect(plan.window).toEqual({ imageId: D, kept: [C, B], pushedOut: [A], before: undefined });
    expect({ deprecate: plan.deprecate, revoke: plan.revoke }).toEqual({ deprecate: C, revoke: [A] });
  });

  test('rolling back that rollover: the window before it, the pushed-out AMI shared again, the AMI current again undeprecated', () => {
    const made = { imageId: D, kept: [C, B], pushedOut: [A], before: '2027-01-01T00:00:00.000Z' };
    const plan = planWindow(input(made, C, { rollback: true }));
    expect(plan).toEqual({
      window: { imageId: C, kept: [B, A], pushedOut: [], before: undefined },
      deprecate: undefined,
      restoreDeprecation: { imageId: C, before: '2027-01-01T00:00:00.000Z' },
      revoke: [],
      reshare: [A],
      dropped: [],
    });
  });

  test('moving back to the AMI just superseded as a deployment: it leaves the window, the AMI it replaces is kept', () => {
    const plan = planWindow(input({ imageId: B, kept: [A], before: 'none' }, A));
    expect(plan.window).toEqual({ imageId: A, kept: [B], pushedOut: [], before: undefined });
    expect(plan.deprecate).toBe(B);
    expect(plan.restoreDeprecation).toEqual({ imageId: A, before: 'none' });
  });

  test('a kept AMI that was deregistered drops out; the next one takes its place', () => {
    const plan = planWindow(input({ imageId: C, kept: [B, A] }, D, { gone: new Set([B]) }));
    expect(plan.window.kept).toEqual([C, A]);
    expect(plan.dropped).toEqual([B]);
    expect(plan.revoke).toEqual([]);
  });

  test('a previous AMI that was deregistered is neither kept nor deprecated', () => {
    const plan = planWindow(input({ imageId: B, kept: [A] }, C, { gone: new Set([B]) }));
    expect(plan).toMatchObject({ deprecate: undefined, dropped: [B], window: { kept: [A] } });
  });

  test('a smaller keep count on the same AMI revokes what no longer fits', () => {
    const plan = planWindow(input({ imageId: D, kept: [C, B] }, D, { keep: 1 }));
    expect(plan.window).toEqual({ imageId: D, kept: [C], pushedOut: [B], before: undefined });
    expect(plan.revoke).toEqual([B]);
    expect(plan.deprecate).toBeUndefined();
  });

  test('back to revoke(): the kept AMIs are revoked, the previous one is left to the cleanup Delete, no window is recorded', () => {
    expect(planWindow(input({ imageId: C, kept: [B, A] }, C, { keep: 0 }))).toMatchObject({
      window: { imageId: C, kept: [], pushedOut: [] }, revoke: [B, A], deprecate: undefined,
    });
    expect(planWindow(input({ imageId: C, kept: [B, A] }, D, { keep: 0 }))).toMatchObject({
      window: { imageId: D, kept: [], pushedOut: [] }, revoke: [B, A], deprecate: undefined,
    });
  });

  test('declaring keep() at a rollover: the previous AMI is the cleanup Delete\'s (its declaration did not keep), so the window starts empty', () => {
    expect(planWindow(input({ imageId: A }, B, { previouslyKept: false }))).toMatchObject({
      window: { imageId: B, kept: [], pushedOut: [] }, deprecate: undefined, revoke: [],
    });
  });

  test('revoke() without a window: nothing to do, as before windows existed', () => {
    expect(planWindow(input({ imageId: A }, B, { keep: 0, previouslyKept: false }))).toEqual({
      window: { imageId: B, kept: [], pushedOut: [], before: undefined },
      deprecate: undefined,
      restoreDeprecation: undefined,
      revoke: [],
      reshare: [],
      dropped: [],
    });
  });

  test('the stack status is read only when it changes the answer', () => {
    expect(rollbackMatters({ imageId: C, kept: [B, A], pushedOut: [] }, D)).toBe(false);
    expect(rollbackMatters({ imageId: C, kept: [B, A], pushedOut: [] }, C)).toBe(false);
    expect(rollbackMatters({ imageId: C, kept: [B, A], pushedOut: [] }, B)).toBe(true);
    expect(rollbackMatters({ imageId: D, kept: [C], pushedOut: [A] }, D)).toBe(true);
    // A forward rollover after a full window's: the AMIs it pushed out do not matter to it.
    expect(rollbackMatters({ imageId: D, kept: [C, B], pushedOut: [A] }, E)).toBe(false);
  });
});

describe('keptImagesToFollow', () => {
  const X = 'UserId:111122223333';
  const Y = 'UserId:444455556666';
  const declaration = (permissions: string[], allowCopy = false): LaunchPermissionsDeclaration => ({
    imageId: C, permissions: new Set(permissions), mode: 'ADDITIVE', encryptionKeys: [], allowCopy, keysSharedElsewhere: false,
  });
  const rollover = planWindow({
    previous: { imageId: B, kept: [A], pushedOut: [] }, imageId: C, keep: 2, previouslyKept: true, rollback: false, gone: NONE,
  });

  test('principals or allowCopy changed: every AMI the window keeps after the request, the one just superseded included', () => {
    expect(rollover.window.kept).toEqual([B, A]);
    expect(keptImagesToFollow(rollover, declaration([X, Y]), declaration([X]))).toEqual([B, A]);
    expect(keptImagesToFollow(rollover, declaration([X]), declaration([X, Y]))).toEqual([B, A]);
    expect(keptImagesToFollow(rollover, declaration([X]), declaration([Y]))).toEqual([B, A]);
    expect(keptImagesToFollow(rollover, declaration([X], true), declaration([X], false))).toEqual([B, A]);
  });

  test('the same principals (in any order) and allowCopy, or a Create: none, so no kept AMI is read', () => {
    expect(keptImagesToFollow(rollover, declaration([X, Y]), declaration([Y, X]))).toEqual([]);
    expect(keptImagesToFollow(rollover, undefined, declaration([X]))).toEqual([]);
    expect(sharingChanged(declaration([X, Y], true), declaration([Y, X], true))).toBe(false);
    expect(sharingChanged(declaration([X]), declaration([X, Y]))).toBe(true);
    expect(sharingChanged(declaration([X]), declaration([X], true))).toBe(true);
  });

  test('an AMI leaving the window is revoked for both declarations when the sharing changed, in one declaration', () => {
    const key = (KeyArn: string, SharedBy: 'GRANTS' | 'KEY_POLICY') => ({ KeyArn, SharedBy });
    const before = { ...declaration([X, Y], true), encryptionKeys: [key('arn:k1', 'GRANTS'), key('arn:k2', 'KEY_POLICY')] };
    const now = { ...declaration([X]), encryptionKeys: [key('arn:k2', 'GRANTS')] };
    expect(leavingDeclaration(before, now)).toEqual({
      ...now, permissions: new Set([X, Y]), allowCopy: true, encryptionKeys: [key('arn:k1', 'GRANTS'), key('arn:k2', 'GRANTS')],
    });
    expect(leavingDeclaration(declaration([X]), declaration([X]))).toEqual(declaration([X]));
    expect(leavingDeclaration(undefined, now)).toBe(now);
  });

  test('an AMI a rollback shares again gets the whole declaration instead', () => {
    const rollback = planWindow({
      previous: { imageId: C, kept: [B], pushedOut: [A] }, imageId: C, keep: 2, previouslyKept: true, rollback: true, gone: NONE,
    });
    expect(rollback.reshare).toEqual([A]);
    expect(keptImagesToFollow(rollback, declaration([X]), declaration([X, Y]))).toEqual([B]);
  });
});
