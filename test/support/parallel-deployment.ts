// N AmiLaunchPermissions deployed at once, as CloudFormation does with independent resources: every construct's
// Create, then every Update, then every Delete, each phase started for all N at the same instant, against the EC2 peer
// enforcing EC2's per-API token buckets. Each construct is served by its own simulated Lambda container: a fresh
// instance of the handler bundle with its own EC2 client, as concurrent invocations get in Lambda, run in a few host
// processes (container-pool.ts) so the harness keeps up with EC2's refill rates. Shared by the moto test and the
// benchmark.
import { EC2Client } from '@aws-sdk/client-ec2';
import { CfnSimulator, DeclaredResource } from './cfn-simulator';
import { ContainerPool } from './container-pool';
import { HandlerEnvironment, launchPermissionsStack, livePermissions } from './handler-environment';
import { createImage, ec2Client } from './images';
import { TokenBuckets } from './token-buckets';
import { LaunchPermission } from '../../src';

export interface ParallelDeploymentOptions {
  readonly constructs: number;
  /** Accounts per construct (default 20); an Update replaces 10 % of them (at least one). */
  readonly accounts?: number;
  /** Token bucket scale and speedup (see TokenBuckets). */
  readonly scale?: number;
  readonly speedup?: number;
  /** The handler's AWS_RETRY_MODE (default: unset, the handler's default). */
  readonly retryMode?: 'standard' | 'adaptive';
  /** Invocation time CloudFormation's Lambda gives each request (default 300 s, the handler's timeout). */
  readonly remainingMs?: number;
  /** Enforce the token buckets (default true); without, the run measures the harness's own pace. */
  readonly throttle?: boolean;
  /** Processes the containers run in (default: see ContainerPool). */
  readonly hosts?: number;
}

export interface PhaseResult {
  readonly phase: 'Create' | 'Update 10%' | 'Delete';
  readonly makespanMs: number;
  /** The binding bucket's time in ms (see TokenBuckets.bound), and its API. */
  readonly boundMs: number;
  readonly bindingAction?: string;
  readonly requests: number;
  readonly throttled: number;
  readonly modifyRequests: number;
  /** ModifyImageAttribute requests EC2 applied: the logical writes. */
  readonly writes: number;
  /** FAILED reasons, by logical id. */
  readonly failures: Record<string, string>;
  /** AMIs whose live launch permissions are not exactly what the phase declared. */
  readonly wrongImages: string[];
}

const PHASES = ['Create', 'Update 10%', 'Delete'] as const;

export async function runParallelDeployment(env: HandlerEnvironment, options: ParallelDeploymentOptions): Promise<PhaseResult[]> {
  const n = options.constructs;
  const perConstruct = options.accounts ?? 20;
  const replaced = Math.max(1, Math.round(perConstruct / 10));
  const moto = ec2Client(env.peer.motoEndpoint);
  try {
    const images: string[] = [];
    for (let i = 0; i < n; i++) images.push(await createImage(moto));
    const accounts = (i: number, from: number, count: number) =>
      Array.from({ length: count }, (_, j) => String(200_000_000_000 + i * 1_000 + from + j));
    const declared = (phase: typeof PHASES[number], i: number): string[] =>
      phase === 'Create' ? accounts(i, 0, perConstruct)
        : phase === 'Update 10%' ? [...accounts(i, replaced, perConstruct - replaced), ...accounts(i, 500, replaced)]
          : [];
    const stack = (phase: 'Create' | 'Update 10%') => launchPermissionsStack(Object.fromEntries(images.map((imageId, i) =>
      [`Share${i}`, { imageId, permissions: declared(phase, i).map(a => LaunchPermission.account(a)) }])));
    const resources = { 'Create': stack('Create'), 'Update 10%': stack('Update 10%') };
    const logicalIds = Object.keys(resources.Create);

    const pool = await ContainerPool.start({ handlerPath: env.handlerPath, containers: n, hosts: options.hosts, retryMode: options.retryMode });
    const simulators = images.map((_, i) => new CfnSimulator(pool.handler(i), env.server, options.remainingMs ?? 300_000, { repeatedAnswers: true }));
    const buckets = new TokenBuckets({ scale: options.scale, speedup: options.speedup });
    if (options.throttle ?? true) env.peer.enforceTokenBuckets(buckets);
    const results: PhaseResult[] = [];
    try {
      for (const phase of PHASES) {
        buckets.refill();
        env.peer.clearLog();
        const failures: Record<string, string> = {};
        const started = Date.now();
        await Promise.all(simulators.map(async (cfn, i) => {
          const logicalId = logicalIds[i];
          const declaration: Record<string, DeclaredResource> = phase === 'Delete' ? {} : { [logicalId]: resources[phase][logicalId] };
          const failed = await cfn.deploy(declaration);
          if (failed) failures[logicalId] = failed.Reason ?? '(no reason)';
        }));
        const makespanMs = Date.now() - started;
        const allowed = Object.fromEntries(Object.entries(buckets.counts).map(([action, c]) => [action, c.allowed]));
        const bound = buckets.bound(allowed);
        const modifies = env.peer.requests.filter(r => r.action === 'ModifyImageAttribute');
        results.push({
          phase,
          makespanMs,
          boundMs: bound.seconds * 1000,
          bindingAction: bound.action,
          requests: env.peer.requests.length,
          throttled: Object.values(buckets.counts).reduce((sum, c) => sum + c.throttled, 0),
          modifyRequests: modifies.length,
          writes: modifies.filter(r => r.status === 200).length,
          failures,
          wrongImages: await wrongImages(moto, images, i => declared(phase, i)),
        });
      }
    } finally {
      env.peer.enforceTokenBuckets(undefined);
      pool.stop();
    }
    return results;
  } finally {
    moto.destroy();
  }
}

async function wrongImages(moto: EC2Client, images: string[], expected: (i: number) => string[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const [i, imageId] of images.entries()) {
    const want = expected(i).map(a => `UserId:${a}`).sort();
    if (JSON.stringify(await livePermissions(moto, imageId)) !== JSON.stringify(want)) wrong.push(imageId);
  }
  return wrong;
}
