/** The lab's simulated hosts, one directory each under `<lab>/hosts/<name>/`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { createSimulatedHost, type SimulatedHost, type SimulatedHostOptions } from './sim-host.ts';

export type HostSpec = Omit<SimulatedHostOptions, 'dir' | 'apiServerUrl'>;

export function hostDir(labDir: string, name: string): string {
  return join(labDir, 'hosts', name);
}

/**
 * Creates the hosts that do not exist yet and reopens those that do (an existing host keeps its
 * release, stateroots, images and cluster state), each serving its booted stateroot.
 */
export async function ensureHosts(
  labDir: string,
  apiServerUrl: string,
  specs: readonly HostSpec[],
): Promise<SimulatedHost[]> {
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new Error(`lab hosts: ${spec.name} is listed twice`);
    names.add(spec.name);
  }
  return Promise.all(
    specs.map((spec) => createSimulatedHost({ ...spec, dir: hostDir(labDir, spec.name), apiServerUrl })),
  );
}

/** Simulated hosts need real ostree (as root) and the registry: why not, or undefined when they can run. */
export function hostsSupported(): string | undefined {
  if (process.getuid?.() !== 0) return 'simulated hosts need root (ostree admin deploy)';
  for (const binary of ['/usr/bin/ostree', '/usr/bin/docker-registry']) {
    if (!existsSync(binary)) return `${binary} is missing (scripts/ensure-system-deps.sh installs it)`;
  }
  return undefined;
}
