/** OCI image-spec and Docker v2 media types, and the JSON documents they name. */

export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** What a pull asks for, most preferred first; schema 1 manifests are deliberately not offered. */
export const acceptedManifestTypes: readonly string[] = [
  mediaTypes.ociManifest,
  mediaTypes.ociIndex,
  mediaTypes.dockerManifest,
  mediaTypes.dockerManifestList,
];

export const refNameAnnotation = 'org.opencontainers.image.ref.name';
export const titleAnnotation = 'org.opencontainers.image.title';

export interface Platform {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
}

const goArchitectures: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

/** This machine's platform in the names images use (Go's GOOS/GOARCH). */
export function hostPlatform(): Platform {
  return { os: 'linux', architecture: goArchitectures[process.arch] ?? process.arch };
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Platform;
  readonly urls?: readonly string[];
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly manifests: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageConfig {
  readonly created?: string;
  readonly architecture: string;
  readonly os: string;
  readonly config?: {
    readonly Labels?: Readonly<Record<string, string>>;
    readonly Env?: readonly string[];
    readonly Entrypoint?: readonly string[];
    readonly Cmd?: readonly string[];
    readonly WorkingDir?: string;
    readonly User?: string;
  };
  readonly rootfs: { readonly type: 'layers'; readonly diff_ids: readonly string[] };
  readonly history?: readonly {
    readonly created?: string;
    readonly created_by?: string;
    readonly comment?: string;
  }[];
}

export function isIndexType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociIndex || mediaType === mediaTypes.dockerManifestList;
}

export function isManifestType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociManifest || mediaType === mediaTypes.dockerManifest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDescriptor(value: unknown): value is Descriptor {
  return (
    isRecord(value) &&
    typeof value.mediaType === 'string' &&
    typeof value.digest === 'string' &&
    typeof value.size === 'number'
  );
}

/**
 * Reads a manifest or index document, taking its media type from the document when it names one
 * (registries' Content-Type is only a hint) and checking the fields later steps rely on.
 */
export function parseManifestDocument(
  bytes: Buffer,
  contentType: string | undefined,
  what: string,
): { mediaType: string; manifest: ImageManifest } | { mediaType: string; index: ImageIndex } {
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(
      `${what}: the manifest is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isRecord(document)) throw new Error(`${what}: the manifest is not a JSON object`);
  if (document.schemaVersion !== 2) {
    throw new Error(
      `${what}: schemaVersion ${JSON.stringify(document.schemaVersion)} manifests are not supported (only 2)`,
    );
  }
  const declared = typeof document.mediaType === 'string' ? document.mediaType : undefined;
  const header = contentType?.split(';')[0]?.trim();
  const mediaType =
    declared ??
    (header && (isManifestType(header) || isIndexType(header))
      ? header
      : Array.isArray(document.manifests)
        ? mediaTypes.ociIndex
        : mediaTypes.ociManifest);
  if (isIndexType(mediaType)) {
    if (!Array.isArray(document.manifests) || !document.manifests.every(isDescriptor)) {
      throw new Error(`${what}: the index's manifests are not a list of descriptors`);
    }
    return { mediaType, index: document as unknown as ImageIndex };
  }
  if (!isManifestType(mediaType)) throw new Error(`${what}: unsupported manifest media type ${mediaType}`);
  if (
    !isDescriptor(document.config) ||
    !Array.isArray(document.layers) ||
    !document.layers.every(isDescriptor)
  ) {
    throw new Error(`${what}: the manifest's config or layers are not descriptors`);
  }
  return { mediaType, manifest: document as unknown as ImageManifest };
}
