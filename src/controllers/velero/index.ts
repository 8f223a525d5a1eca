/**
 * lcm's own Velero: controllers for velero.io/v1 BackupStorageLocation, Backup and Restore that
 * write real Velero-format backups to a filesystem object store and restore from them.
 */
import type { Clock } from '../../runtime/clock.ts';
import { Controller } from '../../runtime/controller.ts';
import type { Logger } from '../../runtime/log.ts';
import { BackupReconciler } from './backup/reconcile.ts';
import type { StepHook } from './backup/run.ts';
import { LocationReconciler } from './bsl/reconcile.ts';
import { backupType, locationType, restoreType } from './kinds.ts';
import { FileObjectStore } from './object-store.ts';
import { RestoreReconciler } from './restore/reconcile.ts';

export interface VeleroControllerOptions {
  /** Directory holding one sub-directory per bucket. */
  readonly objectStoreRoot: string;
  readonly clock: Clock;
  readonly log?: Logger;
  /** Called at each step of a backup run; tests use it to stop the controller there. */
  readonly onBackupStep?: StepHook;
}

export function veleroControllers(options: VeleroControllerOptions): Controller[] {
  const store = new FileObjectStore(options.objectStoreRoot);
  const common = {
    clock: options.clock,
    ...(options.log !== undefined ? { log: options.log } : {}),
  };
  return [
    new Controller({
      name: 'velero-backupstoragelocation',
      for: locationType,
      reconciler: new LocationReconciler({ store, clock: options.clock }),
      ...common,
    }),
    new Controller({
      name: 'velero-backup',
      for: backupType,
      reconciler: new BackupReconciler({ store, clock: options.clock, onStep: options.onBackupStep }),
      ...common,
    }),
    new Controller({
      name: 'velero-restore',
      for: restoreType,
      reconciler: new RestoreReconciler({ store, clock: options.clock }),
      ...common,
    }),
  ];
}

export { FileObjectStore, layout } from './object-store.ts';
export type { BackupStep, StepHook } from './backup/run.ts';
