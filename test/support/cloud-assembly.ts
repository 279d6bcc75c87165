// Takes what a synthesised stack really contains: the handler bundle from the cloud assembly's asset directory and
// the custom resources' properties from the template, as CloudFormation would hand them to the handler.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import type { DeclaredResource, Handler } from './cfn-simulator';

export interface SynthesizedStack {
  readonly template: any;
  /** Absolute path of the handler's index.js inside the cloud assembly. */
  readonly handlerPath: string;
  /** The stack's custom resources from this library, with ServiceToken left out (the simulator invokes directly). */
  readonly customResources: Record<string, DeclaredResource>;
}

export function synthesize(app: App, stack: Stack): SynthesizedStack {
  const assembly = app.synth();
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const template = artifact.template;
  const functions = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`expected one Lambda function in the stack, found ${functions.length}`);
  const s3Key: string = functions[0].Properties.Code.S3Key;
  const hash = s3Key.replace(/\.zip$/, '');
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${artifact.stackName}.assets.json`), 'utf8'));
  const source = manifest.files[hash]?.source;
  if (!source) throw new Error(`asset ${hash} is not in the stack's asset manifest`);
  const handlerPath = path.join(assembly.directory, source.path, 'index.js');

  const customResources: Record<string, DeclaredResource> = {};
  for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
    if (!String(resource.Type).startsWith('Custom::')) continue;
    const { ServiceToken: _, ...properties } = resource.Properties;
    customResources[logicalId] = { Type: resource.Type, Properties: properties, DeletionPolicy: resource.DeletionPolicy };
  }
  return { template, handlerPath, customResources };
}

/** Loads the bundled handler exactly as Lambda would (index.handler). Set AWS_* variables before the first call. */
export function loadHandler(handlerPath: string): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(handlerPath).handler;
}
