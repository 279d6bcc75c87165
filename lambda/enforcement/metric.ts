// The enforcement metrics as one log line in CloudWatch's embedded metric format: CloudWatch Logs turns it into
// metrics, so emitting them costs no API call and needs no permission beyond writing the log (CloudWatch User Guide,
// "Specification: Embedded metric format"; "Using the embedded metric format with Lambda": write it to STDOUT).
import {
  CORRECTIONS_METRIC, FAILURES_METRIC, METRIC_DIMENSION, METRIC_NAMESPACE,
} from '../../src/handler/enforcement-contract';

export interface EnforcementCounts {
  readonly corrections: number;
  readonly failures: number;
}

/** The EMF document for one run of one stack. */
export function enforcementMetricDocument(stackName: string, counts: EnforcementCounts, timestamp: number): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRIC_NAMESPACE,
        Dimensions: [[METRIC_DIMENSION]],
        Metrics: [{ Name: CORRECTIONS_METRIC, Unit: 'Count' }, { Name: FAILURES_METRIC, Unit: 'Count' }],
      }],
    },
    [METRIC_DIMENSION]: stackName,
    [CORRECTIONS_METRIC]: counts.corrections,
    [FAILURES_METRIC]: counts.failures,
  };
}

/**
 * Writes the document as a line of its own. Straight to stdout, not console.log: Lambda's Node.js runtime prefixes
 * console output with a timestamp, request id and level, and the line must be the JSON document alone.
 */
export function emitEnforcementMetrics(stackName: string, counts: EnforcementCounts): void {
  process.stdout.write(`${JSON.stringify(enforcementMetricDocument(stackName, counts, Date.now()))}\n`);
}
