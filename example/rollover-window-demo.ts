// The superseded-images window part of `npm run demo`: a pipeline AMI rolled over three times with
// SupersededImages.keep(2). After each rollover the AMIs of the window (current, kept and deprecated, revoked) as EC2
// shows them; before the third, `cdk-ami-sharing plan --usage` says which AMI the deploy pushes out and names the
// account still launching it (the EC2 peer's AMI usage reports). Deployed through the emulated CloudFormation with the
// stack attached to the CloudFormation read peer, as the handler of a window reads its own stack.
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { LaunchPermission, SupersededImages } from '../src';
import { CONSUMER_ACCOUNT, GoldenAmiSharingStack } from './stack';
import { HandlerEnvironment, livePermissions } from '../test/support/handler-environment';
import { createImage } from '../test/support/images';
import { PlanEnvironment, STACK_ENV } from '../test/support/plan-environment';

const STACK = 'GoldenAmiWindow';
const PARTNER_ACCOUNT = '444455556666';

/** Runs the window part of the demo; false when a deploy failed, the window is not as keep(2) says, or the plan differs. */
export async function rolloverWindowDemo(env: HandlerEnvironment, print: (...args: unknown[]) => void): Promise<boolean> {
  const plans = await PlanEnvironment.start(env);
  let ok = true;
  try {
    const amis: string[] = [];
    for (let n = 1; n <= 4; n++) amis.push(await createImage(env.ec2, { name: `pipeline-ami-${n}`, description: `Built by the pipeline (${n})` }));
    const synth = (imageId: string) => plans.synthStack(app => new GoldenAmiSharingStack(app, STACK, {
      imageId,
      env: STACK_ENV,
      permissions: [LaunchPermission.account(CONSUMER_ACCOUNT), LaunchPermission.account(PARTNER_ACCOUNT)],
      supersededImages: SupersededImages.keep(2),
    }));

    /** Each pipeline AMI deployed so far: current, kept (shared and deprecated) or revoked; checked against keep(2). */
    const show = async (title: string, current: number) => {
      print(`== ${title}`);
      for (let i = 0; i <= current; i++) {
        const image = (await env.ec2.send(new DescribeImagesCommand({ ImageIds: [amis[i]] }))).Images?.[0];
        const shared = await livePermissions(env.ec2, amis[i]);
        const deprecation = image?.DeprecationTime ? `deprecated ${new Date(image.DeprecationTime) <= new Date() ? 'since' : 'at'} ${image.DeprecationTime}` : 'not deprecated';
        const role = i === current ? 'current' : current - i <= 2 ? 'kept   ' : 'revoked';
        print(`   ${role} ${amis[i]} (pipeline-ami-${i + 1}): ${shared.length ? shared.join(', ') : '(private)'}; ${deprecation}`);
        const expected = role === 'revoked' ? shared.length === 0 : shared.length === 2;
        if (!expected || (role === 'kept   ' && !image?.DeprecationTime)) ok = false;
      }
      print('');
    };

    await plans.deployReadingItsStack(STACK, synth(amis[0]));
    await show(`Create: ${STACK} shares pipeline-ami-1 with ${CONSUMER_ACCOUNT} and ${PARTNER_ACCOUNT}, SupersededImages.keep(2)`, 0);
    for (const n of [1, 2]) {
      await plans.deployReadingItsStack(STACK, synth(amis[n]));
      await show(`Rollover ${n} to pipeline-ami-${n + 1}: the previous AMI stays shared and is deprecated`, n);
    }

    env.peer.usage.record(amis[0], CONSUMER_ACCOUNT, 'ec2:Instance', 3);
    env.peer.usage.record(amis[0], CONSUMER_ACCOUNT, 'ec2:LaunchTemplate', 1);
    print(`-- ${CONSUMER_ACCOUNT} still runs 3 instances and a launch template on pipeline-ami-1 (recorded in the EC2 peer's usage)\n`);

    const next = synth(amis[3]);
    env.peer.clearLog();
    const run = await plans.run(['plan', '--app', next.dir, '--usage']);
    print('== cdk-ami-sharing plan --usage before rollover 3 (pipeline-ami-4)');
    print(`$ npx cdk-ami-sharing plan --app cdk.out --usage    # exit ${run.code}`);
    print(run.stdout.trimEnd().split('\n').map(line => `   ${line}`).join('\n'));
    const writes = env.peer.writes().filter(w => w.action !== 'CreateImageUsageReport').length + plans.cfn.writes().length;
    print(`   writes besides the usage report: ${writes}\n`);
    if (run.code !== 2 || writes > 0 || !run.stdout.includes(`pushed out ${amis[0]}`) || !run.stdout.includes(`account ${CONSUMER_ACCOUNT}: 3 instances`)) ok = false;

    await plans.deployReadingItsStack(STACK, next);
    await show('Rollover 3 to pipeline-ami-4: the window moves, pipeline-ami-1 is pushed out and revoked', 3);
  } catch (error) {
    print(`   FAILED: ${(error as Error).message}\n`);
    ok = false;
  } finally {
    await plans.stop();
  }
  return ok;
}
