// The handler's runtime policy (docs/lambda-runtime.md) on the aws-cdk-lib this repository builds against (the floor,
// which defines nothing newer than nodejs22.x), the explicit choice, and the pure choice among a set of runtimes.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AmiDescription, AmiSharingHandler } from '../../src';
import { newestNodeRuntime, OLDEST_NODE_MAJOR } from '../../src/handler/runtime';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handlerBundleOptions } = require('../../scripts/bundle-handler');

function runtimeOf(configure?: (stack: Stack) => void): string {
  const stack = new Stack(new App(), 'Test');
  configure?.(stack);
  new AmiDescription(stack, 'Description', { imageId: 'ami-0123456789abcdef0', description: 'Golden image' });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  expect(Object.keys(functions)).toHaveLength(1);
  return Object.values(functions)[0].Properties.Runtime;
}

const node = (name: string) => new lambda.Runtime(name, lambda.RuntimeFamily.NODEJS);

describe('the default runtime', () => {
  test('on an aws-cdk-lib whose newest Node.js runtime is older than the handler\'s oldest, it is the oldest: nodejs24.x', () => {
    const defined = Object.values(lambda.Runtime).filter((r): r is lambda.Runtime => r instanceof lambda.Runtime).map(r => r.name);
    expect(defined).toContain('nodejs22.x');
    expect(defined).not.toContain('nodejs24.x');
    expect(runtimeOf()).toBe(`nodejs${OLDEST_NODE_MAJOR}.x`);
  });

  test('is the same in every synth of the same app, and does not depend on runtimes the app constructs itself', () => {
    const first = runtimeOf();
    node('nodejs99.x'); // joins Runtime.ALL, but is no constant of aws-cdk-lib
    expect(runtimeOf()).toBe(first);
  });

  test('the bundle is built for the oldest Node.js major the policy allows', () => {
    expect(handlerBundleOptions('out.js').target).toBe(`node${OLDEST_NODE_MAJOR}`);
  });

  test('every major the policy can choose on this aws-cdk-lib has its handler suites in CI (.ci/lambda-node-majors.json)', () => {
    const majors: number[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.ci', 'lambda-node-majors.json'), 'utf8')).majors;
    expect(majors).toContain(OLDEST_NODE_MAJOR);
    expect(majors).toContain(Number(/^nodejs(\d+)\.x$/.exec(runtimeOf())![1]));
  });
});

describe('AmiSharingHandler.configure({ runtime })', () => {
  test('a newer Node.js runtime is used as given', () => {
    expect(runtimeOf(stack => AmiSharingHandler.configure(stack, { runtime: node('nodejs26.x') }))).toBe('nodejs26.x');
  });

  test.each([
    [lambda.Runtime.NODEJS_22_X, /AmiSharingHandlerProps.runtime: 'nodejs22.x' is older than the oldest runtime the handler is built and tested for \(nodejs24.x\)/],
    [lambda.Runtime.PYTHON_3_12, /AmiSharingHandlerProps.runtime: 'python3.12' is not a Node.js runtime/],
    [lambda.Runtime.NODEJS_LATEST, /AmiSharingHandlerProps.runtime: 'nodejs18.x' is older/],
    [new lambda.Runtime(Token.asString({ Ref: 'Runtime' }), lambda.RuntimeFamily.NODEJS), /AmiSharingHandlerProps.runtime: the runtime must be known at synth time/],
  ])('%s is refused, naming the property and the value', (runtime, message) => {
    const stack = new Stack(new App(), 'Test');
    expect(() => AmiSharingHandler.configure(stack, { runtime })).toThrow(message);
    // Nothing was added: the stack can still be configured.
    expect(stack.node.tryFindChild('CdkAmiSharingHandler')).toBeUndefined();
  });
});

describe('newestNodeRuntime', () => {
  test.each([
    [['nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'nodejs26.x'], 24, 'nodejs26.x'],
    [['nodejs26.x', 'nodejs24.x', 'nodejs8.10'], 24, 'nodejs26.x'],
    [['nodejs100.x', 'nodejs28.x'], 24, 'nodejs100.x'],
    [['nodejs20.x', 'nodejs22.x', 'nodejs'], 24, undefined],
    [['nodejs24.x'], 26, undefined],
  ])('among %j, at least Node %i: %s', (names, oldest, expected) => {
    expect(newestNodeRuntime(names.map(node), oldest)?.name).toBe(expected);
  });

  test('skips NODEJS_LATEST-style aliases, other families and runtimes not named nodejsNN.x', () => {
    const alias = new lambda.Runtime('nodejs30.x', lambda.RuntimeFamily.NODEJS, { isVariable: true });
    const python = new lambda.Runtime('python30.x', lambda.RuntimeFamily.PYTHON);
    const odd = new lambda.Runtime('nodejs30.x-preview', lambda.RuntimeFamily.NODEJS);
    expect(newestNodeRuntime([alias, python, odd, node('nodejs24.x')], 24)?.name).toBe('nodejs24.x');
  });
});
