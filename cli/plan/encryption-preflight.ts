// The handler's check before it shares an encrypted AMI (lambda/encryption/preflight.ts): could the declared accounts
// launch it with the keys declared? Same reads (DescribeImages, DescribeSnapshots, DescribeKey: all read-only), same
// decision (encryptionProblems); a problem is a deploy that would fail, before any write.
import { Findings, PlannerInput } from './planner';
import { checksEncryption, readsStorage } from '../../lambda/encryption/plan';
import { encryptedSnapshotIds, encryptionProblems, keysToDescribe } from '../../lambda/encryption/preflight';
import { LaunchPermissionsDeclaration } from '../../lambda/launch-permissions/properties';

/**
 * Runs when the handler's Create or Update would: `adding` are the launch permissions it grants (its first plan),
 * `previous` the deployed declaration on the same AMI (else undefined).
 */
export async function checkEncryptionBeforeSharing(input: PlannerInput, findings: Findings, imageId: string, adding: readonly string[],
  now: LaunchPermissionsDeclaration, previous: LaunchPermissionsDeclaration | undefined): Promise<void> {
  if (!readsStorage(adding, now, previous) || !checksEncryption(now)) return;
  const storage = findings.value(await input.live.storage(imageId), imageId, 'target');
  if (!storage) return;
  const encrypted = encryptedSnapshotIds(storage.value);
  let snapshotKeys: ReadonlyMap<string, string | undefined> = new Map();
  if (encrypted.length > 0) {
    const read = findings.value(await input.live.snapshotKeys(encrypted), imageId, 'target');
    if (!read) return;
    snapshotKeys = read.value;
  }
  const facts = { ...storage.value, snapshotKeys };
  const managers = new Map<string, string | undefined>();
  for (const keyArn of keysToDescribe(facts, now)) {
    // A key the plan cannot describe is reported as a read error; the rest of the check still runs, as the handler's.
    const manager = findings.value(await input.live.keyManager(keyArn), imageId, 'target');
    if (manager) managers.set(keyArn, manager.value);
  }
  for (const problem of encryptionProblems(imageId, facts, now, managers)) findings.addError(`the deploy would fail: ${problem}`);
}
