// Structured logs: one JSON object per line, so CloudWatch Logs Insights can filter on any field. Callers pass
// the fields to log explicitly; nothing logs a whole event (its ResponseURL is a presigned URL and must stay secret).

export type LogFields = Record<string, string | number | boolean | string[] | undefined>;

export function log(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'ERROR') {
    console.error(line);
  } else {
    console.log(line);
  }
}
