/**
 * CRD lifecycle: serving follows the stored CRDs (also CRDs written by another server process or
 * restored from a backup), and deleting a CRD first deletes all of its custom resources
 * (the `customresourcecleanup.apiextensions.k8s.io` finalizer).
 */
import { servedNatively } from '../clusters.ts';
import { ApiError } from '../errors.ts';
import type { KubeObject } from '../object.ts';
import type { WatchEvent } from '../storage/types.ts';
import type { Outcome } from './keyed-queue.ts';
import { StoreController } from './store-controller.ts';
import { parseStored, targetOfKey, type ServerCore } from './core.ts';

export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

const crdKey = /^\/registry\/([^/]+)\/apiextensions\.k8s\.io\/customresourcedefinitions\/([^/]+)$/;

export class CrdLifecycle extends StoreController {
  constructor(core: ServerCore, log: (message: string) => void) {
    super(core, 'crd controller', log);
  }

  resume(keys: readonly string[]): void {
    for (const key of keys) this.queue.add(key);
  }

  protected observe(events: readonly WatchEvent[]): void {
    for (const event of events) {
      const key = event.type === 'put' ? event.kv.key : event.key;
      const match = crdKey.exec(key);
      if (!match) continue;
      const cluster = this.core.cluster(match[1] ?? '');
      if (cluster === undefined) continue;
      if (event.type === 'delete') {
        cluster.removeCrd(match[2] ?? '');
        continue;
      }
      const crd = parseStored(event.kv.value);
      if (crd === undefined) continue;
      cluster.setCrd(crd);
      if (crd.metadata.deletionTimestamp !== undefined) this.queue.add(key);
    }
  }

  protected async process(key: string): Promise<Outcome> {
    const target = targetOfKey(this.core, key);
    if (target === undefined) return 'done';
    const { objects } = this.core;
    const crd = await objects.tryGet(target.scope, target.name);
    if (crd?.metadata.deletionTimestamp === undefined) return 'done';
    const spec = crd.spec as { group?: string; names?: { plural?: string } };
    const type = target.scope.cluster.storageType(spec.group ?? '', spec.names?.plural ?? '');
    // A CRD shadowed by a built-in resource serves nothing: the built-in's objects are not its own.
    if (type !== undefined && !servedNatively(spec.group ?? '', spec.names?.plural ?? '')) {
      const scope = { cluster: target.scope.cluster, type, namespace: undefined };
      const { items } = await objects.list(scope);
      for (const item of items) {
        if (item.metadata.deletionTimestamp !== undefined) continue;
        try {
          await objects.delete({ ...scope, namespace: item.metadata.namespace }, item.metadata.name ?? '');
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 404)) throw error;
        }
      }
      if (items.length > 0) return 'retry';
    }
    await objects.update(target.scope, target.name, (current: KubeObject) => ({
      ...current,
      metadata: {
        ...current.metadata,
        finalizers: (current.metadata.finalizers ?? []).filter((f) => f !== crdCleanupFinalizer),
      },
    }));
    return 'done';
  }
}
