/** The report object itself, for scripts (`jq '.summary.blockers'`). */
import type { ReadinessReport } from './types.ts';

export function renderJson(report: ReadinessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
