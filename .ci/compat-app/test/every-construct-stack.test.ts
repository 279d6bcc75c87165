// A user's snapshot test: the template, asset hash included, must not change between runs, machines or directories.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EveryConstructStack } from '../lib/every-construct-stack';

test('the stack matches its snapshot', () => {
  const stack = new EveryConstructStack(new App(), 'AmiSharing', { env: { account: '123456789012', region: 'eu-west-1' } });
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
});
