// How every validation message shows the offending value.

// Characters that print as nothing or look like something else: DEL and the C1 controls, zero-width spaces and
// joiners, direction marks, line and paragraph separators, the byte-order mark.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

/** Shows a value in an error message: quoted, control and invisible characters escaped, long values shortened. */
export function show(value: unknown): string {
  if (typeof value !== 'string') {
    return value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  }
  const shown = JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value)
    .replace(INVISIBLE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${shown.slice(1, -1)}'`;
}
