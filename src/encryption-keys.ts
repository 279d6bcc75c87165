import { Aws, Fn, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyPolicyStatements, KeyRecipients, organizationalUnitPathOf, organizationIdOf } from './key-policy';
import { rejectAtSynth } from './synth-check';
import { EncryptionKeyEntry, kmsKeyArnError, LaunchPermissionEntry } from './validation';

/** The recipients of the key-policy statements, with tokens taken apart by CloudFormation at deploy time. */
export function keyRecipients(entries: readonly LaunchPermissionEntry[]): KeyRecipients {
  const split = (arn: string, index: number) => Fn.select(index, Fn.split('/', arn));
  return {
    accounts: entries.filter(e => e.UserId !== undefined).map(e => e.UserId!),
    organizationIds: entries.filter(e => e.OrganizationArn !== undefined).map(e => (Token.isUnresolved(e.OrganizationArn)
      ? split(e.OrganizationArn!, 1)
      : organizationIdOf(e.OrganizationArn!))),
    organizationalUnitPaths: entries.filter(e => e.OrganizationalUnitArn !== undefined).map(e => (Token.isUnresolved(e.OrganizationalUnitArn)
      ? Fn.join('', [split(e.OrganizationalUnitArn!, 1), '/*/', split(e.OrganizationalUnitArn!, 2), '/*'])
      : organizationalUnitPathOf(e.OrganizationalUnitArn!))),
  };
}

/**
 * Shares each key with the declared principals the only way its kind allows. A key this app creates gets key-policy
 * statements for exactly them (so dropping a principal drops its statements). An imported key has no policy the app
 * can change (`addToResourcePolicy` answers `statementAdded: false`): the handler grants it to the accounts instead.
 */
export function shareEncryptionKeys(scope: Construct, property: string, keys: readonly kms.IKey[],
  entries: readonly LaunchPermissionEntry[]): EncryptionKeyEntry[] {
  // A Sid of its own per construct: several constructs may share one key, and a key policy's Sids must be unique.
  const sidPrefix = `CdkAmiSharing${scope.node.addr.slice(0, 10)}`;
  const statements = keyPolicyStatements(keyRecipients(entries), Aws.PARTITION, sidPrefix);
  return keys.map((key, i) => {
    rejectAtSynth(kmsKeyArnError(`${property}[${i}]`, key.keyArn), key.keyArn);
    const added = statements.map(json => key.addToResourcePolicy(iam.PolicyStatement.fromJson(json)).statementAdded);
    // Without principals there is nothing to add; whether the key is imported then decides only where later grants go.
    const inApp = statements.length > 0 ? added.every(a => a) : key instanceof kms.Key;
    return { KeyArn: key.keyArn, SharedBy: inApp ? 'KEY_POLICY' : 'GRANTS' };
  });
}
