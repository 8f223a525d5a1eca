/**
 * What the image-based upgrade agent needs from the single-node host it runs on, behind one
 * interface: the lab implements it with a host directory (src/lab/sim-host.ts); a real host would
 * implement it with `ostree admin` on `/`, `systemctl reboot` and podman's storage.
 */
import type { Ostree } from './ostree.ts';

export type IpStack = 'ipv4' | 'ipv6' | 'dual';

/** The cluster-wide proxy (config.openshift.io Proxy `spec`). */
export interface ProxySettings {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: string;
}

/** A partition of the installation disk; sizes and offsets in MiB, as ignition's `startMiB`/`sizeMiB`. */
export interface Partition {
  /** The partition label, e.g. `varlibcontainers` for a separate /var/lib/containers. */
  readonly label: string;
  readonly mountPoint: string;
  readonly sizeMiB: number;
  /** Offset of the partition on the disk, in MiB. */
  readonly start: number;
}

/** An operator installed through OLM (a Subscription and its CSV). */
export interface InstalledOperator {
  /** The OLM package name, e.g. `lifecycle-agent`, `oadp-operator`, `local-storage-operator`. */
  readonly name: string;
  readonly version: string;
  /** Where its Subscription lives; defaults depend on the package (see the lab's simulated host). */
  readonly namespace?: string;
}

/**
 * The facts a seed and a target cluster must agree on (IBU-11 minimum versions, IBU-13 seed
 * compatibility). `null` means "none": no proxy, no mirror registry, no performance profile.
 */
export interface HostFacts {
  /** The OpenShift release the booted deployment runs. */
  readonly releaseVersion: string;
  readonly cpuCores: number;
  /** The performance profile's reserved CPU set (`0-1`), or null without one. */
  readonly reservedCpus: string | null;
  readonly fips: boolean;
  readonly ipStack: IpStack;
  readonly proxy: ProxySettings | null;
  /** The registry a disconnected cluster pulls from (`host[:port]`), or null when connected. */
  readonly mirrorRegistry: string | null;
  readonly partitions: readonly Partition[];
  readonly operators: readonly InstalledOperator[];
  /** Names of the MachineConfigs applied to the node. */
  readonly machineConfigs: readonly string[];
}

export interface StoredImage {
  /** The reference it was pulled as (`registry/repository:tag` or `…@sha256:…`). */
  readonly ref: string;
  /** The digest of its image manifest. */
  readonly digest: string;
  /** Manifest, config and layers, as stored. */
  readonly sizeBytes: number;
  /** Pinned images survive image garbage collection (IBU pins the seed's release images). */
  readonly pinned: boolean;
  /** RFC 3339: the last pull (or use) of the image, what image cleanup sorts by. */
  readonly lastUsed: string;
}

export interface StorageUsage {
  readonly usedBytes: number;
  readonly capacityBytes: number;
}

/** Where a pulled image comes from. */
export type ImageSource =
  /** From the registry the reference names (podman pull). */
  | {
      readonly registry: {
        /** The pull secret's docker config JSON. */
        readonly dockerConfig?: string;
        /** Registries spoken to over plain HTTP (loopback registries always are). */
        readonly plainHttp?: boolean | readonly string[];
      };
    }
  /** From an OCI layout directory (`refName` picks one of several images in its index). */
  | { readonly layoutDir: string; readonly refName?: string }
  /** An image with one layer holding these bytes (a file `/content`): for tests and lab fixtures. */
  | { readonly bytes: Buffer | string };

/** /var/lib/containers: the images the node has pulled, on a disk of limited size. */
export interface ContainerStorage {
  list(): Promise<StoredImage[]>;
  usage(): Promise<StorageUsage>;
  /**
   * Stores an image under `ref` (pulling it again refreshes it and its lastUsed). Fails with
   * NoSpaceError, before writing anything, when its missing blobs do not fit.
   */
  pull(ref: string, source: ImageSource): Promise<StoredImage>;
  /** Removes the image and every blob no other image uses; false when there was no such image. */
  remove(ref: string): Promise<boolean>;
  pin(ref: string): Promise<void>;
  unpin(ref: string): Promise<void>;
}

/** ENOSPC, as a pull onto a full /var/lib/containers reports it. */
export class NoSpaceError extends Error {
  readonly code = 'ENOSPC';

  constructor(
    readonly ref: string,
    readonly neededBytes: number,
    readonly freeBytes: number,
    readonly capacityBytes: number,
  ) {
    super(
      `pull ${ref}: no space left on device: the image needs ${neededBytes} more bytes but only ` +
        `${freeBytes} of ${capacityBytes} are free in /var/lib/containers`,
    );
    this.name = 'NoSpaceError';
  }
}

export interface HostOperations {
  readonly name: string;
  readonly ostree: Ostree;
  facts(): Promise<HostFacts>;
  readonly containerStorage: ContainerStorage;
  /** The recovery partition's mount point: backups of the cluster taken before the pivot. */
  readonly recoveryDir: string;
  /**
   * Reboots into the default deployment. On a real host this call does not return; the agent
   * resumes after the boot from what it persisted. The lab's simulated host returns once the
   * cluster serves again.
   */
  reboot(reason: string): Promise<void>;
  bootedStateroot(): Promise<string>;
}
