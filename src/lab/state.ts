/**
 * The lab directory: its layout, the format marker that guards against an incompatible lcm, and
 * the supervisor's state file (PIDs, endpoints, health) that `status` and `down` read.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SimulatedFacts } from './sim-host.ts';

/** Bumped whenever a lab dir written by an older lcm cannot be resumed as-is. */
export const labFormatVersion = 1;

export interface LabLayout {
  readonly dir: string;
  readonly marker: string;
  readonly state: string;
  readonly kubeconfig: string;
  readonly logs: string;
  readonly etcdData: string;
}

export function labLayout(dir: string): LabLayout {
  const root = path.resolve(dir);
  return {
    dir: root,
    marker: path.join(root, 'lab.json'),
    state: path.join(root, 'state.json'),
    kubeconfig: path.join(root, 'kubeconfig'),
    logs: path.join(root, 'logs'),
    etcdData: path.join(root, 'etcd'),
  };
}

export interface LabMarker {
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly clusters: readonly string[];
  /** Kept so kubeconfigs handed out earlier stay valid after down/up. */
  readonly apiPort?: number;
  readonly etcdClientPort?: number;
  readonly etcdPeerPort?: number;
  readonly registryPort?: number;
  readonly prometheusPort?: number;
  /** Simulated single-node hosts: the release each was created at (it may run another now). */
  readonly hosts?: readonly LabHostSpec[];
}

export interface LabHostSpec {
  readonly name: string;
  readonly version: string;
  /** Facts the compatibility checks compare, where they differ from the simulated defaults. */
  readonly facts?: Partial<SimulatedFacts>;
  /** The size of /var/lib/containers (default 100 GiB). */
  readonly capacityBytes?: number;
}

/**
 * The release the lab's spoke clusters report (their simulated cluster version operator's): the
 * seed's update-preparation story, 4.13 → 4.14 with Kubernetes 1.27's API removals (seed 001).
 */
export const spokeRelease = '4.13.40';

/** The lab's default hosts: one seed at a newer release, two targets at an older one (issue 4). */
export const defaultLabHosts: readonly LabHostSpec[] = [
  { name: 'seed', version: '4.16.1' },
  { name: 'sno1', version: '4.14.13' },
  { name: 'sno2', version: '4.14.13' },
];

export type ComponentHealth = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface ComponentState {
  readonly name: string;
  readonly pid: number | undefined;
  readonly health: ComponentHealth;
  readonly restarts: number;
  readonly endpoint?: string;
  readonly log: string;
  readonly message?: string;
  readonly since: string;
}

export interface LabState {
  readonly supervisorPid: number;
  readonly ready: boolean;
  readonly apiServer?: string;
  readonly clusters: readonly string[];
  readonly hosts?: readonly LabHostSpec[];
  readonly registry?: string;
  readonly components: readonly ComponentState[];
  readonly updatedAt: string;
  /** Set when start-up failed for good. */
  readonly error?: string;
}

export class IncompatibleLabError extends Error {
  constructor(dir: string, found: number) {
    super(
      `the lab directory ${dir} was written by an lcm with lab format ${found}; this lcm uses format ${labFormatVersion}. ` +
        `Stop it with the lcm that created it (lcm lab down --dir ${dir}), then move the directory away ` +
        `(mv ${dir} ${dir}.old) and run lcm lab up again to start a fresh lab.`,
    );
    this.name = 'IncompatibleLabError';
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `${file} is not readable JSON (${error instanceof Error ? error.message : String(error)}); move it away to reset the lab`,
    );
  }
}

/** Atomic write: a crash never leaves half a file for the next run. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`);
  await rename(partial, file);
}

export async function readMarker(layout: LabLayout): Promise<LabMarker | undefined> {
  const marker = await readJson<LabMarker>(layout.marker);
  if (marker !== undefined && marker.formatVersion !== labFormatVersion) {
    throw new IncompatibleLabError(layout.dir, marker.formatVersion);
  }
  return marker;
}

export function readState(layout: LabLayout): Promise<LabState | undefined> {
  return readJson<LabState>(layout.state);
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
