/**
 * Sorts the paths given to a scan into manifest files, Helm charts and kustomizations, walking each
 * directory once. A chart or kustomization directory is rendered as a whole, so the walk does not
 * descend into it (its templates and patches are not manifests on their own).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ScanError } from './types.ts';

export interface ScanInputs {
  readonly files: string[];
  readonly charts: string[];
  readonly kustomizations: string[];
  readonly errors: ScanError[];
}

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);
export const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(err);
}

export async function collectInputs(paths: readonly string[]): Promise<ScanInputs> {
  const inputs: ScanInputs = { files: [], charts: [], kustomizations: [], errors: [] };
  const seen = new Set<string>();

  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      inputs.errors.push({ file: dir, message: `cannot read directory: ${reason(err)}` });
      return;
    }
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (names.has('Chart.yaml')) {
      inputs.charts.push(dir);
      return;
    }
    if (kustomizationFiles.some((f) => names.has(f))) {
      inputs.kustomizations.push(dir);
      return;
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      // Hidden directories (.git, .github, …) hold tooling, not manifests.
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) subdirs.push(full);
      else if (entry.isFile() && manifestExtensions.has(path.extname(entry.name).toLowerCase())) add(full);
    }
    await Promise.all(subdirs.map(walk));
  };

  const add = (file: string): void => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    inputs.files.push(file);
  };

  for (const given of paths) {
    let info;
    try {
      info = await stat(given);
    } catch (err) {
      inputs.errors.push({ file: given, message: `cannot read: ${reason(err)}` });
      continue;
    }
    // A file named on the command line is scanned whatever its extension.
    if (info.isDirectory()) await walk(given);
    else add(given);
  }
  return inputs;
}
