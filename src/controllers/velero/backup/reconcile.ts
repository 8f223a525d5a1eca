/**
 * Effects of the Backup controller: observe the Backup, its namespace's locations and (while
 * InProgress) what the store holds; take the step decideBackup chose. Killed at any line, a
 * restart finds the Backup New (validate again) or InProgress (adopt the stored result if it is
 * complete and this backup's, else run again from scratch — every store write is atomic).
 */
import type { KubeClient } from '../../../client/client.ts';
import { ConnectionError, isNotFound } from '../../../client/errors.ts';
import type { BackupStatus } from '../../../api/velero/backup.ts';
import type { Clock } from '../../../runtime/clock.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../../runtime/controller.ts';
import { errorText } from '../../../runtime/log.ts';
import { backupType, locationType, type BackupObject, type LocationObject } from '../kinds.ts';
import { layout, type BucketLocation, type FileObjectStore } from '../object-store.ts';
import { decideBackup, failedStatus, type StoredBackup } from './decide.ts';
import { RunAborted, runBackup, type StepHook } from './run.ts';

export interface BackupReconcilerOptions {
  readonly store: FileObjectStore;
  readonly clock: Clock;
  readonly onStep?: StepHook | undefined;
}

async function readStored(
  store: FileObjectStore,
  location: BucketLocation,
  name: string,
): Promise<StoredBackup> {
  const hasContents = await store.exists(location, layout.backupContents(location.prefix, name));
  const raw = await store.get(location, layout.backupMetadata(location.prefix, name));
  let metadata: BackupObject | undefined;
  try {
    metadata = raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as BackupObject);
  } catch {
    metadata = undefined;
  }
  return { metadata, hasContents };
}

async function writeStatus(client: KubeClient, backup: BackupObject, status: BackupStatus): Promise<void> {
  // Velero's CRDs have no status subresource; a merge patch writes status without a read-modify-write race.
  await client.patch(
    backup,
    backup.metadata.name,
    { status },
    { type: 'merge', namespace: backup.metadata.namespace ?? '' },
  );
}

export class BackupReconciler implements Reconciler {
  constructor(private readonly options: BackupReconcilerOptions) {}

  async reconcile(request: Request, context: ReconcileContext): Promise<Result | void> {
    const { client, signal, log } = context;
    let backup: BackupObject;
    try {
      backup = await client.get<BackupObject>(backupType, request.name, {
        namespace: request.namespace,
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const phase = backup.status?.phase ?? 'New';
    if (phase !== 'New' && phase !== 'InProgress') return;

    const locations = (
      await client.list<LocationObject>(locationType, { namespace: request.namespace, signal })
    ).items;
    let stored: StoredBackup | undefined;
    if (phase === 'InProgress') {
      const location = locations.find((l) => l.metadata.name === backup.spec?.storageLocation);
      const bucket = location?.spec?.objectStorage;
      if (bucket !== undefined)
        stored = await readStored(
          this.options.store,
          { bucket: bucket.bucket, prefix: bucket.prefix },
          request.name,
        );
    }

    const now = this.options.clock.now();
    const decision = decideBackup({ backup, locations, now, ...(stored !== undefined ? { stored } : {}) });
    switch (decision.action) {
      case 'ignore':
        return;
      case 'start':
      case 'fail-validation':
        // PUT with the resourceVersion read above: a concurrent spec edit makes this fail and re-run.
        await client.update<BackupObject>({
          ...backup,
          metadata: { ...backup.metadata, labels: decision.labels },
          spec: decision.spec,
          status: decision.status,
        });
        log.info('backup validated', { phase: decision.status.phase });
        return;
      case 'adopt':
        await writeStatus(client, backup, decision.status);
        log.info('backup found complete in the object store', { phase: decision.status.phase });
        return;
      case 'fail':
        await writeStatus(client, backup, decision.status);
        return;
      case 'run': {
        let status: BackupStatus;
        try {
          status = await runBackup(backup, decision.location, {
            client,
            store: this.options.store,
            clock: this.options.clock,
            signal,
            onStep: this.options.onStep,
          });
        } catch (error) {
          if (error instanceof RunAborted || signal.aborted) return;
          // The API server being unreachable is not the backup's fault: try again later.
          if (error instanceof ConnectionError) throw error;
          log.error('backup failed', { error: errorText(error) });
          status = failedStatus(backup.status, errorText(error), this.options.clock.now());
        }
        if (signal.aborted) return;
        await writeStatus(client, backup, status);
        log.info('backup finished', { phase: status.phase });
        return;
      }
    }
  }
}
