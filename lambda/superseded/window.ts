// The superseded-images window of an AmiLaunchPermissions resource, kept in its physical id (docs/superseded-images.md):
//
//   <current ami>/launchPermission                          revoke(), or keep(n) with nothing kept yet
//   <current ami>/launchPermission/kept:<ami>,...[/pushedOut:<ami>,...][/before:<time>|none]
//
// (So declaring keep(n) on a deployed resource changes no physical id, and CloudFormation sends no Delete for it.)
// `kept` lists the superseded AMIs that stay shared, newest first. `pushedOut` and `before` say what the update that
// made this id did (the AMIs it revoked, and the deprecation time kept[0] had before that update deprecated it), so that
// a rollback of that update can put the window back. CloudFormation caps a physical id at 1 KB: 10 kept ids (22
// characters each with the separator), as many pushed out, and a time take about 530 characters.

export interface SupersededWindow {
  readonly imageId: string;
  readonly kept: readonly string[];
  readonly pushedOut: readonly string[];
  /** kept[0]'s deprecation time before the rollover that made this id ('none': it had none); undefined: not recorded. */
  readonly before?: string;
}

const AMI = 'ami-[0-9a-f]{8,17}';
const PHYSICAL_ID = new RegExp(`^(${AMI})/launchPermission(?:/kept:((?:${AMI}(?:,${AMI})*)?)(?:/pushedOut:(${AMI}(?:,${AMI})*))?(?:/before:([^/]+))?)?$`);

export function formatWindow(window: SupersededWindow): string {
  const base = `${window.imageId}/launchPermission`;
  if (window.kept.length === 0 && window.pushedOut.length === 0 && window.before === undefined) return base;
  const pushed = window.pushedOut.length > 0 ? `/pushedOut:${window.pushedOut.join(',')}` : '';
  const before = window.before !== undefined ? `/before:${window.before}` : '';
  return `${base}/kept:${window.kept.join(',')}${pushed}${before}`;
}

/** The window in a physical id this handler made; undefined for any other (e.g. a failed Create's). */
export function parseWindow(physicalId: string | undefined): SupersededWindow | undefined {
  const match = physicalId ? PHYSICAL_ID.exec(physicalId) : null;
  if (!match) return undefined;
  const list = (text: string | undefined) => (text ? text.split(',') : []);
  return {
    imageId: match[1],
    kept: list(match[2]),
    pushedOut: list(match[3]),
    before: match[4],
  };
}

/** A window with nothing kept (a Create, or a resource that did not keep superseded AMIs before). */
export function emptyWindow(imageId: string): SupersededWindow {
  return { imageId, kept: [], pushedOut: [] };
}

/** Every AMI the window shares: the current one and the kept ones. */
export function sharedImages(window: SupersededWindow): string[] {
  return [window.imageId, ...window.kept];
}
