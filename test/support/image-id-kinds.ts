// The ways users pass an AMI id, each as a stack and the deploy-time inputs that make it resolve to a given AMI: a
// literal, a CfnParameter set by a pipeline, an SSM parameter's value (golden-AMI parameters), an Image Builder
// image's attrImageId, and another stack's export.
import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as imagebuilder from 'aws-cdk-lib/aws-imagebuilder';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { StackVersion } from './cloudformation/stack';

export type ImageIdKind = 'literal' | 'parameter' | 'ssm' | 'imageBuilder' | 'import';
export const IMAGE_ID_KINDS: ImageIdKind[] = ['literal', 'parameter', 'ssm', 'imageBuilder', 'import'];

/**
 * For Image Builder the AMI is what a build yields, so a version names a build (the recipe version) rather than an
 * AMI: the emulated stack's image builder maps recipe versions to AMIs.
 */
export interface ImageSource {
  readonly kind: ImageIdKind;
  /** The AMI (or, for Image Builder, the recipe version) this deployment resolves to. */
  readonly image: string;
}

export const RECIPE = 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden';

/** The image id expression of `source.kind` inside `stack`. */
export function imageIdOf(stack: Stack, source: ImageSource): string {
  switch (source.kind) {
    case 'literal': return source.image;
    case 'parameter': return new CfnParameter(stack, 'GoldenAmi', { type: 'String' }).valueAsString;
    case 'ssm': return ssm.StringParameter.valueForStringParameter(stack, '/golden/ami');
    case 'import': return Fn.importValue('GoldenAmiId');
    case 'imageBuilder': return new imagebuilder.CfnImage(stack, 'Golden', {
      imageRecipeArn: `${RECIPE}/${source.image}`,
      infrastructureConfigurationArn: 'arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/golden',
    }).attrImageId;
  }
}

/** The deploy-time inputs that make the stack's image id resolve to `source.image`. */
export function deployInputs(source: ImageSource): Omit<StackVersion, 'template'> {
  switch (source.kind) {
    case 'parameter': return { parameters: { GoldenAmi: source.image } };
    case 'ssm': return { ssm: { '/golden/ami': source.image } };
    case 'import': return { exports: { GoldenAmiId: source.image } };
    default: return {};
  }
}

/** A synthesised stack (template) built by `build`, ready for the emulated CloudFormation. */
export function templateOf(build: (stack: Stack) => void): any {
  const app = new App();
  const stack = new Stack(app, 'TokenRollover', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return app.synth().getStackArtifact(stack.artifactId).template;
}

/** The logical id of the handler's role in a synthesised template. */
export function handlerRoleOf(template: any): string {
  // (Not the enforcement schedule's role, CdkAmiSharingHandler/Enforcement/ScheduleRole.)
  const roles = Object.keys(template.Resources).filter(id => template.Resources[id].Type === 'AWS::IAM::Role' && id.startsWith('CdkAmiSharingHandlerServiceRole'));
  if (roles.length !== 1) throw new Error(`expected one handler role, found ${roles.length}`);
  return roles[0];
}
