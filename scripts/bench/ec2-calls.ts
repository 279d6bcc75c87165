// Section 1: EC2 calls per converge. The bundled handler (taken from a synthesised cloud assembly) is driven through
// Create, Update with 10 % of the principals changed, an Update that changes nothing on the AMI, and Delete, against
// moto behind the recording proxy; every request the proxy saw is counted. In the same run, on their own AMIs, the two
// baselines do the same transitions:
//  - per-principal: one ModifyImageAttribute per principal granted or revoked (a tool with one resource per principal);
//  - blind: one ModifyImageAttribute that adds every declared principal (a one-shot SDK-call custom resource), which
//    never removes anyone on Update, and on Delete removes what it declares last.
import { EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { measureEncryptedCalls } from './encrypted-calls';
import { accountIds, progress, ratio } from './util';
import { LaunchPermission } from '../../src';
import type { LaunchPermissionEntry } from '../../src/validation';
import { HandlerEnvironment, launchPermissionsStack, livePermissions } from '../../test/support/handler-environment';
import { createImage } from '../../test/support/images';

export type Phase = 'Create' | 'Update 10%' | 'Update, no change' | 'Delete' | 'Create, public + 1 account' | 'Delete, public + 1 account'
  | 'Create, encrypted + allowCopy' | 'Update 10%, encrypted + allowCopy' | 'Delete, encrypted + allowCopy';

export interface HandlerCalls {
  /** DescribeImageAttribute calls: the converge's one read plus the read-backs after writing. */
  readonly attributeReads: number;
  /** attributeReads minus the one read every converge needs. */
  readonly verificationReads: number;
  /**
   * Any other call: the pre-flight reads before adding principals (DescribeImages; DescribeSnapshots for an encrypted
   * AMI; GetImageBlockPublicAccessState before making it public), and for an encrypted AMI the KMS grant and snapshot
   * permission reads.
   */
  readonly otherReads: number;
  readonly writes: number;
  readonly total: number;
  readonly byAction: Record<string, number>;
}

export interface BaselineCalls {
  readonly writes: number;
  /** Principals live on the AMI that the declaration no longer contains (blind never revokes). */
  readonly stale: number;
}

export interface CallsRow {
  readonly principals: number;
  readonly phase: Phase;
  /** Principals added / removed by the transition. */
  readonly added: number;
  readonly removed: number;
  readonly handler: HandlerCalls;
  /** null where the baseline makes no call at all (nothing changed for it). */
  readonly perPrincipal: BaselineCalls | null;
  readonly blind: BaselineCalls | null;
  /** Handler calls (all of them) / per-principal calls. */
  readonly ratioVsPerPrincipal: number | null;
  /** Handler writes / blind writes. */
  readonly writeRatioVsBlind: number | null;
  /** Writes <= 2, attribute reads <= 1 + one verification read after a write, no other reads, live state as declared. */
  readonly withinFloor: boolean;
}

const STACK_ID = 'Share';

export async function measureEc2Calls(env: HandlerEnvironment, sizes: readonly number[], violations: string[]): Promise<CallsRow[]> {
  const rows: CallsRow[] = [];
  for (const n of sizes) {
    progress(`ec2 calls: ${n} principal(s)`);
    const changed = Math.max(1, Math.round(n / 10));
    const before = accountIds(n).map(account);
    // 10 % replaced: the first `changed` principals are dropped and as many new ones declared.
    const after = [...before.slice(changed), ...accountIds(changed, 500_000).map(account)];
    rows.push(...await scenario(env, n, `${n}`, [
      { phase: 'Create', from: [], to: before },
      { phase: 'Update 10%', from: before, to: after },
      { phase: 'Update, no change', from: after, to: after },
      { phase: 'Delete', from: after, to: [] },
    ], violations));
  }
  // Making an AMI public: the handler checks what EC2 would refuse before its first write (pre-flight reads).
  progress('ec2 calls: public access + 1 account');
  const declared = [PUBLIC, account(accountIds(1, 900_000)[0])];
  rows.push(...await scenario(env, declared.length, 'public', [
    { phase: 'Create', from: [], to: declared },
    { phase: 'Delete', from: declared, to: [] },
  ], violations));
  // An encrypted AMI (imported key) with allowCopy: grants and snapshot permissions move with the launch permissions.
  rows.push(...await measureEncryptedCalls(env, sizes.includes(10) ? 10 : sizes[0], violations));
  return rows;
}

/** Principals as keys: 'UserId:111122223333' or 'Group:all' (how livePermissions shows them). */
const PUBLIC = 'Group:all';
function account(id: string): string {
  return `UserId:${id}`;
}

async function scenario(env: HandlerEnvironment, n: number, name: string,
  transitions: Array<{ phase: Phase; from: string[]; to: string[] }>, violations: string[]): Promise<CallsRow[]> {
  await env.peer.reset();
  const rows: CallsRow[] = [];
  const handlerImage = await createImage(env.ec2, { name: `bench-handler-${name}` });
  const perPrincipalImage = await createImage(env.ec2, { name: `bench-per-principal-${name}` });
  const blindImage = await createImage(env.ec2, { name: `bench-blind-${name}` });
  const cfn = env.simulator(600_000);
  const logicalId = Object.keys(declare(handlerImage, []))[0];

  for (const { phase, from, to } of transitions) {
    const where = `ec2 calls, ${name === 'public' ? 'public access + 1 account' : `${n} principal(s)`}, ${phase}`;
    const adding = to.filter(p => !from.includes(p));
    const removing = from.filter(p => !to.includes(p));

    // The handler, through the custom-resource protocol as CloudFormation drives it.
    env.peer.clearLog();
    let failure: unknown;
    if (phase === 'Delete') {
      failure = await cfn.destroy();
    } else if (phase === 'Update, no change') {
      // CloudFormation sends an Update whenever any property changes (e.g. Mode or another construct's token); with
      // identical lists the AMI already is as declared. Sent directly: deploy() skips unchanged resources.
      const properties = { ImageId: handlerImage, Permissions: to.map(entry), Mode: 'ADDITIVE' };
      const answer = await cfn.send({
        RequestType: 'Update',
        LogicalResourceId: logicalId,
        ResourceType: 'Custom::AmiLaunchPermissions',
        PhysicalResourceId: cfn.physicalIdOf(logicalId)!,
        ResourceProperties: properties,
        OldResourceProperties: properties,
      } as any);
      failure = answer.Status === 'SUCCESS' ? undefined : answer;
    } else {
      failure = await cfn.deploy(declare(handlerImage, to));
    }
    const handler = classify(env);
    if (failure) violations.push(`${where}: the handler failed: ${JSON.stringify(failure)}`);
    const liveOk = await expectLive(env.ec2, handlerImage, to, `${where} (handler)`, violations);

    let perPrincipal: BaselineCalls | null = null;
    let blind: BaselineCalls | null = null;
    if (adding.length + removing.length > 0) {
      // Baseline 1: one ModifyImageAttribute per principal granted or revoked.
      env.peer.clearLog();
      for (const p of removing) await modify(env.ec2, perPrincipalImage, 'Remove', [p]);
      for (const p of adding) await modify(env.ec2, perPrincipalImage, 'Add', [p]);
      perPrincipal = { writes: env.peer.writes().length, stale: 0 };
      await expectLive(env.ec2, perPrincipalImage, to, `${where} (per-principal baseline)`, violations);

      // Baseline 2: one blind ModifyImageAttribute with every declared principal; no removals except on Delete.
      env.peer.clearLog();
      await modify(env.ec2, blindImage, phase === 'Delete' ? 'Remove' : 'Add', phase === 'Delete' ? from : to);
      const writes = env.peer.writes().length;
      blind = { writes, stale: (await livePermissions(env.ec2, blindImage)).filter(p => !to.includes(p)).length };
    }

    // Pre-flight reads before the first write: DescribeImages whenever principals are added (encrypted snapshots),
    // and GetImageBlockPublicAccessState too when the AMI is made public.
    const preflightAllowed = (adding.length > 0 ? 1 : 0) + (adding.includes(PUBLIC) ? 1 : 0);
    const withinFloor = liveOk && !failure && handler.writes <= 2
      && handler.attributeReads <= 1 + (handler.writes > 0 ? 1 : 0) && handler.otherReads <= preflightAllowed;
    if (!withinFloor) {
      violations.push(`${where}: the handler made ${JSON.stringify(handler.byAction)} (floor: 1 read, at most 2 writes, `
        + `1 verification read after writing, ${preflightAllowed} pre-flight reads)`);
    }
    rows.push({
      principals: n,
      phase: name === 'public' ? `${phase}, public + 1 account` as Phase : phase,
      added: adding.length,
      removed: removing.length,
      handler,
      perPrincipal,
      blind,
      ratioVsPerPrincipal: perPrincipal ? ratio(handler.total, perPrincipal.writes) : null,
      writeRatioVsBlind: blind ? ratio(handler.writes, blind.writes) : null,
      withinFloor,
    });
  }
  return rows;
}

function entry(key: string): LaunchPermissionEntry {
  const colon = key.indexOf(':');
  return { [key.slice(0, colon)]: key.slice(colon + 1) };
}

function declare(imageId: string, principals: string[]) {
  const permissions = principals.map(p => (p === PUBLIC ? LaunchPermission.publicAccess() : LaunchPermission.account(entry(p).UserId!)));
  return launchPermissionsStack({ [STACK_ID]: { imageId, permissions } });
}

/** The calls in the peer's log (since it was last cleared), sorted into the table's columns. */
export function classify(env: HandlerEnvironment): HandlerCalls {
  const byAction = env.peer.countByAction();
  const attributeReads = byAction.DescribeImageAttribute ?? 0;
  const writes = env.peer.writes().length;
  const total = env.peer.requests.length;
  return {
    attributeReads,
    verificationReads: Math.max(0, attributeReads - 1),
    otherReads: total - attributeReads - writes,
    writes,
    total,
    byAction,
  };
}

async function modify(ec2: EC2Client, imageId: string, operation: 'Add' | 'Remove', principals: string[]): Promise<void> {
  await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { [operation]: principals.map(entry) } }));
}

async function expectLive(ec2: EC2Client, imageId: string, principals: string[], where: string, violations: string[]): Promise<boolean> {
  const live = await livePermissions(ec2, imageId);
  const expected = [...principals].sort();
  const ok = live.length === expected.length && live.every((p, i) => p === expected[i]);
  if (!ok) {
    const missing = expected.filter(p => !live.includes(p));
    const extra = live.filter(p => !expected.includes(p));
    violations.push(`${where}: live launch permissions differ from the declaration (missing ${missing.length}: `
      + `${missing.slice(0, 3).join(', ')}; unexpected ${extra.length}: ${extra.slice(0, 3).join(', ')})`);
  }
  return ok;
}
