/**
 * Strings of the ran.openshift.io API (TALM's ClusterGroupUpgrade and PreCachingConfig), as seed 002
 * and upstream cluster-group-upgrades-operator spell them.
 */

export const group = 'ran.openshift.io';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;

/** remediationStrategy.timeout when unset, in minutes. */
export const defaultTimeoutMinutes = 240;

export const batchTimeoutActions = ['Continue', 'Abort'] as const;
export type BatchTimeoutAction = (typeof batchTimeoutActions)[number];

/**
 * Condition types. Seed 002 shows the backup condition as `BackupDone`; later upstream renamed it
 * `BackupSuceeded`. The misspelling of `PrecachingSuceeded` is upstream's and part of the API.
 */
export const conditionTypes = {
  clustersSelected: 'ClustersSelected',
  validated: 'Validated',
  backupDone: 'BackupDone',
  precacheSpecValid: 'PrecacheSpecValid',
  precachingSucceeded: 'PrecachingSuceeded',
  progressing: 'Progressing',
  succeeded: 'Succeeded',
} as const;

export const conditionReasons = {
  completed: 'Completed',
  clusterSelectionCompleted: 'ClusterSelectionCompleted',
  validationCompleted: 'ValidationCompleted',
  backupCompleted: 'BackupCompleted',
  precachingCompleted: 'PrecachingCompleted',
  failed: 'Failed',
  incompleteBlockingCR: 'IncompleteBlockingCR',
  inProgress: 'InProgress',
  invalidPlatformImage: 'InvalidPlatformImage',
  missingBlockingCR: 'MissingBlockingCR',
  notAllManagedPoliciesExist: 'NotAllManagedPoliciesExist',
  ambiguousManagedPoliciesNames: 'AmbiguousManagedPoliciesNames',
  notEnabled: 'NotEnabled',
  notStarted: 'NotStarted',
  clusterNotFound: 'ClusterNotFound',
  notPresent: 'NotPresent',
  partiallyDone: 'PartiallyDone',
  precacheSpecIncomplete: 'PrecacheSpecIncomplete',
  precacheSpecIsWellFormed: 'PrecacheSpecIsWellFormed',
  timedOut: 'TimedOut',
  unresolvableDenpendency: 'UnresolvableDenpendency',
  waitingForPlacement: 'WaitingForPlacement',
} as const;

export const conditionMessages = {
  /** Seed 002's wording of BackupDone=True. */
  backupCompleted: 'Backup is completed',
  backupFailedAll: 'Backup failed for all clusters',
  backupFailedSome: (count: number): string => `Backup failed for ${count} clusters`,
  backupInProgress: (count: number): string => `Backup in progress for ${count} clusters`,
  clusterBackupInProgress: 'Cluster backup is in progress',
  noClustersAfterBackup: 'No clusters available for remediation (Backup failed)',
  noClustersAfterPrecaching: 'No clusters available for remediation (Precaching failed)',
  allClustersValid: 'All selected clusters are valid',
  validationCompleted: 'Completed validation',
  notEnabled: 'Not enabled',
  missingBlockingCRs: (names: string): string => `Missing blocking CRs: ${names}`,
  incompleteBlockingCRs: (names: string): string => `Blocking CRs that are not completed: ${names}`,
  remediating: 'Remediating non-compliant policies',
  remediationTimedOut: 'Policy remediation took too long',
  allCompliant: 'All clusters are compliant with all the managed policies',
  alreadyCompliant: 'All clusters already compliant with the specified managed policies',
  precacheSpecValid: 'Precaching spec is valid and consistent',
  precachingRequired: 'Precaching is required and not done',
  precachingCompleted: 'Precaching is completed for all clusters',
  precachingFailedAll: 'Precaching failed for all clusters',
  precachingFailedSome: (count: number): string => `Precaching failed for ${count} clusters`,
  precachingInProgress: (count: number): string => `Precaching in progress for ${count} clusters`,
} as const;

/** Per-cluster values of status.backup.status (seed 002's BackupState*). */
export const backupStates = {
  preparingToStart: 'PreparingToStart',
  starting: 'Starting',
  active: 'Active',
  succeeded: 'Succeeded',
  timeout: 'BackupTimeout',
  error: 'UnrecoverableError',
} as const;

/** Per-cluster values of status.precaching.status. */
export const precacheStates = {
  preparingToStart: 'PreparingToStart',
  starting: 'Starting',
  active: 'Active',
  succeeded: 'Succeeded',
  timeout: 'PrecacheTimeout',
  error: 'UnrecoverableError',
  notStarted: 'NotStarted',
} as const;

/** status.status.currentBatchRemediationProgress[cluster].state and status.clusters[].state. */
export const remediationStates = {
  notStarted: 'NotStarted',
  inProgress: 'InProgress',
  completed: 'Completed',
} as const;
export const clusterStates = { complete: 'complete', timedout: 'timedout' } as const;

export const finalizers = { cleanup: 'ran.openshift.io/cleanup-finalizer' } as const;

export const annotations = {
  /** On policies: least number of seconds a policy must stay compliant before moving on. */
  soakSeconds: 'ran.openshift.io/soak-seconds',
  ztpDeployWave: 'ran.openshift.io/ztp-deploy-wave',
  blockingCguCompletionMode: 'ran.openshift.io/blocking-cgu-completion-mode',
  blockingCguClusterFiltering: 'ran.openshift.io/blocking-cgu-cluster-filtering',
} as const;

/** Seed 002: the recovery partition and the script TALM's backup leaves on each spoke. */
export const recovery = {
  partitionMountPoint: '/var/recovery',
  script: '/var/recovery/upgrade-recovery.sh',
} as const;
