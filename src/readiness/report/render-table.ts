/** The report for a terminal: findings grouped by severity, then by check, then every check's status. */
import { evidenceLines } from './evidence-lines.ts';
import { severities, type Finding, type ReadinessReport, type Severity } from './types.ts';

const headings: Record<Severity, string> = { blocker: 'BLOCKERS', warning: 'WARNINGS', info: 'INFO' };

export function verdictOf(report: ReadinessReport): string {
  const { blockers, warnings, infos } = report.summary;
  const counts = `${plural(blockers, 'blocker')}, ${plural(warnings, 'warning')}, ${infos} info`;
  if (blockers > 0) return `BLOCKED: ${counts}`;
  if (warnings > 0) return `READY WITH WARNINGS: ${counts}`;
  return `READY: ${counts}`;
}

/** Aligned columns (the CLI's own helper lives above this layer). */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd(),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function findingBlock(finding: Finding): string {
  const lines = [`  [${finding.check}] ${finding.title}`];
  for (const line of evidenceLines(finding.evidence)) lines.push(indent(line, '      '));
  const [first = '', ...rest] = finding.fix.split('\n');
  lines.push(`      fix: ${first}`);
  for (const line of rest) lines.push(`           ${line}`);
  return lines.join('\n');
}

export function renderTable(report: ReadinessReport): string {
  const out: string[] = [
    `Update readiness of ${report.cluster}: ${report.currentVersion} → ${report.targetVersion}`,
    verdictOf(report),
  ];
  // Checks keep the order they were run in, so findings of one check stay together.
  const findings = report.checks.flatMap((c) => c.findings);
  for (const severity of severities) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('', headings[severity], ...group.map(findingBlock));
  }
  out.push(
    '',
    ...columns([
      ['CHECK', 'STATUS', 'FINDINGS', 'TITLE'],
      ...report.checks.map((c) => [c.id, c.status, String(c.findings.length), c.title]),
    ]),
  );
  return `${out.join('\n')}\n`;
}
