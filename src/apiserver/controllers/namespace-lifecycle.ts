/**
 * Deleting a namespace deletes its contents: while a namespace is Terminating, every namespaced
 * object in it is deleted; once none is left, the `kubernetes` finalizer is removed and the
 * namespace goes.
 */
import { ApiError } from '../errors.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import type { WatchEvent } from '../storage/types.ts';
import type { Outcome } from './keyed-queue.ts';
import { StoreController } from './store-controller.ts';
import { parseStored, targetOfKey, type ServerCore } from './core.ts';

function isNamespaceKey(key: string): boolean {
  return /^\/registry\/[^/]+\/core\/namespaces\/[^/]+$/.test(key);
}

function storedTypes(types: readonly ResourceType[]): ResourceType[] {
  const byResource = new Map<string, ResourceType>();
  for (const t of types) {
    if (!t.namespaced) continue;
    const id = `${t.group}/${t.resource}`;
    if (!byResource.has(id) || t.version === t.storageVersion) byResource.set(id, t);
  }
  return [...byResource.values()];
}

export class NamespaceLifecycle extends StoreController {
  constructor(core: ServerCore, log: (message: string) => void) {
    super(core, 'namespace controller', log);
  }

  /** Picks up namespaces that were Terminating when the server stopped. */
  resume(keys: readonly string[]): void {
    for (const key of keys) this.queue.add(key);
  }

  protected observe(events: readonly WatchEvent[]): void {
    for (const event of events) {
      if (event.type !== 'put' || !isNamespaceKey(event.kv.key)) continue;
      const object = parseStored(event.kv.value);
      if (object?.metadata.deletionTimestamp !== undefined) this.queue.add(event.kv.key);
    }
  }

  protected async process(key: string): Promise<Outcome> {
    const target = targetOfKey(this.core, key);
    if (target === undefined) return 'done';
    const { objects } = this.core;
    const namespace = await objects.tryGet(target.scope, target.name);
    if (namespace?.metadata.deletionTimestamp === undefined) return 'done';
    let remaining = 0;
    for (const type of storedTypes(target.scope.cluster.all())) {
      const scope = { cluster: target.scope.cluster, type, namespace: target.name };
      const { items } = await objects.list(scope);
      remaining += items.length;
      for (const item of items) {
        if (item.metadata.deletionTimestamp !== undefined) continue;
        try {
          await objects.delete(scope, item.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 404)) throw error;
        }
      }
    }
    if (remaining > 0) return 'retry';
    await objects.update(
      target.scope,
      target.name,
      (current) => {
        const spec = (current.spec ?? {}) as { finalizers?: string[] };
        return {
          ...current,
          spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') },
        };
      },
      { subresource: 'finalize' },
    );
    return 'done';
  }
}
