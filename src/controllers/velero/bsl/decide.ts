/**
 * BackupStorageLocation decisions, pure: Available while its bucket directory takes writes,
 * Unavailable with the reason otherwise (revalidated every `validationFrequency`, default 1m), and
 * Velero's backup sync — Backups stored in an Available location but missing from the cluster are
 * recreated from their velero-backup.json (every `backupSyncPeriod`, default 1m). This is how a
 * Restore after an image-based upgrade finds the Backups taken before the pivot.
 */
import type { BackupStorageLocationStatus } from '../../../api/velero/backup-storage-location.ts';
import { labels as veleroLabels } from '../../../api/velero/constants.ts';
import { DurationError, parseGoDuration } from '../duration.ts';
import { timestamp, type BackupObject, type LocationObject } from '../kinds.ts';
import { validLabelValue } from '../select.ts';

/** Velero server defaults: --store-validation-frequency and --backup-sync-period. */
export const defaultValidationFrequencyMs = 60_000;
export const defaultSyncPeriodMs = 60_000;

export interface LocationObservation {
  readonly location: LocationObject;
  /** Why the object store cannot be used (FileObjectStore.problem), undefined when it can. */
  readonly storeProblem: string | undefined;
  readonly now: Date;
}

export interface LocationDecision {
  /** The status to write, or undefined when nothing is due. */
  readonly status: (Omit<BackupStorageLocationStatus, 'message'> & { message: string | null }) | undefined;
  /** Sync the location's backups into the cluster now (always, while Available). */
  readonly sync: boolean;
  readonly requeueAfterMs: number | undefined;
}

function period(text: string | null | undefined, fallback: number): number | undefined {
  if (text == null || text === '') return fallback;
  try {
    const ms = parseGoDuration(text);
    return ms <= 0 ? undefined : ms;
  } catch (error) {
    if (error instanceof DurationError) return fallback;
    throw error;
  }
}

function age(now: Date, stamp: string | null | undefined): number {
  if (stamp == null) return Number.POSITIVE_INFINITY;
  const at = Date.parse(stamp);
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : now.getTime() - at;
}

export function decideLocation({ location, storeProblem, now }: LocationObservation): LocationDecision {
  const status = location.status ?? {};
  const name = location.metadata.name;
  const validateEvery = period(location.spec?.validationFrequency, defaultValidationFrequencyMs);
  const syncEvery = period(location.spec?.backupSyncPeriod, defaultSyncPeriodMs);

  let problem = storeProblem;
  if (problem === undefined && (location.spec?.objectStorage?.bucket ?? '') === '')
    problem = 'bucket must be set';
  const phase = problem === undefined ? 'Available' : 'Unavailable';
  const message =
    problem === undefined ? undefined : `BackupStorageLocation "${name}" is unavailable: ${problem}`;

  const changed = status.phase !== phase || (status.message ?? undefined) !== message;
  const validationDue =
    changed || (validateEvery !== undefined && age(now, status.lastValidationTime) >= validateEvery);
  // Listing a location's backups is cheap, so every reconcile of an Available one syncs; the
  // period only paces lastSyncedTime and the periodic requeue.
  const sync = phase === 'Available';
  const syncDue =
    sync &&
    (status.lastSyncedTime == null ||
      changed ||
      (syncEvery !== undefined && age(now, status.lastSyncedTime) >= syncEvery));

  const nextValidation =
    validateEvery === undefined
      ? undefined
      : validationDue
        ? validateEvery
        : validateEvery - age(now, status.lastValidationTime);
  const nextSync =
    phase !== 'Available' || syncEvery === undefined
      ? undefined
      : syncDue
        ? syncEvery
        : syncEvery - age(now, status.lastSyncedTime);
  const waits = [nextValidation, nextSync].filter((w): w is number => w !== undefined);

  return {
    status:
      validationDue || syncDue
        ? {
            phase,
            message: message ?? null,
            lastValidationTime: validationDue ? timestamp(now) : status.lastValidationTime,
            ...(syncDue ? { lastSyncedTime: timestamp(now) } : {}),
          }
        : undefined,
    sync,
    requeueAfterMs: waits.length === 0 ? undefined : Math.max(1000, Math.min(...waits)),
  };
}

/** Stored backups the cluster lacks. */
export function backupsToSync(stored: readonly string[], inCluster: readonly BackupObject[]): string[] {
  const present = new Set(inCluster.map((b) => b.metadata.name));
  return stored.filter((name) => !present.has(name));
}

/**
 * The Backup object backup_sync_controller creates from a stored velero-backup.json: the stored
 * spec and status, in the location's namespace, pointing at this location, server fields dropped.
 */
export function syncedBackup(stored: BackupObject, location: LocationObject): BackupObject {
  const name = location.metadata.name;
  return {
    apiVersion: stored.apiVersion,
    kind: stored.kind,
    metadata: {
      name: stored.metadata.name,
      namespace: location.metadata.namespace ?? '',
      labels: { ...stored.metadata.labels, [veleroLabels.storageLocation]: validLabelValue(name) },
      ...(stored.metadata.annotations !== undefined ? { annotations: stored.metadata.annotations } : {}),
    },
    spec: { ...stored.spec, storageLocation: name },
    ...(stored.status !== undefined ? { status: stored.status } : {}),
  };
}
