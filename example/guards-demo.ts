// The demo's account guards: one app with a producer stack (block public access, a share with the workloads account)
// and the workloads account's Allowed AMIs. Synthesis catches the share the recipient would refuse; then both settings
// are deployed and removed against the EC2 emulator (one emulated account plays both parts).
import { GetImageBlockPublicAccessStateCommand } from '@aws-sdk/client-ec2';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AllowedImages, AmiLaunchPermissions, ImageBlockPublicAccess, ImageCriterion, LaunchPermission } from '../src';
import { synthesize } from '../test/support/cloud-assembly';
import { HandlerEnvironment } from '../test/support/handler-environment';

const PRODUCER = '123456789012';
const WORKLOADS = '444455556666';

/** The app, with the recipient admitting `providers`; returns the synthesised producer stack and its warnings. */
function guardedApp(providers: string[]) {
  const app = new App();
  const producer = new Stack(app, 'GoldenAmi', { env: { account: PRODUCER, region: 'us-east-1' } });
  const workloads = new Stack(app, 'WorkloadsGuard', { env: { account: WORKLOADS, region: 'us-east-1' } });
  new ImageBlockPublicAccess(producer, 'BlockPublicAccess');
  new AmiLaunchPermissions(producer, 'Share', { imageId: 'ami-0123456789abcdef0', permissions: [LaunchPermission.account(WORKLOADS)] });
  new AllowedImages(workloads, 'AllowedImages', { criteria: [ImageCriterion.providers(...providers)] });
  const assembly = app.synth();
  const warnings = assembly.getStackArtifact(producer.artifactId).messages
    .filter(m => m.level === 'warning' && String(m.entry.data).includes('cdk-ami-sharing:recipientDisallowsProducer'))
    .map(m => String(m.entry.data));
  return { app, producer, workloads, warnings };
}

/** Returns false if anything did not go as shown. */
export async function accountGuardsDemo(env: HandlerEnvironment, print: (line: string) => void): Promise<boolean> {
  let ok = true;
  const refused = guardedApp(['amazon']);
  print('== Synth: the workloads account admits only Amazon\'s AMIs, and the producer shares with it');
  print(refused.warnings.length === 1 ? `   warning: ${refused.warnings[0]}` : '   (no warning: unexpected)');
  ok &&= refused.warnings.length === 1;
  const fixed = guardedApp(['amazon', PRODUCER]);
  print(`== Synth again with ImageCriterion.providers('amazon', '${PRODUCER}'): ${fixed.warnings.length} warnings\n`);
  ok &&= fixed.warnings.length === 0;

  const producer = () => {
    const a = new App();
    const s = new Stack(a, 'Guard', { env: { account: PRODUCER, region: 'us-east-1' } });
    new ImageBlockPublicAccess(s, 'BlockPublicAccess', { removalPolicy: RemovalPolicy.DESTROY });
    return synthesize(a, s).customResources;
  };
  const recipient = () => {
    const a = new App();
    const s = new Stack(a, 'Allowed', { env: { account: PRODUCER, region: 'us-east-1' } });
    new AllowedImages(s, 'AllowedImages', { criteria: [ImageCriterion.providers('amazon', PRODUCER)] });
    return synthesize(a, s).customResources;
  };
  const step = async (title: string, action: () => Promise<unknown>) => {
    env.peer.clearLog();
    const failure = await action();
    ok &&= failure === undefined;
    const calls = env.peer.countByAction();
    const blocked = (await env.ec2.send(new GetImageBlockPublicAccessStateCommand({}))).ImageBlockPublicAccessState;
    const { state, criteria } = env.peer.allowedImagesShown();
    print(`== ${title}${failure ? ` FAILED: ${JSON.stringify(failure)}` : ''}`);
    print(`   EC2 calls: ${Object.entries(calls).map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}`);
    print(`   block public access: ${blocked}; Allowed AMIs: ${state}, ${criteria.map(c => `[${c.providers.join(', ')}]`).join(' ') || 'no criteria'}\n`);
  };
  const guard = env.simulator();
  const allowed = env.simulator();
  await step('Create ImageBlockPublicAccess (RemovalPolicy.DESTROY: removal puts back what it found)', () => guard.deploy(producer()));
  await step('Create AllowedImages: criteria replaced, then enabled', () => allowed.deploy(recipient()));
  await step('Deploy AllowedImages again: nothing changed, so CloudFormation sends no update', () => allowed.deploy(recipient()));
  await step('Delete AllowedImages: what it found is put back', () => allowed.destroy());
  await step('Delete ImageBlockPublicAccess: public sharing allowed again, as it was', () => guard.destroy());
  return ok;
}
