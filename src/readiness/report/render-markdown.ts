/**
 * The report as Markdown for a change ticket: a heading per check, findings as list items with their
 * evidence nested, and every fix in a code block so it can be copied as-is.
 */
import { evidenceLines } from './evidence-lines.ts';
import { verdictOf } from './render-table.ts';
import type { CheckResult, Finding, ReadinessReport } from './types.ts';

const labels = { blocker: 'BLOCKER', warning: 'WARNING', info: 'INFO' } as const;

/** A fence longer than any backtick run inside, so a fix containing ``` still renders. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function inline(text: string): string {
  return text.replace(/([\\*_[\]<>|])/g, '\\$1');
}

function findingItem(finding: Finding): string {
  const lines = [`- **${labels[finding.severity]}** ${inline(finding.title)}`];
  for (const line of evidenceLines(finding.evidence)) lines.push(`  - ${inline(line)}`);
  const f = fence(finding.fix);
  // Only a command gets the shell tag; a described action stays plain text.
  const language = /^(kubectl|oc|lcm) /.test(finding.fix) ? 'sh' : '';
  lines.push(
    '',
    '  Fix:',
    '',
    `  ${f}${language}`,
    ...finding.fix.split('\n').map((l) => `  ${l}`),
    `  ${f}`,
  );
  return lines.join('\n');
}

function checkSection(check: CheckResult): string {
  const head = `## ${check.id} — ${inline(check.title)}`;
  const status = `Status: **${check.status}**${check.error !== undefined ? ` (${inline(check.error)})` : ''}`;
  if (check.findings.length === 0) return [head, '', status, '', 'Nothing found.'].join('\n');
  return [head, '', status, '', check.findings.map(findingItem).join('\n\n')].join('\n');
}

export function renderMarkdown(report: ReadinessReport): string {
  const { blockers, warnings, infos } = report.summary;
  const header = [
    `# Update readiness: ${report.currentVersion} → ${report.targetVersion}`,
    '',
    `- Cluster: ${report.cluster}`,
    `- Generated: ${report.generatedAt}`,
    `- Verdict: **${verdictOf(report)}**`,
    '',
    '| Blockers | Warnings | Info |',
    '| ---: | ---: | ---: |',
    `| ${blockers} | ${warnings} | ${infos} |`,
  ].join('\n');
  return `${[header, ...report.checks.map(checkSection)].join('\n\n')}\n`;
}
