// The `cdk-ami-sharing plan` part of `npm run demo`: the example stack deployed (the real handler against the EC2
// emulator, through the emulated CloudFormation), then the shipped command run as a user runs it, once before a
// change and once after an out-of-band edit. It reads the deployed stack from a local CloudFormation read peer and the
// AMI from the EC2 peer, through AWS_ENDPOINT_URL_CLOUDFORMATION and AWS_ENDPOINT_URL_EC2; it never writes.
import { ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { LaunchPermission } from '../src';
import { CONSUMER_ACCOUNT, GoldenAmiSharingStack, GoldenAmiSharingStackProps, OU_ARN } from './stack';
import { HandlerEnvironment } from '../test/support/handler-environment';
import { createImage } from '../test/support/images';
import { PlanEnvironment, PlanRun, STACK_ENV } from '../test/support/plan-environment';

const STACK = 'GoldenAmiSharing';

/** Runs the plan part of the demo; false when a plan did not exit as expected or wrote anything. */
export async function planDemo(env: HandlerEnvironment, print: (...args: unknown[]) => void): Promise<boolean> {
  const plans = await PlanEnvironment.start(env);
  let ok = true;
  try {
    const image = await createImage(env.ec2, { name: 'golden-ami-plan', description: 'Golden image' });
    const synth = (props: Omit<GoldenAmiSharingStackProps, 'imageId'>) =>
      plans.synthStack(app => new GoldenAmiSharingStack(app, STACK, { imageId: image, env: STACK_ENV, ...props }));
    const show = async (title: string, dir: string, expectedCode: number) => {
      env.peer.clearLog();
      print(`== cdk-ami-sharing plan: ${title}`);
      for (const json of [false, true]) {
        const run: PlanRun = await plans.run(['plan', '--app', dir, ...json ? ['--json'] : []]);
        print(`$ npx cdk-ami-sharing plan --app cdk.out${json ? ' --json' : ''}    # exit ${run.code}`);
        print(indent(run.stdout + run.stderr));
        if (run.code !== expectedCode) ok = false;
      }
      const writes = env.peer.writes().length + plans.cfn.writes().length;
      print(`   EC2 calls: ${Object.entries(env.peer.countByAction()).map(([k, v]) => `${k} x${v}`).join(', ')}; writes: ${writes}\n`);
      if (writes > 0) ok = false;
    };

    await plans.deploy(STACK, synth({}));
    print(`-- deployed ${STACK} on ${image}: shared with ${CONSUMER_ACCOUNT} and an organization\n`);

    const change = synth({
      permissions: [LaunchPermission.account(CONSUMER_ACCOUNT), LaunchPermission.organizationalUnit(OU_ARN)],
      description: 'Golden image, CIS hardened',
    });
    await show('before a change (the organization replaced by an OU, a description added)', change.dir, 2);
    await plans.deploy(STACK, change);
    print('-- deployed that change\n');

    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Add: [{ Group: 'all' }] } }));
    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: image, Description: { Value: 'temporary test image' } }));
    print(`-- out of band: someone makes ${image} public and edits its description in the console\n`);
    await show('after the out-of-band edit (the same cloud assembly)', change.dir, 2);
  } finally {
    await plans.stop();
  }
  return ok;
}

function indent(text: string): string {
  return text.trimEnd().split('\n').map(line => `   ${line}`).join('\n');
}
