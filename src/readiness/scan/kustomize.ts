/**
 * Points findings in `kubectl kustomize` output back at the resource files they came from. Kustomize
 * writes no source comments, so the files a kustomization lists under `resources`, `bases` and
 * `components` (following local directories) are scanned themselves and rendered objects are matched
 * to them by apiVersion, kind and name (allowing for namePrefix/nameSuffix).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { scanText, type Locate } from './scan-text.ts';
import type { Finding, ScanTarget } from './types.ts';
import { kustomizationFiles } from './walk.ts';

async function isDirectory(p: string): Promise<boolean | undefined> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return undefined;
  }
}

/** The kustomization file of a directory, or undefined when it has none. */
export async function kustomizationFileOf(dir: string): Promise<string | undefined> {
  for (const name of kustomizationFiles) {
    if ((await isDirectory(path.join(dir, name))) === false) return path.join(dir, name);
  }
  return undefined;
}

function listedPaths(text: string): string[] {
  const contents = parseDocument(text).contents;
  if (!isMap(contents)) return [];
  const out: string[] = [];
  for (const field of ['resources', 'bases', 'components']) {
    const list = contents.get(field);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      const value = isScalar(item) ? item.value : undefined;
      // Remote bases (git URLs, http) cannot be read offline; kustomize itself will fetch or fail on them.
      if (typeof value === 'string' && !/^[a-z]+:\/\/|^github\.com\/|^git@/.test(value)) out.push(value);
    }
  }
  return out;
}

/** Manifest files a kustomization draws its resources from, following local bases and components. */
export async function kustomizationSources(dir: string, visited = new Set<string>()): Promise<string[]> {
  const resolved = path.resolve(dir);
  if (visited.has(resolved)) return [];
  visited.add(resolved);
  const file = await kustomizationFileOf(dir);
  if (file === undefined) return [];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const sources: string[] = [];
  for (const entry of listedPaths(text)) {
    const full = path.join(dir, entry);
    const directory = await isDirectory(full);
    if (directory === true) sources.push(...(await kustomizationSources(full, visited)));
    else if (directory === false) sources.push(full);
  }
  return sources;
}

type Origin = Pick<Finding, 'file' | 'line' | 'apiVersion' | 'kind' | 'name'>;

export async function kustomizeLocator(dir: string, target: ScanTarget): Promise<Locate> {
  const fallback = (await kustomizationFileOf(dir)) ?? dir;
  const origins: Origin[] = [];
  for (const source of await kustomizationSources(dir)) {
    try {
      origins.push(...scanText(await readFile(source, 'utf8'), source, target).findings);
    } catch {
      // An unreadable source only costs the finding its precise location.
    }
  }
  return (site) => {
    const same = origins.filter((o) => o.apiVersion === site.apiVersion && o.kind === site.kind);
    const name = site.name;
    const affixed = same
      .filter((o) => o.name !== undefined && name !== undefined && name.includes(o.name))
      .sort((a, b) => (b.name?.length ?? 0) - (a.name?.length ?? 0));
    const origin =
      same.find((o) => o.name === name) ?? affixed[0] ?? (same.length === 1 ? same[0] : undefined);
    return origin ? { file: origin.file, line: origin.line } : { file: fallback, line: 1 };
  };
}
