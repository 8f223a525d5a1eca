/**
 * OCI image layout directories (image-spec `image-layout.md`): `oci-layout`, `index.json`, and
 * content-addressed `blobs/<algorithm>/<hex>`. Blobs are written to a temp name and renamed once
 * complete, so a crash never leaves a blob whose name lies about its content.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestingStream, sha256Digest } from './digest.ts';
import { mediaTypes, refNameAnnotation, type Descriptor, type ImageIndex } from './media-types.ts';

const layoutMarker = { imageLayoutVersion: '1.0.0' };

export function blobPath(layoutDir: string, digest: string): string {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (colon <= 0 || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-fA-F0-9]+$/.test(hex)) {
    throw new Error(`invalid digest ${JSON.stringify(digest)}`);
  }
  return join(layoutDir, 'blobs', algorithm, hex);
}

/** Creates the layout's skeleton if missing; an existing layout is left as it is. */
export async function initLayout(layoutDir: string): Promise<void> {
  await mkdir(join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  if (!(await exists(join(layoutDir, 'oci-layout')))) {
    await writeFile(join(layoutDir, 'oci-layout'), JSON.stringify(layoutMarker));
  }
  if (!(await exists(join(layoutDir, 'index.json')))) {
    await writeIndex(layoutDir, { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function hasBlob(layoutDir: string, digest: string, size?: number): Promise<boolean> {
  try {
    const info = await stat(blobPath(layoutDir, digest));
    return size === undefined || info.size === size;
  } catch {
    return false;
  }
}

/** A temp path inside the layout's blob dir, on the same filesystem as the final blob. */
export function temporaryBlobPath(layoutDir: string): string {
  return join(layoutDir, 'blobs', 'sha256', `.tmp-${randomBytes(8).toString('hex')}`);
}

/** Moves a finished temp file into place under its digest. */
export async function commitBlob(layoutDir: string, tempPath: string, digest: string): Promise<string> {
  const target = blobPath(layoutDir, digest);
  await mkdir(join(target, '..'), { recursive: true });
  await rename(tempPath, target);
  return target;
}

export async function writeBlobBytes(
  layoutDir: string,
  bytes: Buffer,
): Promise<{ digest: string; size: number }> {
  const digest = sha256Digest(bytes);
  const temp = temporaryBlobPath(layoutDir);
  await writeFile(temp, bytes);
  await commitBlob(layoutDir, temp, digest);
  return { digest, size: bytes.length };
}

export async function writeBlobStream(
  layoutDir: string,
  source: Readable,
): Promise<{ digest: string; size: number }> {
  const temp = temporaryBlobPath(layoutDir);
  const digesting = new DigestingStream();
  try {
    await pipeline(source, digesting, createWriteStream(temp));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const result = digesting.result();
  await commitBlob(layoutDir, temp, result.digest);
  return result;
}

export async function readBlob(layoutDir: string, digest: string): Promise<Buffer> {
  return readFile(blobPath(layoutDir, digest));
}

export async function readIndex(layoutDir: string): Promise<ImageIndex> {
  const path = join(layoutDir, 'index.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `${path} is not a readable OCI layout index (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('manifests' in parsed) ||
    !Array.isArray(parsed.manifests)
  ) {
    throw new Error(`${path} has no "manifests" list`);
  }
  return parsed as ImageIndex;
}

async function writeIndex(layoutDir: string, index: ImageIndex): Promise<void> {
  const path = join(layoutDir, 'index.json');
  const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  await writeFile(temp, `${JSON.stringify(index, null, 2)}\n`);
  await rename(temp, path);
}

/** Records a manifest in index.json under `refName`, replacing any entry that had that name. */
export async function addToIndex(layoutDir: string, descriptor: Descriptor, refName?: string): Promise<void> {
  const index = await readIndex(layoutDir);
  const entry: Descriptor =
    refName === undefined
      ? descriptor
      : { ...descriptor, annotations: { ...descriptor.annotations, [refNameAnnotation]: refName } };
  const kept = index.manifests.filter((m) =>
    refName === undefined ? m.digest !== descriptor.digest : m.annotations?.[refNameAnnotation] !== refName,
  );
  await writeIndex(layoutDir, { ...index, manifests: [...kept, entry] });
}

/** The index entry named `refName`, else the layout's only entry. */
export async function findInIndex(layoutDir: string, refName?: string): Promise<Descriptor> {
  const { manifests } = await readIndex(layoutDir);
  if (refName !== undefined) {
    const named = manifests.find((m) => m.annotations?.[refNameAnnotation] === refName);
    if (named) return named;
    const [only, ...others] = manifests;
    if (only && others.length === 0) return only;
    const names = manifests.map((m) => m.annotations?.[refNameAnnotation] ?? m.digest).join(', ');
    throw new Error(
      `OCI layout ${layoutDir} has no image named ${JSON.stringify(refName)} (it has: ${names || 'none'})`,
    );
  }
  const [only, ...others] = manifests;
  if (!only) throw new Error(`OCI layout ${layoutDir} holds no image`);
  if (others.length > 0) {
    throw new Error(`OCI layout ${layoutDir} holds ${manifests.length} images: name the one to use`);
  }
  return only;
}
