// Section 1, encrypted AMI with allowCopy: the calls-table rows of an AMI whose one snapshot is encrypted with an
// imported customer-managed key, shared with N accounts that may also copy it. Per account the handler needs one
// KMS grant (CreateGrant) and one createVolumePermission entry (in one ModifySnapshotAttribute per snapshot), on top
// of the launch permissions; so the floor here is: launch-permission writes <= 2, one CreateGrant / RevokeGrant per
// account changed, ModifySnapshotAttribute <= 2 per snapshot, and one read (+ one read-back after writing) per set.
import { CallsRow, classify, Phase } from './ec2-calls';
import { accountIds, progress } from './util';
import { createEncryptedImage, createKey, kmsClient, liveGrants, liveSnapshotAccounts } from '../../test/support/encrypted-images';
import { HandlerEnvironment, livePermissions } from '../../test/support/handler-environment';

export async function measureEncryptedCalls(env: HandlerEnvironment, n: number, violations: string[]): Promise<CallsRow[]> {
  progress(`ec2 calls: encrypted AMI + allowCopy, ${n} account(s)`);
  await env.peer.reset();
  const kms = kmsClient(env.peer.endpoint);
  try {
    const key = await createKey(kms);
    const { imageId, snapshotId } = await createEncryptedImage(env.ec2, key);
    const cfn = env.simulator(600_000);
    const changed = Math.max(1, Math.round(n / 10));
    const before = accountIds(n);
    const after = [...before.slice(changed), ...accountIds(changed, 600_000)];
    const declare = (accounts: string[]) => ({
      Share: {
        Type: 'Custom::AmiLaunchPermissions',
        Properties: {
          ImageId: imageId,
          Permissions: accounts.map(UserId => ({ UserId })),
          Mode: 'ADDITIVE',
          EncryptionKeys: [{ KeyArn: key, SharedBy: 'GRANTS' }],
          AllowCopy: 'true',
        },
      },
    });
    const rows: CallsRow[] = [];
    for (const { phase, from, to } of [
      { phase: 'Create' as const, from: [] as string[], to: before },
      { phase: 'Update 10%' as const, from: before, to: after },
      { phase: 'Delete' as const, from: after, to: [] as string[] },
    ]) {
      env.peer.clearLog();
      const failure = phase === 'Delete' ? await cfn.destroy() : await cfn.deploy(declare(to));
      const handler = classify(env);
      const where = `ec2 calls, encrypted AMI + allowCopy, ${n} account(s), ${phase}`;
      if (failure) violations.push(`${where}: the handler failed: ${JSON.stringify(failure)}`);
      const added = to.filter(a => !from.includes(a)).length;
      const removed = from.filter(a => !to.includes(a)).length;
      const live = [
        (await livePermissions(env.ec2, imageId)).map(p => p.replace('UserId:', '')).sort(),
        (await liveGrants(kms, key)).map(g => g.split(' ')[0]).sort(),
        await liveSnapshotAccounts(env.ec2, snapshotId),
      ];
      const liveOk = live.every(set => JSON.stringify(set) === JSON.stringify([...to].sort()));
      if (!liveOk) violations.push(`${where}: launch permissions, grants and snapshot permissions are not all the declared accounts`);
      const c = handler.byAction;
      const withinFloor = liveOk && !failure
        && (c.ModifyImageAttribute ?? 0) <= 2 && (c.ModifySnapshotAttribute ?? 0) <= 2
        && (c.CreateGrant ?? 0) === added && (c.RevokeGrant ?? 0) === removed
        && handler.attributeReads <= 2 && (c.ListGrants ?? 0) <= 2 && (c.DescribeSnapshotAttribute ?? 0) <= 2;
      if (!withinFloor) violations.push(`${where}: the handler made ${JSON.stringify(c)}`);
      rows.push({
        principals: n,
        phase: `${phase}, encrypted + allowCopy` as Phase,
        added,
        removed,
        handler,
        perPrincipal: null,
        blind: null,
        ratioVsPerPrincipal: null,
        writeRatioVsBlind: null,
        withinFloor,
      });
    }
    return rows;
  } finally {
    kms.destroy();
  }
}
