// Before the first write: can the recipients actually use the AMI? Reads the AMI's block device mappings and its
// snapshots' KMS keys, then decides (encryptionProblems, pure) whether every key that encrypts it reaches them.
import { EncryptionKeyEntry } from '../../src/validation';
import { patiently, readPatiently } from '../converge';
import { awsErrorCode, isAccessDenied, messageOf, messageWithAccessHint } from '../errors';
import { keyManager } from '../kms';
import { log } from '../log';
import { RequestContext } from '../resource';
import { describeImageStorage, describeSnapshotKeys, ImageStorage } from '../snapshots';

/** The AMI's storage as the pre-flight saw it. */
export interface StorageFacts extends ImageStorage {
  /** Each snapshot's KMS key ARN; only encrypted snapshots have one. */
  readonly snapshotKeys: ReadonlyMap<string, string | undefined>;
}

export interface EncryptionDeclaration {
  readonly encryptionKeys: readonly EncryptionKeyEntry[];
  readonly keysSharedElsewhere: boolean;
}

/**
 * Why the declared principals could not launch the AMI, or [] when they can. `managers` holds KeyManager
 * ('AWS' / 'CUSTOMER') of the undeclared keys the handler could describe.
 */
export function encryptionProblems(imageId: string, facts: StorageFacts, declaration: EncryptionDeclaration,
  managers: ReadonlyMap<string, string | undefined>): string[] {
  const declared = new Set(declaration.encryptionKeys.map(k => k.KeyArn));
  const problems: string[] = [];
  for (const keyArn of new Set([...facts.snapshotKeys.values()].filter((k): k is string => k !== undefined))) {
    if (declared.has(keyArn)) continue;
    const snapshots = [...facts.snapshotKeys].filter(([, k]) => k === keyArn).map(([id]) => id).join(', ');
    if (managers.get(keyArn) === 'AWS') {
      problems.push(`ImageId: ${imageId} is encrypted with the AWS-managed key ${keyArn} (aws/ebs; snapshots ${snapshots}), which no other account `
        + 'can use, so recipients could not launch it. Copy the AMI with a customer-managed key (aws ec2 copy-image --encrypted --kms-key-id <key>), '
        + 'share the copy, and declare that key in encryptionKeys');
    } else if (!declaration.keysSharedElsewhere) {
      problems.push(`EncryptionKeys: ${imageId} is encrypted with KMS key ${keyArn} (snapshots ${snapshots}), which is not among encryptionKeys, `
        + 'so recipients could not launch it. Declare the key in encryptionKeys (kms.Key.fromKeyArn for a key of another app), '
        + 'or set keysSharedElsewhere: true if its key policy already lets the recipients use it');
    }
  }
  return problems;
}

/** The snapshots DescribeSnapshots is asked about: the encrypted ones (only they have a key). */
export function encryptedSnapshotIds(storage: ImageStorage): string[] {
  return storage.snapshots.filter(s => s.encrypted).map(s => s.snapshotId);
}

/** The undeclared keys encryptionProblems needs the KeyManager of (DescribeKey), to tell aws/ebs from the others. */
export function keysToDescribe(facts: StorageFacts, declaration: EncryptionDeclaration): string[] {
  const declared = new Set(declaration.encryptionKeys.map(k => k.KeyArn));
  // An AWS-managed key is always the snapshot owner's own (account and Region); keys of other accounts are customer-managed.
  return [...new Set(facts.snapshotKeys.values())]
    .filter((k): k is string => k !== undefined && !declared.has(k) && k.split(':')[4] === facts.ownerId);
}

/** The AMI's block device mappings, product codes and watermarks (DescribeImages). */
export async function readImage(context: RequestContext, imageId: string): Promise<ImageStorage> {
  return preflightRead(context, `DescribeImages ${imageId}`, () => describeImageStorage(context.ec2, imageId));
}

/** The KMS keys of the AMI's encrypted snapshots: DescribeSnapshots, only if a mapping is encrypted. */
export async function readSnapshotKeys(context: RequestContext, imageId: string, storage: ImageStorage): Promise<StorageFacts> {
  const encrypted = encryptedSnapshotIds(storage);
  const snapshotKeys = encrypted.length === 0
    ? new Map<string, string | undefined>()
    : await preflightRead(context, `DescribeSnapshots of ${imageId}`, () => describeSnapshotKeys(context.ec2, encrypted));
  return { ...storage, snapshotKeys };
}

/** Fails, before any write, when the declared recipients could not launch the AMI. */
export async function checkEncryption(
  context: RequestContext, imageId: string, facts: StorageFacts, declaration: EncryptionDeclaration): Promise<void> {
  const declared = new Set(declaration.encryptionKeys.map(k => k.KeyArn));
  const managers = new Map<string, string | undefined>();
  for (const keyArn of keysToDescribe(facts, declaration)) {
    try {
      // The checks' statements may have joined the log policy in this deployment: wait out IAM like the other reads.
      managers.set(keyArn, await patiently(context, isAccessDenied, () => keyManager(context.kms, keyArn)));
    } catch (error) {
      // Without its metadata the key is reported as undeclared, which is true either way.
      log('WARN', 'could not describe an undeclared key', { imageId, keyArn, error: messageOf(error), code: awsErrorCode(error) });
      if (declaration.keysSharedElsewhere) {
        throw new Error(`EncryptionKeys: could not tell whether ${keyArn}, which encrypts ${imageId}, is the AWS-managed key aws/ebs `
          + `(DescribeKey failed: ${messageWithAccessHint(error)})`);
      }
    }
  }
  const problems = encryptionProblems(imageId, facts, declaration, managers);
  if (problems.length > 0) throw new Error(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`);
  const unused = [...declared].filter(k => ![...facts.snapshotKeys.values()].includes(k));
  if (unused.length > 0) log('WARN', 'declared keys that encrypt none of the AMI\'s snapshots', { imageId, keys: unused });
}

/** One pre-flight read; a denial right after the policies were created is waited out like the first read's. */
function preflightRead<T>(context: RequestContext, what: string, call: () => Promise<T>): Promise<T> {
  return readPatiently(context, `the check before sharing (${what})`, call);
}
