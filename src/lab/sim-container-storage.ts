/**
 * A simulated host's /var/lib/containers: one OCI layout directory (`storage/`) whose blobs are
 * shared between images, as container storage shares layers, and whose index.json names each image
 * by the reference it was pulled as. The disk is the host's: `capacityBytes` is a quota on the blob
 * bytes, and a pull that would exceed it fails before writing anything, as a full disk would.
 */
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import type { Clock } from '../runtime/clock.ts';
import { realClock } from '../runtime/clock.ts';
import type { ContainerStorage, ImageSource, StoredImage, StorageUsage } from '../host/host.ts';
import { NoSpaceError } from '../host/host.ts';
import { buildImage } from '../host/oci/build.ts';
import { RegistryClient } from '../host/oci/client.ts';
import { sha256Digest } from '../host/oci/digest.ts';
import { blobPath, findInIndex, hasBlob, initLayout, readBlob, readIndex } from '../host/oci/layout.ts';
import {
  hostPlatform,
  isIndexType,
  mediaTypes,
  parseManifestDocument,
  refNameAnnotation,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
} from '../host/oci/media-types.ts';
import { formatImageReference, parseImageReference } from '../host/oci/reference.ts';

const pinnedAnnotation = 'io.lcm.image.pinned';
const lastUsedAnnotation = 'io.lcm.image.last-used';
const sizeAnnotation = 'io.lcm.image.size';

export interface DirectoryContainerStorageOptions {
  /** The host's /var/lib/containers. */
  readonly dir: string;
  readonly capacityBytes: number;
  readonly clock?: Clock;
}

/** An image about to be stored: its manifest and how to fetch each blob it references. */
interface ResolvedImage {
  readonly manifestBytes: Buffer;
  readonly mediaType: string;
  readonly manifest: ImageManifest;
  fetchBlob(blob: Descriptor, target: string): Promise<void>;
}

export class DirectoryContainerStorage implements ContainerStorage {
  /** The OCI layout holding every image. */
  readonly layoutDir: string;
  readonly capacityBytes: number;
  private readonly clock: Clock;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DirectoryContainerStorageOptions) {
    this.layoutDir = join(options.dir, 'storage');
    this.capacityBytes = options.capacityBytes;
    this.clock = options.clock ?? realClock;
  }

  async list(): Promise<StoredImage[]> {
    await initLayout(this.layoutDir);
    const { manifests } = await readIndex(this.layoutDir);
    return manifests.flatMap((entry) => {
      const image = storedImage(entry);
      return image === undefined ? [] : [image];
    });
  }

  usage(): Promise<StorageUsage> {
    return this.exclusive(async () => ({
      usedBytes: await this.usedBytes(),
      capacityBytes: this.capacityBytes,
    }));
  }

  pull(ref: string, source: ImageSource): Promise<StoredImage> {
    const name = canonicalRef(ref);
    return this.exclusive(async () => {
      await initLayout(this.layoutDir);
      if ('bytes' in source) return this.pullBytes(name, source.bytes);
      const resolved =
        'layoutDir' in source
          ? await resolveFromLayout(source.layoutDir, source.refName)
          : await resolveFromRegistry(name, source.registry);
      return this.store(name, resolved);
    });
  }

  remove(ref: string): Promise<boolean> {
    const name = canonicalRef(ref);
    return this.exclusive(async () => {
      await initLayout(this.layoutDir);
      const index = await readIndex(this.layoutDir);
      const kept = index.manifests.filter((m) => m.annotations?.[refNameAnnotation] !== name);
      if (kept.length === index.manifests.length) return false;
      await writeIndex(this.layoutDir, { ...index, manifests: kept });
      await this.collectGarbage(kept);
      return true;
    });
  }

  pin(ref: string): Promise<void> {
    return this.setPinned(ref, true);
  }

  unpin(ref: string): Promise<void> {
    return this.setPinned(ref, false);
  }

  private setPinned(ref: string, pinned: boolean): Promise<void> {
    const name = canonicalRef(ref);
    return this.exclusive(async () => {
      await initLayout(this.layoutDir);
      const index = await readIndex(this.layoutDir);
      if (!index.manifests.some((m) => m.annotations?.[refNameAnnotation] === name))
        throw new Error(`${pinned ? 'pin' : 'unpin'} ${name}: no such image in container storage`);
      const manifests = index.manifests.map((m) =>
        m.annotations?.[refNameAnnotation] === name
          ? { ...m, annotations: { ...m.annotations, [pinnedAnnotation]: String(pinned) } }
          : m,
      );
      await writeIndex(this.layoutDir, { ...index, manifests });
    });
  }

  private async pullBytes(name: string, bytes: Buffer | string): Promise<StoredImage> {
    const work = await mkdtemp(join(tmpdir(), 'lcm-image-bytes-'));
    try {
      await writeFile(join(work, 'content'), bytes);
      // Same bytes, same image: the layer must not carry the time the file happened to be written.
      await utimes(join(work, 'content'), 0, 0);
      await utimes(work, 0, 0);
      const layoutDir = join(work, 'layout');
      // Uncompressed, so the stored size follows the content size (what quota tests reason about).
      await buildImage({
        layoutDir,
        layers: [{ path: join(work, 'content'), mediaType: mediaTypes.ociLayer }],
        refName: 'image',
      });
      return await this.store(name, await resolveFromLayout(layoutDir, 'image'));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async store(name: string, image: ResolvedImage): Promise<StoredImage> {
    const manifestDigest = sha256Digest(image.manifestBytes);
    const blobs = [image.manifest.config, ...image.manifest.layers];
    const missing: Descriptor[] = [];
    for (const blob of blobs) {
      if (
        !(await hasBlob(this.layoutDir, blob.digest, blob.size)) &&
        !missing.some((m) => m.digest === blob.digest)
      )
        missing.push(blob);
    }
    const manifestMissing = !(await hasBlob(this.layoutDir, manifestDigest, image.manifestBytes.length));
    const neededBytes =
      missing.reduce((sum, blob) => sum + blob.size, 0) + (manifestMissing ? image.manifestBytes.length : 0);
    const freeBytes = Math.max(0, this.capacityBytes - (await this.usedBytes()));
    if (neededBytes > freeBytes) throw new NoSpaceError(name, neededBytes, freeBytes, this.capacityBytes);

    for (const blob of missing) {
      const target = blobPath(this.layoutDir, blob.digest);
      await mkdir(dirname(target), { recursive: true });
      await image.fetchBlob(blob, target);
    }
    if (manifestMissing) await writeAtomically(blobPath(this.layoutDir, manifestDigest), image.manifestBytes);

    const sizeBytes = image.manifestBytes.length + blobs.reduce((sum, blob) => sum + blob.size, 0);
    const index = await readIndex(this.layoutDir);
    const previous = index.manifests.find((m) => m.annotations?.[refNameAnnotation] === name);
    const entry: Descriptor = {
      mediaType: image.mediaType,
      digest: manifestDigest,
      size: image.manifestBytes.length,
      annotations: {
        [refNameAnnotation]: name,
        [pinnedAnnotation]: previous?.annotations?.[pinnedAnnotation] ?? 'false',
        [lastUsedAnnotation]: this.clock.now().toISOString(),
        [sizeAnnotation]: String(sizeBytes),
      },
    };
    const others = index.manifests.filter((m) => m !== previous);
    await writeIndex(this.layoutDir, { ...index, manifests: [...others, entry] });
    // A re-pull that moved the tag may have orphaned the old image's blobs.
    if (previous !== undefined && previous.digest !== manifestDigest)
      await this.collectGarbage([...others, entry]);
    const stored = storedImage(entry);
    if (stored === undefined) throw new Error(`pull ${name}: stored an unreadable index entry`);
    return stored;
  }

  private async collectGarbage(kept: readonly Descriptor[]): Promise<void> {
    const reachable = new Set<string>();
    for (const entry of kept) {
      reachable.add(entry.digest);
      const bytes = await readBlob(this.layoutDir, entry.digest);
      const parsed = parseManifestDocument(bytes, entry.mediaType, `container storage ${entry.digest}`);
      if ('manifest' in parsed)
        for (const blob of [parsed.manifest.config, ...parsed.manifest.layers]) reachable.add(blob.digest);
    }
    const dir = join(this.layoutDir, 'blobs', 'sha256');
    for (const name of await readdir(dir)) {
      if (!/^[a-f0-9]{64}$/.test(name) || reachable.has(`sha256:${name}`)) continue;
      await rm(join(dir, name), { force: true });
    }
  }

  private async usedBytes(): Promise<number> {
    const dir = join(this.layoutDir, 'blobs', 'sha256');
    let total = 0;
    for (const name of await readdir(dir).catch(() => [])) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info?.isFile()) total += info.size;
    }
    return total;
  }

  /** One operation at a time: a quota check and the writes it allows must not interleave with another pull. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function canonicalRef(ref: string): string {
  return formatImageReference(parseImageReference(ref));
}

function storedImage(entry: Descriptor): StoredImage | undefined {
  const ref = entry.annotations?.[refNameAnnotation];
  if (ref === undefined) return undefined;
  return {
    ref,
    digest: entry.digest,
    sizeBytes: Number(entry.annotations?.[sizeAnnotation] ?? entry.size),
    pinned: entry.annotations?.[pinnedAnnotation] === 'true',
    lastUsed: entry.annotations?.[lastUsedAnnotation] ?? '',
  };
}

async function resolveFromLayout(layoutDir: string, refName?: string): Promise<ResolvedImage> {
  let descriptor = await findInIndex(layoutDir, refName);
  if (isIndexType(descriptor.mediaType)) {
    const bytes = await readBlob(layoutDir, descriptor.digest);
    const parsed = parseManifestDocument(bytes, descriptor.mediaType, `OCI layout ${layoutDir}`);
    if (!('index' in parsed))
      throw new Error(`OCI layout ${layoutDir}: ${descriptor.digest} is not an index`);
    descriptor = choosePlatform(parsed.index, `OCI layout ${layoutDir}`);
  }
  const manifestBytes = await readBlob(layoutDir, descriptor.digest);
  const parsed = parseManifestDocument(manifestBytes, descriptor.mediaType, `OCI layout ${layoutDir}`);
  if (!('manifest' in parsed))
    throw new Error(
      `OCI layout ${layoutDir}: ${descriptor.digest} is a nested index, which is not supported`,
    );
  return {
    manifestBytes,
    mediaType: parsed.mediaType,
    manifest: parsed.manifest,
    fetchBlob: async (blob, target) => {
      const source = blobPath(layoutDir, blob.digest);
      const temp = `${target}.partial`;
      await copyFile(source, temp);
      await rename(temp, target);
    },
  };
}

async function resolveFromRegistry(
  name: string,
  options: { readonly dockerConfig?: string; readonly plainHttp?: boolean | readonly string[] },
): Promise<ResolvedImage> {
  const ref = parseImageReference(name);
  const client = new RegistryClient({
    ...(options.dockerConfig !== undefined ? { dockerConfig: options.dockerConfig } : {}),
    ...(options.plainHttp !== undefined ? { plainHttp: options.plainHttp } : {}),
  });
  let pulled = await client.getManifest(ref);
  if (pulled.kind === 'index') {
    const chosen = choosePlatform(pulled.index, `pull ${name}`);
    pulled = await client.getManifest({
      registry: ref.registry,
      repository: ref.repository,
      digest: chosen.digest,
    });
  }
  if (pulled.kind === 'index') throw new Error(`pull ${name}: nested indexes are not supported`);
  return {
    manifestBytes: pulled.bytes,
    mediaType: pulled.mediaType,
    manifest: pulled.manifest,
    fetchBlob: async (blob, target) => {
      await client.pullBlob(ref, blob.digest, target, blob.size);
    },
  };
}

function choosePlatform(index: ImageIndex, what: string): Descriptor {
  const wanted = hostPlatform();
  const match =
    index.manifests.find(
      (m) => m.platform?.os === wanted.os && m.platform.architecture === wanted.architecture,
    ) ?? (index.manifests.length === 1 ? index.manifests[0] : undefined);
  if (match !== undefined) return match;
  const offered = index.manifests.map((m) =>
    m.platform ? `${m.platform.os}/${m.platform.architecture}` : m.digest,
  );
  throw new Error(
    `${what}: no image for ${wanted.os}/${wanted.architecture} (the index has ${offered.join(', ') || 'none'})`,
  );
}

async function writeIndex(layoutDir: string, index: ImageIndex): Promise<void> {
  await writeAtomically(join(layoutDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

async function writeAtomically(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.partial`;
  await writeFile(temp, content);
  await rename(temp, path);
}
