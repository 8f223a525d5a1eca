/**
 * The backup tarball in Velero's format 1.1.0: `metadata/version`, then every item twice — at
 * `resources/<resource.group>/{cluster|namespaces/<ns>}/<name>.json` (the format-1 path every
 * Velero reads) and under `<version>-preferredversion/` (the API-group-versions layout) — gzip
 * compressed. Written as a stream from memory; read back by streaming the entries.
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Header, Pack, ReadEntry, list } from 'tar';
import type { KubeObject } from '../../client/object.ts';

/** pkg/backup.BackupFormatVersion: what `metadata/version` and status.formatVersion hold. */
export const backupFormatVersion = '1.1.0';
/** status.version: the deprecated major format version. */
export const backupVersion = 1;

export const resourcesDir = 'resources';
export const metadataVersionPath = 'metadata/version';
export const preferredVersionSuffix = '-preferredversion';

export interface ArchiveItem {
  /** `configmaps`, `deployments.apps`. */
  readonly groupResource: string;
  /** The version the object was read at (its preferred version). */
  readonly version: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
  readonly object: KubeObject;
}

/** archive.GetVersionedItemFilePath with an empty root. */
export function itemPath(groupResource: string, namespace: string, name: string, versionDir = ''): string {
  const scope = namespace === '' ? ['cluster'] : ['namespaces', namespace];
  return [
    resourcesDir,
    groupResource,
    ...(versionDir === '' ? [] : [versionDir]),
    ...scope,
    `${name}.json`,
  ].join('/');
}

function fileEntry(entryPath: string, data: Buffer, mtime: Date): ReadEntry {
  // Velero writes regular files with mode 0755 and no directory entries.
  const entry = new ReadEntry(
    new Header({ path: entryPath, size: data.length, type: 'File', mode: 0o755, mtime }),
  );
  entry.end(data);
  return entry;
}

/** Streams the gzip-compressed tarball of `items` into `out` and ends it. */
export async function writeTarball(out: Writable, items: readonly ArchiveItem[], mtime: Date): Promise<void> {
  const pack = new Pack({ gzip: true, portable: true });
  const done = pipeline(pack, out);
  pack.add(fileEntry(metadataVersionPath, Buffer.from(`${backupFormatVersion}\n`), mtime));
  for (const item of items) {
    const data = Buffer.from(JSON.stringify(item.object));
    pack.add(fileEntry(itemPath(item.groupResource, item.namespace, item.name), data, mtime));
    pack.add(
      fileEntry(
        itemPath(item.groupResource, item.namespace, item.name, `${item.version}${preferredVersionSuffix}`),
        data,
        mtime,
      ),
    );
  }
  pack.end();
  await done;
}

export interface BackupArchive {
  /** `metadata/version`, trimmed; undefined in archives older than format 1.1. */
  readonly formatVersion: string | undefined;
  readonly items: ArchiveItem[];
}

export class TarballError extends Error {}

/** Where an entry's item lives, for format-1 paths (the versioned copies are skipped). */
function parseItemPath(
  entryPath: string,
): { groupResource: string; namespace: string; name: string } | undefined {
  const parts = entryPath.replace(/^\.\//, '').split('/');
  if (parts[0] !== resourcesDir || parts[1] === undefined) return undefined;
  const file = parts[parts.length - 1] ?? '';
  if (!file.endsWith('.json')) return undefined;
  const name = file.slice(0, -'.json'.length);
  if (parts.length === 4 && parts[2] === 'cluster') return { groupResource: parts[1], namespace: '', name };
  if (parts.length === 5 && parts[2] === 'namespaces' && parts[3] !== undefined)
    return { groupResource: parts[1], namespace: parts[3], name };
  return undefined;
}

/** Every regular-file entry path of a tarball, in archive order. */
export async function listEntries(file: string): Promise<string[]> {
  const paths: string[] = [];
  await list({ file, onReadEntry: (entry) => void paths.push(entry.path) });
  return paths;
}

/** Reads a backup tarball: its format version and the items of the format-1 layout. */
export async function readTarball(file: string): Promise<BackupArchive> {
  const contents = new Map<string, Buffer>();
  const reads: Promise<void>[] = [];
  await list({
    file,
    onReadEntry: (entry) => {
      if (entry.type !== 'File' && entry.type !== 'OldFile') return;
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      reads.push(
        new Promise<void>((resolve) =>
          entry.on('end', () => {
            contents.set(entry.path, Buffer.concat(chunks));
            resolve();
          }),
        ),
      );
    },
  });
  await Promise.all(reads);
  const items: ArchiveItem[] = [];
  for (const [entryPath, data] of contents) {
    const where = parseItemPath(entryPath);
    if (where === undefined) continue;
    let object: KubeObject;
    try {
      object = JSON.parse(data.toString('utf8')) as KubeObject;
    } catch (error) {
      throw new TarballError(`backup tarball entry ${entryPath} is not JSON: ${(error as Error).message}`);
    }
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    items.push({ ...where, version: apiVersion.slice(apiVersion.indexOf('/') + 1), object });
  }
  return { formatVersion: contents.get(metadataVersionPath)?.toString('utf8').trim(), items };
}
