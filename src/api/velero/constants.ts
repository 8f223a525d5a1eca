/**
 * Strings of the velero.io API (Backup, Restore, BackupStorageLocation) as upstream velero spells them.
 * The lca.openshift.io annotations on Backup/Restore CRs live in ../lca/constants.ts.
 */

export const group = 'velero.io';
export const version = 'v1';
export const apiVersion = `${group}/${version}`;

export const backupPhases = [
  'New',
  'Queued',
  'ReadyToStart',
  'FailedValidation',
  'InProgress',
  'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed',
  'Finalizing',
  'FinalizingPartiallyFailed',
  'Completed',
  'PartiallyFailed',
  'Failed',
  'Deleting',
] as const;
export type BackupPhase = (typeof backupPhases)[number];

export const restorePhases = [
  'New',
  'FailedValidation',
  'InProgress',
  'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed',
  'Completed',
  'PartiallyFailed',
  'Failed',
  'Finalizing',
  'FinalizingPartiallyFailed',
] as const;
export type RestorePhase = (typeof restorePhases)[number];

export const backupStorageLocationPhases = ['Available', 'Unavailable'] as const;
export type BackupStorageLocationPhase = (typeof backupStorageLocationPhases)[number];

export const backupStorageLocationAccessModes = ['ReadOnly', 'ReadWrite'] as const;

export const hookErrorModes = ['Continue', 'Fail'] as const;

/** Restore.spec.existingResourcePolicy values (upstream declares no enum in the CRD). */
export const existingResourcePolicies = { none: 'none', update: 'update' } as const;

export const labels = {
  backupName: 'velero.io/backup-name',
  backupUid: 'velero.io/backup-uid',
  restoreName: 'velero.io/restore-name',
  restoreUid: 'velero.io/restore-uid',
  scheduleName: 'velero.io/schedule-name',
  /** The BackupStorageLocation a Backup is stored in (seed 000's Backup sets it to `default`). */
  storageLocation: 'velero.io/storage-location',
  excludeFromBackup: 'velero.io/exclude-from-backup',
} as const;

export const annotations = {
  sourceClusterK8sGitVersion: 'velero.io/source-cluster-k8s-gitversion',
  sourceClusterK8sMajorVersion: 'velero.io/source-cluster-k8s-major-version',
  sourceClusterK8sMinorVersion: 'velero.io/source-cluster-k8s-minor-version',
  podVolumeTimeout: 'velero.io/pod-volume-timeout',
  backupVolumes: 'backup.velero.io/backup-volumes',
  backupVolumesExcludes: 'backup.velero.io/backup-volumes-excludes',
} as const;
