// The description decision, shared by the handler and `cdk-ami-sharing plan`. No I/O.

/**
 * Whether the AMI's description must be written to become `target`. An AMI without a description counts as an empty
 * one: ModifyImageAttribute cannot remove the attribute, so restoring "no description" means setting ''.
 */
export function descriptionNeedsWrite(live: string | undefined, target: string): boolean {
  return (live ?? '') !== target;
}
