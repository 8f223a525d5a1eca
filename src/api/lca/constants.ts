/**
 * Strings of the lca.openshift.io API (Lifecycle Agent): group, names, condition types, reasons and
 * messages, annotations, labels and finalizers, as seed 000 and upstream lifecycle-agent spell them.
 */

export const group = 'lca.openshift.io';
export const version = 'v1';
export const apiVersion = `${group}/${version}`;

/** How clients address the two kinds. */
export const imageBasedUpgradeType = { apiVersion, kind: 'ImageBasedUpgrade' } as const;
export const seedGeneratorType = { apiVersion, kind: 'SeedGenerator' } as const;

/** The namespace the agent runs in and where extra-manifest ConfigMaps usually live. */
export const operatorNamespace = 'openshift-lifecycle-agent';

/** Singleton names: the controllers reconcile only these. */
export const imageBasedUpgradeName = 'upgrade';
export const seedGeneratorName = 'seedimage';
/** Secret (in the agent namespace) holding the seed-registry auth for SeedGenerator. */
export const seedGeneratorSecretName = 'seedgen';

export const stages = ['Idle', 'Prep', 'Upgrade', 'Rollback'] as const;
export type Stage = (typeof stages)[number];

/** Seed 000: autoRollbackOnFailure.initMonitorTimeoutSeconds unset or 0 means 30 minutes. */
export const defaultInitMonitorTimeoutSeconds = 1800;
/** Default /var/lib/containers usage (percent) above which Prep deletes unpinned images. */
export const defaultContainerStorageUsageThresholdPercent = 50;

export const conditionTypes = {
  idle: 'Idle',
  prepInProgress: 'PrepInProgress',
  prepCompleted: 'PrepCompleted',
  upgradeInProgress: 'UpgradeInProgress',
  upgradeCompleted: 'UpgradeCompleted',
  rollbackInProgress: 'RollbackInProgress',
  rollbackCompleted: 'RollbackCompleted',
  seedGenInProgress: 'SeedGenInProgress',
  seedGenCompleted: 'SeedGenCompleted',
} as const;

export const conditionReasons = {
  idle: 'Idle',
  completed: 'Completed',
  failed: 'Failed',
  timedOut: 'TimedOut',
  inProgress: 'InProgress',
  aborting: 'Aborting',
  abortCompleted: 'AbortCompleted',
  abortFailed: 'AbortFailed',
  finalizing: 'Finalizing',
  finalizeCompleted: 'FinalizeCompleted',
  finalizeFailed: 'FinalizeFailed',
  invalidTransition: 'InvalidTransition',
} as const;

/** Upstream's common condition messages (custom messages are built where they are set). */
export const conditionMessages = {
  idle: 'Idle',
  inProgress: 'In progress',
  inProgressOfBecomingIdle: 'In progress of becoming idle',
  finalizing: 'Finalizing',
  aborting: 'Aborting',
  prepCompleted: 'Prep completed',
  prepFailed: 'Prep failed',
  upgradeCompleted: 'Upgrade completed',
  upgradeFailed: 'Upgrade failed',
  rollbackCompleted: 'Rollback completed',
  rollbackFailed: 'Rollback failed',
  rollbackRequested: 'Rollback requested',
} as const;

/** The CEL messages of the ImageBasedUpgrade CRD (upstream wording). */
export const validationMessages = {
  ibuSingleton: "ibu is a singleton, metadata.name must be 'upgrade'",
  seedGenSingleton: "seedgen is a singleton, metadata.name must be 'seedimage'",
  seedGenSpecImmutable: 'cannot modify spec, cr must be deleted and recreated',
  stageTransition:
    'the stage transition is not permitted. Please refer to status.validNextStages for valid transitions. If status.validNextStages is not present, it indicates that no transitions are currently allowed',
  inProgress: (field: string): string => `can not change spec.${field} while ibu is in progress`,
} as const;

export const annotations = {
  /** Numeric string ordering Backup/Restore CRs and extra manifests (ascending; unannotated last, together). */
  applyWave: 'lca.openshift.io/apply-wave',
  /** On a Backup: `group/version/resource/name` or `group/version/resource/namespace/name`, comma separated. */
  applyLabel: 'lca.openshift.io/apply-label',
  /** On an extra manifest: `replace` (default) or `merge`. */
  applyType: 'lca.openshift.io/apply-type',
  /** On the ImageBasedUpgrade: how many policy manifests labelled target-ocp-version to expect. */
  targetOcpVersionManifestCount: 'lca.openshift.io/target-ocp-version-manifest-count',
  manualCleanupDone: 'lca.openshift.io/manual-cleanup-done',
  triggerReconcile: 'lca.openshift.io/trigger-reconcile',
  recertImage: 'lca.openshift.io/recert-image',
  recertPullSecret: 'lca.openshift.io/recert-pull-secret',
  recertImageCached: 'lca.openshift.io/recert-image-cached',
  /** Set by the agent on LVMS persistent volumes whose reclaim policy it changed. */
  updatedReclaimPolicy: 'lca.openshift.io/updated-reclaim-policy',
  autoRollbackPostRebootConfig: 'auto-rollback-on-failure.lca.openshift.io/post-reboot-config',
  autoRollbackUpgradeCompletion: 'auto-rollback-on-failure.lca.openshift.io/upgrade-completion',
  autoRollbackInitMonitor: 'auto-rollback-on-failure.lca.openshift.io/init-monitor',
  imageCleanupOnPrep: 'image-cleanup.lca.openshift.io/on-prep',
  imageCleanupDiskUsageThresholdPercent: 'image-cleanup.lca.openshift.io/disk-usage-threshold-percent',
  /** RHACM: removed from the managed cluster after a cancelled upgrade to re-enable auto-import. */
  disableAutoImport: 'import.open-cluster-management.io/disable-auto-import',
} as const;

/** Value of the auto-rollback and image-cleanup annotations that turns the behaviour off. */
export const disabledValue = 'Disabled';
export const applyTypes = ['replace', 'merge'] as const;

export const labels = {
  /** Put by the agent on objects listed in apply-label; value is the Backup's name. */
  backup: 'lca.openshift.io/backup',
  /** GitOps ZTP: policy manifests to extract and apply after the pivot; value is the target version. */
  targetOcpVersion: 'lca.openshift.io/target-ocp-version',
  /** Put on backups the agent applies, with the cluster's ID. */
  clusterId: 'config.openshift.io/clusterID',
} as const;

export const finalizers = {
  precache: 'lca.openshift.io/precache-finalizer',
  staterootSetup: 'lca.openshift.io/stateroot-setup-finalizer',
} as const;

/** Where OADP runs and where oadpContent ConfigMaps usually live. */
export const oadpNamespace = 'openshift-adp';
