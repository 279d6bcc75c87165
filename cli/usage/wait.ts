// Waiting for usage reports: EC2 makes a report in the background (state pending, then available or error). The plan
// polls DescribeImageUsageReports, more slowly as time goes on, says on stderr what it waits for, and gives up at the
// --usage-timeout deadline.
import { ReportState } from './report';

export interface PendingReport {
  readonly reportId: string;
  readonly imageId: string;
  /** One DescribeImageUsageReports of this report. */
  readonly state: () => Promise<ReportState>;
}

export type WaitOutcome = ReportState | { readonly state: 'timed-out' };

export interface WaitOptions {
  readonly timeoutMs: number;
  /** One line of progress (stderr). */
  readonly progress: (line: string) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The first pause between polls, doubled after each round up to maxIntervalMs (defaults 1 s and 15 s). */
  readonly firstIntervalMs?: number;
  readonly maxIntervalMs?: number;
}

/** Polls every report until none is pending or the deadline passes; the outcome of each, by report id. */
export async function waitForReports(reports: readonly PendingReport[], options: WaitOptions): Promise<Map<string, WaitOutcome>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const start = now();
  const deadline = start + options.timeoutMs;
  const outcomes = new Map<string, WaitOutcome>();
  let interval = options.firstIntervalMs ?? 1_000;
  const maxInterval = options.maxIntervalMs ?? 15_000;
  for (;;) {
    const pending = reports.filter(r => !outcomes.has(r.reportId));
    for (const report of pending) {
      const state = await report.state();
      if (state.state !== 'pending') outcomes.set(report.reportId, state);
    }
    const still = reports.filter(r => !outcomes.has(r.reportId));
    const elapsed = now() - start;
    if (still.length === 0) {
      if (reports.length > 0) options.progress(`usage: ${plural(reports.length, 'report')} ready after ${seconds(elapsed)}`);
      return outcomes;
    }
    if (now() >= deadline) {
      options.progress(`usage: gave up after ${seconds(elapsed)} (--usage-timeout ${seconds(options.timeoutMs)}): `
        + `${still.map(r => `${r.reportId} (${r.imageId})`).join(', ')} still pending`);
      still.forEach(r => outcomes.set(r.reportId, { state: 'timed-out' }));
      return outcomes;
    }
    options.progress(`usage: waiting for ${plural(still.length, 'report')} (${still.map(r => `${r.reportId} on ${r.imageId}`).join(', ')}): `
      + `pending, ${seconds(elapsed)} of ${seconds(options.timeoutMs)}`);
    await sleep(Math.min(interval, Math.max(0, deadline - now())));
    interval = Math.min(interval * 2, maxInterval);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A duration for the reader: 42 s, 3m05s. */
export function seconds(ms: number): string {
  const total = Math.round(ms / 1000);
  return total < 60 ? `${total} s` : `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}

/**
 * --usage-timeout: a whole number followed by h, m or s, or several (1m30s); a bare number is seconds. At least 1 s,
 * at most 24 h. undefined when it does not parse.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  const ms = /^\d+$/.test(text) ? Number(text) * 1000
    : match && text !== '' ? (Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0)) * 1000 : undefined;
  return ms !== undefined && ms >= 1000 && ms <= 24 * 3600 * 1000 ? ms : undefined;
}
