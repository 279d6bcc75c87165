// Renders docs/bad-inputs.md from the catalogue in test/support/bad-inputs.ts:
//   npx ts-node --transpile-only scripts/bad-inputs-doc.ts > docs/bad-inputs.md
// test/moto/bad-inputs.test.ts renders it again in memory and fails when the file differs.
import { BAD_INPUTS, BadInput, BadInputEvent, EXAMPLE_IMAGE_ID, RESOURCE_TYPES } from '../test/support/bad-inputs';

/** Characters a reader cannot see (C0 and C1 controls, DEL, zero-width and bidi marks, line separators), as \uXXXX. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;
const LONGEST_STRING = 100;
const LONGEST_LIST = 3;

function visible(text: string): string {
  return text.replace(INVISIBLE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value as JSON, with long strings and lists shortened so a table row stays readable. */
function brief(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > LONGEST_STRING ? `${value.slice(0, 60)}... (${value.length} characters)` : value);
  }
  if (Array.isArray(value)) {
    if (value.length <= LONGEST_LIST) return `[${value.map(brief).join(',')}]`;
    // The first two and the last: lists built as "many of one kind, then something else" show both.
    return `[${brief(value[0])},${brief(value[1])}, ... (${value.length} entries) ...,${brief(value[value.length - 1])}]`;
  }
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${brief(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Inline code in a table cell. */
function code(text: string): string {
  const escaped = visible(text).replace(/\|/g, '\\|');
  return escaped.includes('`') ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

function eventCell(event: BadInputEvent): string {
  const lines = [`${event.RequestType ?? '(no RequestType)'} ${event.ResourceType === undefined ? '(no ResourceType)' : code(event.ResourceType)}`];
  lines.push(event.ResourceProperties === undefined ? 'no ResourceProperties' : code(brief(event.ResourceProperties)));
  if (event.OldResourceProperties !== undefined) lines.push(`OldResourceProperties ${code(brief(event.OldResourceProperties))}`);
  return lines.join('<br>');
}

function row(input: BadInput, index: number): string {
  const synth = input.synth === undefined ? '(not expressible through the typed API)' : code(input.synth.error);
  const { handler } = input;
  const reason = handler.match === 'exact'
    ? code(handler.reason)
    : `starts with ${code(handler.reason)}<br>(a prefix: ${handler.prefixBecause ?? 'the rest depends on the value'})`;
  return `| ${index + 1} | ${visible(input.name).replace(/\|/g, '\\|')} | ${synth} | ${eventCell(handler.event(EXAMPLE_IMAGE_ID))} | ${reason} |`;
}

export function renderBadInputsDoc(): string {
  const typeOf = (input: BadInput) => input.handler.event(EXAMPLE_IMAGE_ID).ResourceType;
  const counts = RESOURCE_TYPES.map(type => `${BAD_INPUTS.filter(i => typeOf(i) === type).length} for \`${type}\``);
  const others = BAD_INPUTS.filter(i => !(RESOURCE_TYPES as ReadonlyArray<string | undefined>).includes(typeOf(i))).length;
  const lines = [
    '# Bad inputs and the errors they get',
    '',
    '<!-- Generated from test/support/bad-inputs.ts by scripts/bad-inputs-doc.ts; do not edit by hand. Regenerate with',
    '     npx ts-node --transpile-only scripts/bad-inputs-doc.ts > docs/bad-inputs.md',
    '     test/moto/bad-inputs.test.ts fails when this file is out of date. -->',
    '',
    `${BAD_INPUTS.length} inputs: ${counts.join(', ')}, and ${others} with a resource type this library does not handle.`,
    '',
    'Each input is tried twice by `test/moto/bad-inputs.test.ts`:',
    '',
    '- **at synth time**, through the constructs, when the typed API can express it: constructing it in a fresh stack',
    '  (and synthesising the app) must throw exactly the error shown;',
    '- **against the handler**, as CloudFormation would send the event (the value arriving as a token resolved at deploy',
    '  time, or written into a template by hand): the bundled handler, pointed at moto through the EC2 test peer, must',
    '  answer FAILED with exactly the Reason shown, and the peer\'s request log must show no EC2 write (no EC2 request',
    '  at all: properties are validated before the first call).',
    '',
    `\`${EXAMPLE_IMAGE_ID}\` stands for a real AMI the test registers in moto, so an input that got through validation`,
    'would reach a real write. Long strings and lists are shortened here; the catalogue has them in full. Invisible',
    'characters are shown as `\\uXXXX`.',
    '',
    '| # | Input | Synth error | Event | Handler: FAILED with Reason |',
    '|---|---|---|---|---|',
    ...BAD_INPUTS.map(row),
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  process.stdout.write(renderBadInputsDoc());
}
