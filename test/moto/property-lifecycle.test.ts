// Property test of Custom::AmiLaunchPermissions against moto, through the custom-resource protocol.
//
// fast-check draws short sequences of stack deployments (Create / Update of one custom resource: a random list of
// principals of all four kinds from small pools, either mode, sometimes another AMI) and Deletes, with random
// out-of-band edits (someone else adding or removing principals on any AMI of the pool) before each step. Each
// sequence is a fresh stack in CfnSimulator (so replacement and its cleanup Delete come from the simulator, not from
// this test) driving the synthesised handler bundle, on a pool of three AMIs that starts with no launch permissions.
// After every step: CloudFormation sent the events the model expects and every answer is SUCCESS, the handler made
// the fewest writes (removals first, exactly the principals the model says change), and every AMI's live launch
// permissions equal the model's (test/support/launch-permission-model.ts).
//
//   npx jest test/moto/property-lifecycle.test.ts                                    # 200 sequences
//   PROPERTY_RUNS=1000 npx jest test/moto/property-lifecycle.test.ts --coverage=false
//   PROPERTY_SEED=<seed> npx jest test/moto/property-lifecycle.test.ts                  # the same sequences again
//   PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx jest test/moto/property-lifecycle.test.ts  # only a reported counterexample
//
// Each failure names the shrunk counterexample as steps over the AMI pool img0..img2 and principal aliases (a1..a6
// accounts, org1/org2, ou1/ou2, public), with the seed and path that replay it.
//
// Run `node scripts/bundle-handler.js` first when lambda/ changed: the handler comes from the bundle.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import * as fc from 'fast-check';
import { LaunchPermission, LaunchPermissionMode } from '../../src';
import type { CfnAnswer, DeclaredResource } from '../support/cfn-simulator';
import { HandlerEnvironment, launchPermissionsStack, livePermissions, startHandlerEnvironment } from '../support/handler-environment';
import { createImage } from '../support/images';
import { entryOf, LaunchPermissionModel, ModelDeclaration, ModelEvent, ModelMode, propertiesOf } from '../support/launch-permission-model';

const RUNS = positiveInteger('PROPERTY_RUNS') ?? 200;
const SEED = integer('PROPERTY_SEED');
const PATH = process.env.PROPERTY_PATH || undefined;
const POOL_SIZE = 3;
const MAX_STEPS = 6;
const MAX_EDITS_PER_STEP = 3;
/** Measured about 0.3 s per sequence on a busy 2-core machine; generous so a shared machine does not fail the run. */
const TIMEOUT_MS = 120_000 + RUNS * 1_500;

/** Small pools, so that principals overlap between steps, between modes and with the out-of-band edits. */
const PRINCIPALS: Record<string, string> = {
  a1: 'UserId:111111111111',
  a2: 'UserId:222222222222',
  a3: 'UserId:333333333333',
  a4: 'UserId:444444444444',
  a5: 'UserId:555555555555',
  a6: 'UserId:666666666666',
  org1: 'OrganizationArn:arn:aws:organizations::123456789012:organization/o-abcdefghij',
  org2: 'OrganizationArn:arn:aws:organizations::210987654321:organization/o-0123456789ab',
  ou1: 'OrganizationalUnitArn:arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefghij',
  ou2: 'OrganizationalUnitArn:arn:aws:organizations::210987654321:ou/o-0123456789ab/ou-zz99-0123abcd',
  public: 'Group:all',
};
const ALIASES = Object.keys(PRINCIPALS);
const ALIAS_OF = new Map(Object.entries(PRINCIPALS).map(([alias, principal]) => [principal, alias]));

/** Principals as their aliases in failure messages (anything outside the pool as itself), sorted. */
function aliases(principals: readonly string[]): string {
  return principals.map(p => ALIAS_OF.get(p) ?? p).sort().join(' ');
}

interface Edit {
  readonly image: number;
  readonly operation: 'add' | 'remove';
  readonly principal: string;
}

/** One step: out-of-band edits, then a deployment of the declaration (Create or Update) or a Delete of the resource. */
type Step = { readonly edits: readonly Edit[] } & (
  | { readonly kind: 'deploy'; readonly image?: number; readonly principals: readonly string[]; readonly mode: ModelMode }
  | { readonly kind: 'delete' });

const editArbitrary: fc.Arbitrary<Edit> = fc.record({
  image: fc.integer({ min: 0, max: POOL_SIZE - 1 }),
  operation: fc.constantFrom<'add' | 'remove'>('add', 'remove'),
  principal: fc.constantFrom(...ALIASES),
});

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      edits: fc.array(editArbitrary, { maxLength: MAX_EDITS_PER_STEP }),
      kind: fc.constant<'deploy'>('deploy'),
      // undefined: the AMI the resource is on (img0 for a Create); half the Updates of a deployed resource keep it.
      image: fc.option(fc.integer({ min: 0, max: POOL_SIZE - 1 }), { nil: undefined, freq: 2 }),
      // In a random order: CloudFormation sends an Update when only the order changes.
      principals: fc.shuffledSubarray(ALIASES, { maxLength: 6 }),
      mode: fc.constantFrom<ModelMode>('ADDITIVE', 'EXCLUSIVE'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ edits: fc.array(editArbitrary, { maxLength: MAX_EDITS_PER_STEP }), kind: fc.constant<'delete'>('delete') }),
  },
).map(step => ({ ...step, [fc.toStringMethod]: () => describeStep(step) }));

function describeStep(step: Step): string {
  const edits = step.edits.map(e => `${e.operation} ${e.principal} on img${e.image}`);
  const before = edits.length > 0 ? `[out of band: ${edits.join(', ')}] ` : '';
  if (step.kind === 'delete') return `${before}Delete`;
  const image = step.image === undefined ? 'same image' : `img${step.image}`;
  return `${before}Deploy(${image}, ${step.mode}, [${step.principals.join(', ')}])`;
}

const counts = { ms: 0, ec2Requests: 0, sequences: 0, steps: 0, edits: 0, events: 0, Create: 0, Update: 0, Delete: 0, replacements: 0 };

let env: HandlerEnvironment;
/** The AMIs every sequence uses (img0, img1, img2), and those that may still hold launch permissions. */
let images: string[];
const mayHoldPermissions = new Set<string>();
/** The construct's custom resource as synthesised once (ServiceToken left out: the simulator invokes directly). */
let logicalId: string;
let synthesized: DeclaredResource;

/** The stack's one custom resource for a declaration: the synthesised one with its ImageId, Permissions and Mode. */
function declaredResource(declaration: ModelDeclaration): DeclaredResource {
  return { ...synthesized, Properties: { ...synthesized.Properties, ...propertiesOf(declaration) } };
}

/** 'img0'..'img2' in failure messages. */
function label(imageId: string): string {
  return `img${images.indexOf(imageId)}`;
}

beforeAll(async () => {
  env = await startHandlerEnvironment();
  await env.peer.reset();
  images = await Promise.all(Array.from({ length: POOL_SIZE }, () => createImage(env.ec2)));
  // Synthesised once (synth is slow); the properties this test deploys must be exactly what the construct synthesises.
  const sample: ModelDeclaration = {
    imageId: 'ami-0123456789abcdef0',
    principals: [PRINCIPALS.a1, PRINCIPALS.org1, PRINCIPALS.ou1, PRINCIPALS.public],
    mode: 'EXCLUSIVE',
  };
  const stack = launchPermissionsStack({
    Share: {
      imageId: sample.imageId,
      permissions: [
        LaunchPermission.account(PRINCIPALS.a1.split(':')[1]),
        LaunchPermission.organization(PRINCIPALS.org1.slice('OrganizationArn:'.length)),
        LaunchPermission.organizationalUnit(PRINCIPALS.ou1.slice('OrganizationalUnitArn:'.length)),
        LaunchPermission.publicAccess(),
      ],
      mode: LaunchPermissionMode.EXCLUSIVE,
    },
  });
  [[logicalId, synthesized]] = Object.entries(stack);
  expect(synthesized.Type).toBe('Custom::AmiLaunchPermissions');
  expect(JSON.stringify(synthesized)).toBe(JSON.stringify(declaredResource(sample)));
}, 120_000);

afterAll(async () => {
  console.info(`property-lifecycle: ${counts.sequences} sequences, ${counts.steps} steps, ${counts.edits} out-of-band edits, `
    + `${counts.events} events sent (${counts.Create} Create, ${counts.Update} Update, ${counts.Delete} Delete; `
    + `${counts.replacements} image changes), ${counts.ec2Requests} EC2 requests, in ${(counts.ms / 1000).toFixed(1)} s`);
  await env?.stop();
});

beforeEach(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test(`live launch permissions follow the model through random Create / Update / Delete sequences (${RUNS} runs)`, async () => {
  const started = Date.now();
  env.peer.clearLog();
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: MAX_STEPS }), runSequence),
      { numRuns: RUNS, seed: SEED, path: PATH },
    );
  } finally {
    counts.ms = Date.now() - started;
  }
}, TIMEOUT_MS);

async function runSequence(steps: Step[]): Promise<void> {
  counts.sequences++;
  // Every sequence starts from AMIs without launch permissions (so a counterexample replays alone), and from a stack
  // without the resource. Cheaper than fresh AMIs or a moto reset: one call per AMI that a sequence left shared.
  await Promise.all([...mayHoldPermissions].map(async image => {
    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Remove: Object.values(PRINCIPALS).map(entryOf) } }));
    mayHoldPermissions.delete(image);
  }));
  const model = new LaunchPermissionModel(images);
  let passed = false;
  try {
    const cfn = env.simulator();
    for (const [index, step] of steps.entries()) {
      const where = `step ${index + 1} (${describeStep(step)})`;
      for (const edit of step.edits) {
        await outOfBandEdit(images[edit.image], edit.operation, PRINCIPALS[edit.principal]);
        model.outOfBand(images[edit.image], edit.operation, PRINCIPALS[edit.principal]);
        counts.edits++;
      }

      const sent = cfn.answers.length;
      takeLog();
      let failed: CfnAnswer | undefined;
      let expected: ModelEvent[];
      if (step.kind === 'deploy') {
        const declaration: ModelDeclaration = {
          imageId: step.image !== undefined ? images[step.image] : (model.declared?.imageId ?? images[0]),
          principals: step.principals.map(alias => PRINCIPALS[alias]),
          mode: step.mode,
        };
        failed = await cfn.deploy({ [logicalId]: declaredResource(declaration) });
        expected = model.deploy(declaration);
      } else {
        failed = await cfn.destroy();
        expected = model.delete();
      }
      counts.steps++;

      const writes = launchPermissionWrites();
      takeLog();
      const answers = cfn.answers.slice(sent);
      counts.events += answers.length;
      for (const answer of answers) counts[answer.requestType as 'Create' | 'Update' | 'Delete']++;
      if (expected.length === 2) counts.replacements++;
      if (failed !== undefined) throw new Error(`${where}: ${failed.RequestId} answered ${failed.Status}: ${failed.Reason}`);
      // The events CloudFormation sent (a replacement is an Update, then the cleanup Delete), each answered SUCCESS.
      expect({ where, events: answers.map(a => `${a.requestType} ${a.Status}`) })
        .toEqual({ where, events: expected.map(e => `${e.type} SUCCESS`) });
      // The fewest writes: per event one ModifyImageAttribute revoking exactly what the model says goes, then one
      // granting exactly what it says comes, on the event's AMI; none when nothing changes.
      expect({ where, writes }).toEqual({
        where,
        writes: expected.flatMap(e => [
          ...e.removed.length > 0 ? [`${label(e.imageId)} remove ${aliases(e.removed)}`] : [],
          ...e.added.length > 0 ? [`${label(e.imageId)} add ${aliases(e.added)}`] : [],
        ]),
      });

      const live = await Promise.all(images.map(async image => [label(image), aliases(await livePermissions(env.ec2, image))]));
      expect({ where, live: Object.fromEntries(live) })
        .toEqual({ where, live: Object.fromEntries(images.map(image => [label(image), aliases(model.liveOn(image))])) });
    }
    passed = true;
  } finally {
    // After a passing sequence the model says exactly what is live; after a failing one, anything may be.
    for (const image of images) {
      if (!passed || model.liveOn(image).length > 0) mayHoldPermissions.add(image);
    }
    takeLog();
  }
}

/** The launch permission writes EC2 saw since the last takeLog, as 'img<n> add|remove <principal aliases>'. */
function launchPermissionWrites(): string[] {
  return env.peer.writes().flatMap(request => {
    const changes: Record<string, string[]> = { add: [], remove: [] };
    for (const [name, value] of Object.entries(request.params)) {
      const match = /^LaunchPermission\.(Add|Remove)\.\d+\.(\w+)$/.exec(name);
      if (match) changes[match[1].toLowerCase()].push(`${match[2]}:${value}`);
    }
    return ['remove', 'add']
      .filter(operation => changes[operation].length > 0)
      .map(operation => `${label(request.params.ImageId)} ${operation} ${aliases(changes[operation])}`);
  });
}

/** Counts the EC2 requests the peer saw since the last call, and forgets them (so its log stays small). */
function takeLog(): void {
  counts.ec2Requests += env.peer.requests.length;
  env.peer.clearLog();
}

/** A change made outside the stack, the way another tool or the console would: one principal, one call. */
async function outOfBandEdit(imageId: string, operation: 'add' | 'remove', principal: string): Promise<void> {
  const entry = entryOf(principal);
  await env.ec2.send(new ModifyImageAttributeCommand({
    ImageId: imageId,
    LaunchPermission: operation === 'add' ? { Add: [entry] } : { Remove: [entry] },
  }));
}

function integer(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

function positiveInteger(name: string): number | undefined {
  const value = integer(name);
  if (value !== undefined && value < 1) throw new Error(`${name} must be at least 1, got ${value}`);
  return value;
}
