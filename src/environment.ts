import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether two stacks deploy to the same account and Region, as far as synthesis can tell. A stack whose account or
 * Region is a token (an environment-agnostic stack) is only known to share its environment with itself.
 */
export function sameEnvironment(a: Stack, b: Stack): boolean {
  if (a === b) return true;
  const known = [a.account, a.region, b.account, b.region].every(v => !Token.isUnresolved(v));
  return known && a.account === b.account && a.region === b.region;
}

/** Where a stack deploys, for messages: 'account 111122223333, Region us-east-1', or its own name when agnostic. */
export function describeEnvironment(stack: Stack): string {
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? `the account and Region of stack ${stack.node.path}`
    : `account ${stack.account}, Region ${stack.region}`;
}

/** The constructs of the whole app that pass `test` and deploy to the same account and Region as `scope`, in tree order. */
export function inSameEnvironment<T extends IConstruct>(scope: IConstruct, test: (c: IConstruct) => c is T): T[] {
  const stack = Stack.of(scope);
  return scope.node.root.node.findAll().filter(test).filter(c => sameEnvironment(Stack.of(c), stack));
}
