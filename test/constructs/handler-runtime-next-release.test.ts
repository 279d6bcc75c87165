// The runtime policy when aws-cdk-lib defines newer Node.js runtimes than the floor this repository builds against,
// as 2.278.0 did with nodejs26.x and the next release will with another: simulated by adding the constants to the
// installed aws-cdk-lib's Runtime class, which is where a real release puts them. cdk-nag's AwsSolutions-L1 compares
// a function's runtime with the newest of its family that aws-cdk-lib knows; the handler must never be flagged by it.
// (Its own file: the constants and Runtime.ALL stay changed for the rest of the jest worker's module registry.)
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AmiDescription, AmiSharingHandler } from '../../src';

function defineInAwsCdkLib(constant: string, name: string): void {
  Object.defineProperty(lambda.Runtime, constant, {
    value: new lambda.Runtime(name, lambda.RuntimeFamily.NODEJS), enumerable: true, configurable: true,
  });
}

function synth(configure?: (stack: Stack) => void): { runtime: string; l1: string[] } {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'us-east-1' } });
  configure?.(stack);
  new AmiDescription(stack, 'Description', { imageId: 'ami-0123456789abcdef0', description: 'Golden image' });
  Aspects.of(stack).add(new AwsSolutionsChecks());
  const l1 = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-L1')).map(f => f.id);
  const runtime = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties.Runtime;
  return { runtime, l1 };
}

test('a release that adds nodejs26.x, then one that adds nodejs28.x: the handler follows, and AwsSolutions-L1 stays quiet', () => {
  expect(synth()).toEqual({ runtime: 'nodejs24.x', l1: [] });

  defineInAwsCdkLib('NODEJS_24_X', 'nodejs24.x');
  defineInAwsCdkLib('NODEJS_26_X', 'nodejs26.x');
  expect(synth()).toEqual({ runtime: 'nodejs26.x', l1: [] });
  expect(synth().runtime).toBe('nodejs26.x'); // and again: no churn between synths

  defineInAwsCdkLib('NODEJS_28_X', 'nodejs28.x');
  expect(synth()).toEqual({ runtime: 'nodejs28.x', l1: [] });
});

test('a runtime chosen explicitly stays, and cdk-nag then reports AwsSolutions-L1 on the function for the user to acknowledge', () => {
  defineInAwsCdkLib('NODEJS_26_X', 'nodejs26.x');
  const { runtime, l1 } = synth(stack => AmiSharingHandler.configure(stack, { runtime: new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS) }));
  expect(runtime).toBe('nodejs24.x');
  expect(l1).toEqual(['/Test/CdkAmiSharingHandler/Function/Resource']);
});
