/** Strings of the machineconfiguration.openshift.io API (MachineConfig, MachineConfigPool). */

export const group = 'machineconfiguration.openshift.io';
export const version = 'v1';
export const apiVersion = `${group}/${version}`;

/** The built-in pools; seed 001 warns never to set the control-plane pool's maxUnavailable to 3. */
export const pools = { master: 'master', worker: 'worker' } as const;

/** Seed 001: every pool's maxUnavailable defaults to 1. */
export const defaultMaxUnavailable = 1;

export const poolConditionTypes = {
  updated: 'Updated',
  updating: 'Updating',
  nodeDegraded: 'NodeDegraded',
  renderDegraded: 'RenderDegraded',
  degraded: 'Degraded',
  pinnedImageSetsDegraded: 'PinnedImageSetsDegraded',
  poolSynchronizerDegraded: 'PoolSynchronizerDegraded',
} as const;

export const kernelTypes = { default: 'default', realtime: 'realtime', pages64k: '64k-pages' } as const;

export const labels = {
  /** Selects the MachineConfigs of a pool (`machineconfiguration.openshift.io/role: worker`). */
  role: 'machineconfiguration.openshift.io/role',
  /** Pool selector label on nodes (`node-role.kubernetes.io/worker: ""`). */
  nodeRolePrefix: 'node-role.kubernetes.io/',
  /** On each built-in pool (`…/master: ""`); KubeletConfig and the like select pools by it. */
  poolPrefix: 'pools.operator.machineconfiguration.openshift.io/',
} as const;

export const annotations = {
  generatedByControllerVersion: 'machineconfiguration.openshift.io/generated-by-controller-version',
  /** On nodes: the rendered config a node runs, wants, and the daemon's state. */
  currentConfig: 'machineconfiguration.openshift.io/currentConfig',
  desiredConfig: 'machineconfiguration.openshift.io/desiredConfig',
  state: 'machineconfiguration.openshift.io/state',
} as const;

/** Seed 000: the container-storage partition label that seed and target clusters must share. */
export const containerStoragePartitionLabel = 'varlibcontainers';
