import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ENFORCE_MARKER, EnforcementEvent } from './enforcement-contract';
import { HANDLER_TIMEOUT } from './limits';

/**
 * The shortest period between two enforcement runs: three times the handler's timeout, so a run never overlaps the
 * next one, and a stack's share of EC2's read rate stays small (each run reads every declared AMI once).
 */
export const MINIMUM_ENFORCEMENT_PERIOD = Duration.minutes(3 * HANDLER_TIMEOUT.toMinutes());

/** Why `period` cannot be an enforcement period, naming the property and the value; undefined when it can. */
export function enforcementPeriodError(property: string, period: Duration): string | undefined {
  if (Token.isUnresolved(period.toMinutes({ integral: false }))) {
    return `${property}: the period must be known at synth time (got a token)`;
  }
  const minutes = period.toMinutes({ integral: false });
  if (!Number.isInteger(minutes)) {
    return `${property}: ${period.toHumanString()} is not a whole number of minutes (EventBridge Scheduler's rate() counts minutes)`;
  }
  if (minutes < MINIMUM_ENFORCEMENT_PERIOD.toMinutes()) {
    return `${property}: ${period.toHumanString()} is shorter than the minimum, ${MINIMUM_ENFORCEMENT_PERIOD.toHumanString()} `
      + '(three times the handler\'s timeout: runs never overlap)';
  }
  return undefined;
}

/** EventBridge Scheduler's rate expression in the largest whole unit: rate(1 hour), rate(90 minutes), rate(2 days). */
export function rateExpression(period: Duration): string {
  const minutes = period.toMinutes();
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `rate(${value} ${unit}${value === 1 ? '' : 's'})`;
}

export interface EnforcementProps {
  readonly handler: lambda.IFunction;
  readonly handlerRole: iam.IRole;
  readonly period: Duration;
}

/**
 * The stack's enforcement schedule (docs/enforcement.md): an EventBridge Scheduler schedule that invokes the handler
 * with the stack's id, a role that may invoke that one function and nothing else, and a policy that lets the handler
 * read its own stack (and no other) from CloudFormation. Everything it writes to EC2 the image policies already allow.
 */
export class Enforcement extends Construct {
  constructor(scope: Construct, id: string, props: EnforcementProps) {
    super(scope, id);
    const error = enforcementPeriodError('AmiSharingHandlerProps.enforceEvery', props.period);
    if (error) throw new Error(error);
    const stack = Stack.of(this);

    const stackReads = new iam.ManagedPolicy(this, 'StackReads', {
      description: 'cdk-ami-sharing handler: read this stack\'s deployed template, parameters and physical ids (scheduled enforcement)',
      statements: [new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:ListStackResources'],
        resources: [Aws.STACK_ID],
      })],
      roles: [props.handlerRole],
    });

    const role = new iam.Role(this, 'ScheduleRole', {
      description: 'cdk-ami-sharing enforcement schedule: invokes this stack\'s handler function only',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Only schedules of this account may assume it (EventBridge Scheduler User Guide, "Set up the execution role").
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    new iam.ManagedPolicy(this, 'InvokeHandler', {
      description: 'cdk-ami-sharing enforcement schedule: invoke the handler function',
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.handler.functionArn] })],
      roles: [role],
    });

    const input: EnforcementEvent = { cdkAmiSharing: ENFORCE_MARKER, stackId: Aws.STACK_ID };
    const schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: `cdk-ami-sharing: puts this stack's AMI declarations back ${rateExpression(props.period).replace(/^rate\((.*)\)$/, 'every $1')}`,
      scheduleExpression: rateExpression(props.period),
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: props.handler.functionArn,
        roleArn: role.roleArn,
        input: stack.toJsonString(input),
        // A failed run is in the log and the EnforcementFailures metric; the next run comes at the next period.
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
    // The first run should find its permission to read the stack in place.
    schedule.node.addDependency(stackReads);
  }
}
