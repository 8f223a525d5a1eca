/**
 * Image layers as tar streams made and unpacked by the system's GNU tar (it knows ownership,
 * modes, links and long names; node has no tar), gzipped and hashed by node while they stream.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DigestingStream } from './digest.ts';
import { commitBlob, temporaryBlobPath } from './layout.ts';

export interface LayerBlob {
  /** Digest of the blob as stored (compressed). */
  readonly digest: string;
  readonly size: number;
  /** Digest of the uncompressed tar: the image config's `rootfs.diff_ids` entry. */
  readonly diffId: string;
}

function collectStderr(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    if (text.length < 8192) text += chunk;
  });
  return () => text.trim().split('\n').slice(-5).join('\n');
}

function waitForTar(child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`${what}: could not run tar (${error.message})`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${what}: tar failed (${code !== null ? `exit ${code}` : `signal ${signal}`}): ${stderr()}`,
          ),
        );
    });
  });
}

/**
 * Tars `source` (a directory's contents, or one file under its own name) into a layer blob of the
 * layout. Entries are sorted and owners numeric so the same tree gives the same diff ID.
 */
export async function createLayerBlob(
  layoutDir: string,
  source: string,
  options: { gzip?: boolean; gzipLevel?: number } = {},
): Promise<LayerBlob> {
  const info = await stat(source);
  let cwd: string;
  let names: string[];
  if (info.isDirectory()) {
    cwd = source;
    names = (await readdir(source)).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
  } else {
    cwd = dirname(source);
    names = [basename(source)];
  }
  const what = `tar ${source}`;
  const child = spawn(
    'tar',
    [
      '--create',
      '--file=-',
      '--format=gnu',
      '--sort=name',
      '--numeric-owner',
      '-C',
      cwd,
      '--null',
      '--verbatim-files-from',
      '--files-from=-',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stderr = collectStderr(child.stderr);
  const exited = waitForTar(child, what, stderr);
  child.stdin.end(names.map((name) => `${name}\0`).join(''));

  const temp = temporaryBlobPath(layoutDir);
  const uncompressed = new DigestingStream();
  const stored = new DigestingStream();
  const gzip = options.gzip ?? true;
  try {
    await Promise.all([
      gzip
        ? pipeline(
            child.stdout,
            uncompressed,
            createGzip({ level: options.gzipLevel ?? 6 }),
            stored,
            createWriteStream(temp),
          )
        : pipeline(child.stdout, uncompressed, stored, createWriteStream(temp)),
      exited,
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(temp, { force: true });
    throw error;
  }
  const blob = stored.result();
  await commitBlob(layoutDir, temp, blob.digest);
  return { digest: blob.digest, size: blob.size, diffId: uncompressed.result().digest };
}

async function compressionOf(blobPath: string): Promise<'gzip' | 'zstd' | 'none'> {
  const handle = await open(blobPath, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    await handle.close();
  }
}

/**
 * Unpacks a layer blob (gzip, zstd or plain tar, told apart by their magic bytes) into `toDir`.
 * OCI whiteout files are not interpreted: seed layers are whole trees, not overlay diffs.
 */
export async function extractLayer(blobPath: string, toDir: string): Promise<void> {
  await mkdir(toDir, { recursive: true });
  const compression = await compressionOf(blobPath);
  const flags = compression === 'gzip' ? ['--gzip'] : compression === 'zstd' ? ['--zstd'] : [];
  const child = spawn('tar', ['--extract', ...flags, `--file=${blobPath}`, '-C', toDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForTar(child, `extract ${blobPath} into ${toDir}`, collectStderr(child.stderr));
}
