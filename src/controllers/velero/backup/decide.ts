/**
 * The Backup state machine, pure: New → InProgress → Completed / PartiallyFailed / Failed, or
 * New → FailedValidation. The effects layer observes (the Backup, the locations in its namespace,
 * what the object store already holds) and carries out the one step decided here.
 */
import type { BackupSpec, BackupStatus } from '../../../api/velero/backup.ts';
import { labels as veleroLabels } from '../../../api/velero/constants.ts';
import { DurationError, parseGoDuration } from '../duration.ts';
import {
  bucketOf,
  chooseLocationName,
  defaultBackupTtl,
  isAvailable,
  timestamp,
  type BackupObject,
  type LocationObject,
} from '../kinds.ts';
import type { BucketLocation } from '../object-store.ts';
import { validLabelValue, validateBackupFilters } from '../select.ts';
import { backupFormatVersion, backupVersion } from '../tarball.ts';

export interface StoredBackup {
  /** velero-backup.json, when present and readable. */
  readonly metadata: BackupObject | undefined;
  readonly hasContents: boolean;
}

export interface BackupObservation {
  readonly backup: BackupObject;
  /** BackupStorageLocations in the Backup's namespace. */
  readonly locations: readonly LocationObject[];
  /** What the location already holds for this backup (read for InProgress backups). */
  readonly stored?: StoredBackup;
  readonly now: Date;
}

export type BackupDecision =
  | { readonly action: 'ignore' }
  /** Write the object back with this spec, these labels and this status (the first step). */
  | {
      readonly action: 'start' | 'fail-validation';
      readonly spec: BackupSpec;
      readonly labels: Record<string, string>;
      readonly status: BackupStatus;
    }
  /** Collect the items and write the backup to `location`, then finish with finishBackup. */
  | { readonly action: 'run'; readonly location: BucketLocation; readonly locationName: string }
  /** The store already holds this very backup, complete: take its status. */
  | { readonly action: 'adopt'; readonly status: BackupStatus }
  | { readonly action: 'fail'; readonly status: BackupStatus };

export interface BackupRunResult {
  readonly totalItems: number;
  readonly itemsBackedUp: number;
  readonly errors: number;
  readonly warnings: number;
}

const terminalStoredPhases = new Set(['Completed', 'PartiallyFailed']);

export function decideBackup(observation: BackupObservation): BackupDecision {
  const { backup, now } = observation;
  const phase = backup.status?.phase ?? 'New';
  if (phase === 'New') return decideNew(observation);
  if (phase !== 'InProgress') return { action: 'ignore' };

  const stored = observation.stored;
  const metadata = stored?.metadata;
  if (
    stored?.hasContents === true &&
    metadata !== undefined &&
    metadata.metadata.uid === backup.metadata.uid &&
    terminalStoredPhases.has(metadata.status?.phase ?? '')
  )
    return { action: 'adopt', status: metadata.status ?? {} };

  const name = backup.spec?.storageLocation ?? '';
  const location = observation.locations.find((l) => l.metadata.name === name);
  if (location === undefined)
    return {
      action: 'fail',
      status: failedStatus(backup.status, `backup storage location ${name} no longer exists`, now),
    };
  return { action: 'run', location: bucketOf(location), locationName: name };
}

function decideNew({ backup, locations, now }: BackupObservation): BackupDecision {
  const spec: BackupSpec = { ...backup.spec };
  const errors: string[] = [];

  const { name, serverSpecified } = chooseLocationName(spec.storageLocation, locations);
  spec.storageLocation = name;
  const location = locations.find((l) => l.metadata.name === name);
  if (location === undefined) {
    const notFound = `backupstoragelocations.velero.io "${name}" not found`;
    errors.push(
      serverSpecified
        ? `an existing backup storage location was not specified at backup creation time and the server default ${name} does not exist. Please address this issue (see \`velero backup-location -h\` for options) and create a new backup. Error: ${notFound}`
        : `an existing backup storage location was not specified at backup creation time and the default ${name} was not found. Please address this issue (see \`velero backup-location -h\` for options) and create a new backup. Error: ${notFound}`,
    );
  } else {
    if (location.spec?.accessMode === 'ReadOnly')
      errors.push(
        `backup can't be created because backup storage location ${name} is currently in read-only mode`,
      );
    if (!isAvailable(location))
      errors.push(`backup can't be created because BackupStorageLocation ${name} is in Unavailable status.`);
  }

  if (spec.ttl === undefined || spec.ttl === '' || spec.ttl === '0s') spec.ttl = defaultBackupTtl;
  let ttlMs: number | undefined;
  try {
    ttlMs = parseGoDuration(spec.ttl);
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    errors.push(`invalid ttl ${JSON.stringify(spec.ttl)}: ${error.message}`);
  }

  errors.push(...validateBackupFilters(spec));

  const labels = { ...backup.metadata.labels, [veleroLabels.storageLocation]: validLabelValue(name) };
  const status: BackupStatus = {
    ...backup.status,
    version: backupVersion,
    formatVersion: backupFormatVersion,
    ...(ttlMs !== undefined ? { expiration: timestamp(new Date(now.getTime() + ttlMs)) } : {}),
  };
  if (errors.length > 0)
    return {
      action: 'fail-validation',
      spec,
      labels,
      status: { ...status, phase: 'FailedValidation', validationErrors: errors },
    };
  return {
    action: 'start',
    spec,
    labels,
    status: { ...status, phase: 'InProgress', startTimestamp: timestamp(now), progress: {} },
  };
}

/** The status a finished run ends with: any item error makes it PartiallyFailed. */
export function finishBackup(
  status: BackupStatus | undefined,
  result: BackupRunResult,
  now: Date,
): BackupStatus {
  return {
    ...status,
    phase: result.errors > 0 ? 'PartiallyFailed' : 'Completed',
    completionTimestamp: timestamp(now),
    progress: { totalItems: result.totalItems, itemsBackedUp: result.itemsBackedUp },
    ...(result.errors > 0 ? { errors: result.errors } : {}),
    ...(result.warnings > 0 ? { warnings: result.warnings } : {}),
  };
}

export function failedStatus(status: BackupStatus | undefined, reason: string, now: Date): BackupStatus {
  return { ...status, phase: 'Failed', failureReason: reason, completionTimestamp: timestamp(now) };
}
