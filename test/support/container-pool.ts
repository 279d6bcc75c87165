// Simulated Lambda containers spread over a few host processes (container-host.ts), for runs of hundreds of concurrent
// invocations. In one process, each fresh handler instance brings its own AsyncLocalStorage (lambda/deadline.ts), and
// on Node 20 every promise created anywhere in the process runs every instance's propagation hook: at 400 containers
// the harness, not EC2's token buckets, set the pace (11 requests/s, most of one core in async_hooks and GC). In Lambda
// each container is a process of its own; a host per 50 or so containers keeps that cost per request small (measured
// unthrottled, 200 constructs: Create 28.4 s in one process, 10.6 s in 4 hosts). The EC2 peer and the ResponseURL
// server stay in the calling process.
import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { Handler } from './cfn-simulator';

/** From the pool to a host. */
export type PoolMessage =
  | { readonly kind: 'load'; readonly handlerPath: string; readonly containers: number; readonly retryMode?: string }
  | Invocation;

/** One event for one container of a host (its index there), with the time left CloudFormation's Lambda gives it. */
export interface Invocation {
  readonly kind: 'invoke';
  readonly invocation: number;
  readonly container: number;
  readonly event: CloudFormationCustomResourceEvent;
  readonly remainingMs: number;
}

/** From a host to the pool. */
export type HostMessage =
  | { readonly kind: 'loaded'; readonly error?: string }
  | { readonly kind: 'returned'; readonly invocation: number; readonly error?: string };

export interface ContainerPoolOptions {
  /** The handler bundle's index.js. */
  readonly handlerPath: string;
  readonly containers: number;
  /** Host processes (default: one per 50 containers, at least 1). */
  readonly hosts?: number;
  /** The handlers' AWS_RETRY_MODE (undefined: unset). */
  readonly retryMode?: string;
  /** Show the handlers' log lines (default false: hundreds of containers' JSON logs drown everything else). */
  readonly logs?: boolean;
}

const HOST = path.join(__dirname, 'container-host.ts');
const CONTAINERS_PER_HOST = 50;

export class ContainerPool {
  public static async start(options: ContainerPoolOptions): Promise<ContainerPool> {
    const count = Math.max(1, Math.min(options.containers, options.hosts ?? Math.ceil(options.containers / CONTAINERS_PER_HOST)));
    const hosts = Array.from({ length: count }, () => fork(HOST, [], {
      // The host is TypeScript: the same transpile-only loader the benchmark uses (jest's transform does not reach
      // child processes).
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      // The AWS_* variables (endpoints, Region, credentials) as the caller sees them: under jest, `process.env` is the
      // test's own copy, not what fork would pass on by default.
      env: { ...process.env },
      stdio: ['ignore', options.logs ? 'inherit' : 'ignore', 'inherit', 'ipc'],
    }));
    const pool = new ContainerPool(hosts, options.containers);
    try {
      await Promise.all(hosts.map((host, h) => pool.load(host, {
        kind: 'load',
        handlerPath: options.handlerPath,
        // Containers are dealt round-robin: container i lives in host i % count.
        containers: Math.ceil((options.containers - h) / count),
        retryMode: options.retryMode,
      })));
    } catch (error) {
      pool.stop();
      throw error;
    }
    return pool;
  }

  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private invocations = 0;

  private constructor(private readonly hosts: ChildProcess[], private readonly containers: number) {
    for (const host of hosts) {
      host.on('message', (message: HostMessage) => {
        if (message.kind !== 'returned') return;
        const waiting = this.pending.get(message.invocation);
        this.pending.delete(message.invocation);
        if (message.error) waiting?.reject(new Error(message.error));
        else waiting?.resolve();
      });
      host.on('exit', (code, signal) => {
        for (const [, waiting] of this.pending) waiting.reject(new Error(`a container host exited (${signal ?? code}) during an invocation`));
        this.pending.clear();
      });
    }
  }

  /** Container i as a handler: invoking it runs the event in its host and resolves when the handler has returned. */
  public handler(container: number): Handler {
    if (container < 0 || container >= this.containers) throw new Error(`no container ${container} in a pool of ${this.containers}`);
    const host = this.hosts[container % this.hosts.length];
    const local = Math.floor(container / this.hosts.length);
    return (event, context) => new Promise<void>((resolve, reject) => {
      const invocation = ++this.invocations;
      this.pending.set(invocation, { resolve, reject });
      const message: PoolMessage = { kind: 'invoke', invocation, container: local, event, remainingMs: context.getRemainingTimeInMillis() };
      host.send(message);
    });
  }

  public stop(): void {
    for (const host of this.hosts) {
      if (host.connected) host.disconnect();
    }
  }

  private load(host: ChildProcess, message: PoolMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      host.once('message', (answer: HostMessage) => (answer.kind === 'loaded' && !answer.error ? resolve()
        : reject(new Error(`a container host could not load the handler: ${answer.kind === 'loaded' ? answer.error : answer.kind}`))));
      host.once('exit', code => reject(new Error(`a container host exited (${code}) while loading the handler`)));
      host.send(message);
    });
  }
}
