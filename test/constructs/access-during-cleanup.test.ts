// The handler must still be allowed to touch an AMI when CloudFormation asks it to let go of that AMI.
//
// A stack update runs in two phases: resources that are in the new template are created or updated (dependencies
// first), then, in the cleanup phase, resources that left the template and the old instances of replaced resources are
// deleted, dependents before what they depended on in the old template. A custom resource's Delete for an AMI the
// stack no longer declares (the construct was removed, or its imageId changed) therefore runs in the cleanup phase,
// after every policy that stays in the template has already been updated to the new declaration. It keeps its access
// only if the policy that granted it in the old template is left unchanged, or leaves the template (and is then deleted
// after the custom resource that depended on it).
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AmiDescription, AmiImdsPolicy, AmiLaunchPermissions, LaunchPermission } from '../../src';
import { imagesGrantedBy, managedPolicies } from '../support/image-grants';

const ACCOUNT = LaunchPermission.account('111122223333');
const image = (i: number) => `ami-${i.toString(16).padStart(17, '0')}`;

type Declaration = Array<{ id: string; imageId: string; kind?: 'share' | 'description' | 'imds' }>;

function synth(declaration: Declaration): Record<string, any> {
  return Template.fromStack(stackOf(declaration)).toJSON().Resources;
}

function stackOf(declaration: Declaration): Stack {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
  for (const { id, imageId, kind } of declaration) {
    if (kind === 'description') new AmiDescription(stack, id, { imageId, description: 'Golden' });
    else if (kind === 'imds') new AmiImdsPolicy(stack, id, { imageId });
    else new AmiLaunchPermissions(stack, id, { imageId, permissions: [ACCOUNT] });
  }
  return stack;
}

/**
 * For every custom resource whose old instance the cleanup phase of the update from `before` to `after` deletes: the
 * policies that still grant its AMI at that moment (as described at the top of this file).
 */
function accessDuringCleanup(before: Record<string, any>, after: Record<string, any>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [id, resource] of Object.entries(before)) {
    if (!resource.Type.startsWith('Custom::Ami')) continue;
    const imageId: string = resource.Properties.ImageId;
    const replacedOrRemoved = after[id] === undefined || after[id].Properties.ImageId !== imageId;
    if (!replacedOrRemoved) continue;
    result[`${id} (${imageId})`] = (resource.DependsOn ?? []).filter((policyId: string) => {
      const policy = before[policyId];
      if (policy?.Type !== 'AWS::IAM::ManagedPolicy' || !imagesGrantedBy([policy]).has(imageId)) return false;
      const later = after[policyId];
      return later === undefined || JSON.stringify(later) === JSON.stringify(policy);
    });
  }
  return result;
}

function expectAccessKept(before: Declaration, after: Declaration): void {
  const access = accessDuringCleanup(synth(before), synth(after));
  expect(Object.keys(access).length).toBeGreaterThan(0);
  for (const [resource, policies] of Object.entries(access)) {
    expect({ resource, policies: policies.length > 0 ? 'kept' : 'none left' }).toEqual({ resource, policies: 'kept' });
  }
}

test('a changed imageId: the Delete of the old instance can still revoke on the old AMI', () => {
  expectAccessKept(
    [{ id: 'Share', imageId: image(1) }, { id: 'Desc', imageId: image(1), kind: 'description' }, { id: 'Imds', imageId: image(1), kind: 'imds' }],
    [{ id: 'Share', imageId: image(2) }, { id: 'Desc', imageId: image(2), kind: 'description' }, { id: 'Imds', imageId: image(2), kind: 'imds' }],
  );
});

test('a removed construct: its Delete can still revoke, while the other constructs keep theirs', () => {
  expectAccessKept([{ id: 'A', imageId: image(1) }, { id: 'B', imageId: image(2) }], [{ id: 'B', imageId: image(2) }]);
});

test('a removed construct whose AMI another construct still declares', () => {
  expectAccessKept([{ id: 'A', imageId: image(1) }, { id: 'Desc', imageId: image(1), kind: 'description' }], [{ id: 'A', imageId: image(1) }]);
});

test('hundreds of AMIs over several policies: removing the first construct shifts every policy, all keep access', () => {
  const many: Declaration = Array.from({ length: 300 }, (_, i) => ({ id: `Share${i}`, imageId: image(i + 1) }));
  expectAccessKept(many, many.slice(1));
  expectAccessKept(many, many.map((d, i) => (i === 150 ? { ...d, imageId: image(1000) } : d)));
});

test('a policy whose images did not change keeps its logical id: no needless replacement', () => {
  const many: Declaration = Array.from({ length: 200 }, (_, i) => ({ id: `Share${i}`, imageId: image(i + 1) }));
  const policyIds = (resources: Record<string, any>) => Object.keys(managedPolicies(resources));
  const before = policyIds(synth(many));
  const after = policyIds(synth(many.map((d, i) => (i === 199 ? { ...d, imageId: image(1000) } : d))));
  // Three image policies (85 images each) plus the log policy: only the last image policy changed.
  expect(before).toHaveLength(4);
  expect(after.filter(id => before.includes(id))).toHaveLength(3);
});

const QUOTA_WARNING = Match.stringLikeRegexp('"Managed policies per role" quota.*\\[ack: cdk-ami-sharing:imagePoliciesMidUpdate\\]$');

test('more AMIs than 4 image policies hold: a synth warning, as a full replacement would exceed 10 managed policies', () => {
  const declaration = (n: number): Declaration => Array.from({ length: n }, (_, i) => ({ id: `Share${i}`, imageId: image(i + 1) }));
  Annotations.fromStack(stackOf(declaration(340))).hasNoWarning('*', QUOTA_WARNING);
  // The log policy and 5 image policies, each twice: 11.
  Annotations.fromStack(stackOf(declaration(341))).hasWarning('/Test/CdkAmiSharingHandler',
    Match.stringLikeRegexp('^The handler\'s role needs 5 or more policies .* 1 others\\. .*: 11 managed policies, more than the 10 '));
  Annotations.fromStack(stackOf(declaration(341))).hasWarning('/Test/CdkAmiSharingHandler', QUOTA_WARNING);
});

test('key grants and snapshot sharing count too: with them the warning comes at 256 AMIs instead of 341', () => {
  const encrypted = (n: number) => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    for (let i = 0; i < n; i++) {
      new AmiLaunchPermissions(stack, `Share${i}`, { imageId: image(i + 1), permissions: [ACCOUNT], encryptionKeys: [key], allowCopy: true });
    }
    return stack;
  };
  // Logs and SnapshotSharing, then 2 image policies and KeyGrants twice: 2 + 2 x 3 = 8.
  Annotations.fromStack(encrypted(170)).hasNoWarning('*', QUOTA_WARNING);
  // 3 image policies: 2 + 2 x 4 = 10, still within.
  Annotations.fromStack(encrypted(255)).hasNoWarning('*', QUOTA_WARNING);
  // 4 image policies: 2 + 2 x 5 = 12 (without encryption, 4 image policies are 9).
  Annotations.fromStack(encrypted(256)).hasWarning('/Test/CdkAmiSharingHandler',
    Match.stringLikeRegexp('^The handler\'s role needs 5 or more policies .* 2 others\\. .*: 12 managed policies'));
});

describe('image ids that are tokens', () => {
  const tokenStack = (count: number) => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
    for (let i = 0; i < count; i++) {
      const imageId = new CfnParameter(stack, `Ami${i}`, { type: 'String' }).valueAsString;
      new AmiLaunchPermissions(stack, `Share${i}`, { imageId, permissions: [ACCOUNT] });
    }
    return Template.fromStack(stack).toJSON().Resources;
  };
  const imagePolicies = (resources: Record<string, any>) =>
    Object.values(managedPolicies(resources)).filter((p: any) => JSON.stringify(p.Properties.PolicyDocument).includes('ImageAttribute'));

  test('the resolved ids are written into the policy description, so a new AMI replaces the policy', () => {
    const [policy] = imagePolicies(tokenStack(2));
    // Description is immutable in IAM: CloudFormation replaces the policy (new one first, old one deleted in cleanup).
    expect(policy.Properties.Description).toEqual({
      'Fn::Join': ['', ['cdk-ami-sharing handler: read and modify attributes of these AMIs only; resolved at deploy time: ',
        { Ref: 'Ami0' }, ' ', { Ref: 'Ami1' }]],
    });
  });

  test('at most 40 token ids per policy, so the description stays within IAM\'s 1,000 characters', () => {
    const policies = imagePolicies(tokenStack(41));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      // Each id resolved to the longest AMI id EC2 issues (21 characters).
      const resolved = (p.Properties.Description['Fn::Join'][1] as any[]).map(part => (typeof part === 'string' ? part : 'ami-0123456789abcdef0')).join('');
      expect(resolved.length).toBeLessThanOrEqual(1000);
    }
  });

  test('literal-only policies keep the description they always had (no replacement on upgrade)', () => {
    const [policy] = imagePolicies(synth([{ id: 'Share', imageId: image(1) }]));
    expect(policy.Properties.Description).toBe('cdk-ami-sharing handler: read and modify attributes of these AMIs only');
  });
});
