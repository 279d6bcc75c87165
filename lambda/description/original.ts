// Where AmiDescription keeps the description the AMI had before it: in the custom resource's physical id.
// CloudFormation hands a Delete only the physical id and the last properties, and this library has no database; the
// physical id is kept across Updates of the same image (the handler returns it unchanged), so the original survives
// any number of description changes and reaches the Delete that must restore it. A new image gets a new physical id
// holding that image's own original, and CloudFormation's Delete of the old id restores the old image's.

/** CloudFormation's limit on a physical resource id. */
export const MAX_PHYSICAL_ID_BYTES = 1024;

const MARKER = '/description/';
/** The AMI had no description at all. */
const NONE = '-';

export function descriptionPhysicalId(imageId: string, original: string | undefined): string {
  const encoded = original === undefined ? NONE : `b${Buffer.from(original, 'utf8').toString('base64url')}`;
  const id = `${imageId}${MARKER}${encoded}`;
  if (Buffer.byteLength(id) > MAX_PHYSICAL_ID_BYTES) {
    // Only reachable with a long original made mostly of multi-byte characters (255 of them, 4 bytes each).
    throw new Error(`the current description of ${imageId} is too long to remember for restoring on Delete (${Buffer.byteLength(original!)} bytes)`);
  }
  return id;
}

/**
 * The image and original description a physical id holds, or undefined for an id this module did not make (for
 * example the placeholder of a Create that failed before it could read the AMI).
 */
export function parseDescriptionPhysicalId(physicalId: string): { imageId: string; original: string | undefined } | undefined {
  const at = physicalId.indexOf(MARKER);
  if (at < 0) return undefined;
  const imageId = physicalId.slice(0, at);
  const encoded = physicalId.slice(at + MARKER.length);
  if (encoded === NONE) return { imageId, original: undefined };
  if (!encoded.startsWith('b')) return undefined;
  return { imageId, original: Buffer.from(encoded.slice(1), 'base64url').toString('utf8') };
}
