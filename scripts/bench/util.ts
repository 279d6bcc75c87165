// Small helpers shared by the benchmark sections: statistics, formatting, tables, progress output.
import { performance } from 'perf_hooks';

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** a / b, or NaN when the baseline is 0 (shown as "n/a"). */
export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? NaN : value / baseline;
}

/** Milliseconds, monotonic. */
export function now(): number {
  return performance.now();
}

/** Runs `fn` and returns its duration in ms along with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = now();
  const result = await fn();
  return { ms: now() - start, result };
}

export function fmtRatio(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(digits)}x`;
}

export function fmtMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function fmtInt(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : Math.round(value).toLocaleString('en-US');
}

/** Progress and diagnostics go to stderr, so stdout holds only the table (or only JSON with --json). */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export type Cell = string | number;

/** A fixed-width text table; numbers are right-aligned. */
export function textTable(headers: string[], rows: Cell[][]): string {
  const cells = rows.map(row => row.map(c => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map(r => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every(r => typeof r[i] === 'number' || /^[\d.,x%/ -]+$|^n\/a$/.test(String(r[i]))));
  const line = (row: string[]) => row.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map(w => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The same table in GitHub markdown. */
export function markdownTable(headers: string[], rows: Cell[][]): string {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every(r => typeof r[i] === 'number' || /^[\d.,x%/ -]+$|^n\/a$/.test(String(r[i]))));
  const escape = (c: Cell) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${numeric.map(n => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map(r => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
}

/**
 * Runs each variant `runs` times, interleaved and rotating which goes first, after one uncounted warm-up run of each
 * variant in `warmUp` (connections, lazily resolved configuration, JIT): the samples per variant.
 */
export async function interleaved<V extends string>(variants: readonly V[], runs: number, run: (variant: V) => Promise<number>,
  warmUp: readonly V[] = variants): Promise<Record<V, number[]>> {
  for (const variant of warmUp) await run(variant);
  const samples = Object.fromEntries(variants.map(v => [v, [] as number[]])) as Record<V, number[]>;
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < variants.length; j++) {
      const variant = variants[(i + j) % variants.length];
      samples[variant].push(await run(variant));
    }
  }
  return samples;
}

/** `count` distinct 12-digit account ids starting at `offset` (moto accepts any 12-digit id). */
export function accountIds(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => String(100_000_000_000 + offset + i));
}

/** A syntactically valid 17-hex-digit image id, distinct per index. */
export function imageIdFor(index: number): string {
  return `ami-${index.toString(16).padStart(17, '0')}`;
}
