// The command line of `cdk-ami-sharing`.
import { parseDuration } from './usage/wait';

export const USAGE = `Usage: cdk-ami-sharing plan [--app DIR] [--stack NAME]... [--json]
                            [--usage [--usage-timeout DURATION] [--fail-on-usage]]

Shows what deploying a synthesised CDK app would change on the AMIs its cdk-ami-sharing constructs
declare (who gains and who loses launch access, KMS key grants and snapshot createVolumePermission,
IMDSv2, descriptions), and what drifted on those AMIs since the last deploy. Reads:
CloudFormation (the deployed stacks), EC2 (DescribeImageAttribute; DescribeImages, DescribeSnapshots
and DescribeSnapshotAttribute for the handler's checks before sharing and for snapshot permissions;
GetImageBlockPublicAccessState for an AMI the deploy would make public) and KMS (ListGrants on
imported keys, DescribeKey). Without --usage it never writes; with --usage its only write is
CreateImageUsageReport (then DescribeImageUsageReports, DescribeImageUsageReportEntries and
DescribeImageAttribute lastLaunchedTime read the reports).

Options:
  --app DIR      the cloud assembly \`cdk synth\` wrote (default: cdk.out)
  --stack NAME   plan only this stack (stack name or display name); repeatable (default: all)
  --json         print the plan as JSON
  --usage        for each AMI the deploy would revoke launch access from, create an AMI usage report,
                 wait for it (progress on stderr), and show for every account losing access the
                 instances and launch templates that still use the AMI, and the AMI's lastLaunchedTime
  --usage-timeout DURATION
                 how long to wait for the reports, e.g. 90s, 5m, 1m30s (default: 5m); past it the plan
                 says which reports are still pending and exits 1
  --fail-on-usage
                 exit 3 when an account losing access still has an instance or a launch template on the AMI
  -h, --help     show this help

AWS access: the standard SDK configuration (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_EC2,
AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL_KMS, ...). A stack pinned to a Region is read in
that Region.

Exit codes (as terraform plan -detailed-exitcode): 0 nothing to change, 2 changes or drift,
1 error (with --usage also: a report not read in time, or refused); 3 (--fail-on-usage only) a
revocation hits an AMI that an account losing access still uses.`;

export interface PlanArgs {
  readonly command: 'plan';
  readonly app: string;
  readonly stacks: string[];
  readonly json: boolean;
  /** With --usage: how long to wait for the reports (ms), and whether usage fails the plan (exit 3). */
  readonly usage?: { readonly timeoutMs: number; readonly failOnUsage: boolean };
}

/** --usage-timeout's default: EC2 usually makes a report within minutes. */
export const DEFAULT_USAGE_TIMEOUT_MS = 5 * 60 * 1000;

export type Args = PlanArgs | { readonly command: 'help' };

/** A bad command line: the message says which argument. */
export class UsageError extends Error {}

export function parseArgs(argv: string[]): Args {
  if (argv.length === 0 || argv.some(a => a === '-h' || a === '--help')) return { command: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'plan') throw new UsageError(`unknown command ${JSON.stringify(command)} (the only command is plan)`);
  let app = 'cdk.out';
  const stacks: string[] = [];
  let json = false;
  let usage = false;
  let usageTimeout: string | undefined;
  let failOnUsage = false;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].startsWith('--') && rest[i].includes('=') ? rest[i].split(/=(.*)/s, 2) : [rest[i], undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--app': app = value(); break;
      case '--stack': stacks.push(value()); break;
      case '--json': json = true; break;
      case '--usage': usage = true; break;
      case '--usage-timeout': usageTimeout = value(); break;
      case '--fail-on-usage': failOnUsage = true; break;
      default: throw new UsageError(`unknown option ${JSON.stringify(rest[i])}`);
    }
  }
  if (!usage && (usageTimeout !== undefined || failOnUsage)) {
    throw new UsageError(`${usageTimeout !== undefined ? '--usage-timeout' : '--fail-on-usage'} needs --usage (usage reports are made only when asked for)`);
  }
  const timeoutMs = usageTimeout === undefined ? DEFAULT_USAGE_TIMEOUT_MS : parseDuration(usageTimeout);
  if (timeoutMs === undefined) {
    throw new UsageError(`--usage-timeout ${JSON.stringify(usageTimeout)}: want a duration between 1s and 24h such as 90s, 5m or 1m30s`);
  }
  return { command: 'plan', app, stacks, json, usage: usage ? { timeoutMs, failOnUsage } : undefined };
}
