// The scheduled-enforcement part of `npm run demo`: the example stack, EXCLUSIVE, deployed with
// `enforceEvery: Duration.hours(1)` (the real handler through the emulated CloudFormation), an out-of-band share and a
// description edited by hand, then one run of the schedule: the handler invoked with the schedule's event reads the
// stack from a local CloudFormation read peer and puts the AMI back. Prints what it logged and the metric it emitted.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { Duration } from 'aws-cdk-lib';
import { LaunchPermissionMode } from '../src';
import { GoldenAmiSharingStack } from './stack';
import { HandlerEnvironment, livePermissions, liveValue } from '../test/support/handler-environment';
import { createImage } from '../test/support/images';
import { PlanEnvironment, STACK_ENV } from '../test/support/plan-environment';

const STACK = 'GoldenAmiEnforced';

/** Runs the enforcement part of the demo; false when the schedule's run did not put the AMI back. */
export async function enforcementDemo(env: HandlerEnvironment, print: (...args: unknown[]) => void): Promise<boolean> {
  const plans = await PlanEnvironment.start(env);
  try {
    const image = await createImage(env.ec2, { name: 'golden-ami-enforced', description: 'Golden image' });
    const show = async (title: string) => {
      print(`   ${image}: ${(await livePermissions(env.ec2, image)).join(', ')}; description ${JSON.stringify(await liveValue(env.ec2, image, 'description'))}`);
      print(`   (${title})\n`);
    };
    await plans.deploy(STACK, plans.synthStack(app => new GoldenAmiSharingStack(app, STACK, {
      imageId: image, env: STACK_ENV, mode: LaunchPermissionMode.EXCLUSIVE, description: 'Golden image, CIS hardened', enforceEvery: Duration.hours(1),
    })));
    print(`== Scheduled enforcement: ${STACK} deployed on ${image}, EXCLUSIVE, with AmiSharingHandler.configure({ enforceEvery: Duration.hours(1) })`);
    await show('as deployed');

    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ UserId: '999988887777' }] } }));
    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Description: { Value: 'temporary test image' } }));
    print('-- out of band: someone shares the AMI with 999988887777 and edits its description; a deploy would not touch either');
    await show('before the schedule runs');

    // The handler's role, as deployed, is enforced by the peers' IAM policy evaluator during the run.
    env.peer.enforceIdentityPolicies(plans.rolePolicies(STACK));
    plans.cfn.enforceIdentityPolicies(plans.rolePolicies(STACK));
    env.peer.clearLog();
    const lines = await capturingOutput(() => (env.handler as unknown as (e: unknown, c: unknown) => Promise<void>)(
      { cdkAmiSharing: 'enforce', stackId: `arn:aws:cloudformation:${STACK_ENV.region}:${STACK_ENV.account}:stack/${STACK}/00000000-0000-0000-0000-000000000000` },
      { functionName: 'handler', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:handler', getRemainingTimeInMillis: () => 120_000 }));
    env.peer.enforceIdentityPolicies(undefined);
    plans.cfn.enforceIdentityPolicies(undefined);

    print('== The schedule runs (EventBridge Scheduler invokes the handler with the stack id)');
    print(`   CloudFormation calls: ${plans.cfn.requests.map(r => r.action).join(', ')}; EC2 calls: ${Object.entries(env.peer.countByAction()).map(([k, v]) => `${k} x${v}`).join(', ')}`);
    const records = lines.map(line => JSON.parse(line));
    for (const r of records.filter(l => l.message === 'enforcement: put back')) {
      print(`   log: put back on ${r.imageId}:`);
      for (const c of r.corrections) print(`        ${c}`);
    }
    const metric = records.find(l => l._aws);
    print(`   metric (embedded metric format): ${metric?._aws.CloudWatchMetrics[0].Namespace} Corrections=${metric?.Corrections} EnforcementFailures=${metric?.EnforcementFailures}`);
    await show('after the run');
    const permissions = await livePermissions(env.ec2, image);
    return !permissions.includes('UserId:999988887777') && await liveValue(env.ec2, image, 'description') === 'Golden image, CIS hardened'
      && metric?.Corrections === 2;
  } finally {
    await plans.stop();
  }
}

/** Runs `work` with console.log and stdout captured; returns the JSON lines it printed. */
async function capturingOutput(work: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const [log, write] = [console.log, process.stdout.write];
  const capture = (text: unknown) => { lines.push(...String(text).split('\n').filter(l => l.startsWith('{'))); return true; };
  console.log = capture;
  process.stdout.write = capture as typeof process.stdout.write;
  try {
    await work();
  } finally {
    console.log = log;
    process.stdout.write = write;
  }
  return lines;
}
