// `npm run demo`: the example stack's handler, taken out of its synthesised cloud assembly, driven through a full
// custom-resource lifecycle against a local EC2 emulator (moto behind the project's test peer). Prints the AMI's live
// launch permissions and the EC2 calls the handler made after each step. Never talks to AWS.
import { DeregisterImageCommand, ModifyImageAttributeCommand } from '@aws-sdk/client-ec2';
import { App } from 'aws-cdk-lib';
import { LaunchPermission, LaunchPermissionMode } from '../src';
import { encryptedAmiDemo } from './encrypted-demo';
import { enforcementDemo } from './enforcement-demo';
import { accountGuardsDemo } from './guards-demo';
import { planDemo } from './plan-demo';
import { rolloverWindowDemo } from './rollover-window-demo';
import { CONSUMER_ACCOUNT, GoldenAmiSharingStack, GoldenAmiSharingStackProps, OU_ARN } from './stack';
import { tokenRolloverDemo } from './token-rollover-demo';
import { synthesize } from '../test/support/cloud-assembly';
import { livePermissions, liveValue, startHandlerEnvironment } from '../test/support/handler-environment';
import { createImage } from '../test/support/images';

function exampleStack(props: GoldenAmiSharingStackProps) {
  const app = new App();
  const stack = new GoldenAmiSharingStack(app, 'GoldenAmiSharing', { ...props, env: { account: '123456789012', region: 'us-east-1' } });
  return synthesize(app, stack).customResources;
}

async function main() {
  // The handler logs JSON lines; the demo shows its own summary instead.
  const quiet = process.argv.includes('--verbose') ? undefined : console.log;
  const env = await startHandlerEnvironment();
  const print = (...args: unknown[]) => (quiet ?? console.log)(...args);
  if (quiet) console.log = () => undefined;
  let failed = false;
  try {
    const cfn = env.simulator();
    const golden = await createImage(env.ec2, { name: 'golden-ami', description: 'Golden image' });
    print(`EC2 emulator (moto behind the test peer): ${env.peer.endpoint}; AMI ${golden}\n`);

    const step = async (title: string, images: string[], action: () => Promise<unknown>, attributes = false) => {
      env.peer.clearLog();
      const failure = await action();
      const calls = env.peer.countByAction();
      print(`== ${title}`);
      if (failure) {
        failed = true;
        print(`   FAILED: ${JSON.stringify(failure)}`);
      }
      print(`   EC2 calls: ${Object.entries(calls).map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}`);
      for (const image of images) {
        const live = await livePermissions(env.ec2, image).catch(e => [`(${e.name})`]);
        print(`   ${image}: ${live.length ? live.join(', ') : '(private)'}`);
        if (attributes) {
          const description = await liveValue(env.ec2, image, 'description');
          const imds = await liveValue(env.ec2, image, 'imdsSupport');
          print(`   ${image}: description ${JSON.stringify(description ?? '')}, imdsSupport ${imds ?? '(not set)'}`);
        }
      }
      print('');
    };

    await step('Create: share with an account and an organization (ADDITIVE)', [golden],
      () => cfn.deploy(exampleStack({ imageId: golden })));

    await env.ec2.send(new ModifyImageAttributeCommand({ ImageId: golden, LaunchPermission: { Add: [{ UserId: '999988887777' }] } }));
    print('-- out of band: someone else shares the AMI with 999988887777\n');

    const accountAndOu = () => [LaunchPermission.account(CONSUMER_ACCOUNT), LaunchPermission.organizationalUnit(OU_ARN)];
    await step('Update: the organization replaced by an OU (the outsider is left alone)', [golden],
      () => cfn.deploy(exampleStack({ imageId: golden, permissions: accountAndOu() })));

    await step('Update: EXCLUSIVE mode (the outsider is revoked)', [golden],
      () => cfn.deploy(exampleStack({ imageId: golden, permissions: accountAndOu(), mode: LaunchPermissionMode.EXCLUSIVE })));

    const rebuilt = await createImage(env.ec2, { name: 'golden-ami-v2', description: 'Golden image v2' });
    await step(`Image change to ${rebuilt}: Update on the new AMI, then Delete of the old physical id`, [golden, rebuilt],
      () => cfn.deploy(exampleStack({ imageId: rebuilt, permissions: accountAndOu(), mode: LaunchPermissionMode.EXCLUSIVE })));

    await step('Delete the stack', [rebuilt], () => cfn.destroy());

    if (!await tokenRolloverDemo(env, print)) failed = true;

    if (!await rolloverWindowDemo(env, print)) failed = true;

    if (!await encryptedAmiDemo(env, print)) failed = true;

    const hardened = await createImage(env.ec2, { name: 'golden-ami-v3', description: 'Built by the pipeline' });
    const hardening = env.simulator();
    await step(`Create on ${hardened}: share, set the description, require IMDSv2`, [hardened],
      () => hardening.deploy(exampleStack({ imageId: hardened, description: 'Golden image, CIS hardened', requireImdsV2: true })), true);
    await step('Delete: permissions revoked, description restored, IMDSv2 stays (irreversible)', [hardened],
      () => hardening.destroy(), true);

    const doomed = await createImage(env.ec2, { name: 'short-lived' });
    const again = env.simulator();
    await step(`Create on ${doomed}`, [doomed], () => again.deploy(exampleStack({ imageId: doomed })));
    await env.ec2.send(new DeregisterImageCommand({ ImageId: doomed }));
    print(`-- out of band: ${doomed} deregistered\n`);
    await step('Delete after the AMI is gone (success, no write)', [], () => again.destroy());

    if (!await accountGuardsDemo(env, print)) failed = true;

    if (!await planDemo(env, print)) failed = true;

    if (!await enforcementDemo(env, print)) failed = true;

    const answers = [...cfn.answers, ...hardening.answers, ...again.answers];
    print(`CloudFormation answers: ${answers.map(a => `${a.requestType}=${a.Status}`).join(' ')}`);
  } finally {
    if (quiet) console.log = quiet;
    await env.stop();
  }
  if (failed) process.exit(1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
