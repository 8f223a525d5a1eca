/**
 * Effects of the Restore controller: observe the Restore with its namespace's Backups and
 * locations, take the step decideRestore chose. A Restore found InProgress after a restart is
 * simply run again (see run.ts for why that is safe).
 */
import type { KubeClient } from '../../../client/client.ts';
import { ConnectionError, isNotFound } from '../../../client/errors.ts';
import type { RestoreStatus } from '../../../api/velero/restore.ts';
import type { Clock } from '../../../runtime/clock.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../../runtime/controller.ts';
import { errorText } from '../../../runtime/log.ts';
import {
  backupType,
  locationType,
  restoreType,
  type BackupObject,
  type LocationObject,
  type RestoreObject,
} from '../kinds.ts';
import type { FileObjectStore } from '../object-store.ts';
import { decideRestore, failedRestore } from './decide.ts';
import { RestoreAborted, runRestore } from './run.ts';

export interface RestoreReconcilerOptions {
  readonly store: FileObjectStore;
  readonly clock: Clock;
}

async function writeStatus(client: KubeClient, restore: RestoreObject, status: RestoreStatus): Promise<void> {
  await client.patch(
    restore,
    restore.metadata.name,
    { status },
    { type: 'merge', namespace: restore.metadata.namespace ?? '' },
  );
}

export class RestoreReconciler implements Reconciler {
  constructor(private readonly options: RestoreReconcilerOptions) {}

  async reconcile(request: Request, context: ReconcileContext): Promise<Result | void> {
    const { client, signal, log } = context;
    let restore: RestoreObject;
    try {
      restore = await client.get<RestoreObject>(restoreType, request.name, {
        namespace: request.namespace,
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const phase = restore.status?.phase ?? 'New';
    if (phase !== 'New' && phase !== 'InProgress') return;

    const [backups, locations] = await Promise.all([
      client.list<BackupObject>(backupType, { namespace: request.namespace, signal }),
      client.list<LocationObject>(locationType, { namespace: request.namespace, signal }),
    ]);
    const decision = decideRestore({
      restore,
      backups: backups.items,
      locations: locations.items,
      now: this.options.clock.now(),
    });
    switch (decision.action) {
      case 'ignore':
        return;
      case 'start':
      case 'fail-validation':
        await client.update<RestoreObject>({ ...restore, spec: decision.spec, status: decision.status });
        log.info('restore validated', { phase: decision.status.phase });
        return;
      case 'fail':
        await writeStatus(client, restore, decision.status);
        return;
      case 'run': {
        let status: RestoreStatus;
        try {
          status = await runRestore(restore, decision.backup, decision.location, {
            client,
            store: this.options.store,
            clock: this.options.clock,
            signal,
          });
        } catch (error) {
          if (error instanceof RestoreAborted || signal.aborted) return;
          if (error instanceof ConnectionError) throw error;
          log.error('restore failed', { error: errorText(error) });
          status = failedRestore(restore.status, errorText(error), this.options.clock.now());
        }
        if (signal.aborted) return;
        await writeStatus(client, restore, status);
        log.info('restore finished', { phase: status.phase });
        return;
      }
    }
  }
}
