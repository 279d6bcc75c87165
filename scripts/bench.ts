// `npx projen bench`: the performance benchmark of cdk-ami-sharing (issue 5). It prints numbers; it never fails on a
// time, only when a correctness invariant breaks (see BENCHMARKS.md). Every timing is a ratio against a baseline
// measured in the same run, interleaved, because the machines this runs on are shared and noisy.
//
//   1. EC2 calls per converge: the bundled handler vs one Modify per principal vs one blind Modify (moto + proxy).
//   2. Converge time: the handler's invocation vs the raw SDK's describe + modify (median, ratio), on loopback and
//      again with a network round trip on every EC2 call.
//   3. Synth scale: N constructs vs N bare CfnResources; template bytes, Lambda count, IAM policy sizes.
//   4. Handler bundle: SDK bundled vs external; bytes, zipped bytes, fresh-process load time.
//   5. Parallel deployment under throttling: N constructs created, updated and deleted at once against EC2's per-API
//      token buckets; makespan against the buckets' bound, throttled requests, requests per write, failures.
//
// Options:
//   --sizes=small|full   (default full; --quick = --sizes=small)   --json        JSON on stdout only
//   --write-md[=FILE]    rewrite BENCHMARKS.md from this run        --verbose     keep the handler's own log lines
//   --sections=calls,time,synth,bundle,throttle                      --runs=N      timed runs for sections 2 and 3
//   --no-bundle          skip `node scripts/bundle-handler.js` (the projen task has just run it)
//   --throttle-constructs=50,200   (full size only) the N of section 5's standard-retry runs, instead of 50, 200, 400
//   --latency-ms=20      the round trip section 2's third loop adds to every EC2 call (an assumption, not a measure)
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureBundle } from './bench/bundle';
import { measureConvergeTime } from './bench/converge-time';
import { measureEc2Calls } from './bench/ec2-calls';
import { describeMachine } from './bench/machine';
import { measureParallelThrottling, ThrottlingPlan } from './bench/parallel-throttling';
import { renderJson, renderMarkdown, renderText, Results } from './bench/report';
import { measureLargest, measureSynthScale } from './bench/synth-scale';
import { now, progress } from './bench/util';
import { startHandlerEnvironment } from '../test/support/handler-environment';

const ROOT = path.join(__dirname, '..');

// Throttling: at full size, EC2's own bucket sizes in real time, and once more with the adaptive retry mode; the small
// run scales the buckets to its N (the same contention as 400 constructs) and refills them 20 times faster.
const FULL_THROTTLING: ThrottlingPlan[] = [
  ...[50, 200, 400].map(constructs => ({ constructs, mode: 'standard' as const, scaledTo400: false, speedup: 1 })),
  { constructs: 200, mode: 'adaptive', scaledTo400: false, speedup: 1 },
];
const SMALL_THROTTLING: ThrottlingPlan[] = [{ constructs: 20, mode: 'standard', scaledTo400: true, speedup: 20 }];
const SIZES = {
  small: { principals: [1, 10], constructs: [1, 50], timingRuns: 3, synthRuns: 3, loadRuns: 3, throttling: SMALL_THROTTLING },
  full: { principals: [1, 10, 100, 1000], constructs: [1, 50, 200, 400], timingRuns: 15, synthRuns: 5, loadRuns: 15, throttling: FULL_THROTTLING },
};

type Section = 'calls' | 'time' | 'synth' | 'bundle' | 'throttle';
const SECTIONS: Section[] = ['calls', 'time', 'synth', 'bundle', 'throttle'];

interface Options {
  readonly sizes: 'small' | 'full';
  readonly json: boolean;
  readonly writeMd?: string;
  readonly verbose: boolean;
  readonly sections: Set<Section>;
  readonly runs?: number;
  readonly bundle: boolean;
  readonly throttleConstructs?: number[];
  readonly latencyMs: number;
}

/** Section 2's round trip per EC2 call when --latency-ms is not given. */
const DEFAULT_LATENCY_MS = 20;

/** A bad command line: shown without a stack trace. */
class UsageError extends Error {}

function parseOptions(argv: string[]): Options {
  let sizes: 'small' | 'full' = 'full';
  let json = false;
  let writeMd: string | undefined;
  let verbose = false;
  let sections = new Set<Section>(SECTIONS);
  let runs: number | undefined;
  let bundle = true;
  let throttleConstructs: number[] | undefined;
  let latencyMs = DEFAULT_LATENCY_MS;
  for (const arg of argv) {
    const [name, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (name) {
      case '--sizes':
        if (value !== 'small' && value !== 'full') throw new UsageError(`--sizes must be small or full, not ${value}`);
        sizes = value;
        break;
      case '--quick': sizes = 'small'; break;
      case '--json': json = true; break;
      case '--write-md': writeMd = path.resolve(ROOT, value ?? 'BENCHMARKS.md'); break;
      case '--verbose': verbose = true; break;
      case '--no-bundle': bundle = false; break;
      case '--runs':
        runs = Number(value);
        if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, not ${value}`);
        break;
      case '--latency-ms':
        latencyMs = Number(value);
        if (!Number.isInteger(latencyMs) || latencyMs < 1) throw new UsageError(`--latency-ms must be a positive integer, not ${value}`);
        break;
      case '--sections': {
        const list = (value ?? '').split(',').filter(Boolean);
        const unknown = list.filter(s => !SECTIONS.includes(s as Section));
        if (unknown.length > 0 || list.length === 0) throw new UsageError(`--sections takes a list of ${SECTIONS.join(', ')}`);
        sections = new Set(list as Section[]);
        break;
      }
      case '--throttle-constructs':
        throttleConstructs = (value ?? '').split(',').map(Number);
        if (throttleConstructs.length === 0 || throttleConstructs.some(n => !Number.isInteger(n) || n < 1)) {
          throw new UsageError(`--throttle-constructs takes a list of positive integers, not ${value}`);
        }
        break;
      case '--':
        break;
      default:
        throw new UsageError(`unknown option ${arg} (see the header of scripts/bench.ts)`);
    }
  }
  return { sizes, json, writeMd, verbose, sections, runs, bundle, throttleConstructs, latencyMs };
}

/** How this run was started, as someone would type it again. */
function commandLine(argv: string[]): string {
  const args = argv.filter(a => a !== '--').join(' ');
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  if (/\bprojen\b/.test(process.env.npm_lifecycle_script ?? '')) return `npx projen bench${args ? ` ${args}` : ''}`;
  return `npx ts-node --transpile-only scripts/bench.ts${args ? ` ${args}` : ''}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const size = SIZES[options.sizes];
  const timingRuns = options.runs ?? size.timingRuns;
  const synthRuns = options.runs ?? size.synthRuns;
  const started = now();
  const machine = describeMachine(ROOT);

  if (options.bundle) {
    progress('bundling the handler (node scripts/bundle-handler.js)');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-handler.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  // Cloud assemblies and bundles go to one temporary directory, removed at the end.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ami-sharing-bench-'));
  process.env.CDK_OUTDIR = path.join(workDir, 'cdk.out');
  // The handler logs one JSON line per request and answer: keep them off the table (and out of --json).
  const quiet = !options.verbose;
  const consoleLog = console.log;
  const consoleError = console.error;
  if (quiet) {
    console.log = () => undefined;
    console.error = () => undefined;
  }

  const violations: string[] = [];
  const durationsMs: Record<string, number> = {};
  const results: { -readonly [K in keyof Results]?: Results[K] } = {};
  const section = async <T>(key: string, fn: () => Promise<T> | T): Promise<T> => {
    const start = now();
    try {
      return await fn();
    } finally {
      durationsMs[key] = now() - start;
    }
  };

  try {
    if (options.sections.has('calls') || options.sections.has('time') || options.sections.has('throttle')) {
      progress('starting moto behind the recording proxy');
      // Sets the AWS_* variables (endpoint, Region, dummy credentials) the bundled handler's client reads.
      const env = await startHandlerEnvironment();
      try {
        if (options.sections.has('calls')) {
          results.ec2Calls = await section('ec2Calls', () => measureEc2Calls(env, size.principals, violations));
        }
        if (options.sections.has('time')) {
          results.convergeTime = await section('convergeTime', () => measureConvergeTime(env, size.principals, timingRuns, options.latencyMs, violations));
        }
        if (options.sections.has('throttle')) {
          const plans = options.sizes === 'full' && options.throttleConstructs
            ? options.throttleConstructs.map(constructs => ({ constructs, mode: 'standard' as const, scaledTo400: false, speedup: 1 }))
            : size.throttling;
          results.throttling = await section('throttling', () => measureParallelThrottling(env, plans, violations));
        }
      } finally {
        await env.stop();
      }
    }
    if (options.sections.has('synth')) {
      results.synthScale = await section('synthScale', () => measureSynthScale(size.constructs, synthRuns, workDir, violations));
      if (options.sizes === 'full') results.synthLargest = await section('synthLargest', () => measureLargest(results.synthScale!, workDir));
    }
    if (options.sections.has('bundle')) {
      results.bundle = await section('bundle', () => measureBundle(ROOT, path.join(workDir, 'bundle'), size.loadRuns, violations));
    }
  } finally {
    console.log = consoleLog;
    console.error = consoleError;
    fs.rmSync(workDir, { recursive: true, force: true });
  }

  const full: Results = {
    ...results,
    meta: {
      machine,
      command: commandLine(argv),
      sizes: options.sizes,
      config: {
        'principals': size.principals,
        'constructs': size.constructs,
        'converge-time runs': timingRuns,
        'converge-time round trip ms': options.latencyMs,
        'synth runs': synthRuns,
        'load runs': size.loadRuns,
        'throttling': size.throttling.map(t => `${t.constructs} ${t.mode}${t.scaledTo400 ? ' (buckets x N/400)' : ''}${t.speedup !== 1 ? ` (refill x${t.speedup})` : ''}`),
      },
      durationsMs,
      totalMs: now() - started,
      loadAverageAtEnd: Math.round(os.loadavg()[0] * 100) / 100,
    },
    violations,
  };

  process.stdout.write(options.json ? renderJson(full) : renderText(full));
  if (options.writeMd) {
    fs.writeFileSync(options.writeMd, renderMarkdown(full));
    progress(`wrote ${path.relative(ROOT, options.writeMd)}`);
  }
  if (violations.length > 0) {
    progress(`${violations.length} invariant(s) broken: exit 1`);
    return 1;
  }
  return 0;
}

main().then(code => {
  process.exitCode = code;
}, error => {
  const shown = error instanceof UsageError ? error.message : error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`[bench] failed: ${shown}\n`);
  process.exitCode = 2;
});
