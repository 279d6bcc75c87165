import { Token } from 'aws-cdk-lib';

/**
 * Throws a validation rule's error at synth time, unless the value is a token: its real value is only known at deploy
 * time, where the handler applies the same rule before its first write.
 */
export function rejectAtSynth(error: string | undefined, value: string): void {
  if (error !== undefined && !Token.isUnresolved(value)) {
    throw new Error(error);
  }
}
