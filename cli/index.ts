// `cdk-ami-sharing`: the command the npm package ships (bundled into assets/cli/index.js, its `bin`).
// Errors are one line naming what failed, never a stack trace, and never anything from the credentials.
import { parseArgs, PlanArgs, USAGE, UsageError } from './args';
import { AssemblyError, readAssembly, selectStacks } from './assembly';
import { AwsClients, FatalAwsError } from './aws';
import { exitCodeOf } from './plan/model';
import { planApp } from './plan/plan-app';
import { renderHuman } from './render/human';
import { renderJson } from './render/json';
import { checkUsage, UsageCheck, usageComplete, usageInUse } from './usage/check';
import { renderUsage } from './usage/render';
import { usageTargetsOf } from './usage/targets';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: Output = { out: text => process.stdout.write(`${text}\n`), err: text => process.stderr.write(`${text}\n`) };

/** Runs the command and returns its exit code. */
export async function main(argv: string[], io: Output = STDIO): Promise<number> {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.err(`cdk-ami-sharing: ${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (args.command === 'help') {
    io.out(USAGE);
    return 0;
  }
  return plan(args, io);
}

async function plan(args: PlanArgs, io: Output): Promise<number> {
  const clients = new AwsClients();
  try {
    const stacks = selectStacks(readAssembly(args.app), args.stacks);
    const report = await planApp(stacks, clients);
    if (!args.usage) {
      io.out(args.json ? renderJson(report) : renderHuman(report));
      return exitCodeOf(report);
    }
    const check = await checkUsage(usageTargetsOf(report), {
      timeoutMs: args.usage.timeoutMs,
      progress: line => io.err(line),
      ec2: region => clients.ec2(region),
    });
    const exitCode = exitCodeWithUsage(exitCodeOf(report), check, args.usage.failOnUsage);
    io.out(args.json ? renderJson(report, { check, exitCode }) : `${renderHuman(report)}\n\n${renderUsage(check, args.usage.failOnUsage)}`);
    return exitCode;
  } catch (error) {
    const expected = error instanceof AssemblyError || error instanceof FatalAwsError || error instanceof UsageError;
    const message = expected ? (error as Error).message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    io.err(`cdk-ami-sharing plan: ${message}`);
    if (args.json) io.out(JSON.stringify({ formatVersion: 1, exitCode: 1, error: message }, undefined, 2));
    return 1;
  } finally {
    clients.destroy();
  }
}

/**
 * With --usage: 1 when the plan has an error or a report could not be read (timed out, refused); otherwise 3 when
 * --fail-on-usage and an account losing access still uses an AMI; otherwise the plan's own code.
 */
export function exitCodeWithUsage(planCode: 0 | 1 | 2, check: UsageCheck, failOnUsage: boolean): 0 | 1 | 2 | 3 {
  if (planCode === 1 || !usageComplete(check)) return 1;
  if (failOnUsage && usageInUse(check)) return 3;
  return planCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; }, () => { process.exitCode = 1; });
}
