/**
 * Builds an OCI image into a layout directory from files and directory trees: each source becomes
 * a tar(+gzip) layer, then the config (labels, rootfs diff IDs) and the manifest are written and
 * the manifest is named in index.json. Nothing is buffered beyond small JSON documents.
 */
import {
  hostPlatform,
  mediaTypes,
  type Descriptor,
  type ImageConfig,
  type ImageManifest,
} from './media-types.ts';
import { addToIndex, initLayout, writeBlobBytes } from './layout.ts';
import { createLayerBlob } from './tar.ts';

export interface LayerInput {
  /** A directory (its contents become the layer's root) or a single file. */
  readonly path: string;
  /** Default `application/vnd.oci.image.layer.v1.tar+gzip`; the plain `…tar` type is left uncompressed. */
  readonly mediaType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageConfigInput {
  readonly labels?: Readonly<Record<string, string>>;
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  /** Default: this machine's, in Go's naming (amd64, arm64, …). */
  readonly architecture?: string;
  readonly os?: string;
  /** RFC 3339; left out by default so the same inputs give the same image digest. */
  readonly created?: string;
}

export interface BuildImageOptions {
  readonly layoutDir: string;
  readonly layers: readonly LayerInput[];
  readonly config?: ImageConfigInput;
  /** Manifest annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The name index.json gives the image (`org.opencontainers.image.ref.name`), usually the tag. */
  readonly refName?: string;
  readonly gzipLevel?: number;
}

export interface BuiltImage {
  readonly layoutDir: string;
  readonly manifestDescriptor: Descriptor;
  readonly manifestDigest: string;
  readonly manifest: ImageManifest;
  readonly config: ImageConfig;
  readonly diffIds: readonly string[];
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  await initLayout(options.layoutDir);
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const input of options.layers) {
    const mediaType = input.mediaType ?? mediaTypes.ociLayerGzip;
    const blob = await createLayerBlob(options.layoutDir, input.path, {
      gzip: mediaType !== mediaTypes.ociLayer,
      ...(options.gzipLevel !== undefined ? { gzipLevel: options.gzipLevel } : {}),
    });
    layers.push({
      mediaType,
      digest: blob.digest,
      size: blob.size,
      ...(input.annotations ? { annotations: { ...input.annotations } } : {}),
    });
    diffIds.push(blob.diffId);
  }

  const input = options.config ?? {};
  const runConfig = {
    ...(input.labels ? { Labels: { ...input.labels } } : {}),
    ...(input.env ? { Env: [...input.env] } : {}),
    ...(input.entrypoint ? { Entrypoint: [...input.entrypoint] } : {}),
    ...(input.cmd ? { Cmd: [...input.cmd] } : {}),
    ...(input.workingDir !== undefined ? { WorkingDir: input.workingDir } : {}),
    ...(input.user !== undefined ? { User: input.user } : {}),
  };
  const config: ImageConfig = {
    ...(input.created !== undefined ? { created: input.created } : {}),
    architecture: input.architecture ?? hostPlatform().architecture,
    os: input.os ?? 'linux',
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const configBlob = await writeBlobBytes(options.layoutDir, Buffer.from(JSON.stringify(config)));

  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: { mediaType: mediaTypes.ociConfig, digest: configBlob.digest, size: configBlob.size },
    layers,
    ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
  };
  const manifestBlob = await writeBlobBytes(options.layoutDir, Buffer.from(JSON.stringify(manifest)));
  const manifestDescriptor: Descriptor = {
    mediaType: mediaTypes.ociManifest,
    digest: manifestBlob.digest,
    size: manifestBlob.size,
  };
  await addToIndex(options.layoutDir, manifestDescriptor, options.refName);
  return {
    layoutDir: options.layoutDir,
    manifestDescriptor,
    manifestDigest: manifestBlob.digest,
    manifest,
    config,
    diffIds,
  };
}
