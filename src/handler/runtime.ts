import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

// Which Lambda runtime the handler function gets. The policy and the trade-offs behind it: docs/lambda-runtime.md.

/**
 * The oldest Node.js major the handler runs on: the bundle is built for it (scripts/bundle-handler.js, esbuild target
 * `node24`), and its suites run on it and on every newer major the policy can choose (.ci/lambda-node-majors.json).
 */
export const OLDEST_NODE_MAJOR = 24;

const NODE_RUNTIME_NAME = /^nodejs(\d+)\.x$/;

/** The Node.js major of a runtime named like `nodejs24.x`; undefined for any other name (`nodejs`, `python3.13`). */
export function nodeMajorOf(runtime: lambda.Runtime): number | undefined {
  const match = NODE_RUNTIME_NAME.exec(runtime.name);
  return runtime.family === lambda.RuntimeFamily.NODEJS && match ? Number(match[1]) : undefined;
}

/**
 * The newest fixed Node.js runtime among `runtimes`, or undefined if there is none at or above `oldestMajor`.
 * `NODEJS_LATEST` is skipped: it is a moving alias for an older major, not a runtime of its own.
 */
export function newestNodeRuntime(runtimes: lambda.Runtime[], oldestMajor: number): lambda.Runtime | undefined {
  let newest: { runtime: lambda.Runtime; major: number } | undefined;
  for (const runtime of runtimes) {
    const major = nodeMajorOf(runtime);
    if (major === undefined || runtime.isVariable || major < oldestMajor) continue;
    if (!newest || major > newest.major) newest = { runtime, major };
  }
  return newest?.runtime;
}

/**
 * The runtimes the user's aws-cdk-lib itself defines: the static `Runtime.X` constants of the copy of aws-cdk-lib this
 * app loaded. Not `Runtime.ALL`, which also holds every runtime anyone constructed in the process, so the choice would
 * depend on what else the app did before the handler was created.
 */
function runtimesOfAwsCdkLib(): lambda.Runtime[] {
  return Object.values(lambda.Runtime).filter((value): value is lambda.Runtime => value instanceof lambda.Runtime);
}

let oldestRuntime: lambda.Runtime | undefined;

/**
 * The handler's runtime when the stack does not choose one: the newest Node.js runtime the app's aws-cdk-lib defines,
 * and never older than `OLDEST_NODE_MAJOR`. It only changes when the app upgrades aws-cdk-lib, and it is what cdk-nag's
 * AwsSolutions-L1 asks for (the newest runtime of the family that aws-cdk-lib knows).
 */
export function defaultHandlerRuntime(): lambda.Runtime {
  const newest = newestNodeRuntime(runtimesOfAwsCdkLib(), OLDEST_NODE_MAJOR);
  if (newest) return newest;
  // An aws-cdk-lib older than 2.224.0 has no constant for it; named directly, the template is the same. Made once: each
  // `new Runtime` is also appended to `Runtime.ALL`.
  oldestRuntime ??= new lambda.Runtime(`nodejs${OLDEST_NODE_MAJOR}.x`, lambda.RuntimeFamily.NODEJS);
  return oldestRuntime;
}

/** Why `runtime` cannot run the handler, naming the property and the value; undefined when it can. */
export function handlerRuntimeError(property: string, runtime: lambda.Runtime): string | undefined {
  if (Token.isUnresolved(runtime.name)) {
    return `${property}: the runtime must be known at synth time (got a token), so that the bundle it runs is known to work on it`;
  }
  const major = nodeMajorOf(runtime);
  if (major === undefined) {
    return `${property}: '${runtime.name}' is not a Node.js runtime named like 'nodejs${OLDEST_NODE_MAJOR}.x'; `
      + 'the handler is a Node.js bundle';
  }
  if (major < OLDEST_NODE_MAJOR) {
    return `${property}: '${runtime.name}' is older than the oldest runtime the handler is built and tested for `
      + `(nodejs${OLDEST_NODE_MAJOR}.x)`;
  }
  return undefined;
}
