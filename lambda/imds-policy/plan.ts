// The imdsSupport decision, shared by the handler and `cdk-ami-sharing plan`. No I/O.

/** The only value EC2 accepts for imdsSupport, and an irreversible one. */
export const IMDS_V2 = 'v2.0';

/** Whether imdsSupport must be written (Create and Update; Delete never writes, as EC2 cannot undo v2.0). */
export function needsImdsV2(live: string | undefined): boolean {
  return live !== IMDS_V2;
}
