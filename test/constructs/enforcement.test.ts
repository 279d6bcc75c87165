// AmiSharingHandler.configure({ enforceEvery }): the schedule, its role, the handler's read access to its own stack,
// the period's validation, and the metrics. The IAM verdicts come from the real policy evaluator.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AmiLaunchPermissions, AmiSharingHandler, LaunchPermission, LaunchPermissionMode } from '../../src';
import { rateExpression } from '../../src/handler/enforcement';
import { ACCOUNT_ID, REGION, resolve } from '../support/cloudformation/intrinsics';
import { rolePolicies } from '../support/role-policies';

function stack(configure?: (s: Stack) => void): Stack {
  const s = new Stack(new App(), 'Golden', { env: { account: ACCOUNT_ID, region: REGION } });
  configure?.(s);
  new AmiLaunchPermissions(s, 'Share', {
    imageId: 'ami-0123456789abcdef0',
    permissions: [LaunchPermission.account('111122223333')],
    mode: LaunchPermissionMode.EXCLUSIVE,
  });
  return s;
}

const hourly = (s: Stack) => AmiSharingHandler.configure(s, { enforceEvery: Duration.hours(1) });

test('without enforceEvery there is no schedule and no access to CloudFormation', () => {
  const template = Template.fromStack(stack());
  template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  expect(JSON.stringify(template.toJSON())).not.toContain('cloudformation:');
});

test('enforceEvery: one schedule that invokes the handler with the stack id, at the period, without retries', () => {
  const template = Template.fromStack(stack(hourly));
  template.resourceCountIs('AWS::Scheduler::Schedule', 1);
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'rate(1 hour)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkAmiSharingHandlerFunction'), 'Arn'] },
      Input: { 'Fn::Join': ['', ['{"cdkAmiSharing":"enforce","stackId":"', { Ref: 'AWS::StackId' }, '"}']] },
      RetryPolicy: { MaximumRetryAttempts: 0 },
    },
  });
});

describe('least privilege, by the IAM policy evaluator', () => {
  // As CloudFormation resolves them: a function's Arn attribute is a Lambda function ARN.
  const resources: Record<string, any> = resolve(Template.fromStack(stack(hourly)).toJSON().Resources, {
    stackName: 'Golden',
    parameters: {},
    exports: {},
    ref: logicalId => logicalId,
    getAtt: (logicalId, attribute) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${logicalId}${attribute === 'Arn' ? '' : `/${attribute}`}`,
  });
  const roleOf = (prefix: string) => Object.keys(resources).find(id => id.startsWith(prefix) && resources[id].Type === 'AWS::IAM::Role')!;
  const ownStack = `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/Golden/00000000-0000-0000-0000-000000000000`;
  const otherStack = `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/Other/11111111-1111-1111-1111-111111111111`;
  const handlerArn = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${Object.keys(resources).find(id => resources[id].Type === 'AWS::Lambda::Function')}`;

  async function verdict(role: string, action: string, resource: string): Promise<string> {
    const result = await runSimulation({
      request: { principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/session`, action, resource: { resource, accountId: ACCOUNT_ID }, contextVariables: {} },
      identityPolicies: rolePolicies(resources, role).map(p => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
    return result.resultType === 'error' ? `error ${JSON.stringify(result.errors)}` : result.overallResult;
  }

  test.each([
    ['cloudformation:DescribeStacks', ownStack, 'Allowed'],
    ['cloudformation:GetTemplate', ownStack, 'Allowed'],
    ['cloudformation:ListStackResources', ownStack, 'Allowed'],
    ['cloudformation:DescribeStacks', otherStack, 'ImplicitlyDenied'],
    ['cloudformation:GetTemplate', otherStack, 'ImplicitlyDenied'],
    ['cloudformation:ListExports', '*', 'ImplicitlyDenied'],
    ['cloudformation:UpdateStack', ownStack, 'ImplicitlyDenied'],
  ])('the handler role: %s on %s is %s', async (action, resource, expected) => {
    expect(await verdict(roleOf('CdkAmiSharingHandlerServiceRole'), action, resource)).toBe(expected);
  });

  test.each([
    ['lambda:InvokeFunction', 'the handler', 'Allowed'],
    ['lambda:InvokeFunction', 'another function', 'ImplicitlyDenied'],
    ['lambda:UpdateFunctionCode', 'the handler', 'ImplicitlyDenied'],
    ['ec2:ModifyImageAttribute', 'an AMI', 'ImplicitlyDenied'],
  ])('the schedule role: %s on %s is %s', async (action, target, expected) => {
    const resource = {
      'the handler': handlerArn,
      'another function': `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:another`,
      'an AMI': `arn:aws:ec2:${REGION}::image/ami-0123456789abcdef0`,
    }[target]!;
    expect(await verdict(roleOf('CdkAmiSharingHandlerEnforcementScheduleRole'), action, resource)).toBe(expected);
  });

  test('only EventBridge Scheduler of this account may assume the schedule role', () => {
    expect(resources[roleOf('CdkAmiSharingHandlerEnforcementScheduleRole')].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT_ID } },
    }]);
  });
});

test.each([
  [Duration.minutes(10), /AmiSharingHandlerProps.enforceEvery: 10 minutes is shorter than the minimum, 15 minutes/],
  [Duration.seconds(1830), /AmiSharingHandlerProps.enforceEvery: 30 minutes 30 seconds is not a whole number of minutes/],
  [Duration.minutes(Token.asNumber({ Ref: 'Period' })), /AmiSharingHandlerProps.enforceEvery: the period must be known at synth time/],
])('enforceEvery %# is refused, naming the property and the value', (enforceEvery, message) => {
  expect(() => stack(s => AmiSharingHandler.configure(s, { enforceEvery }))).toThrow(message);
});

test.each([
  [Duration.minutes(15), 'rate(15 minutes)'],
  [Duration.hours(1), 'rate(1 hour)'],
  [Duration.minutes(90), 'rate(90 minutes)'],
  [Duration.hours(6), 'rate(6 hours)'],
  [Duration.days(1), 'rate(1 day)'],
  [Duration.hours(48), 'rate(2 days)'],
])('%s is %s', (period, expression) => {
  expect(rateExpression(period)).toBe(expression);
});

test('metricCorrections and metricEnforcementFailures name the metrics the handler emits, for this stack', () => {
  const s = stack(hourly);
  const handler = AmiSharingHandler.of(s);
  for (const [metric, name] of [[handler.metricCorrections(), 'Corrections'], [handler.metricEnforcementFailures(), 'EnforcementFailures']] as const) {
    expect(metric.namespace).toBe('CdkAmiSharing');
    expect(metric.metricName).toBe(name);
    expect(metric.dimensions).toEqual({ StackName: 'Golden' });
    expect(metric.statistic).toBe('Sum');
    expect(metric.period.toHours()).toBe(1);
  }
});
