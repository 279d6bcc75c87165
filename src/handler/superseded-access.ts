import { Aws, CustomResource, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ATTRIBUTE_ACCESS, DEPRECATION_ACCESS } from './image-access';
import { SERVICE_TIMEOUT } from './limits';
import { SUPERSEDED_IMAGES_GUARD_TYPE } from './superseded-contract';

/** What the handler needs to read about its own stack for a window (lambda/superseded/stack-record.ts). */
export const STACK_RECORD_ACTIONS = ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackResource'];

/**
 * The IAM and CloudFormation parts of SupersededImages.keep() on one AmiLaunchPermissions (docs/superseded-images.md):
 *
 * - `KeptImages`: a policy granting attribute and deprecation access to the AMIs the window keeps, read from the custom
 *   resource's KeptImageArns attribute. It depends on the resource, so CloudFormation updates it right after each
 *   rollover: the Update that pushes an AMI out still holds the old grant, and once the deployment settles the role
 *   reaches the current AMI and the kept ones only.
 * - `SupersededImages`: a guard custom resource that depends on that policy, so that when the construct leaves the
 *   stack its Delete (which revokes the kept AMIs) runs before the policy is deleted.
 */
export function keepSupersededImages(construct: Construct, resource: CustomResource, props: {
  readonly role: iam.IRole;
  readonly serviceToken: string;
  readonly properties: Record<string, unknown>;
}): CustomResource {
  const kept = new iam.ManagedPolicy(construct, 'KeptImages', {
    description: 'cdk-ami-sharing handler: attributes and deprecation of the superseded AMIs this share keeps',
    statements: [new iam.PolicyStatement({
      actions: [...ATTRIBUTE_ACCESS.actions, ...DEPRECATION_ACCESS.actions],
      resources: Fn.split(',', resource.getAttString('KeptImageArns')),
    })],
    roles: [props.role],
  });
  const guard = new CustomResource(construct, 'SupersededImages', {
    resourceType: SUPERSEDED_IMAGES_GUARD_TYPE,
    serviceToken: props.serviceToken,
    serviceTimeout: SERVICE_TIMEOUT,
    properties: { ...props.properties, KeptImages: resource.getAttString('KeptImages') },
  });
  guard.node.addDependency(kept);
  return guard;
}

/** The policy that lets the handler read its own stack's status and record (on the stack's ARN only). */
export function stackRecordPolicy(scope: Construct, role: iam.IRole): iam.ManagedPolicy {
  return new iam.ManagedPolicy(scope, 'StackRecordReads', {
    description: 'cdk-ami-sharing handler: read this stack\'s status and resource record (superseded AMIs kept shared)',
    statements: [new iam.PolicyStatement({ actions: STACK_RECORD_ACTIONS, resources: [Aws.STACK_ID] })],
    roles: [role],
  });
}
