/**
 * Copies images between an OCI layout directory and a registry: pushLayout uploads what the
 * layout's index names (blobs the registry already has are skipped), pullToLayout downloads one
 * image (one platform of a multi-platform index) with every blob digest-checked.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RegistryClient, type PulledManifest } from './client.ts';
import {
  addToIndex,
  blobPath,
  findInIndex,
  hasBlob,
  initLayout,
  readBlob,
  writeBlobBytes,
} from './layout.ts';
import {
  hostPlatform,
  parseManifestDocument,
  type Descriptor,
  type ImageManifest,
  type Platform,
} from './media-types.ts';
import {
  formatImageReference,
  parseImageReference,
  type ImageReference,
  type RepositoryRef,
} from './reference.ts';

export interface PushLayoutOptions {
  readonly client?: RegistryClient;
  /** Which index.json entry to push; default the reference's tag (or the only entry). */
  readonly refName?: string;
}

export interface PushedImage {
  readonly reference: string;
  readonly digest: string;
  readonly mediaType: string;
}

async function pushTree(
  client: RegistryClient,
  layoutDir: string,
  repo: RepositoryRef,
  descriptor: Descriptor,
): Promise<Buffer> {
  const bytes = await readBlob(layoutDir, descriptor.digest);
  const parsed = parseManifestDocument(
    bytes,
    descriptor.mediaType,
    `push ${descriptor.digest} from ${layoutDir}`,
  );
  if ('index' in parsed) {
    for (const child of parsed.index.manifests) {
      const childBytes = await pushTree(client, layoutDir, repo, child);
      await client.pushManifest({ ...repo, digest: child.digest }, childBytes, child.mediaType);
    }
    return bytes;
  }
  for (const blob of [parsed.manifest.config, ...parsed.manifest.layers]) {
    await client.pushBlob(repo, blobPath(layoutDir, blob.digest), { digest: blob.digest });
  }
  return bytes;
}

/** Pushes the image a layout names to `ref` (e.g. `127.0.0.1:5000/ibu/seed:4.16.1`). */
export async function pushLayout(
  layoutDir: string,
  ref: string | ImageReference,
  options: PushLayoutOptions = {},
): Promise<PushedImage> {
  const target = typeof ref === 'string' ? parseImageReference(ref) : ref;
  const client = options.client ?? new RegistryClient();
  const descriptor = await findInIndex(layoutDir, options.refName ?? target.tag);
  const bytes = await pushTree(client, layoutDir, target, descriptor);
  const digest = await client.pushManifest(target, bytes, descriptor.mediaType);
  return { reference: formatImageReference(target), digest, mediaType: descriptor.mediaType };
}

export interface PullToLayoutOptions {
  readonly client?: RegistryClient;
  /** Which image of a multi-platform index; default this machine's. */
  readonly platform?: Platform;
  /** The index.json name for the pulled image; default the reference's tag. */
  readonly refName?: string;
}

export interface PulledImage {
  readonly layoutDir: string;
  readonly reference: string;
  /** The digest of the image manifest stored (for an index: of the chosen platform's manifest). */
  readonly digest: string;
  readonly mediaType: string;
  readonly manifest: ImageManifest;
}

function choosePlatform(manifests: readonly Descriptor[], wanted: Platform, what: string): Descriptor {
  const match = manifests.find(
    (m) =>
      m.platform?.os === wanted.os &&
      m.platform.architecture === wanted.architecture &&
      (wanted.variant === undefined || m.platform.variant === wanted.variant),
  );
  if (match) return match;
  const offered = manifests.map((m) =>
    m.platform ? `${m.platform.os}/${m.platform.architecture}` : m.digest,
  );
  throw new Error(
    `${what}: no image for ${wanted.os}/${wanted.architecture} (the index has ${offered.join(', ') || 'none'})`,
  );
}

/** Pulls one image from `ref` into an OCI layout directory (created if needed). */
export async function pullToLayout(
  ref: string | ImageReference,
  layoutDir: string,
  options: PullToLayoutOptions = {},
): Promise<PulledImage> {
  const source = typeof ref === 'string' ? parseImageReference(ref) : ref;
  const client = options.client ?? new RegistryClient();
  await initLayout(layoutDir);
  let pulled: PulledManifest = await client.getManifest(source);
  if (pulled.kind === 'index') {
    const chosen = choosePlatform(
      pulled.index.manifests,
      options.platform ?? hostPlatform(),
      `pull ${formatImageReference(source)}`,
    );
    pulled = await client.getManifest({
      registry: source.registry,
      repository: source.repository,
      digest: chosen.digest,
    });
    if (pulled.kind === 'index') {
      throw new Error(`pull ${formatImageReference(source)}: nested indexes are not supported`);
    }
  }
  const { manifest } = pulled;
  for (const blob of [manifest.config, ...manifest.layers]) {
    if (await hasBlob(layoutDir, blob.digest, blob.size)) continue;
    const target = blobPath(layoutDir, blob.digest);
    await mkdir(dirname(target), { recursive: true });
    await client.pullBlob(source, blob.digest, target, blob.size);
  }
  await writeBlobBytes(layoutDir, pulled.bytes);
  const refName = options.refName ?? source.tag;
  await addToIndex(
    layoutDir,
    { mediaType: pulled.mediaType, digest: pulled.digest, size: pulled.bytes.length },
    refName,
  );
  return {
    layoutDir,
    reference: formatImageReference(source),
    digest: pulled.digest,
    mediaType: pulled.mediaType,
    manifest,
  };
}
