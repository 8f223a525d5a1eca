/** Effects of the BackupStorageLocation controller: probe the bucket, write status, sync backups. */
import type { KubeClient } from '../../../client/client.ts';
import { isAlreadyExists, isNotFound } from '../../../client/errors.ts';
import type { Clock } from '../../../runtime/clock.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../../runtime/controller.ts';
import type { Logger } from '../../../runtime/log.ts';
import { errorText } from '../../../runtime/log.ts';
import { backupType, bucketOf, locationType, type BackupObject, type LocationObject } from '../kinds.ts';
import { layout, type FileObjectStore } from '../object-store.ts';
import { backupsToSync, decideLocation, syncedBackup } from './decide.ts';

export interface LocationReconcilerOptions {
  readonly store: FileObjectStore;
  readonly clock: Clock;
}

export class LocationReconciler implements Reconciler {
  constructor(private readonly options: LocationReconcilerOptions) {}

  async reconcile(request: Request, context: ReconcileContext): Promise<Result | void> {
    const { client, signal, log } = context;
    let location: LocationObject;
    try {
      location = await client.get<LocationObject>(locationType, request.name, {
        namespace: request.namespace,
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (location.metadata.deletionTimestamp !== undefined) return;
    const storeProblem = await this.options.store.problem(bucketOf(location));
    const decision = decideLocation({ location, storeProblem, now: this.options.clock.now() });
    // Available is written before any backup is synced: whoever sees a synced Backup (the agent's
    // post-pivot restore) must also see its location Available, or Velero fails the Restore's validation.
    if (decision.status !== undefined) {
      await client.patch(
        location,
        location.metadata.name,
        { status: decision.status },
        { type: 'merge', namespace: request.namespace, signal },
      );
      if (decision.status.phase !== location.status?.phase)
        log.info('backup storage location validated', { phase: decision.status.phase });
    }
    if (decision.sync) await this.sync(client, location, log, signal);
    return decision.requeueAfterMs !== undefined ? { requeueAfterMs: decision.requeueAfterMs } : undefined;
  }

  private async sync(
    client: KubeClient,
    location: LocationObject,
    log: Logger,
    signal: AbortSignal,
  ): Promise<void> {
    const bucket = bucketOf(location);
    const namespace = location.metadata.namespace ?? '';
    const stored = await this.options.store.listBackups(bucket);
    if (stored.length === 0) return;
    const present = await client.list<BackupObject>(backupType, { namespace, signal });
    for (const name of backupsToSync(stored, present.items)) {
      const raw = await this.options.store.get(bucket, layout.backupMetadata(bucket.prefix, name));
      // A backup still being written has no velero-backup.json yet.
      if (raw === undefined) continue;
      let backup: BackupObject;
      try {
        backup = JSON.parse(raw.toString('utf8')) as BackupObject;
      } catch (error) {
        log.warn('unreadable velero-backup.json', { backup: name, error: errorText(error) });
        continue;
      }
      try {
        await client.create(syncedBackup(backup, location), { signal });
        log.info('synced backup from the object store', { backup: name });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
  }
}
