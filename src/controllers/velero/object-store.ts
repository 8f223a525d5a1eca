/**
 * The object storage BackupStorageLocations point at. No cloud store is reachable from the lab, so
 * a bucket is a directory under one root (`<root>/<bucket>/<prefix>/…`), holding exactly the keys
 * Velero's ObjectStoreLayout writes. Every write lands in a temporary file that is synced and then
 * renamed over the key, so a crash leaves either the old object or the new one — never half of it.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface BucketLocation {
  readonly bucket: string;
  readonly prefix?: string | undefined;
}

/** Velero's ObjectStoreLayout keys, relative to the bucket. */
export const layout = {
  topLevelDirs: ['backups', 'restores', 'restic', 'metadata', 'plugins', 'kopia'] as const,
  backupDir: (prefix: string | undefined, backup: string): string => join(prefix, 'backups', backup),
  backupContents: (prefix: string | undefined, backup: string): string =>
    join(prefix, 'backups', backup, `${backup}.tar.gz`),
  backupMetadata: (prefix: string | undefined, backup: string): string =>
    join(prefix, 'backups', backup, 'velero-backup.json'),
  backupLog: (prefix: string | undefined, backup: string): string =>
    join(prefix, 'backups', backup, `${backup}-logs.gz`),
  backupResourceList: (prefix: string | undefined, backup: string): string =>
    join(prefix, 'backups', backup, `${backup}-resource-list.json.gz`),
  restoreLog: (prefix: string | undefined, restore: string): string =>
    join(prefix, 'restores', restore, `restore-${restore}-logs.gz`),
  restoreResults: (prefix: string | undefined, restore: string): string =>
    join(prefix, 'restores', restore, `restore-${restore}-results.gz`),
};

function join(prefix: string | undefined, ...parts: string[]): string {
  const clean = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return [...(clean === '' ? [] : [clean]), ...parts].join('/');
}

export class ObjectStoreError extends Error {}

export class FileObjectStore {
  constructor(readonly root: string) {}

  /** The directory a bucket is; rejects names that would leave the root. */
  bucketPath(location: BucketLocation): string {
    const bucket = location.bucket;
    if (bucket === '' || bucket === '.' || bucket === '..' || bucket.includes('/') || bucket.includes('\\'))
      throw new ObjectStoreError(`invalid bucket name ${JSON.stringify(bucket)}`);
    return path.join(this.root, bucket);
  }

  /** The file behind `key` in the bucket. */
  pathOf(location: BucketLocation, key: string): string {
    const segments = key.split('/').filter((s) => s !== '');
    if (segments.length === 0 || segments.some((s) => s === '.' || s === '..'))
      throw new ObjectStoreError(`invalid object key ${JSON.stringify(key)}`);
    return path.join(this.bucketPath(location), ...segments);
  }

  /**
   * Why the location cannot take backups, or undefined when it can: the bucket directory must
   * exist and be writable, and the prefix may hold only Velero's own top-level directories.
   */
  async problem(location: BucketLocation): Promise<string | undefined> {
    let bucketDir: string;
    try {
      bucketDir = this.bucketPath(location);
    } catch (error) {
      return (error as Error).message;
    }
    try {
      const info = await stat(bucketDir);
      if (!info.isDirectory()) return `bucket ${location.bucket} is not a directory (${bucketDir})`;
      await access(bucketDir, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return `bucket ${location.bucket} does not exist (no directory ${bucketDir})`;
      return `bucket ${location.bucket} is not writable: ${(error as Error).message}`;
    }
    const prefixDir = path.join(
      bucketDir,
      ...join(location.prefix)
        .split('/')
        .filter((s) => s !== ''),
    );
    let entries: string[];
    try {
      entries = await readdir(prefixDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return `cannot read ${prefixDir}: ${(error as Error).message}`;
    }
    const invalid = entries.filter(
      (e) => !(layout.topLevelDirs as readonly string[]).includes(e) && !e.startsWith('.'),
    );
    // Velero's objectBackupStore.IsValid wording.
    if (invalid.length > 0)
      return `Backup store contains invalid top-level directories: [${invalid.sort().join(' ')}]`;
    return undefined;
  }

  async exists(location: BucketLocation, key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(location, key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  /** The object's bytes, or undefined when there is none. */
  async get(location: BucketLocation, key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(location, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(location: BucketLocation, key: string, data: Buffer | string): Promise<void> {
    await this.putStream(location, key, async (out) => {
      out.end(data);
      await finished(out);
    });
  }

  async putGzip(location: BucketLocation, key: string, data: Buffer | string): Promise<void> {
    await this.put(location, key, gzipSync(data));
  }

  async getGunzip(location: BucketLocation, key: string): Promise<Buffer | undefined> {
    const data = await this.get(location, key);
    return data === undefined ? undefined : gunzipSync(data);
  }

  /**
   * Streams an object in: `write` fills (and ends) a temporary file; only once it returns is the
   * file synced and renamed over `key`. A failure removes the temporary file.
   */
  async putStream(
    location: BucketLocation,
    key: string,
    write: (out: Writable, tempPath: string) => Promise<void>,
  ): Promise<void> {
    const target = this.pathOf(location, key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const out = createWriteStream(temp, { flags: 'wx' });
    try {
      await write(out, temp);
      if (!out.writableFinished) await finished(out);
      const handle = await open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      // The file may still be opening: let it close before removing it, or it could reappear.
      if (!out.closed) {
        const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
        out.destroy();
        await closed;
      }
      await rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(path.dirname(target));
  }

  async delete(location: BucketLocation, key: string): Promise<void> {
    await rm(this.pathOf(location, key), { force: true });
  }

  /** Names directly below `dir` (a key prefix without its trailing slash), sorted. */
  async listDir(location: BucketLocation, dir: string): Promise<string[]> {
    try {
      const entries = await readdir(this.pathOf(location, dir), { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** The backups stored under a location's prefix. */
  listBackups(location: BucketLocation): Promise<string[]> {
    return this.listDir(location, join(location.prefix, 'backups'));
  }
}

/** The rename itself must survive a power cut, not only the file's bytes. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  }
}
