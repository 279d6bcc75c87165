// Where a construct that restores an account setting on Delete keeps the state it found: in the custom resource's
// physical id, as AmiDescription keeps the original description (see ../description/original.ts). The id is kept across
// Updates, so the state found by the first deployment reaches the Delete that puts it back. It is compressed: the
// criteria of Allowed AMIs can be long, and CloudFormation caps a physical id at 1 KB.
import { deflateRawSync, inflateRawSync } from 'zlib';
import { MAX_PHYSICAL_ID_BYTES } from '../description/original';

/** `<setting>/<region>/<found state, deflated, base64url>`, or undefined when it would not fit in a physical id. */
export function foundStatePhysicalId(setting: string, region: string, found: unknown): string | undefined {
  const id = `${setting}/${region}/${deflateRawSync(JSON.stringify(found)).toString('base64url')}`;
  return Buffer.byteLength(id) <= MAX_PHYSICAL_ID_BYTES ? id : undefined;
}

/** The Region and found state a physical id of `setting` holds, or undefined for any other id. */
export function parseFoundState<T>(setting: string, physicalId: string): { region: string; found: T } | undefined {
  const [name, region, encoded, ...rest] = physicalId.split('/');
  if (name !== setting || region === undefined || encoded === undefined || rest.length > 0) return undefined;
  try {
    return { region, found: JSON.parse(inflateRawSync(Buffer.from(encoded, 'base64url')).toString('utf8')) as T };
  } catch {
    return undefined;
  }
}
