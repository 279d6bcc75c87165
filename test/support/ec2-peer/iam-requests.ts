// What EC2 asks IAM before it handles a request: the action, the resource ARN(s) and the context keys it supplies
// (Service Authorization Reference, "Actions, resources, and condition keys for Amazon EC2"; EC2 User Guide,
// "Resource-level permissions" and "Control access to EC2 resources using resource tags").
import { encryptionIamRequests } from './iam-encryption-requests';
import { Call, writtenAttribute } from './protocol';

/** One authorization question: may the caller do `action` on `resource`, given `context`? */
export interface IamRequest {
  /** e.g. 'ec2:ModifyImageAttribute'. */
  readonly action: string;
  /** The resource's ARN, or '*' for an action without resource-level permissions. */
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  /** The resource's own policy where the service evaluates one (a KMS key policy), else absent. */
  readonly resourcePolicy?: unknown;
}

/** moto's account (iam.ts's PEER_ACCOUNT, not imported: iam.ts imports this file), the owner of the reports. */
const REPORT_ACCOUNT = '123456789012';

/** Live tags of an EC2 resource (image, snapshot), by key. */
export type TagReader = (resourceId: string) => Promise<Record<string, string>>;

/** Actions that act on the one image their ImageId names: their IAM resource is that image. */
const IMAGE_ACTIONS = new Set([
  'DescribeImageAttribute', 'ModifyImageAttribute', 'ResetImageAttribute', 'DeregisterImage', 'CancelImageLaunchPermission',
  'EnableImageDeprecation', 'DisableImageDeprecation', 'EnableImageDeregistrationProtection', 'DisableImageDeregistrationProtection',
  // Service Authorization Reference: CreateImageUsageReport acts on the image and on the new image-usage-report (both
  // required; see reportCreation); DescribeImageUsageReports and ...Entries have no resource-level permissions: '*'.
  'CreateImageUsageReport',
]);
/** Actions that act on the one snapshot their SnapshotId names. */
const SNAPSHOT_ACTIONS = new Set([
  'DescribeSnapshotAttribute', 'ModifySnapshotAttribute', 'ResetSnapshotAttribute', 'DeleteSnapshot',
]);
/** Actions whose resources are listed as ResourceId.N (any resource type). */
const TAG_ACTIONS = new Set(['CreateTags', 'DeleteTags']);

/** The Region of a SigV4 credential scope ("Credential=AKID/20240101/us-east-1/ec2/aws4_request"). */
export function regionOf(authorization: string): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization)?.[1] ?? 'us-east-1';
}

/** The ARN of an EC2 image or snapshot id (both have no account in their ARN); undefined for other ids. */
export function resourceArn(resourceId: string, region: string): string | undefined {
  const type = resourceId.startsWith('ami-') ? 'image' : resourceId.startsWith('snap-') ? 'snapshot' : undefined;
  return type === undefined ? undefined : `arn:aws:ec2:${region}::${type}/${resourceId}`;
}

/**
 * The IAM requests EC2 makes for one call: one per resource the call names (all must be allowed), or one on '*' for
 * actions without resource-level permissions (DescribeImages, DescribeSnapshots, GetImageBlockPublicAccessState ...).
 * Actions this table does not know are asked on '*' too.
 */
export async function iamRequestsFor(call: Call, tagsOf: TagReader): Promise<IamRequest[]> {
  const region = regionOf(call.authorization);
  const encryption = encryptionIamRequests(call, region);
  if (encryption !== undefined) {
    return encryption;
  }
  const common = { 'aws:RequestedRegion': region, 'ec2:Region': region };
  const action = `ec2:${call.action}`;
  const ids = resourceIds(call);
  if (ids === undefined) {
    return [{ action, resource: '*', context: common }];
  }
  const requests: IamRequest[] = [];
  for (const id of ids) {
    const context: Record<string, string | string[]> = { ...common, ...requestContext(call), ...await resourceContext(id, tagsOf) };
    // An id of a type without an ARN here (e.g. a volume in CreateTags) is asked on '*'.
    requests.push({ action, resource: resourceArn(id, region) ?? '*', context });
  }
  if (call.action === 'CreateImageUsageReport') {
    requests.push(reportCreation(call, region));
  }
  return requests;
}

/**
 * The second resource CreateImageUsageReport is authorized on: the report it creates (resource type
 * image-usage-report, ARN arn:aws:ec2:<region>:<account>:image-usage-report/<id>; the id does not exist yet, so '*'),
 * with the tags the request puts on it.
 */
function reportCreation(call: Call, region: string): IamRequest {
  const tagKeys = Object.entries(call.params).filter(([k]) => /^TagSpecification\.\d+\.Tag\.\d+\.Key$/.test(k)).map(([, v]) => v);
  return {
    action: `ec2:${call.action}`,
    resource: `arn:aws:ec2:${region}:${REPORT_ACCOUNT}:image-usage-report/*`,
    context: { 'aws:RequestedRegion': region, 'ec2:Region': region, 'aws:TagKeys': tagKeys },
  };
}

function resourceIds(call: Call): string[] | undefined {
  const p = call.params;
  if (IMAGE_ACTIONS.has(call.action) && p.ImageId !== undefined) {
    return [p.ImageId];
  }
  if (SNAPSHOT_ACTIONS.has(call.action) && p.SnapshotId !== undefined) {
    return [p.SnapshotId];
  }
  if (TAG_ACTIONS.has(call.action)) {
    return numbered(p, /^ResourceId\.\d+$/);
  }
  return undefined;
}

/** The keys EC2 supplies about the resource: its id and its live tags (as aws:ResourceTag/ and ec2:ResourceTag/). */
async function resourceContext(id: string, tagsOf: TagReader): Promise<Record<string, string>> {
  const context: Record<string, string> = {};
  if (id.startsWith('ami-')) {
    context['ec2:ImageID'] = id;
  } else if (id.startsWith('snap-')) {
    context['ec2:SnapshotID'] = id;
  } else {
    return context;
  }
  for (const [key, value] of Object.entries(await tagsOf(id))) {
    context[`aws:ResourceTag/${key}`] = value;
    context[`ec2:ResourceTag/${key}`] = value;
  }
  return context;
}

/**
 * The keys EC2 supplies about the request itself: for an attribute write, the attribute's name (ec2:Attribute) and,
 * for a single-valued attribute, the value being set (ec2:Attribute/<name>); for tagging, the tags being set
 * (aws:RequestTag/<key>) and their keys (aws:TagKeys).
 */
function requestContext(call: Call): Record<string, string | string[]> {
  const p = call.params;
  const context: Record<string, string | string[]> = {};
  if (call.action === 'ModifyImageAttribute' || call.action === 'ResetImageAttribute') {
    const attribute = p.Attribute ?? writtenAttribute(call.action, p);
    if (attribute !== undefined) {
      context['ec2:Attribute'] = attribute;
      const value = p[`${capitalise(attribute)}.Value`] ?? p.Value;
      if (value !== undefined) {
        context[`ec2:Attribute/${attribute}`] = value;
      }
    }
  }
  if (TAG_ACTIONS.has(call.action)) {
    const keys = numbered(p, /^Tag\.\d+\.Key$/);
    context['aws:TagKeys'] = keys;
    if (call.action === 'CreateTags') {
      for (const [name, key] of Object.entries(p)) {
        if (/^Tag\.\d+\.Key$/.test(name)) {
          context[`aws:RequestTag/${key}`] = p[name.replace(/Key$/, 'Value')] ?? '';
        }
      }
    }
  }
  return context;
}

function numbered(p: Record<string, string>, name: RegExp): string[] {
  return Object.entries(p).filter(([key]) => name.test(key)).map(([, value]) => value);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
