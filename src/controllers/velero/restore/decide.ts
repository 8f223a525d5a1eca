/**
 * The Restore state machine, pure: New → InProgress → Completed / PartiallyFailed / Failed, or
 * New → FailedValidation, with restore_controller.validateAndComplete's checks and wording.
 */
import type { RestoreSpec, RestoreStatus } from '../../../api/velero/restore.ts';
import { existingResourcePolicies, labels as veleroLabels } from '../../../api/velero/constants.ts';
import {
  bucketOf,
  isAvailable,
  timestamp,
  type BackupObject,
  type LocationObject,
  type RestoreObject,
} from '../kinds.ts';
import type { BucketLocation } from '../object-store.ts';
import { nonRestorableResources, validateIncludesExcludes, validateLabelSelector } from '../select.ts';

export interface RestoreObservation {
  readonly restore: RestoreObject;
  /** Backups in the Restore's namespace. */
  readonly backups: readonly BackupObject[];
  /** BackupStorageLocations in the Restore's namespace. */
  readonly locations: readonly LocationObject[];
  readonly now: Date;
}

export type RestoreDecision =
  | { readonly action: 'ignore' }
  | {
      readonly action: 'start' | 'fail-validation';
      readonly spec: RestoreSpec;
      readonly status: RestoreStatus;
    }
  | {
      readonly action: 'run';
      readonly backup: BackupObject;
      readonly location: BucketLocation;
    }
  | { readonly action: 'fail'; readonly status: RestoreStatus };

export interface ResultSet {
  velero?: string[];
  cluster?: string[];
  namespaces?: Record<string, string[]>;
}

export function countResults(result: ResultSet): number {
  return (
    (result.velero?.length ?? 0) +
    (result.cluster?.length ?? 0) +
    Object.values(result.namespaces ?? {}).reduce((n, list) => n + list.length, 0)
  );
}

export interface RestoreRunResult {
  readonly totalItems: number;
  readonly itemsRestored: number;
  readonly warnings: ResultSet;
  readonly errors: ResultSet;
}

const validPolicies = new Set<string>(Object.values(existingResourcePolicies));

/** mostRecentCompletedBackup among a schedule's backups. */
function latestCompleted(backups: readonly BackupObject[]): BackupObject | undefined {
  return backups
    .filter((b) => b.status?.phase === 'Completed')
    .sort((a, b) => (b.status?.startTimestamp ?? '').localeCompare(a.status?.startTimestamp ?? ''))[0];
}

export function decideRestore(observation: RestoreObservation): RestoreDecision {
  const { restore, now } = observation;
  const phase = restore.status?.phase ?? 'New';
  if (phase === 'New') return decideNew(observation);
  if (phase !== 'InProgress') return { action: 'ignore' };
  const name = restore.spec?.backupName ?? '';
  const backup = observation.backups.find((b) => b.metadata.name === name);
  const location = observation.locations.find((l) => l.metadata.name === backup?.spec?.storageLocation);
  if (backup === undefined || location === undefined)
    return {
      action: 'fail',
      status: failedRestore(
        restore.status,
        backup === undefined
          ? `backup ${name} no longer exists`
          : `backup storage location ${backup.spec?.storageLocation ?? ''} no longer exists`,
        now,
      ),
    };
  return { action: 'run', backup, location: bucketOf(location) };
}

function decideNew({ restore, backups, locations, now }: RestoreObservation): RestoreDecision {
  const spec: RestoreSpec = { ...restore.spec };
  const namespace = restore.metadata.namespace ?? '';
  const errors: string[] = [];

  const excluded = [...(spec.excludedResources ?? [])];
  for (const resource of nonRestorableResources) if (!excluded.includes(resource)) excluded.push(resource);
  spec.excludedResources = excluded;
  for (const resource of nonRestorableResources)
    if (spec.includedResources?.includes(resource)) errors.push(`${resource} are non-restorable resources`);
  for (const e of validateIncludesExcludes(spec.includedResources, spec.excludedResources))
    errors.push(`Invalid included/excluded resource lists: ${e}`);
  for (const e of validateIncludesExcludes(spec.includedNamespaces, spec.excludedNamespaces))
    errors.push(`Invalid included/excluded namespace lists: ${e}`);
  if (spec.orLabelSelectors != null && spec.labelSelector != null)
    errors.push(
      'encountered labelSelector as well as orLabelSelectors in restore spec, only one can be specified',
    );
  for (const selector of [spec.labelSelector, ...(spec.orLabelSelectors ?? [])])
    for (const e of validateLabelSelector(selector)) errors.push(`Invalid label selector: ${e}`);
  const policy = spec.existingResourcePolicy;
  if (policy != null && policy !== '' && !validPolicies.has(policy))
    errors.push(`Invalid ExistingResourcePolicy: ${policy}`);

  const fail = (): RestoreDecision => ({
    action: 'fail-validation',
    spec,
    status: { ...restore.status, phase: 'FailedValidation', validationErrors: errors },
  });

  const hasBackup = (spec.backupName ?? '') !== '';
  const hasSchedule = (spec.scheduleName ?? '') !== '';
  if (hasBackup === hasSchedule) {
    errors.push('Either a backup or schedule must be specified as a source for the restore, but not both');
    return fail();
  }
  if (hasSchedule) {
    const scheduled = backups.filter(
      (b) => b.metadata.labels?.[veleroLabels.scheduleName] === spec.scheduleName,
    );
    if (scheduled.length === 0) errors.push('No backups found for schedule');
    const latest = latestCompleted(scheduled);
    if (latest === undefined) {
      errors.push('No completed backups found for schedule');
      return fail();
    }
    spec.backupName = latest.metadata.name;
  }

  const backupName = spec.backupName ?? '';
  const backup = backups.find((b) => b.metadata.name === backupName);
  if (backup === undefined) {
    errors.push(
      `Error retrieving backup: can't find backup ${namespace}/${backupName}: backups.velero.io "${backupName}" not found`,
    );
    return fail();
  }
  const locationName = backup.spec?.storageLocation ?? '';
  const location = locations.find((l) => l.metadata.name === locationName);
  if (location === undefined) {
    errors.push(`Error retrieving backup: backupstoragelocations.velero.io "${locationName}" not found`);
    return fail();
  }
  if (!isAvailable(location)) {
    errors.push(`The BSL ${locationName} is unavailable, cannot retrieve the backup`);
    return fail();
  }
  if (errors.length > 0) return fail();
  if ((spec.scheduleName ?? '') === '') {
    const schedule = backup.metadata.labels?.[veleroLabels.scheduleName];
    if (schedule !== undefined) spec.scheduleName = schedule;
  }
  return {
    action: 'start',
    spec,
    status: { ...restore.status, phase: 'InProgress', startTimestamp: timestamp(now), progress: {} },
  };
}

export function finishRestore(
  status: RestoreStatus | undefined,
  result: RestoreRunResult,
  now: Date,
): RestoreStatus {
  const errors = countResults(result.errors);
  const warnings = countResults(result.warnings);
  return {
    ...status,
    phase: errors > 0 ? 'PartiallyFailed' : 'Completed',
    completionTimestamp: timestamp(now),
    progress: { totalItems: result.totalItems, itemsRestored: result.itemsRestored },
    ...(errors > 0 ? { errors } : {}),
    ...(warnings > 0 ? { warnings } : {}),
  };
}

export function failedRestore(status: RestoreStatus | undefined, reason: string, now: Date): RestoreStatus {
  return { ...status, phase: 'Failed', failureReason: reason, completionTimestamp: timestamp(now) };
}
