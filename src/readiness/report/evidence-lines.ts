/** A finding's evidence as short lines of text, shared by the table and Markdown renderers. */
import type { Evidence } from './types.ts';

/** Long object lists are cut here; the JSON output keeps them whole. */
export const maxObjectsShown = 10;

export function evidenceLines(evidence: Evidence): string[] {
  const lines: string[] = [];
  const objects = evidence.objects ?? [];
  if (objects.length > 0) {
    const shown = objects.slice(0, maxObjectsShown).join(', ');
    const more = objects.length > maxObjectsShown ? ` … and ${objects.length - maxObjectsShown} more` : '';
    lines.push(`objects: ${shown}${more}`);
  }
  for (const user of evidence.users ?? []) {
    const agent = user.userAgent === '' ? '' : ` (${user.userAgent})`;
    lines.push(`user ${user.username}${agent}: ${user.verbs.join(' ')} × ${user.count}`);
  }
  const counts = Object.entries(evidence.counts ?? {});
  if (counts.length > 0) lines.push(`counts: ${counts.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  lines.push(...(evidence.details ?? []));
  return lines;
}
