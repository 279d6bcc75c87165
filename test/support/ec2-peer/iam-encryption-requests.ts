// What KMS and EC2 ask IAM for the calls of encrypted-AMI sharing, where iam-requests.ts's EC2 table is not enough:
// KMS requests (JSON protocol, authorized on the key's ARN with its request context) and ModifySnapshotAttribute's
// createVolumePermission changes (the accounts and groups added or removed as ec2:Add/* and ec2:Remove/*).
import type { IamRequest } from './iam-requests';
import { Call, kmsOperation } from './protocol';

/** The IAM requests for `call` if it is one of those, else undefined (iam-requests.ts decides). */
export function encryptionIamRequests(call: Call, region: string): IamRequest[] | undefined {
  const operation = kmsOperation(call.headers);
  if (operation !== undefined) return [kmsRequest(call, operation, region)];
  if (call.action === 'ModifySnapshotAttribute') return snapshotPermissionRequests(call, region);
  return undefined;
}

/**
 * EMULATES: the default key policy of a key created without one (KMS developer guide, "Default key policy"): it lets
 * the account's IAM policies decide, which is what the handler's role policies are tested against.
 */
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }],
};

/**
 * EMULATES: KMS authorizes an operation on a key against the key's ARN (Service Authorization Reference, AWS KMS:
 * resource type key, arn:...:kms:<region>:<account>:key/<id>), with kms:CallerAccount, and for CreateGrant the
 * grant's operations (kms:GrantOperations) and grantee (kms:GranteePrincipal) (KMS developer guide, "AWS KMS condition
 * keys"). The peer's callers name keys by ARN, as the handler does.
 */
function kmsRequest(call: Call, operation: string, region: string): IamRequest {
  const p = call.params;
  const context: Record<string, string | string[]> = { 'aws:RequestedRegion': region, 'kms:CallerAccount': '123456789012' };
  if (operation === 'CreateGrant') {
    context['kms:GrantOperations'] = parseList(p.Operations);
    if (p.GranteePrincipal) context['kms:GranteePrincipal'] = p.GranteePrincipal;
  }
  const keyId = p.KeyId ?? '';
  return { action: `kms:${operation}`, resource: keyId.startsWith('arn:') ? keyId : '*', context, resourcePolicy: DEFAULT_KEY_POLICY };
}

/**
 * EMULATES: ModifySnapshotAttribute's condition keys ec2:Add/userId, ec2:Add/group, ec2:Remove/userId and
 * ec2:Remove/group (Service Authorization Reference, Amazon EC2). They are single-valued, so the peer asks IAM once per
 * account or group a call adds or removes (our reading of how a single-valued key applies to a call that changes
 * several); every one must be allowed.
 */
function snapshotPermissionRequests(call: Call, region: string): IamRequest[] {
  const p = call.params;
  const resource = `arn:aws:ec2:${region}::snapshot/${p.SnapshotId ?? ''}`;
  const base = { 'aws:RequestedRegion': region, 'ec2:Region': region, 'ec2:SnapshotID': p.SnapshotId ?? '', 'ec2:Attribute': 'createVolumePermission' };
  const changes = Object.entries(p).flatMap(([key, value]) => {
    const structured = /^CreateVolumePermission\.(Add|Remove)\.\d+\.(UserId|Group)$/.exec(key);
    if (structured) return [{ side: structured[1], kind: structured[2] === 'UserId' ? 'userId' : 'group', value }];
    const flat = /^(UserId|UserGroup)\.\d+$/.exec(key);
    if (flat && (p.OperationType === 'add' || p.OperationType === 'remove')) {
      return [{ side: p.OperationType === 'add' ? 'Add' : 'Remove', kind: flat[1] === 'UserId' ? 'userId' : 'group', value }];
    }
    return [];
  });
  if (changes.length === 0) return [{ action: 'ec2:ModifySnapshotAttribute', resource, context: base }];
  return changes.map(c => ({ action: 'ec2:ModifySnapshotAttribute', resource, context: { ...base, [`ec2:${c.side}/${c.kind}`]: c.value } }));
}

function parseList(value: string | undefined): string[] {
  try {
    const parsed = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
