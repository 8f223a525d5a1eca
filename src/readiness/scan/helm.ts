/**
 * Points findings in `helm template` output back at the chart's template files, using the
 * `# Source: <chart>/templates/<file>` comment helm writes at the top of every document.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locate, ObjectSite } from './scan-text.ts';

const apiVersionLine = /^\s*apiVersion:\s*(.*?)\s*$/;

function unquote(value: string): string {
  const m = /^(['"])(.*)\1$/.exec(value.replace(/\s+#.*$/, ''));
  return m ? (m[2] ?? '') : value.replace(/\s+#.*$/, '');
}

/** `mychart/templates/pdb.yaml` → `<chartDir>/templates/pdb.yaml` (subcharts: `<chartDir>/charts/sub/…`). */
export function templateFileOf(chartDir: string, source: string): string {
  const [, ...rest] = source.trim().split('/');
  return path.join(chartDir, ...rest);
}

/** Helm's comment opens the document, so the parser attaches it to the document or to its top mapping. */
export function sourceOf(site: ObjectSite): string | undefined {
  const { document } = site;
  const comment = `${document.commentBefore ?? ''}\n${document.contents?.commentBefore ?? ''}`;
  return /^\s*Source:\s*(\S.*?)\s*$/m.exec(comment)?.[1];
}

/** 1-based `apiVersion:` lines of a template, each with its literal value (templated values stay as written). */
function apiVersionLines(file: string): { line: number; value: string }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: { line: number; value: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const m = apiVersionLine.exec(l);
    if (m) out.push({ line: i + 1, value: unquote(m[1] ?? '') });
  });
  return out;
}

/**
 * The k-th object a template renders with a given apiVersion is matched to the k-th `apiVersion:` line
 * carrying that literal value (the last one when a `range` renders more objects than lines), else to the
 * k-th `apiVersion:` line of any value (templated apiVersions), else to line 1.
 */
export function chartLocator(chartDir: string, fallbackFile: string): Locate {
  const templates = new Map<string, { line: number; value: string }[]>();
  const seen = new Map<string, number>();
  return (site, lineOf) => {
    const source = sourceOf(site);
    if (source === undefined) return { file: fallbackFile, line: lineOf(site.offset) };
    const file = templateFileOf(chartDir, source);
    let lines = templates.get(file);
    if (lines === undefined) {
      lines = apiVersionLines(file);
      templates.set(file, lines);
    }
    const key = `${file}\n${site.apiVersion}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const literal = lines.filter((l) => l.value === site.apiVersion);
    const candidates = literal.length > 0 ? literal : lines;
    const match = candidates[Math.min(k, candidates.length - 1)];
    return { file, line: match?.line ?? 1 };
  };
}
