// Every entry of the bad-input catalogue (test/support/bad-inputs.ts): at synth time it must throw exactly its error;
// sent to the bundled handler (taken from a synthesised cloud assembly, pointed at moto through the EC2 peer) it must
// answer FAILED with exactly its Reason, without a single EC2 request, let alone a write. docs/bad-inputs.md, rendered
// from the catalogue, must be up to date.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { renderBadInputsDoc } from '../../scripts/bad-inputs-doc';
import { BAD_INPUTS, BadInput, EXAMPLE_IMAGE_ID, RESOURCE_TYPES } from '../support/bad-inputs';
import { HandlerEnvironment, startHandlerEnvironment } from '../support/handler-environment';
import { createImage } from '../support/images';

/**
 * Invocation time the simulated Lambda context reports. Validation needs none of it; it bounds how long an input that
 * got through validation can keep the test busy (the handler answers FAILED 8 s before this runs out).
 */
const REMAINING_MS = 25_000;

let env: HandlerEnvironment;
/** A real AMI in moto: an input that got through validation would reach a real write to it. */
let imageId: string;
beforeAll(async () => {
  env = await startHandlerEnvironment();
  imageId = await createImage(env.ec2, { description: 'bad-inputs test image' });
});
afterAll(async () => { await env?.stop(); });
beforeEach(() => {
  env.peer.clearLog();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** The message `run` throws, or undefined when it does not throw. */
function messageThrownBy(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

const withSynth = BAD_INPUTS.filter((input): input is BadInput & { synth: NonNullable<BadInput['synth']> } => input.synth !== undefined);

describe('at synth time', () => {
  test.each(withSynth.map(input => [input.name, input] as const))('%s', (_name, input) => {
    const message = messageThrownBy(() => {
      const app = new App();
      const stack = new Stack(app, 'BadInput', { env: { account: '123456789012', region: 'us-east-1' } });
      input.synth.build(stack);
      app.synth();
    });
    expect(message).toBe(input.synth.error);
  });
});

describe('against the handler: FAILED, and no EC2 request at all', () => {
  test.each(BAD_INPUTS.map(input => [input.name, input] as const))('%s', async (_name, input) => {
    const answer = await env.simulator(REMAINING_MS).send({ LogicalResourceId: 'BadInput', ...input.handler.event(imageId) } as any);

    // No write first: it is the property that matters most, and the one to see when a message is wrong as well.
    expect(env.peer.writes()).toEqual([]);
    expect(env.peer.requests.map(r => r.action)).toEqual([]);
    expect(answer.Status).toBe('FAILED');
    if (input.handler.match === 'exact') {
      expect(answer.Reason).toBe(input.handler.reason);
    } else {
      expect(answer.Reason?.slice(0, input.handler.reason.length)).toBe(input.handler.reason);
    }
  });
});

describe('the catalogue', () => {
  test('has at least 40 inputs with distinct names, and covers every resource type and both synth and deploy', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUTS.map(i => i.name)).size).toBe(BAD_INPUTS.length);
    const types = new Set(BAD_INPUTS.map(i => i.handler.event(EXAMPLE_IMAGE_ID).ResourceType));
    for (const type of RESOURCE_TYPES) expect(types).toContain(type);
    expect(withSynth.length).toBeGreaterThan(0);
    expect(BAD_INPUTS.filter(i => i.handler.match === 'prefix' && !i.handler.prefixBecause)).toEqual([]);
  });

  test('docs/bad-inputs.md is up to date (npx ts-node --transpile-only scripts/bad-inputs-doc.ts > docs/bad-inputs.md)', () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'bad-inputs.md'), 'utf8');
    expect(onDisk).toBe(renderBadInputsDoc());
  });
});
