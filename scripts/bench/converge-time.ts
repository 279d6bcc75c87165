// Section 2: converge time. The handler's whole invocation for a Create of N principals on a fresh AMI (parse,
// validate, read, plan, write, read back, answer CloudFormation on a loopback ResponseURL) against the raw SDK doing
// just the DescribeImageAttribute and ModifyImageAttribute that converge needs, with the same list, in this process,
// through the same proxy. A second baseline adds the one read-back the handler makes after writing, so the ratio can
// be split into "the extra read" and "everything else". Runs are interleaved, rotating which variant goes first.
// Then, in a loop of its own that leaves the timings above as they were, a third baseline also sends the handler's
// pre-flight DescribeImages together with its first read, the way the handler does: what that concurrent read costs on
// this emulator, which answers concurrent requests one after the other.
// A third loop gives every EC2 call a network round trip (the peer's latency fault, the same for every call): moto on
// loopback answers in a few ms of CPU, one request at a time, so without it concurrent reads cannot overlap; with it
// they overlap as they do against a service that answers in parallel, and "handler / (raw + read-back)" is measured
// again, interleaved the same way.
import { DescribeImageAttributeCommand, DescribeImagesCommand, EC2Client, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { accountIds, imageIdFor, interleaved, median, progress, ratio, timed } from './util';
import { LaunchPermission } from '../../src';
import { HandlerEnvironment, launchPermissionsStack, livePermissions } from '../../test/support/handler-environment';
import { createImage, ec2Client } from '../../test/support/images';

export interface TimingRow {
  readonly principals: number;
  readonly runs: number;
  readonly handlerMs: number[];
  readonly rawMs: number[];
  readonly rawReadBackMs: number[];
  readonly handlerMedianMs: number;
  readonly rawMedianMs: number;
  readonly rawReadBackMedianMs: number;
  /** handler / raw describe + modify: the issue's figure (goal <= 1.3). */
  readonly ratio: number;
  /** handler / raw describe + modify + describe. */
  readonly ratioVsReadBack: number;
  /** The second loop: raw + read-back, interleaved with raw + pre-flight + read-back. */
  readonly pairedReadBackMs: number[];
  /** The second loop: DescribeImages sent with the first DescribeImageAttribute, then modify, then the read-back. */
  readonly rawPreflightReadBackMs: number[];
  readonly pairedReadBackMedianMs: number;
  readonly rawPreflightReadBackMedianMs: number;
  /** raw + pre-flight + read-back / raw + read-back, both of the second loop: the concurrent pre-flight read's price. */
  readonly preflightRatio: number;
  /**
   * handler / raw + pre-flight + read-back, taken as ratioVsReadBack / preflightRatio: what is left for the handler's
   * own work once it is compared with a raw converge that makes the same four calls the same way.
   */
  readonly ratioVsPreflight: number;
  /** The third loop: the round trip the peer adds to every EC2 call, in ms. */
  readonly latencyMs: number;
  readonly latencyHandlerMs: number[];
  readonly latencyReadBackMs: number[];
  readonly latencyHandlerMedianMs: number;
  readonly latencyReadBackMedianMs: number;
  /** handler / raw + read-back, both with the round trip: the issue's goal (<= 1.15). */
  readonly latencyRatioVsReadBack: number;
}

type Variant = 'handler' | 'raw' | 'rawReadBack' | 'rawPreflightReadBack';
const VARIANTS = ['handler', 'raw', 'rawReadBack'] as const;
const PREFLIGHT_VARIANTS = ['rawReadBack', 'rawPreflightReadBack'] as const;
const LATENCY_VARIANTS = ['handler', 'rawReadBack'] as const;

export async function measureConvergeTime(
  env: HandlerEnvironment, sizes: readonly number[], runs: number, latencyMs: number, violations: string[]): Promise<TimingRow[]> {
  const raw = ec2Client(env.peer.endpoint);
  const rows: TimingRow[] = [];
  try {
    for (const n of sizes) {
      progress(`converge time: ${n} principal(s), ${runs} runs`);
      await env.peer.reset();
      const accounts = accountIds(n);
      // The properties exactly as the construct synthesises them; only the image differs from run to run.
      const placeholder = imageIdFor(0);
      const declared = launchPermissionsStack({ Share: { imageId: placeholder, permissions: accounts.map(a => LaunchPermission.account(a)) } });
      const [logicalId, resource] = Object.entries(declared)[0];
      const cfn = env.simulator(600_000);

      const run = async (variant: Variant): Promise<number> => {
        const imageId = await createImage(env.ec2);
        let failure: string | undefined;
        const { ms } = await timed(async () => {
          if (variant === 'handler') {
            const answer = await cfn.send({
              RequestType: 'Create',
              LogicalResourceId: logicalId,
              ResourceType: resource.Type,
              ResourceProperties: { ...resource.Properties, ImageId: imageId },
            } as any);
            if (answer.Status !== 'SUCCESS') failure = answer.Reason;
          } else {
            await rawConverge(raw, imageId, accounts, variant !== 'raw', variant === 'rawPreflightReadBack');
          }
        });
        const live = await livePermissions(env.ec2, imageId);
        if (failure || live.length !== n) {
          violations.push(`converge time, ${n} principal(s), ${variant}: ${failure ?? `${live.length} principals live, ${n} declared`}`);
        }
        return ms;
      };

      const samples = await interleaved(VARIANTS, runs, run);
      const handlerMedianMs = median(samples.handler);
      const rawMedianMs = median(samples.raw);
      const rawReadBackMedianMs = median(samples.rawReadBack);

      // rawReadBack is warm from the first loop.
      const paired = await interleaved(PREFLIGHT_VARIANTS, runs, run, ['rawPreflightReadBack']);
      const pairedReadBackMedianMs = median(paired.rawReadBack);
      const rawPreflightReadBackMedianMs = median(paired.rawPreflightReadBack);

      env.peer.injectFaults({ latencyMs });
      let withLatency: Record<'handler' | 'rawReadBack', number[]>;
      try {
        withLatency = await interleaved(LATENCY_VARIANTS, runs, run);
      } finally {
        env.peer.clearFaults();
      }
      const latencyHandlerMedianMs = median(withLatency.handler);
      const latencyReadBackMedianMs = median(withLatency.rawReadBack);
      rows.push({
        principals: n,
        runs,
        handlerMs: samples.handler,
        rawMs: samples.raw,
        rawReadBackMs: samples.rawReadBack,
        handlerMedianMs,
        rawMedianMs,
        rawReadBackMedianMs,
        ratio: ratio(handlerMedianMs, rawMedianMs),
        ratioVsReadBack: ratio(handlerMedianMs, rawReadBackMedianMs),
        pairedReadBackMs: paired.rawReadBack,
        rawPreflightReadBackMs: paired.rawPreflightReadBack,
        pairedReadBackMedianMs,
        rawPreflightReadBackMedianMs,
        preflightRatio: ratio(rawPreflightReadBackMedianMs, pairedReadBackMedianMs),
        // Each loop against its own raw + read-back, so that a change of load between the two loops cancels out.
        ratioVsPreflight: ratio(handlerMedianMs, rawReadBackMedianMs) / ratio(rawPreflightReadBackMedianMs, pairedReadBackMedianMs),
        latencyMs,
        latencyHandlerMs: withLatency.handler,
        latencyReadBackMs: withLatency.rawReadBack,
        latencyHandlerMedianMs,
        latencyReadBackMedianMs,
        latencyRatioVsReadBack: ratio(latencyHandlerMedianMs, latencyReadBackMedianMs),
      });
    }
  } finally {
    raw.destroy();
  }
  return rows;
}

/**
 * What a hand-written converge does with the SDK: read, diff, one write (and optionally read back once). `preflight`:
 * DescribeImages of the AMI goes out with the first read and is waited for before the write, as the handler's does.
 */
async function rawConverge(ec2: EC2Client, imageId: string, accounts: string[], readBack: boolean, preflight = false): Promise<void> {
  const read = () => ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }));
  const storage = preflight ? ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })) : undefined;
  const first = storage ? (await Promise.all([read(), storage]))[0] : await read();
  const live = new Set((first.LaunchPermissions ?? []).map(p => p.UserId));
  const add = accounts.filter(a => !live.has(a));
  if (add.length > 0) {
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: add.map(UserId => ({ UserId })) } }));
  }
  if (readBack) await read();
}
