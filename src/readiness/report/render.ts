/** `-o table|json|markdown` for the readiness report. */
import { renderJson } from './render-json.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderTable } from './render-table.ts';
import type { ReadinessReport } from './types.ts';

export const reportFormats = ['table', 'json', 'markdown'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function renderReport(report: ReadinessReport, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return renderTable(report);
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
  }
}
