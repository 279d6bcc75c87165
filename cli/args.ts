// The command line of `cdk-ami-sharing`.

export const USAGE = `Usage: cdk-ami-sharing plan [--app DIR] [--stack NAME]... [--json]

Shows what deploying a synthesised CDK app would change on the AMIs its cdk-ami-sharing constructs
declare (who gains and who loses launch access, KMS key grants and snapshot createVolumePermission,
IMDSv2, descriptions), and what drifted on those AMIs since the last deploy. Reads only:
CloudFormation (the deployed stacks), EC2 (DescribeImageAttribute; DescribeImages, DescribeSnapshots
and DescribeSnapshotAttribute for the handler's checks before sharing and for snapshot permissions;
GetImageBlockPublicAccessState for an AMI the deploy would make public) and KMS (ListGrants on
imported keys, DescribeKey). It never writes.

Options:
  --app DIR      the cloud assembly \`cdk synth\` wrote (default: cdk.out)
  --stack NAME   plan only this stack (stack name or display name); repeatable (default: all)
  --json         print the plan as JSON
  -h, --help     show this help

AWS access: the standard SDK configuration (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_EC2,
AWS_ENDPOINT_URL_CLOUDFORMATION, AWS_ENDPOINT_URL_KMS, ...). A stack pinned to a Region is read in
that Region.

Exit codes (as terraform plan -detailed-exitcode): 0 nothing to change, 2 changes or drift,
1 error.`;

export interface PlanArgs {
  readonly command: 'plan';
  readonly app: string;
  readonly stacks: string[];
  readonly json: boolean;
}

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
      default: throw new UsageError(`unknown option ${JSON.stringify(rest[i])}`);
    }
  }
  return { command: 'plan', app, stacks, json };
}
