// The demo's pipeline step: the example stack takes its AMI from a CloudFormation parameter, as a pipeline sets it,
// and a new AMI replaces the old one. Deployed through the test support's CloudFormation emulation (update phase,
// then cleanup), with the handler role's policies of each moment enforced by the EC2 peer's IAM evaluator.
import { App } from 'aws-cdk-lib';
import { GoldenAmiSharingStack } from './stack';
import { EmulatedDeployments } from '../test/support/emulated-deployments';
import { HandlerEnvironment, livePermissions, liveValue } from '../test/support/handler-environment';
import { createImage } from '../test/support/images';

function pipelineTemplate(): any {
  const app = new App();
  const stack = new GoldenAmiSharingStack(app, 'GoldenAmiPipeline', {
    description: 'Golden image, shared by the pipeline',
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return app.synth().getStackArtifact(stack.artifactId).template;
}

/** Deploys with GoldenAmi = A, then B; prints both AMIs after each step. Returns false if anything failed. */
export async function tokenRolloverDemo(env: HandlerEnvironment, print: (line: string) => void): Promise<boolean> {
  const template = pipelineTemplate();
  const [a, b] = [
    await createImage(env.ec2, { name: 'pipeline-ami-1', description: 'Built by the pipeline (1)' }),
    await createImage(env.ec2, { name: 'pipeline-ami-2', description: 'Built by the pipeline (2)' }),
  ];
  const deployments = new EmulatedDeployments(env, template);
  let ok = true;
  let checkedBefore = 0;
  let refusedBefore = 0;
  const show = async (title: string, result: { status: string; failures: unknown[] }) => {
    ok &&= result.status === 'COMPLETE' && result.failures.length === 0;
    print(`== ${title}: ${result.status}${result.failures.length ? ` FAILED ${JSON.stringify(result.failures)}` : ''}`);
    for (const image of [a, b]) {
      const [permissions, description] = await deployments.withoutIam(async () =>
        [await livePermissions(env.ec2, image), await liveValue(env.ec2, image, 'description')] as const);
      print(`   ${image}: ${permissions.length ? permissions.join(', ') : '(private)'}; description ${JSON.stringify(description ?? '')}`);
    }
    const checked = deployments.invocations.reduce((n, i) => n + i.verdicts.length, 0);
    const refused = deployments.denials().length;
    ok &&= refused === refusedBefore;
    print(`   IAM evaluator: ${checked - checkedBefore} requests checked, ${refused - refusedBefore} refused\n`);
    [checkedBefore, refusedBefore] = [checked, refused];
  };
  await show(`Pipeline stack, GoldenAmi parameter = ${a}`, await deployments.deploy({ template, parameters: { GoldenAmi: a } }, 'create'));
  await show(`The pipeline sets GoldenAmi = ${b}: update, then cleanup on the old AMI`,
    await deployments.deploy({ template, parameters: { GoldenAmi: b } }, 'update'));
  const destroyed = await deployments.destroy();
  await show('Delete the pipeline stack', { status: 'COMPLETE', failures: destroyed });
  return ok;
}
