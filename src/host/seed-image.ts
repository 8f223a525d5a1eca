/**
 * The seed image format, in one place: what a seed cluster's SeedGenerator builds (IBU-1) and what a
 * target's Prep reads (IBU-5, IBU-11…13). An OCI image whose layers each carry one file:
 *
 *   os             ostree.tar          the booted deployment's commit, as Ostree.exportCommit writes it
 *   cluster-state  cluster-state.json  the seed stateroot's whole key space (the admin API's dump)
 *   seed-record    seed-record.json    SeedRecord: who the seed is and the facts IBU-13 compares
 *   images         images.json         the container images the seed cluster uses
 *
 * Each layer says its role in the annotation `io.lcm.seed.role`; the image carries upstream
 * lifecycle-agent's labels (`com.openshift.lifecycle-agent.seed_format_version` and
 * `…seed_cluster_info`, the JSON of upstream's SeedClusterInfo) so `skopeo inspect` tells what it is.
 *
 * Secrets: the record holds none (a proxy is only "present", never its URLs). The cluster state
 * legitimately holds the seed's certificates and keys — the recert step replaces them on every
 * target — but what only served seed generation is dropped from it: the `seedgen` Secret (the
 * registry credentials), the SeedGenerator and ImageBasedUpgrade objects, and the cluster pull
 * secret's contents (upstream empties it before imaging, too).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

import type { HostFacts, HostOperations, IpStack, Partition } from './host.ts';
import { buildImage, type BuiltImage, type LayerInput } from './oci/build.ts';
import { blobPath, findInIndex, readBlob } from './oci/layout.ts';
import {
  parseManifestDocument,
  titleAnnotation,
  type Descriptor,
  type ImageConfig,
  type ImageManifest,
} from './oci/media-types.ts';
import { parseImageReference } from './oci/reference.ts';
import { extractLayer } from './oci/tar.ts';
import type { ClusterStateDump, ClusterStateItem } from './cluster-state.ts';

/**
 * lcm's seed format. Upstream lifecycle-agent is at 4 with other layers (var.tgz, etc.tgz…), so the
 * numbers differ on purpose: each side refuses the other's seeds instead of misreading them.
 */
export const seedFormatVersion = 1;

export const seedLabels = {
  formatVersion: 'com.openshift.lifecycle-agent.seed_format_version',
  clusterInfo: 'com.openshift.lifecycle-agent.seed_cluster_info',
} as const;

export const seedRoleAnnotation = 'io.lcm.seed.role';

export const seedLayerRoles = ['os', 'cluster-state', 'seed-record', 'images'] as const;
export type SeedLayerRole = (typeof seedLayerRoles)[number];

/** The one file each layer holds. */
export const seedLayerFiles: Readonly<Record<SeedLayerRole, string>> = {
  os: 'ostree.tar',
  'cluster-state': 'cluster-state.json',
  'seed-record': 'seed-record.json',
  images: 'images.json',
};

export type { ClusterStateDump, ClusterStateItem };

export interface SeedClusterInfo {
  /** The OpenShift release the seed cluster runs. */
  readonly releaseVersion: string;
  /** The registry of the seed's release image (`quay.io`), or null when ClusterVersion names none. */
  readonly releaseRegistry: string | null;
  readonly clusterName: string | null;
  readonly baseDomain: string | null;
  readonly hostname: string;
  readonly nodeIp: string | null;
  readonly clusterId: string | null;
}

/** The host facts a target must agree with (IBU-13), without anything secret. */
export interface SeedFacts {
  readonly cpuCores: number;
  readonly reservedCpus: string | null;
  readonly fips: boolean;
  readonly ipStack: IpStack;
  /** IBU-13: a target with a proxy needs a seed with one; the settings themselves may differ. */
  readonly hasProxy: boolean;
  readonly mirrorRegistry: string | null;
  readonly partitions: readonly Partition[];
  readonly operators: readonly { readonly name: string; readonly version: string }[];
  readonly machineConfigs: readonly string[];
}

export interface SeedOs {
  /** The commit checksum of the booted deployment, kept by export and import. */
  readonly commit: string;
  readonly contentChecksum?: string;
  /** The commit's `version` metadata. */
  readonly version?: string;
  /** The stateroot the seed ran from. */
  readonly stateroot: string;
}

export interface SeedRecord {
  readonly formatVersion: number;
  /** RFC 3339. */
  readonly createdAt: string;
  readonly seedCluster: SeedClusterInfo;
  readonly facts: SeedFacts;
  /** The references of the container images the seed cluster uses (images.json has digests). */
  readonly containerImages: readonly string[];
  /** IBU-12: must be false for a usable seed; the generator refuses to build otherwise. */
  readonly hasRhacmResources: boolean;
  readonly os: SeedOs;
  readonly recertImage: string | null;
}

export interface SeedImageEntry {
  readonly ref: string;
  readonly digest?: string;
  readonly sizeBytes?: number;
}

/** Upstream's SeedClusterInfo JSON (lca-cli/seedclusterinfo), the value of the cluster-info label. */
export interface UpstreamSeedClusterInfo {
  readonly seed_cluster_ocp_version: string;
  readonly base_domain?: string;
  readonly cluster_name?: string;
  readonly node_ip?: string;
  readonly release_registry?: string;
  readonly mirror_registry_configured?: boolean;
  readonly sno_hostname: string;
  readonly recert_image_pull_spec?: string;
  readonly has_proxy: boolean;
  readonly has_fips: boolean;
}

// ---- the cluster state --------------------------------------------------------------------------

const seedgenSecretKey = 'core/secrets/openshift-lifecycle-agent/seedgen';
const pullSecretKey = 'core/secrets/openshift-config/pull-secret';
/** Upstream's PullSecretEmptyData: what the seed's pull secret is replaced with. */
export const emptyPullSecret =
  '{"auths":{"registry.connect.redhat.com":{"username":"empty","password":"empty","auth":"ZW1wdHk6ZW1wdHk=","email":""}}}';
const droppedPrefixes = ['lca.openshift.io/seedgenerators/', 'lca.openshift.io/imagebasedupgrades/'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const name of path) {
    if (!isRecord(current)) return undefined;
    current = current[name];
  }
  return current;
}

function stringField(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/** The dump without what only served seed generation (see the module comment). Idempotent. */
export function sanitizeClusterState(dump: ClusterStateDump): ClusterStateDump {
  const items: ClusterStateItem[] = [];
  for (const item of dump.items) {
    if (item.key === seedgenSecretKey || droppedPrefixes.some((p) => item.key.startsWith(p))) continue;
    if (item.key === pullSecretKey && isRecord(item.value)) {
      const data = { '.dockerconfigjson': Buffer.from(emptyPullSecret).toString('base64') };
      const { stringData: _dropped, ...rest } = item.value;
      items.push({ key: item.key, value: { ...rest, data } });
      continue;
    }
    items.push(item);
  }
  return { ...dump, items };
}

function itemsOf(dump: ClusterStateDump, prefix: string): ClusterStateItem[] {
  return dump.items.filter((item) => item.key.startsWith(prefix));
}

function objectAt(dump: ClusterStateDump, key: string): unknown {
  return dump.items.find((item) => item.key === key)?.value;
}

function nameOf(item: ClusterStateItem): string {
  return item.key.slice(item.key.lastIndexOf('/') + 1);
}

/**
 * RHACM resources a seed must not hold (IBU-12), as upstream's seed generator looks for them: the
 * klusterlet CRD (the cluster is still attached to a hub), the klusterlet agent and add-on
 * namespaces, and ManagedCluster objects (the seed is itself a hub). Other open-cluster-management
 * CRDs alone do not count: lcm's lab installs every CRD it knows in every cluster.
 */
export function findRhacmResources(input: {
  readonly namespaces: readonly string[];
  readonly crds: readonly string[];
  readonly managedClusters: readonly string[];
}): string[] {
  const found: string[] = [];
  for (const crd of input.crds)
    if (crd === 'klusterlets.operator.open-cluster-management.io') found.push(`CRD ${crd}`);
  for (const ns of input.namespaces) {
    if (/^open-cluster-management-(agent|addon-)/.test(ns)) found.push(`namespace ${ns}`);
  }
  for (const name of input.managedClusters) found.push(`ManagedCluster ${name}`);
  return found;
}

export function rhacmResourcesInDump(dump: ClusterStateDump): string[] {
  return findRhacmResources({
    namespaces: itemsOf(dump, 'core/namespaces/').map(nameOf),
    crds: itemsOf(dump, 'apiextensions.k8s.io/customresourcedefinitions/').map(nameOf),
    managedClusters: itemsOf(dump, 'cluster.open-cluster-management.io/managedclusters/').map(nameOf),
  });
}

function completedVersion(clusterVersion: unknown): string | undefined {
  const history = field(clusterVersion, 'status', 'history');
  if (Array.isArray(history)) {
    for (const entry of history)
      if (field(entry, 'state') === 'Completed') return stringField(entry, 'version');
  }
  return stringField(clusterVersion, 'status', 'desired', 'version');
}

function registryOf(image: string | undefined): string | null {
  if (image === undefined) return null;
  try {
    return parseImageReference(image).registry;
  } catch {
    return null;
  }
}

/** Cluster name and base domain: from the install-config, else the DNS config (`<name>.<base>`). */
function clusterDomain(dump: ClusterStateDump): { clusterName: string | null; baseDomain: string | null } {
  const installConfig = stringField(
    objectAt(dump, 'core/configmaps/kube-system/cluster-config-v1'),
    'data',
    'install-config',
  );
  if (installConfig !== undefined) {
    try {
      const parsed: unknown = parseYaml(installConfig);
      const clusterName = stringField(parsed, 'metadata', 'name');
      const baseDomain = stringField(parsed, 'baseDomain');
      if (clusterName !== undefined && baseDomain !== undefined) return { clusterName, baseDomain };
    } catch {
      // an unreadable install-config: fall back to the DNS config
    }
  }
  const domain = stringField(objectAt(dump, 'config.openshift.io/dnses/cluster'), 'spec', 'baseDomain');
  const dot = domain?.indexOf('.') ?? -1;
  if (domain !== undefined && dot > 0)
    return { clusterName: domain.slice(0, dot), baseDomain: domain.slice(dot + 1) };
  return { clusterName: null, baseDomain: null };
}

function nodeAddresses(node: unknown): { type: string; address: string }[] {
  const addresses = field(node, 'status', 'addresses');
  if (!Array.isArray(addresses)) return [];
  return addresses.flatMap((a) => {
    const type = stringField(a, 'type');
    const address = stringField(a, 'address');
    return type !== undefined && address !== undefined ? [{ type, address }] : [];
  });
}

export function seedClusterInfoFromDump(
  dump: ClusterStateDump,
  facts: HostFacts,
  hostName: string,
): SeedClusterInfo {
  const clusterVersion = objectAt(dump, 'config.openshift.io/clusterversions/version');
  const [node] = itemsOf(dump, 'core/nodes/');
  const addresses = nodeAddresses(node?.value);
  return {
    releaseVersion: completedVersion(clusterVersion) ?? facts.releaseVersion,
    releaseRegistry: registryOf(stringField(clusterVersion, 'status', 'desired', 'image')),
    ...clusterDomain(dump),
    hostname:
      addresses.find((a) => a.type === 'Hostname')?.address ?? (node !== undefined ? nameOf(node) : hostName),
    nodeIp: addresses.find((a) => a.type === 'InternalIP')?.address ?? null,
    clusterId: stringField(clusterVersion, 'spec', 'clusterID') ?? null,
  };
}

// ---- the record -----------------------------------------------------------------------------------

export interface SeedRecordInput {
  readonly facts: HostFacts;
  readonly clusterState: ClusterStateDump;
  readonly images: readonly SeedImageEntry[];
  readonly os: SeedOs;
  readonly hostName: string;
  readonly recertImage?: string | undefined;
  readonly now: Date;
}

export function createSeedRecord(input: SeedRecordInput): SeedRecord {
  const { facts } = input;
  return {
    formatVersion: seedFormatVersion,
    createdAt: input.now.toISOString(),
    seedCluster: seedClusterInfoFromDump(input.clusterState, facts, input.hostName),
    facts: {
      cpuCores: facts.cpuCores,
      reservedCpus: facts.reservedCpus,
      fips: facts.fips,
      ipStack: facts.ipStack,
      hasProxy: facts.proxy !== null,
      mirrorRegistry: facts.mirrorRegistry,
      partitions: facts.partitions.map((p) => ({ ...p })),
      operators: facts.operators.map((o) => ({ name: o.name, version: o.version })),
      machineConfigs: [...facts.machineConfigs],
    },
    containerImages: input.images.map((i) => i.ref),
    hasRhacmResources: rhacmResourcesInDump(input.clusterState).length > 0,
    os: input.os,
    recertImage: input.recertImage ?? null,
  };
}

export function upstreamClusterInfo(record: SeedRecord): UpstreamSeedClusterInfo {
  const cluster = record.seedCluster;
  return {
    seed_cluster_ocp_version: cluster.releaseVersion,
    ...(cluster.baseDomain !== null ? { base_domain: cluster.baseDomain } : {}),
    ...(cluster.clusterName !== null ? { cluster_name: cluster.clusterName } : {}),
    ...(cluster.nodeIp !== null ? { node_ip: cluster.nodeIp } : {}),
    ...(cluster.releaseRegistry !== null ? { release_registry: cluster.releaseRegistry } : {}),
    mirror_registry_configured: record.facts.mirrorRegistry !== null,
    sno_hostname: cluster.hostname,
    ...(record.recertImage !== null ? { recert_image_pull_spec: record.recertImage } : {}),
    has_proxy: record.facts.hasProxy,
    has_fips: record.facts.fips,
  };
}

// ---- building ---------------------------------------------------------------------------------------

/** The OS tree of the booted deployment, exported to a tar (see Ostree.exportCommit). */
export interface OsExport {
  readonly tarPath: string;
  readonly os: SeedOs;
}

/** Exports the booted deployment's commit to `tarPath` (plain tar: the layer compresses it). */
export async function exportSeedOs(host: HostOperations, tarPath: string): Promise<OsExport> {
  const booted = await host.ostree.bootedDeployment();
  if (booted === undefined) throw new Error(`host ${host.name}: no booted deployment to export`);
  const info = await host.ostree.exportCommit(booted.checksum, tarPath);
  return {
    tarPath,
    os: {
      commit: info.checksum,
      ...(info.contentChecksum !== undefined ? { contentChecksum: info.contentChecksum } : {}),
      ...(info.version !== undefined ? { version: info.version } : {}),
      stateroot: booted.stateroot,
    },
  };
}

/** The images of the host's container storage, plus the recert image (upstream lists it too). */
export async function seedImageList(host: HostOperations, recertImage?: string): Promise<SeedImageEntry[]> {
  const stored = await host.containerStorage.list();
  const entries: SeedImageEntry[] = stored
    .map((image) => ({ ref: image.ref, digest: image.digest, sizeBytes: image.sizeBytes }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
  if (recertImage !== undefined && !entries.some((e) => e.ref === recertImage))
    entries.push({ ref: recertImage });
  return entries;
}

export interface BuildSeedImageOptions {
  readonly host: HostOperations;
  readonly clusterStateDump: ClusterStateDump;
  /** The OCI layout the image is written to (created if missing). */
  readonly layoutDir: string;
  /** The index.json name of the image, usually the tag it will be pushed as. */
  readonly refName?: string;
  /** An export made earlier; by default the booted deployment is exported now. */
  readonly osExport?: OsExport;
  readonly recertImage?: string;
  /** For the layer files; default a temporary directory removed afterwards. */
  readonly workDir?: string;
  readonly now?: Date;
}

export interface BuiltSeedImage {
  readonly record: SeedRecord;
  readonly image: BuiltImage;
}

export async function buildSeedImage(options: BuildSeedImageOptions): Promise<BuiltSeedImage> {
  const { host } = options;
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'lcm-seed-build-')));
  try {
    const clusterState = sanitizeClusterState(options.clusterStateDump);
    const rhacm = rhacmResourcesInDump(clusterState);
    if (rhacm.length > 0) {
      throw new Error(`the seed cluster holds RHACM resources (${rhacm.join(', ')}); a seed must hold none`);
    }
    const layerDir = (role: SeedLayerRole): string => join(workDir, 'layers', role);
    for (const role of seedLayerRoles) {
      if (role === 'os' && options.osExport !== undefined) continue;
      await rm(layerDir(role), { recursive: true, force: true });
      await mkdir(layerDir(role), { recursive: true });
    }
    const osExport = options.osExport ?? (await exportSeedOs(host, join(layerDir('os'), seedLayerFiles.os)));
    if (basename(osExport.tarPath) !== seedLayerFiles.os) {
      // A one-file layer names its entry after the file, and readers look for this name.
      throw new Error(`the OS export must be a file named ${seedLayerFiles.os}, got ${osExport.tarPath}`);
    }
    const images = await seedImageList(host, options.recertImage);
    const record = createSeedRecord({
      facts: await host.facts(),
      clusterState,
      images,
      os: osExport.os,
      hostName: host.name,
      recertImage: options.recertImage,
      now: options.now ?? new Date(),
    });

    const fileOf = (role: SeedLayerRole): string =>
      role === 'os' ? osExport.tarPath : join(layerDir(role), seedLayerFiles[role]);
    await writeFile(fileOf('cluster-state'), JSON.stringify(clusterState));
    await writeFile(fileOf('seed-record'), `${JSON.stringify(record, null, 2)}\n`);
    await writeFile(fileOf('images'), `${JSON.stringify(images, null, 2)}\n`);

    const layers: LayerInput[] = seedLayerRoles.map((role) => ({
      path: fileOf(role),
      annotations: { [seedRoleAnnotation]: role, [titleAnnotation]: seedLayerFiles[role] },
    }));
    const image = await buildImage({
      layoutDir: options.layoutDir,
      layers,
      config: {
        labels: {
          [seedLabels.formatVersion]: String(seedFormatVersion),
          [seedLabels.clusterInfo]: JSON.stringify(upstreamClusterInfo(record)),
        },
        created: record.createdAt,
      },
      annotations: { 'org.opencontainers.image.created': record.createdAt },
      ...(options.refName !== undefined ? { refName: options.refName } : {}),
    });
    return { record, image };
  } finally {
    if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
  }
}

// ---- reading ------------------------------------------------------------------------------------------

export interface SeedImage {
  readonly layoutDir: string;
  readonly manifestDigest: string;
  readonly manifest: ImageManifest;
  readonly config: ImageConfig;
  readonly labels: Readonly<Record<string, string>>;
  readonly layers: Readonly<Record<SeedLayerRole, Descriptor>>;
  readonly record: SeedRecord;
}

function labelsOf(config: ImageConfig): Record<string, string> {
  const labels = field(config, 'config', 'Labels');
  if (!isRecord(labels)) return {};
  return Object.fromEntries(
    Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** Reads a seed image from an OCI layout (the image named `refName`, or its only one). */
export async function readSeedImage(layoutDir: string, refName?: string): Promise<SeedImage> {
  const descriptor = await findInIndex(layoutDir, refName);
  const what = `seed image in ${layoutDir}${refName !== undefined ? ` (${refName})` : ''}`;
  const parsed = parseManifestDocument(
    await readBlob(layoutDir, descriptor.digest),
    descriptor.mediaType,
    what,
  );
  if ('index' in parsed) throw new Error(`${what}: is an image index, not an image`);
  const { manifest } = parsed;
  const config = JSON.parse(
    (await readBlob(layoutDir, manifest.config.digest)).toString('utf8'),
  ) as ImageConfig;
  const labels = labelsOf(config);
  const format = labels[seedLabels.formatVersion];
  if (format === undefined) {
    throw new Error(`${what}: not a seed image (no ${seedLabels.formatVersion} label)`);
  }
  if (format !== String(seedFormatVersion)) {
    throw new Error(
      `${what}: seed format version ${format} is not supported (this lcm reads ${seedFormatVersion})`,
    );
  }
  const layerOf = (role: SeedLayerRole): Descriptor | undefined =>
    manifest.layers.find((layer) => layer.annotations?.[seedRoleAnnotation] === role);
  const missing = seedLayerRoles.filter((role) => layerOf(role) === undefined);
  const need = (role: SeedLayerRole): Descriptor => {
    const layer = layerOf(role);
    if (layer === undefined) throw new Error(`${what}: no ${missing.join(', ')} layer`);
    return layer;
  };
  const layers: Record<SeedLayerRole, Descriptor> = {
    os: need('os'),
    'cluster-state': need('cluster-state'),
    'seed-record': need('seed-record'),
    images: need('images'),
  };
  const partial: Omit<SeedImage, 'record'> = {
    layoutDir,
    manifestDigest: descriptor.digest,
    manifest,
    config,
    labels,
    layers,
  };
  const record = await readSeedJson<SeedRecord>(partial, 'seed-record');
  if (record.formatVersion !== seedFormatVersion) {
    throw new Error(
      `${what}: the seed record has format ${String(record.formatVersion)}, not ${seedFormatVersion}`,
    );
  }
  return { ...partial, record };
}

/** Unpacks one layer into `toDir` and returns the path of the file it holds. */
export async function extractSeedLayer(
  seed: Pick<SeedImage, 'layoutDir' | 'layers'>,
  role: SeedLayerRole,
  toDir: string,
): Promise<string> {
  await extractLayer(blobPath(seed.layoutDir, seed.layers[role].digest), toDir);
  return join(toDir, seedLayerFiles[role]);
}

async function readSeedJson<T>(
  seed: Pick<SeedImage, 'layoutDir' | 'layers'>,
  role: SeedLayerRole,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lcm-seed-read-'));
  try {
    const file = await extractSeedLayer(seed, role, dir);
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function readSeedClusterState(
  seed: Pick<SeedImage, 'layoutDir' | 'layers'>,
): Promise<ClusterStateDump> {
  return readSeedJson<ClusterStateDump>(seed, 'cluster-state');
}

export function readSeedImageList(seed: Pick<SeedImage, 'layoutDir' | 'layers'>): Promise<SeedImageEntry[]> {
  return readSeedJson<SeedImageEntry[]>(seed, 'images');
}
