/** `-o table|json|yaml` for every command that prints objects. */
import { Option } from 'commander';
import { stringify } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml';

export function outputOption(): Option {
  return new Option('-o, --output <format>', 'output format')
    .choices(['table', 'json', 'yaml'])
    .default('table');
}

/** Aligned columns, two spaces apart, headers in capitals (as kubectl prints them). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n') + '\n';
}

export function render(format: OutputFormat, value: unknown, table: () => string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(value, null, 2)}\n`;
    case 'yaml':
      return stringify(value);
    case 'table':
      return table();
  }
}

/** Exit codes every lcm command shares. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** The thing asked about is not running / not ready (e.g. `lcm lab status`). */
  notReady: 3,
  /** The check found something that must be fixed first (e.g. a blocker in `lcm readiness`). */
  blocked: 4,
} as const;

export const exitCodeHelp = `
Exit codes: 0 success · 1 failure · 2 usage error · 3 not running / not ready · 4 blocked (a blocker was found)`;
