/** velero.io: the Backup, Restore and BackupStorageLocation kinds OADP installs. */
import type { KindDefinition } from '../kind.ts';
import { backupStorageLocationKind } from './backup-storage-location.ts';
import { backupKind } from './backup.ts';
import { restoreKind } from './restore.ts';

export * as velero from './constants.ts';
export * from './backup.ts';
export * from './restore.ts';
export * from './backup-storage-location.ts';
export * from '../kube-types.ts';

export const kinds: readonly KindDefinition[] = [backupKind, restoreKind, backupStorageLocationKind];
