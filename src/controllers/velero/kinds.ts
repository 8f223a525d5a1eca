/** The velero.io objects as the controllers read them, and small facts shared by their decisions. */
import type { KubeObject, TypeRef } from '../../client/object.ts';
import type { BackupSpec, BackupStatus } from '../../api/velero/backup.ts';
import type { RestoreSpec, RestoreStatus } from '../../api/velero/restore.ts';
import type {
  BackupStorageLocationSpec,
  BackupStorageLocationStatus,
} from '../../api/velero/backup-storage-location.ts';
import { apiVersion } from '../../api/velero/constants.ts';
import type { BucketLocation } from './object-store.ts';

export type BackupObject = KubeObject<BackupSpec, BackupStatus>;
export type RestoreObject = KubeObject<RestoreSpec, RestoreStatus>;
export type LocationObject = KubeObject<BackupStorageLocationSpec, BackupStorageLocationStatus>;

export const backupType: TypeRef = { apiVersion, kind: 'Backup' };
export const restoreType: TypeRef = { apiVersion, kind: 'Restore' };
export const locationType: TypeRef = { apiVersion, kind: 'BackupStorageLocation' };

/** Velero server's --default-backup-storage-location. */
export const defaultLocationName = 'default';
/** Velero server's --default-backup-ttl (30 days). */
export const defaultBackupTtl = '720h0m0s';

/** metav1.Time: RFC 3339 at second precision. */
export function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

export function bucketOf(location: LocationObject): BucketLocation {
  const storage = location.spec?.objectStorage;
  return { bucket: storage?.bucket ?? '', prefix: storage?.prefix };
}

/**
 * The location a Backup goes to: the one it names; otherwise the location marked default, else
 * the server default `default` (backup_controller.prepareBackupRequest).
 */
export function chooseLocationName(
  requested: string | undefined,
  locations: readonly LocationObject[],
): { readonly name: string; readonly serverSpecified: boolean } {
  if (requested !== undefined && requested !== '') return { name: requested, serverSpecified: false };
  const marked = locations.find((l) => l.spec?.default === true);
  return { name: marked?.metadata.name ?? defaultLocationName, serverSpecified: true };
}

export function isAvailable(location: LocationObject): boolean {
  return location.status?.phase === 'Available';
}
