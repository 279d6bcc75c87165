// A section's table, built by one function and rendered twice: as text on stdout and as markdown in BENCHMARKS.md.
import { Cell, markdownTable } from '../util';

export interface Table {
  readonly title: string;
  readonly headers: string[];
  readonly rows: Cell[][];
}

/** The table in markdown, or a note that this run skipped its section. */
export function tableMarkdown(table: Table | undefined): string {
  return table ? `${markdownTable(table.headers, table.rows)}\n` : '_Not measured in this run._\n';
}
