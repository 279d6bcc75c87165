// AMI ARNs for the kept-images policy (src/handler/superseded-access.ts), built from the stack's own ARN:
// arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id> -> arn:<partition>:ec2:<region>::image/<ami>.

export function imageArn(stackId: string, imageId: string): string {
  const [, partition, , region] = stackId.split(':');
  return `arn:${partition}:ec2:${region}::image/${imageId}`;
}

/**
 * The KeptImageArns attribute: the kept AMIs' ARNs, comma-separated for Fn::Split. IAM refuses a statement without a
 * resource, so an empty window names the current AMI, which the role may touch anyway.
 */
export function keptImageArns(stackId: string, current: string, kept: readonly string[]): string {
  return (kept.length > 0 ? kept : [current]).map(id => imageArn(stackId, id)).join(',');
}
