/**
 * etcd backups before an update (seed 001 §2.1.4) and the last-resort restore, with the real
 * `etcdctl snapshot save | status | restore` (v3 API).
 *
 * A backup directory holds `snapshot_<UTC timestamp>.db` and its metadata `snapshot_<…>.json`.
 * The snapshot is written under a `.partial` name and renamed only after `snapshot status` has read
 * it back and the metadata is on disk, so a crash never leaves half a snapshot that looks complete.
 *
 * OpenShift's cluster-backup.sh also archives the static pod resources of the control plane
 * (`static_kuberesources_<ts>.tar.gz`: the kube-apiserver, controller-manager, scheduler and etcd
 * manifests with their secrets and config maps). lcm's API server is not a static pod and keeps
 * all of its state in etcd, so the snapshot alone is the whole backup.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../runtime/clock.ts';
import { findExecutable } from './executable.ts';
import { CommandError, formatCommand } from './run-command.ts';

export interface EtcdSnapshot {
  readonly path: string;
  /** ISO 8601, UTC. */
  readonly takenAt: string;
  /** The etcd (MVCC) revision the snapshot holds. */
  readonly revision: number;
  readonly totalKeys: number;
  /** Size of etcd's database inside the snapshot, as `etcdctl snapshot status` reports it. */
  readonly totalSize: number;
  /** etcd's hash of the database contents (`snapshot status`). */
  readonly hash: number;
  /** Bytes of the `.db` file (the database plus etcdctl's 32-byte SHA-256 trailer). */
  readonly size: number;
}

/** What `<name>.json` next to a snapshot records. */
export interface EtcdSnapshotMetadata {
  readonly takenAt: string;
  readonly endpoints: readonly string[];
  /** The endpoint that served the snapshot. */
  readonly endpoint: string;
  readonly etcdVersion?: string;
  readonly revision: number;
  readonly totalKeys: number;
  readonly totalSize: number;
  readonly hash: number;
  /** Bytes of the `.db` file (the database plus etcdctl's 32-byte SHA-256 trailer). */
  readonly size: number;
  readonly sha256: string;
  readonly lcmVersion: string;
}

export interface EtcdSnapshotStatus {
  readonly revision: number;
  readonly totalKeys: number;
  readonly totalSize: number;
  readonly hash: number;
}

export class EtcdSnapshotError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EtcdSnapshotError';
  }
}

const snapshotPattern = /^snapshot_\d{4}-\d{2}-\d{2}_\d{6}(?:_\d+)?\.db$/;

export const etcdctlMissing =
  'etcdctl not found: install Debian package etcd-client (scripts/ensure-system-deps.sh does it when root)';

function findEtcdctl(): string {
  const found = findExecutable('etcdctl');
  if (found === undefined) throw new EtcdSnapshotError(etcdctlMissing);
  return found;
}

/**
 * etcdctl 3.4 refuses to run when an ETCDCTL_* variable shadows a flag we pass, and speaks the
 * v2 API unless told otherwise.
 */
function etcdctlEnvironment(): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCDCTL_'))),
    ETCDCTL_API: '3',
  };
}

/** etcdctl logs JSON lines on stderr; the reason is its `Error: …` line or, after a crash, Go's fatal error. */
function etcdctlReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const error = lines.find((l) => l.startsWith('Error:'));
  if (error !== undefined) return error.slice('Error:'.length).trim();
  const fatal = lines.find((l) => l.startsWith('fatal error:') || l.startsWith('panic:'));
  if (fatal !== undefined) return `etcdctl crashed reading it (${fatal})`;
  return lines.filter((l) => l !== '' && !l.startsWith('{')).at(-1) ?? 'no output';
}

function etcdctl(args: readonly string[], timeoutMs: number): Promise<string> {
  const binary = findEtcdctl();
  const command = formatCommand('etcdctl', args);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { env: etcdctlEnvironment(), encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        const exitCode = typeof error.code === 'number' ? error.code : null;
        const reason = error.killed ? `no answer within ${timeoutMs / 1000} s` : etcdctlReason(stderr);
        reject(new CommandError(command, exitCode, reason, error));
      },
    );
  });
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseStatus(stdout: string, file: string): EtcdSnapshotStatus {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new EtcdSnapshotError(`etcdctl snapshot status ${file}: unexpected output ${stdout.trim()}`);
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const { hash, revision, totalKey, totalSize } = record;
  if (!isNumber(hash) || !isNumber(revision) || !isNumber(totalKey) || !isNumber(totalSize)) {
    throw new EtcdSnapshotError(`etcdctl snapshot status ${file}: unexpected output ${stdout.trim()}`);
  }
  return { hash, revision, totalKeys: totalKey, totalSize };
}

function messageOf(error: unknown): string {
  if (error instanceof CommandError) return error.stderr;
  return error instanceof Error ? error.message : String(error);
}

/** One pass over the file: the SHA-256 of its first `contentSize` bytes and of all of it. */
async function digestsOf(file: string, contentSize: number): Promise<{ contents: Buffer; whole: Buffer }> {
  const contents = createHash('sha256');
  const whole = createHash('sha256');
  let offset = 0;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    whole.update(bytes);
    if (offset < contentSize) contents.update(bytes.subarray(0, Math.max(0, contentSize - offset)));
    offset += bytes.length;
  }
  return { contents: contents.digest(), whole: whole.digest() };
}

const sha256Size = 32;
const boltPageSize = 512;

/**
 * Checks a snapshot the way `etcdctl snapshot restore` will, before anything is touched: the file
 * is bolt pages followed by the SHA-256 of those pages (which `snapshot save` appends), and
 * `snapshot status` can read the database. The trailer check comes first because etcdctl 3.4
 * crashes (SIGBUS) on a truncated file instead of saying so.
 */
export async function verifyEtcdSnapshot(
  file: string,
  options: { timeoutMs?: number } = {},
): Promise<EtcdSnapshotStatus & { size: number; sha256: string }> {
  const absolute = path.resolve(file);
  const info = await stat(absolute).catch((error: unknown) => {
    throw new EtcdSnapshotError(`etcd snapshot ${absolute} cannot be read: ${messageOf(error)}`);
  });
  if (!info.isFile()) throw new EtcdSnapshotError(`etcd snapshot ${absolute} is not a file`);
  const size = info.size;
  if (size < boltPageSize + sha256Size || size % boltPageSize !== sha256Size) {
    throw new EtcdSnapshotError(
      `etcd snapshot ${absolute} is truncated or not made by etcdctl snapshot save: its ${size} bytes are not ` +
        `whole ${boltPageSize}-byte database pages followed by the 32-byte SHA-256 that snapshot save appends`,
    );
  }
  const handle = await open(absolute, 'r');
  const trailer = Buffer.alloc(sha256Size);
  try {
    await handle.read(trailer, 0, sha256Size, size - sha256Size);
  } finally {
    await handle.close();
  }
  const digests = await digestsOf(absolute, size - sha256Size);
  if (!digests.contents.equals(trailer)) {
    throw new EtcdSnapshotError(
      `etcd snapshot ${absolute} is corrupt: the SHA-256 of its contents does not match the one etcdctl recorded when saving it`,
    );
  }
  let stdout: string;
  try {
    stdout = await etcdctl(['snapshot', 'status', absolute, '-w', 'json'], options.timeoutMs ?? 60_000);
  } catch (error) {
    throw new EtcdSnapshotError(`etcd snapshot ${absolute} is unreadable: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return { ...parseStatus(stdout, absolute), size, sha256: digests.whole.toString('hex') };
}

let cachedLcmVersion: string | undefined;

async function lcmVersion(): Promise<string> {
  if (cachedLcmVersion !== undefined) return cachedLcmVersion;
  try {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cachedLcmVersion = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    cachedLcmVersion = 'unknown';
  }
  return cachedLcmVersion;
}

/** OpenShift's cluster-backup.sh names them `snapshot_%F_%H%M%S.db`; lcm does the same, in UTC. */
function snapshotBaseName(at: Date): string {
  const iso = at.toISOString(); // 2026-01-01T12:34:56.789Z
  return `snapshot_${iso.slice(0, 10)}_${iso.slice(11, 19).replaceAll(':', '')}`;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function freeBaseName(backupDir: string, at: Date): Promise<string> {
  const base = snapshotBaseName(at);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}_${n}`;
    const taken = await Promise.all(
      [`${candidate}.db`, `${candidate}.json`, `${candidate}.db.partial`].map((f) =>
        exists(path.join(backupDir, f)),
      ),
    );
    if (!taken.includes(true)) return candidate;
  }
}

async function endpointVersion(endpoint: string): Promise<string | undefined> {
  const stdout = await etcdctl(
    [
      '--endpoints',
      endpoint,
      '--dial-timeout=2s',
      '--command-timeout=5s',
      'endpoint',
      'status',
      '-w',
      'json',
    ],
    15_000,
  );
  const parsed = JSON.parse(stdout) as { Status?: { version?: unknown } }[];
  const version = parsed[0]?.Status?.version;
  return typeof version === 'string' ? version : undefined;
}

export interface TakeEtcdSnapshotOptions {
  /** etcd client URLs; the first one that answers serves the snapshot (etcdctl takes one member's). */
  readonly endpoints: readonly string[];
  readonly backupDir: string;
  readonly clock?: Pick<Clock, 'now'>;
  /** Upper bound for `snapshot save`, which otherwise waits forever on a member that stops answering. */
  readonly timeoutMs?: number;
}

export async function takeEtcdSnapshot(options: TakeEtcdSnapshotOptions): Promise<EtcdSnapshot> {
  const endpoints = options.endpoints.map((e) => e.trim()).filter((e) => e !== '');
  if (endpoints.length === 0)
    throw new EtcdSnapshotError('endpoints: at least one etcd client URL is required');
  const backupDir = path.resolve(options.backupDir);
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  const takenAt = (options.clock ?? { now: () => new Date() }).now();
  const base = await freeBaseName(backupDir, takenAt);
  const finalPath = path.join(backupDir, `${base}.db`);
  const partial = `${finalPath}.partial`;

  const failures: string[] = [];
  for (const endpoint of endpoints) {
    try {
      const etcdVersion = await endpointVersion(endpoint);
      await etcdctl(['--endpoints', endpoint, 'snapshot', 'save', partial], options.timeoutMs ?? 300_000);
      const status = await verifyEtcdSnapshot(partial);
      const metadata: EtcdSnapshotMetadata = {
        takenAt: takenAt.toISOString(),
        endpoints,
        endpoint,
        ...(etcdVersion === undefined ? {} : { etcdVersion }),
        revision: status.revision,
        totalKeys: status.totalKeys,
        totalSize: status.totalSize,
        hash: status.hash,
        size: status.size,
        sha256: status.sha256,
        lcmVersion: await lcmVersion(),
      };
      const metadataPath = path.join(backupDir, `${base}.json`);
      await writeFile(`${metadataPath}.partial`, `${JSON.stringify(metadata, null, 2)}\n`);
      await rename(`${metadataPath}.partial`, metadataPath);
      // The rename of the snapshot itself is the commit point: before it, list ignores the metadata.
      await rename(partial, finalPath);
      return { path: finalPath, takenAt: metadata.takenAt, ...pickStatus(status), size: status.size };
    } catch (error) {
      failures.push(`${endpoint}: ${messageOf(error)}`);
      // etcdctl downloads into `<target>.part` before renaming it to the target.
      await rm(`${partial}.part`, { force: true });
      await rm(partial, { force: true });
      await rm(path.join(backupDir, `${base}.json.partial`), { force: true });
      await rm(path.join(backupDir, `${base}.json`), { force: true });
    }
  }
  throw new EtcdSnapshotError(`etcd snapshot failed on every endpoint — ${failures.join('; ')}`);
}

function pickStatus(status: EtcdSnapshotStatus): EtcdSnapshotStatus {
  return {
    revision: status.revision,
    totalKeys: status.totalKeys,
    totalSize: status.totalSize,
    hash: status.hash,
  };
}

function parseMetadata(text: string): EtcdSnapshotMetadata | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `not JSON (${messageOf(error)})`;
  }
  if (typeof parsed !== 'object' || parsed === null) return 'not a JSON object';
  const record = parsed as Record<string, unknown>;
  if (typeof record.takenAt !== 'string' || Number.isNaN(Date.parse(record.takenAt)))
    return 'takenAt: must be an ISO 8601 time';
  for (const field of ['revision', 'totalKeys', 'totalSize', 'hash', 'size'] as const) {
    if (!isNumber(record[field])) return `${field}: must be a number`;
  }
  return parsed as EtcdSnapshotMetadata;
}

export interface ListOptions {
  /** Told about every file that is skipped and why; default: a line on stderr. */
  readonly warn?: (message: string) => void;
}

const warnOnStderr = (message: string): void => void process.stderr.write(`warning: ${message}\n`);

/** Complete snapshots in `backupDir`, newest first; partial or unaccounted-for files are skipped. */
export async function listEtcdSnapshots(
  backupDir: string,
  options: ListOptions = {},
): Promise<(EtcdSnapshot & { readonly metadata: EtcdSnapshotMetadata })[]> {
  const warn = options.warn ?? warnOnStderr;
  const dir = path.resolve(backupDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new EtcdSnapshotError(`etcd backup directory ${dir} cannot be read: ${messageOf(error)}`);
  }
  const snapshots: (EtcdSnapshot & { metadata: EtcdSnapshotMetadata })[] = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    if (name.endsWith('.partial') || name.endsWith('.part')) {
      warn(`${file} is left over from an interrupted backup; it is not a usable snapshot and can be removed`);
      continue;
    }
    if (!snapshotPattern.test(name)) continue;
    const metadataFile = file.replace(/\.db$/, '.json');
    let text: string;
    try {
      text = await readFile(metadataFile, 'utf8');
    } catch {
      warn(`${file} has no readable metadata ${metadataFile}; skipped`);
      continue;
    }
    const metadata = parseMetadata(text);
    if (typeof metadata === 'string') {
      warn(`${file}: metadata ${metadataFile} is invalid (${metadata}); skipped`);
      continue;
    }
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== metadata.size) {
      warn(`${file} is ${size} bytes but its metadata records ${metadata.size}; skipped`);
      continue;
    }
    snapshots.push({
      path: file,
      takenAt: metadata.takenAt,
      revision: metadata.revision,
      totalKeys: metadata.totalKeys,
      totalSize: metadata.totalSize,
      hash: metadata.hash,
      size: metadata.size,
      metadata,
    });
  }
  return snapshots.sort(
    (a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt) || b.path.localeCompare(a.path),
  );
}

export async function lastEtcdSnapshot(
  backupDir: string,
  options: ListOptions = {},
): Promise<EtcdSnapshot | undefined> {
  return (await listEtcdSnapshots(backupDir, options))[0];
}

/** The newest backup for the readiness report ("was etcd backed up before this update?"). */
export function etcdBackupSource(
  backupDir: string,
): () => Promise<{ takenAt: string; path: string } | undefined> {
  return async () => {
    const last = await lastEtcdSnapshot(backupDir, { warn: () => undefined });
    return last === undefined ? undefined : { takenAt: last.takenAt, path: last.path };
  };
}

/** The lab's etcd names its only member `lcm` (src/lab/etcd-server.ts). */
export const defaultMemberName = 'lcm';
export const defaultPeerUrl = 'http://127.0.0.1:2380';

export interface RestoreEtcdSnapshotOptions {
  readonly snapshot: string;
  /** Must not exist or be empty: a restore never overwrites a data dir. */
  readonly dataDir: string;
  /** Member name; the etcd started on the restored dir must use the same `--name`. Default `lcm`. */
  readonly name?: string;
  /** Default `<name>=<peerUrls>`. */
  readonly initialCluster?: string;
  /** The member's advertised peer URL(s), comma-separated. Default http://127.0.0.1:2380. */
  readonly peerUrls?: string;
}

export interface RestoredEtcd extends EtcdSnapshotStatus {
  readonly snapshot: string;
  readonly dataDir: string;
  readonly name: string;
  readonly initialCluster: string;
  readonly peerUrls: string;
}

async function entriesOf(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new EtcdSnapshotError(`data dir ${dir} exists and is not a directory`);
    throw new EtcdSnapshotError(`data dir ${dir} cannot be read: ${messageOf(error)}`);
  }
}

/**
 * Restores a snapshot into a new etcd data dir (a new single-member cluster with the snapshot's
 * keys and revision). Swapping it in for a running member's data dir is the caller's step.
 */
export async function restoreEtcdSnapshot(options: RestoreEtcdSnapshotOptions): Promise<RestoredEtcd> {
  const snapshot = path.resolve(options.snapshot);
  const dataDir = path.resolve(options.dataDir);
  const name = options.name ?? defaultMemberName;
  const peerUrls = options.peerUrls ?? defaultPeerUrl;
  const initialCluster =
    options.initialCluster ??
    peerUrls
      .split(',')
      .map((url) => `${name}=${url.trim()}`)
      .join(',');

  const entries = await entriesOf(dataDir);
  if (entries !== undefined && entries.length > 0) {
    throw new EtcdSnapshotError(
      `refusing to restore into ${dataDir}: it is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ` +
        `e.g. ${entries.sort()[0] ?? ''}). Restore into a new directory and swap it in once etcd is stopped`,
    );
  }
  const status = await verifyEtcdSnapshot(snapshot);
  // etcdctl restore insists on creating the data dir itself.
  if (entries !== undefined) await rmdir(dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  try {
    await etcdctl(
      [
        'snapshot',
        'restore',
        snapshot,
        '--data-dir',
        dataDir,
        '--name',
        name,
        '--initial-cluster',
        initialCluster,
        '--initial-advertise-peer-urls',
        peerUrls,
      ],
      300_000,
    );
  } catch (error) {
    // The dir was absent or empty before: whatever is in it now is a half-done restore.
    await rm(dataDir, { recursive: true, force: true });
    if (entries !== undefined) await mkdir(dataDir);
    throw new EtcdSnapshotError(
      `etcdctl snapshot restore ${snapshot} into ${dataDir} failed: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return { snapshot, dataDir, name, initialCluster, peerUrls, ...pickStatus(status) };
}
