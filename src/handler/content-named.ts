import * as crypto from 'crypto';
import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Gives `policy` the logical id `<scope id><name><hash of content>`, `content` resolved at synth. When what the policy
 * grants changes, CloudFormation then creates a new policy and deletes the old one in its cleanup phase, after the
 * custom resources that depended on it, instead of updating it in place while they still need the old grant (see
 * image-access.ts).
 */
export function nameAfterContent(scope: Construct, policy: iam.ManagedPolicy, name: string, content: () => unknown): void {
  const stack = Stack.of(scope);
  (policy.node.defaultChild as CfnResource).overrideLogicalId(Lazy.string({
    produce: () => {
      const hash = crypto.createHash('sha256').update(JSON.stringify(stack.resolve(content()))).digest('hex');
      return `${scope.node.id}${name}${hash.slice(0, 16).toUpperCase()}`;
    },
  }));
}
