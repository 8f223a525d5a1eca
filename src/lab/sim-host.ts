/**
 * A simulated single-node host: a logical cluster of the lab's API server plus a host directory
 *
 *   <dir>/host.json                 name, release installed first, facts, disk capacity, pending reboot
 *   <dir>/sysroot/                  a real ostree sysroot (one stateroot per release, rhcos_<version>)
 *   <dir>/var/lib/containers/       container storage with a capacity quota
 *   <dir>/var/recovery/             the recovery partition
 *
 * Each stateroot has its own key space in the store (backing `<name>@<stateroot>`), and the cluster
 * serves the key space of the booted stateroot. A reboot makes the cluster answer 503 for a while,
 * then boots the default deployment and serves its stateroot's key space — so pivoting to a new
 * stateroot serves whatever the agent put in that key space (the seed's state, copied before the
 * reboot), and a rollback serves the old key space exactly as it was left.
 *
 * A key space nobody populated is served as an empty cluster (the API server adds only the default
 * namespaces): populating it from the seed image before rebooting is the agent's job, not the host's.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { KubeClient } from '../client/client.ts';
import type { HostFacts, HostOperations } from '../host/host.ts';
import { parseOsRelease } from '../host/os-tree.ts';
import { Ostree, writeMinimalOsTree, type OstreeDeployment } from '../host/ostree.ts';
import type { Clock } from '../runtime/clock.ts';
import { realClock } from '../runtime/clock.ts';
import type { Logger } from '../runtime/log.ts';
import { silentLogger } from '../runtime/log.ts';
import { installCrds } from './crds.ts';
import {
  clusterStateObjects,
  installClusterState,
  kernelVersion,
  newClusterId,
  parseReleaseVersion,
  type SimulatedRelease,
} from './sim-cluster-state.ts';
import { DirectoryContainerStorage } from './sim-container-storage.ts';

export type { SimulatedRelease } from './sim-cluster-state.ts';

/** The facts a host is created with; the release comes from the booted deployment instead. */
export type SimulatedFacts = Omit<HostFacts, 'releaseVersion'>;

export interface SimulatedHostOptions {
  readonly dir: string;
  /** The host (and node, and logical cluster) name: a lowercase DNS label. */
  readonly name: string;
  readonly apiServerUrl: string;
  /** The release installed when the host is created; an existing host keeps what it runs. */
  readonly release: SimulatedRelease;
  readonly facts?: Partial<SimulatedFacts>;
  /** The disk size of /var/lib/containers; default 100 GiB. Kept from creation on reopen. */
  readonly capacityBytes?: number;
  /** How long the cluster is unreachable during a reboot; default 3000 ms. */
  readonly rebootDelayMs?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export const defaultCapacityBytes = 100 * 1024 ** 3;
export const defaultRebootDelayMs = 3000;

export const defaultFacts: SimulatedFacts = {
  cpuCores: 16,
  reservedCpus: null,
  fips: false,
  ipStack: 'ipv4',
  proxy: null,
  mirrorRegistry: null,
  // IBU-13: seed and target both need /var/lib/containers on a partition labelled varlibcontainers.
  partitions: [
    { label: 'varlibcontainers', mountPoint: '/var/lib/containers', sizeMiB: 512_000, start: 250_000 },
  ],
  operators: [
    { name: 'lifecycle-agent', version: '4.16.0' },
    { name: 'oadp-operator', version: '1.4.1' },
    { name: 'local-storage-operator', version: '4.16.0' },
  ],
  machineConfigs: [
    '00-master',
    '01-master-container-runtime',
    '01-master-kubelet',
    '99-master-generated-registries',
    '99-master-ssh',
  ],
};

const hostFormatVersion = 1;

/** host.json: what survives the lab's restarts besides the sysroot and the store. */
interface HostRecord {
  readonly formatVersion: number;
  readonly name: string;
  /** The release the host was installed with. */
  readonly release: SimulatedRelease;
  readonly clusterId: string;
  readonly facts: SimulatedFacts;
  readonly capacityBytes: number;
  /** Set once the first stateroot's cluster state is fully installed. */
  readonly installedAt?: string;
  /** A reboot that was asked for and had not finished when the lab stopped: reopening finishes it. */
  readonly pendingReboot?: { readonly reason: string; readonly requestedAt: string };
}

export function staterootFor(version: string): string {
  return `rhcos_${version}`;
}

export function backingFor(host: string, stateroot: string): string {
  return `${host}@${stateroot}`;
}

export class SimulatedHost implements HostOperations {
  readonly name: string;
  readonly dir: string;
  readonly ostree: Ostree;
  readonly containerStorage: DirectoryContainerStorage;
  readonly recoveryDir: string;
  readonly apiServerUrl: string;
  /** The host's cluster, as a kubeconfig's `server` names it. */
  readonly clusterUrl: string;
  private readonly rebootDelayMs: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private record: HostRecord;
  private rebooting: Promise<void> | undefined;

  /** Use createSimulatedHost, which also installs or resumes the host. */
  constructor(record: HostRecord, options: SimulatedHostOptions) {
    this.record = record;
    this.name = record.name;
    this.dir = options.dir;
    this.apiServerUrl = options.apiServerUrl.replace(/\/+$/, '');
    this.clusterUrl = `${this.apiServerUrl}/clusters/${record.name}`;
    this.clock = options.clock ?? realClock;
    this.log = (options.log ?? silentLogger).with({ host: record.name });
    this.rebootDelayMs = options.rebootDelayMs ?? defaultRebootDelayMs;
    this.ostree = new Ostree({ sysroot: join(options.dir, 'sysroot'), log: this.log });
    this.containerStorage = new DirectoryContainerStorage({
      dir: join(options.dir, 'var', 'lib', 'containers'),
      capacityBytes: record.capacityBytes,
      clock: this.clock,
    });
    this.recoveryDir = join(options.dir, 'var', 'recovery');
  }

  async facts(): Promise<HostFacts> {
    return { ...this.record.facts, releaseVersion: await this.bootedRelease() };
  }

  /** Changes facts of the host (a lab scenario's "the seed was built on other hardware"). */
  async updateFacts(facts: Partial<SimulatedFacts>): Promise<void> {
    await this.save({ ...this.record, facts: { ...this.record.facts, ...facts } });
  }

  async bootedStateroot(): Promise<string> {
    return (await this.booted()).stateroot;
  }

  /** The backing (key space) of a stateroot of this host. */
  backing(stateroot: string): string {
    return backingFor(this.name, stateroot);
  }

  /** A client of this host's cluster. Close it when done. */
  client(): KubeClient {
    return new KubeClient({
      context: this.name,
      server: this.clusterUrl,
      namespace: 'default',
      insecureSkipTlsVerify: false,
    });
  }

  /**
   * Marks the cluster unavailable (`rebooting: <reason>`), waits the reboot delay, boots the default
   * deployment and serves its stateroot's key space. A reboot asked for while one runs joins it.
   */
  reboot(reason: string): Promise<void> {
    this.rebooting ??= this.runReboot(reason).finally(() => {
      this.rebooting = undefined;
    });
    return this.rebooting;
  }

  /**
   * Removes the host: its directory (sysroot included) and the key spaces of its stateroots. The
   * logical cluster stays registered (the API server cannot forget one) and answers 503.
   */
  async destroy(): Promise<void> {
    const stateroots = await this.ostree.stateroots().catch(() => []);
    await this.admin('PUT', `clusters/${this.name}`, {
      backing: this.name,
      available: false,
      message: `host ${this.name} was destroyed`,
    });
    for (const stateroot of stateroots) await this.admin('DELETE', `backings/${this.backing(stateroot)}`);
    await this.ostree.destroySysroot();
    await rm(this.dir, { recursive: true, force: true });
    this.log.info('simulated host destroyed', { dir: this.dir });
  }

  /** Installs the sysroot, directories and cluster state that are missing; serves the booted stateroot. */
  async open(): Promise<void> {
    await this.installSysroot();
    await mkdir(join(this.dir, 'var', 'lib', 'containers'), { recursive: true });
    await mkdir(this.recoveryDir, { recursive: true });
    if (this.record.pendingReboot !== undefined) {
      this.log.info('finishing a reboot interrupted by a lab restart', {
        reason: this.record.pendingReboot.reason,
      });
      await this.finishReboot();
    } else {
      await this.serve(await this.bootedStateroot());
    }
    if (this.record.installedAt === undefined) await this.installCluster();
  }

  private async runReboot(reason: string): Promise<void> {
    const target = await this.ostree.defaultDeployment();
    if (target === undefined) throw new Error(`reboot ${this.name}: the sysroot has no deployment to boot`);
    await this.save({
      ...this.record,
      pendingReboot: { reason, requestedAt: this.clock.now().toISOString() },
    });
    await this.admin('PUT', `clusters/${this.name}`, { available: false, message: `rebooting: ${reason}` });
    this.log.info('simulated host rebooting', {
      reason,
      into: target.stateroot,
      delayMs: this.rebootDelayMs,
    });
    await this.clock.sleep(this.rebootDelayMs);
    await this.finishReboot();
  }

  private async finishReboot(): Promise<void> {
    const target = await this.ostree.defaultDeployment();
    if (target === undefined) throw new Error(`reboot ${this.name}: the sysroot has no deployment to boot`);
    await this.ostree.markBooted(target);
    await this.serve(target.stateroot);
    const { pendingReboot: _done, ...rest } = this.record;
    await this.save(rest);
    this.log.info('simulated host booted', { stateroot: target.stateroot, checksum: target.checksum });
  }

  private async serve(stateroot: string): Promise<void> {
    await this.admin('PUT', `clusters/${this.name}`, { backing: this.backing(stateroot), available: true });
  }

  private async installSysroot(): Promise<void> {
    await this.ostree.initSysroot();
    if ((await this.ostree.status()).length > 0) return;
    const { release } = this.record;
    const stateroot = staterootFor(release.version);
    await this.ostree.osInit(stateroot);
    const tree = join(this.dir, '.os-tree');
    await rm(tree, { recursive: true, force: true });
    try {
      await writeMinimalOsTree(tree, {
        version: release.version,
        kernelVersion: kernelVersion(release),
        openshiftVersion: release.version,
      });
      const branch = `rhcos/${release.version}`;
      await this.ostree.commitTree({
        branch,
        tree,
        subject: `RHCOS for OpenShift ${release.version} (lcm simulated host)`,
        version: release.version,
      });
      // The first deployment of a sysroot is marked booted by deploy itself.
      await this.ostree.deploy({ stateroot, ref: branch });
    } finally {
      await rm(tree, { recursive: true, force: true });
    }
  }

  private async installCluster(): Promise<void> {
    const installedAt = this.clock.now();
    await installCrds(this.apiServerUrl, [this.name]);
    const client = this.client();
    try {
      const objects = clusterStateObjects({
        nodeName: this.name,
        clusterId: this.record.clusterId,
        release: this.record.release,
        facts: await this.facts(),
        installedAt,
      });
      await installClusterState(client, objects);
    } finally {
      client.close();
    }
    await this.save({ ...this.record, installedAt: installedAt.toISOString() });
    this.log.info('simulated cluster installed', { release: this.record.release.version });
  }

  private async booted(): Promise<OstreeDeployment> {
    const booted = await this.ostree.bootedDeployment();
    if (booted === undefined) throw new Error(`host ${this.name}: the sysroot has no booted deployment`);
    return booted;
  }

  private async bootedRelease(): Promise<string> {
    const booted = await this.booted();
    const file = join(this.ostree.deploymentDir(booted), 'usr', 'lib', 'os-release');
    const fields = parseOsRelease(await readFile(file, 'utf8'));
    const version = fields.OPENSHIFT_VERSION ?? fields.VERSION_ID;
    if (version === undefined) throw new Error(`${file} names no OPENSHIFT_VERSION or VERSION_ID`);
    return version;
  }

  private async save(record: HostRecord): Promise<void> {
    await writeHostRecord(this.dir, record);
    this.record = record;
  }

  private async admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.apiServerUrl}/lcm/v1/${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new Error(
        `host ${this.name}: ${method} ${url}: the API server did not answer (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok)
      throw new Error(`host ${this.name}: ${method} ${url}: ${response.status} ${text.slice(0, 500)}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

/**
 * Creates the host in `dir`, or opens it when `dir/host.json` exists (keeping its release, facts,
 * capacity, sysroot, images and cluster state), and serves its booted stateroot.
 */
export async function createSimulatedHost(options: SimulatedHostOptions): Promise<SimulatedHost> {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.name) || options.name.length > 63)
    throw new Error(`simulated host name ${JSON.stringify(options.name)} must be a lowercase DNS label`);
  parseReleaseVersion(options.release.version);
  await mkdir(options.dir, { recursive: true });
  let record = await readHostRecord(options.dir);
  if (record !== undefined && record.name !== options.name) {
    throw new Error(
      `${join(options.dir, 'host.json')} belongs to host ${record.name}, not ${options.name}: use another directory`,
    );
  }
  if (record === undefined) {
    record = {
      formatVersion: hostFormatVersion,
      name: options.name,
      release: options.release,
      clusterId: newClusterId(),
      facts: { ...defaultFacts, ...options.facts },
      capacityBytes: options.capacityBytes ?? defaultCapacityBytes,
    };
    await writeHostRecord(options.dir, record);
  }
  const host = new SimulatedHost(record, options);
  await host.open();
  return host;
}

async function readHostRecord(dir: string): Promise<HostRecord | undefined> {
  const file = join(dir, 'host.json');
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const record = JSON.parse(text) as HostRecord;
  if (record.formatVersion !== hostFormatVersion) {
    throw new Error(
      `${file} has format ${String(record.formatVersion)}; this lcm reads format ${hostFormatVersion} (recreate the host)`,
    );
  }
  return record;
}

async function writeHostRecord(dir: string, record: HostRecord): Promise<void> {
  const file = join(dir, 'host.json');
  await writeFile(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Whether `dir` holds a simulated host. */
export async function isSimulatedHostDir(dir: string): Promise<boolean> {
  return stat(join(dir, 'host.json')).then(
    () => true,
    () => false,
  );
}

/** Reopens the simulated host in `dir` (its name and release come from its host.json). */
export async function openSimulatedHost(
  options: Omit<SimulatedHostOptions, 'name' | 'release'>,
): Promise<SimulatedHost> {
  const record = await readHostRecord(options.dir);
  if (record === undefined)
    throw new Error(`${options.dir} holds no simulated host (no host.json): create it with lcm lab up`);
  return createSimulatedHost({ ...options, name: record.name, release: record.release });
}
