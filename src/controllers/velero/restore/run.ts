/**
 * Running a validated Restore: read the backup tarball from its location, plan, make sure the
 * target namespaces exist, then create the items in plan order. An item already in the cluster is
 * left alone when it equals the backed-up one; otherwise existingResourcePolicy decides: `update`
 * patches it to the backed-up state, anything else records Velero's warning. Re-running a restore
 * is harmless — what it created last time now exists and is equal — which is its crash recovery.
 */
import type { KubeClient } from '../../../client/client.ts';
import { NoKindMatchError } from '../../../client/discovery.ts';
import { isAlreadyExists, isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import { existingResourcePolicies, labels as veleroLabels } from '../../../api/velero/constants.ts';
import type { RestoreStatus } from '../../../api/velero/restore.ts';
import type { Clock } from '../../../runtime/clock.ts';
import { errorText } from '../../../runtime/log.ts';
import { discoverResources } from '../discovery.ts';
import type { BackupObject, RestoreObject } from '../kinds.ts';
import { LogFile } from '../log-file.ts';
import { layout, type BucketLocation, type FileObjectStore } from '../object-store.ts';
import { resetMetadataAndStatus } from '../select.ts';
import { readTarball } from '../tarball.ts';
import { finishRestore, type ResultSet } from './decide.ts';
import { planRestore, type PlannedItem } from './plan.ts';

export interface RestoreRunContext {
  readonly client: KubeClient;
  readonly store: FileObjectStore;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** How long a custom resource waits for its just-restored CRD to be served. */
  readonly crdWaitMs?: number;
}

export class RestoreAborted extends Error {}

export class BackupDownloadError extends Error {}

class Results {
  readonly set: ResultSet = {};

  add(namespace: string, message: string): void {
    if (namespace === '') (this.set.cluster ??= []).push(message);
    else ((this.set.namespaces ??= {})[namespace] ??= []).push(message);
  }

  velero(message: string): void {
    (this.set.velero ??= []).push(message);
  }
}

function isRecordValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecordValue(a) && isRecordValue(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const other = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === other.length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** RFC 7386 merge patch turning `from` into `to` (jsonpatch.CreateMergePatch). */
export function mergePatch(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const old = from[key];
    if (isRecordValue(old) && isRecordValue(value)) {
      const nested = mergePatch(old, value);
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (!deepEqual(old, value)) patch[key] = value;
  }
  for (const key of Object.keys(from))
    if (from[key] !== undefined && to[key] === undefined) patch[key] = null;
  return patch;
}

function itemId(item: PlannedItem): string {
  return item.namespace === ''
    ? `${item.groupResource}/${item.name}`
    : `${item.groupResource}/${item.namespace}/${item.name}`;
}

const namespaceType = { apiVersion: 'v1', kind: 'Namespace' } as const;

export async function runRestore(
  restore: RestoreObject,
  backup: BackupObject,
  location: BucketLocation,
  context: RestoreRunContext,
): Promise<RestoreStatus> {
  const { client, store, clock, signal } = context;
  const restoreName = restore.metadata.name;
  const backupName = backup.metadata.name;
  const log = new LogFile(() => clock.now(), {
    restore: `${restore.metadata.namespace ?? ''}/${restoreName}`,
  });
  const warnings = new Results();
  const errors = new Results();
  const policy = restore.spec?.existingResourcePolicy ?? '';

  const tarball = store.pathOf(location, layout.backupContents(location.prefix, backupName));
  if (!(await store.exists(location, layout.backupContents(location.prefix, backupName))))
    throw new BackupDownloadError(
      `error downloading backup: backup ${backupName} has no tarball in bucket ${location.bucket} (${tarball})`,
    );
  log.add('info', `Starting restore of backup ${backup.metadata.namespace ?? ''}/${backupName}`);
  const archive = await readTarball(tarball);
  const catalog = await discoverResources(client, signal);
  const plan = planRestore({
    restoreName,
    backupName,
    spec: restore.spec ?? {},
    items: archive.items,
    catalog,
  });
  for (const { item, reason } of plan.skipped) log.add('info', `Skipping ${item}: ${reason}`);

  const unusable = new Map<string, string>();
  for (const namespace of plan.bareNamespaces) {
    const problem = await ensureNamespace(client, namespace, signal);
    if (problem !== undefined) unusable.set(namespace, problem);
  }

  let itemsRestored = 0;
  for (const item of plan.items) {
    if (signal.aborted) throw new RestoreAborted(itemId(item));
    const blocked = unusable.get(item.namespace);
    if (blocked !== undefined) {
      errors.add(item.namespace, `error restoring ${itemId(item)}: ${blocked}`);
      continue;
    }
    await restoreItem(item);
    itemsRestored++;
  }

  const status = finishRestore(
    restore.status,
    { totalItems: plan.items.length, itemsRestored, warnings: warnings.set, errors: errors.set },
    clock.now(),
  );
  log.add('info', `restore completed with phase ${status.phase ?? ''}`);
  await store.putGzip(
    location,
    layout.restoreResults(location.prefix, restoreName),
    JSON.stringify({ warnings: warnings.set, errors: errors.set }),
  );
  await store.putGzip(location, layout.restoreLog(location.prefix, restoreName), log.text());
  return status;

  async function create(object: KubeObject): Promise<void> {
    const deadline = clock.now().getTime() + (context.crdWaitMs ?? 30_000);
    for (;;) {
      try {
        await client.create(object, { signal });
        return;
      } catch (error) {
        // A CRD restored a moment ago may not be served yet.
        if (!(error instanceof NoKindMatchError) || clock.now().getTime() >= deadline) throw error;
        await clock.sleep(250, signal);
        if (signal.aborted) throw new RestoreAborted('waiting for a CRD');
      }
    }
  }

  async function restoreItem(item: PlannedItem): Promise<void> {
    const { object } = item;
    const namespaceOpt = item.namespace !== '' ? { namespace: item.namespace } : {};
    try {
      await create(object);
      log.add('info', `Restored ${itemId(item)}`);
      if (item.groupResource === 'namespaces') unusable.delete(item.name);
      return;
    } catch (error) {
      if (signal.aborted) throw new RestoreAborted(itemId(item));
      if (!isAlreadyExists(error)) {
        errors.add(item.namespace, `error restoring ${itemId(item)}: ${errorText(error)}`);
        log.add('error', `error restoring ${itemId(item)}: ${errorText(error)}`);
        return;
      }
    }
    let existing: KubeObject;
    try {
      existing = await client.get(object, item.name, { ...namespaceOpt, signal });
    } catch (error) {
      if (signal.aborted) throw new RestoreAborted(itemId(item));
      warnings.add(item.namespace, errorText(error));
      return;
    }
    if (item.groupResource === 'namespaces' && existing.metadata.deletionTimestamp !== undefined)
      unusable.set(item.name, `namespace ${item.name} is terminating`);
    const labels = object.metadata.labels ?? {};
    const fromCluster = resetMetadataAndStatus(existing);
    fromCluster.metadata.labels = {
      ...fromCluster.metadata.labels,
      [veleroLabels.backupName]: labels[veleroLabels.backupName] ?? '',
      [veleroLabels.restoreName]: labels[veleroLabels.restoreName] ?? '',
    };
    const same = deepEqual(fromCluster, object);
    if (same && policy !== existingResourcePolicies.update) {
      log.add(
        'info',
        `Restore of ${item.name} skipped: it already exists in the cluster and is the same as the backed up version`,
      );
      return;
    }
    if (!same && policy !== existingResourcePolicies.update) {
      const message =
        policy === existingResourcePolicies.none
          ? `could not restore, ${object.kind} ${JSON.stringify(item.name)} already exists. Warning: the in-cluster version is different than the backed-up version`
          : `could not restore, ${object.kind}:${item.name} already exists. Warning: the in-cluster version is different than the backed-up version`;
      warnings.add(item.namespace, message);
      log.add('warning', message);
      return;
    }
    // existingResourcePolicy update: bring the object to the backed-up state (labels included).
    const patch = mergePatch(resetMetadataAndStatus(existing), object);
    if (Object.keys(patch).length === 0) return;
    try {
      await client.patch(object, item.name, patch, { type: 'merge', ...namespaceOpt, signal });
      log.add('info', `Updated ${itemId(item)} to the backed-up version`);
    } catch (error) {
      if (signal.aborted) throw new RestoreAborted(itemId(item));
      const message = `could not update ${itemId(item)} to the backed-up version: ${errorText(error)}`;
      warnings.add(item.namespace, message);
      log.add('warning', message);
    }
  }
}

/** Creates a bare namespace unless it exists; says why it cannot take items, if it cannot. */
async function ensureNamespace(
  client: KubeClient,
  name: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  try {
    const existing = await client.get(namespaceType, name, { signal });
    return existing.metadata.deletionTimestamp === undefined ? undefined : `namespace ${name} is terminating`;
  } catch (error) {
    if (!isNotFound(error)) return `cannot read namespace ${name}: ${errorText(error)}`;
  }
  try {
    await client.create({ ...namespaceType, metadata: { name } }, { signal });
    return undefined;
  } catch (error) {
    return isAlreadyExists(error) ? undefined : `cannot create namespace ${name}: ${errorText(error)}`;
  }
}
