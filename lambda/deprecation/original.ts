// Where AmiDeprecation keeps the deprecation time the AMI had before it: in the custom resource's physical id, for the
// reasons given in ../description/original.ts (kept across Updates of the same image, a new one per image).

const MARKER = '/deprecation/';
/** The AMI had no deprecation time. */
const NONE = '-';

export function deprecationPhysicalId(imageId: string, original: Date | undefined): string {
  return `${imageId}${MARKER}${original === undefined ? NONE : original.toISOString()}`;
}

/** The image and original deprecation time a physical id holds, or undefined for an id this module did not make. */
export function parseDeprecationPhysicalId(physicalId: string): { imageId: string; original: Date | undefined } | undefined {
  const at = physicalId.indexOf(MARKER);
  if (at < 0) return undefined;
  const imageId = physicalId.slice(0, at);
  const encoded = physicalId.slice(at + MARKER.length);
  if (encoded === NONE) return { imageId, original: undefined };
  const original = new Date(encoded);
  return Number.isNaN(original.getTime()) ? undefined : { imageId, original };
}
