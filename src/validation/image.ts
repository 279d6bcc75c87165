// The image's own attributes: its id and its description.
import { show } from './show';

// EC2 resource ids: the prefix, then 8 (older) or 17 lowercase hex characters.
const IMAGE_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Returns why `value` is not an AMI id, or undefined when it is one. */
export function imageIdError(property: string, value: unknown): string | undefined {
  if (typeof value === 'string' && IMAGE_ID.test(value)) return undefined;
  if (value === '' || value === undefined) return `${property}: an AMI id is required (got ${show(value)})`;
  return `${property}: ${show(value)} is not an AMI id (ami- followed by 8 or 17 lowercase hex characters)`;
}

/**
 * EC2 limits an AMI description to 255 characters (EC2 User Guide, "Create an Amazon EBS-backed AMI": "Image
 * description – ... Up to 255 characters"; the same limit applies to ModifyImageAttribute's Description). We also
 * refuse control characters: EC2's console and API reject them in descriptions, and a newline would not survive the
 * round trip through the query protocol unchanged on every SDK.
 */
export const MAX_DESCRIPTION_LENGTH = 255;

/** Returns why `value` cannot be an AMI description, or undefined when it can. */
export function descriptionError(property: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return `${property}: a non-empty description is required (got ${show(value)})`;
  }
  const length = [...value].length;
  if (length > MAX_DESCRIPTION_LENGTH) {
    return `${property}: ${show(value)} is ${length} characters long; EC2 allows at most ${MAX_DESCRIPTION_LENGTH}`;
  }
  // C0 controls, DEL and the C1 controls.
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(value);
  if (control) {
    return `${property}: ${show(value)} contains a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}) at position ${control.index}`;
  }
  return undefined;
}
