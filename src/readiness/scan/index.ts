/**
 * Offline scan for Kubernetes APIs that an update target no longer serves (UPD-2, before the update):
 * manifest files, Helm charts and kustomizations on disk, checked against the removal data.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chartLocator } from './helm.ts';
import { kustomizationFileOf, kustomizeLocator } from './kustomize.ts';
import { renderChart, renderKustomization, toolsOnPath, type RenderTools } from './render.ts';
import { scanText } from './scan-text.ts';
import { resolveTarget, type TargetOptions } from './target.ts';
import type { Finding, ScanError, ScanReport, TextScanResult } from './types.ts';
import { collectInputs } from './walk.ts';

export { scanText, type ScanTextOptions } from './scan-text.ts';
export { resolveTarget, TargetError, type TargetOptions } from './target.ts';
export { toolsOnPath, type RenderTools } from './render.ts';
export type { Finding, ScanError, ScanReport, ScanTarget, Severity, TextScanResult } from './types.ts';

export type ScanOptions = TargetOptions & {
  /** kubectl and helm for kustomizations and charts; defaults to the ones on PATH. */
  readonly tools?: RenderTools;
  /** Files read and parsed at once; parsing is synchronous, so more only helps overlap reads. */
  readonly concurrency?: number;
};

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code
    ? `${e.code}: ${e.message.replace(/^\w+: /, '')}`
    : err instanceof Error
      ? err.message
      : String(err);
}

async function inPool<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
}

/** Same file, line, API and kind once: a base seen both alone and through an overlay is one finding. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.file}\n${f.line}\n${f.apiVersion}\n${f.kind}\n${f.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A line of rendered output is no line of the chart or kustomization file, so it moves into the message. */
function renderedError(error: ScanError, renderer: string): ScanError {
  const at = error.line === undefined ? '' : ` line ${error.line}`;
  return { file: error.file, message: `${renderer} output${at}: ${error.message}` };
}

function byPosition(a: { file: string; line?: number }, b: { file: string; line?: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}

export async function scanPaths(paths: readonly string[], options: ScanOptions): Promise<ScanReport> {
  const target = resolveTarget(options);
  const tools = options.tools ?? toolsOnPath;
  const inputs = await collectInputs(paths);
  const errors: ScanError[] = [...inputs.errors];
  const findings: Finding[] = [];
  let files = 0;
  let documents = 0;
  let objects = 0;
  const take = (result: TextScanResult): void => {
    files++;
    documents += result.documents;
    objects += result.objects;
    findings.push(...result.findings);
    errors.push(...result.errors);
  };

  await inPool(inputs.files, options.concurrency ?? 16, async (file) => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      errors.push({ file, message: `cannot read: ${reason(err)}` });
      return;
    }
    take(scanText(text, file, target));
  });

  // Renders run one at a time: each is a child process that already uses several cores.
  for (const chart of inputs.charts) {
    const chartFile = path.join(chart, 'Chart.yaml');
    try {
      const rendered = await renderChart(chart, tools);
      const result = scanText(rendered, chartFile, target, {
        locate: chartLocator(chart, chartFile),
        renderedBy: 'helm',
      });
      take({ ...result, errors: result.errors.map((e) => renderedError(e, 'helm template')) });
    } catch (err) {
      errors.push({ file: chartFile, message: `cannot render Helm chart: ${reason(err)}` });
    }
  }
  for (const dir of inputs.kustomizations) {
    const kustomization = (await kustomizationFileOf(dir)) ?? dir;
    try {
      const rendered = await renderKustomization(dir, tools);
      const result = scanText(rendered, kustomization, target, {
        locate: await kustomizeLocator(dir, target),
        renderedBy: 'kustomize',
      });
      take({ ...result, errors: result.errors.map((e) => renderedError(e, 'kubectl kustomize')) });
    } catch (err) {
      errors.push({ file: kustomization, message: `cannot render kustomization: ${reason(err)}` });
    }
  }

  const sorted = dedupe(findings).sort(byPosition);
  return {
    target,
    scanned: { files, documents, objects },
    findings: sorted,
    errors: errors.sort(byPosition),
    summary: {
      blockers: sorted.filter((f) => f.severity === 'blocker').length,
      warnings: sorted.filter((f) => f.severity === 'warning').length,
    },
  };
}
