/**
 * Running a validated Backup: read discovery, list the chosen resource types, keep what the
 * filters select (plus the PersistentVolumes and CRDs those items need), and write the object
 * store files. The tarball, resource list and log go first; velero-backup.json, which says the
 * backup is complete, goes last — so the store never claims a backup whose tarball is missing.
 */
import type { KubeClient } from '../../../client/client.ts';
import { isNotFound } from '../../../client/errors.ts';
import type { KubeObject } from '../../../client/object.ts';
import type { Clock } from '../../../runtime/clock.ts';
import { errorText } from '../../../runtime/log.ts';
import { discoverResources } from '../discovery.ts';
import type { BackupObject } from '../kinds.ts';
import { LogFile } from '../log-file.ts';
import { layout, type BucketLocation, type FileObjectStore } from '../object-store.ts';
import {
  backupNamespaces,
  crdResource,
  groupResourceOf,
  namespacesResource,
  persistentVolumesResource,
  planBackup,
  relatedObjects,
  selectItems,
  type ApiResource,
  type BackupItem,
} from '../select.ts';
import { writeTarball, type ArchiveItem } from '../tarball.ts';
import { finishBackup, type BackupRunResult } from './decide.ts';
import type { BackupStatus } from '../../../api/velero/backup.ts';

/** Points a backup run passes; tests stop the controller at one to play a crash. */
export type BackupStep = 'collected' | 'contents-written' | 'metadata-written';

export type StepHook = (step: BackupStep, backup: BackupObject, signal: AbortSignal) => Promise<void>;

export interface BackupRunContext {
  readonly client: KubeClient;
  readonly store: FileObjectStore;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly onStep?: StepHook | undefined;
}

/** The controller was stopped mid-run: nothing more may be written. */
export class RunAborted extends Error {}

const pageSize = 500;

async function listAll(
  client: KubeClient,
  resource: ApiResource,
  signal: AbortSignal,
): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.list(resource, {
      limit: pageSize,
      signal,
      ...(token !== undefined ? { continue: token } : {}),
    });
    items.push(...page.items);
    token = page.metadata.continue === '' ? undefined : page.metadata.continue;
  } while (token !== undefined);
  return items;
}

function archiveItem(resource: ApiResource, object: KubeObject): ArchiveItem {
  return {
    groupResource: groupResourceOf(resource),
    version: resource.version,
    namespace: resource.namespaced ? (object.metadata.namespace ?? '') : '',
    name: object.metadata.name,
    object: { ...object, apiVersion: resource.apiVersion, kind: resource.kind },
  };
}

function byPath(a: ArchiveItem, b: ArchiveItem): number {
  return (
    a.groupResource.localeCompare(b.groupResource) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}

/** `apps/v1/Deployment` → sorted `namespace/name` entries: Velero's resource list file. */
function resourceList(items: readonly ArchiveItem[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const key = `${item.object.apiVersion}/${item.object.kind}`;
    (out[key] ??= []).push(item.namespace === '' ? item.name : `${item.namespace}/${item.name}`);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

async function step(context: BackupRunContext, name: BackupStep, backup: BackupObject): Promise<void> {
  if (context.signal.aborted) throw new RunAborted(name);
  await context.onStep?.(name, backup, context.signal);
  if (context.signal.aborted) throw new RunAborted(name);
}

/** Writes the backup to `location` and returns the status it finished with. */
export async function runBackup(
  backup: BackupObject,
  location: BucketLocation,
  context: BackupRunContext,
): Promise<BackupStatus> {
  const { client, store, clock, signal } = context;
  const name = backup.metadata.name;
  const log = new LogFile(() => clock.now(), { backup: `${backup.metadata.namespace ?? ''}/${name}` });
  log.add('info', 'Starting backup');
  let errors = 0;
  const warnings = 0;

  const catalog = await discoverResources(client, signal);
  const plan = planBackup(backup.spec ?? {}, catalog);
  const listed: BackupItem[] = [];
  for (const resource of plan.resources) {
    try {
      for (const object of await listAll(client, resource, signal)) listed.push({ resource, object });
    } catch (error) {
      if (signal.aborted) throw new RunAborted('list');
      errors++;
      log.add('error', `Error listing items: ${errorText(error)}`, { resource: groupResourceOf(resource) });
    }
  }
  const items = selectItems(plan, listed);

  const namespaceType = catalog.find((r) => groupResourceOf(r) === namespacesResource);
  if (plan.includeNamespaceObjects && namespaceType !== undefined) {
    try {
      const namespaces = await listAll(client, namespaceType, signal);
      for (const ns of backupNamespaces(plan, namespaces, items))
        items.push({ resource: namespaceType, object: ns });
    } catch (error) {
      if (signal.aborted) throw new RunAborted('list');
      errors++;
      log.add('error', `Error listing namespaces: ${errorText(error)}`);
    }
  }

  const related = relatedObjects(plan, items);
  const wanted: [string, string[]][] = [
    [persistentVolumesResource, related.persistentVolumes],
    [crdResource, related.crds],
  ];
  for (const [resourceName, names] of wanted) {
    const resource = catalog.find((r) => groupResourceOf(r) === resourceName);
    if (resource === undefined) continue;
    for (const objectName of names) {
      try {
        items.push({ resource, object: await client.get(resource, objectName, { signal }) });
        log.add('info', 'Backing up related item', { resource: resourceName, name: objectName });
      } catch (error) {
        if (signal.aborted) throw new RunAborted('get');
        // A built-in resource has no CRD; a claim's volume may be gone. Neither is an error.
        if (isNotFound(error)) continue;
        errors++;
        log.add('error', `Error getting related item: ${errorText(error)}`, {
          resource: resourceName,
          name: objectName,
        });
      }
    }
  }

  const archive = items.map((i) => archiveItem(i.resource, i.object)).sort(byPath);
  for (const item of archive)
    log.add('info', 'Backed up item', {
      resource: item.groupResource,
      ...(item.namespace !== '' ? { namespace: item.namespace } : {}),
      name: item.name,
    });
  await step(context, 'collected', backup);

  const now = clock.now();
  await store.putStream(location, layout.backupContents(location.prefix, name), (out) =>
    writeTarball(out, archive, now),
  );
  await step(context, 'contents-written', backup);

  const result: BackupRunResult = {
    totalItems: archive.length,
    itemsBackedUp: archive.length,
    errors,
    warnings,
  };
  const status = finishBackup(backup.status, result, clock.now());
  log.add('info', `Backup completed with phase ${status.phase ?? ''}`);
  await store.putGzip(
    location,
    layout.backupResourceList(location.prefix, name),
    JSON.stringify(resourceList(archive)),
  );
  await store.putGzip(location, layout.backupLog(location.prefix, name), log.text());
  const metadata: BackupObject = {
    ...backup,
    metadata: { ...backup.metadata, managedFields: undefined },
    status,
  };
  await store.put(location, layout.backupMetadata(location.prefix, name), JSON.stringify(metadata, null, 2));
  await step(context, 'metadata-written', backup);
  return status;
}
