/**
 * Owner-reference garbage collection: when every owner of an object is gone, the object is
 * deleted (background); an owner deleted in the foreground waits for its dependents; an owner
 * deleted with `orphan` releases them. The dependency graph is kept from the server's watch.
 */
import { ApiError } from '../errors.ts';
import type { KubeObject, OwnerReference } from '../object.ts';
import type { Scope } from '../rest/objects.ts';
import type { KeyValue, WatchEvent } from '../storage/types.ts';
import type { Outcome } from './keyed-queue.ts';
import { StoreController } from './store-controller.ts';
import { parseStored, targetOfKey, type ServerCore } from './core.ts';

interface Node {
  readonly uid: string;
  readonly owners: readonly string[];
}

export class GarbageCollector extends StoreController {
  private readonly nodes = new Map<string, Node>();
  private readonly keyOfUid = new Map<string, string>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  constructor(core: ServerCore, log: (message: string) => void) {
    super(core, 'garbage collector', log);
  }

  /** Seeds the graph from a full list taken at the revision the hub started from. */
  seed(items: readonly KeyValue[]): void {
    for (const kv of items) this.put(kv.key, parseStored(kv.value));
    for (const [key, node] of this.nodes) {
      if (node.owners.some((uid) => !this.keyOfUid.has(uid))) this.queue.add(`dependent:${key}`);
    }
  }

  private put(key: string, object: KubeObject | undefined): void {
    if (object === undefined || !key.startsWith('/registry/')) return;
    this.remove(key);
    const uid = object.metadata.uid ?? '';
    const owners = (object.metadata.ownerReferences ?? []).map((ref) => ref.uid);
    this.nodes.set(key, { uid, owners });
    this.keyOfUid.set(uid, key);
    for (const owner of owners) {
      const set = this.dependentsOf.get(owner) ?? new Set<string>();
      set.add(key);
      this.dependentsOf.set(owner, set);
    }
  }

  private remove(key: string): Node | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    this.nodes.delete(key);
    if (this.keyOfUid.get(node.uid) === key) this.keyOfUid.delete(node.uid);
    for (const owner of node.owners) this.dependentsOf.get(owner)?.delete(key);
    return node;
  }

  protected observe(events: readonly WatchEvent[]): void {
    for (const event of events) {
      if (event.type === 'put') {
        const object = parseStored(event.kv.value);
        this.put(event.kv.key, object);
        if (object === undefined) continue;
        const finalizers = object.metadata.finalizers ?? [];
        if (object.metadata.deletionTimestamp !== undefined) {
          if (finalizers.includes('foregroundDeletion')) this.queue.add(`foreground:${event.kv.key}`);
          if (finalizers.includes('orphan')) this.queue.add(`orphan:${event.kv.key}`);
        }
        if ((object.metadata.ownerReferences ?? []).some((ref) => !this.keyOfUid.has(ref.uid))) {
          this.queue.add(`dependent:${event.kv.key}`);
        }
      } else {
        const node = this.remove(event.key);
        if (node === undefined) continue;
        for (const dependent of this.dependentsOf.get(node.uid) ?? [])
          this.queue.add(`dependent:${dependent}`);
      }
    }
  }

  protected async process(item: string): Promise<Outcome> {
    const colon = item.indexOf(':');
    const action = item.slice(0, colon);
    const key = item.slice(colon + 1);
    const target = targetOfKey(this.core, key);
    if (target === undefined) return 'done';
    switch (action) {
      case 'dependent':
        return this.collectDependent(target.scope, target.name);
      case 'foreground':
        return this.deleteForeground(target.scope, target.name);
      case 'orphan':
        return this.orphan(target.scope, target.name);
      default:
        return 'done';
    }
  }

  /** Is this owner reference's object still there (same uid)? */
  private async ownerExists(scope: Scope, ref: OwnerReference): Promise<boolean> {
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    const type = scope.cluster
      .all()
      .find((t) => t.group === group && t.version === version && t.kind === ref.kind);
    if (type === undefined) return this.keyOfUid.has(ref.uid);
    const owner = await this.core.objects.tryGet(
      { cluster: scope.cluster, type, namespace: type.namespaced ? scope.namespace : undefined },
      ref.name,
    );
    return owner !== undefined && owner.metadata.uid === ref.uid;
  }

  private async collectDependent(scope: Scope, name: string): Promise<Outcome> {
    const object = await this.core.objects.tryGet(scope, name);
    const refs = object?.metadata.ownerReferences ?? [];
    if (object === undefined || refs.length === 0) return 'done';
    const alive: OwnerReference[] = [];
    for (const ref of refs) if (await this.ownerExists(scope, ref)) alive.push(ref);
    if (alive.length === refs.length) return 'done';
    try {
      if (alive.length === 0) {
        if (object.metadata.deletionTimestamp === undefined) {
          await this.core.objects.delete(scope, name, {
            propagationPolicy: 'Background',
            preconditions: { uid: object.metadata.uid ?? '' },
          });
        }
      } else {
        const aliveUids = new Set(alive.map((r) => r.uid));
        await this.core.objects.update(scope, name, (current) => ({
          ...current,
          metadata: {
            ...current.metadata,
            ownerReferences: (current.metadata.ownerReferences ?? []).filter((r) => aliveUids.has(r.uid)),
          },
        }));
      }
    } catch (error) {
      if (error instanceof ApiError && (error.code === 404 || error.code === 409)) return 'done';
      throw error;
    }
    return 'done';
  }

  private dependentTargets(uid: string): { scope: Scope; name: string }[] {
    return [...(this.dependentsOf.get(uid) ?? [])].flatMap((key) => {
      const target = targetOfKey(this.core, key);
      return target === undefined ? [] : [target];
    });
  }

  private async removeFinalizer(scope: Scope, name: string, finalizer: string): Promise<void> {
    try {
      await this.core.objects.update(scope, name, (current) => ({
        ...current,
        metadata: {
          ...current.metadata,
          finalizers: (current.metadata.finalizers ?? []).filter((f) => f !== finalizer),
        },
      }));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }

  private async deleteForeground(scope: Scope, name: string): Promise<Outcome> {
    const owner = await this.core.objects.tryGet(scope, name);
    if (
      owner?.metadata.deletionTimestamp === undefined ||
      !(owner.metadata.finalizers ?? []).includes('foregroundDeletion')
    )
      return 'done';
    let waiting = 0;
    for (const dependent of this.dependentTargets(owner.metadata.uid ?? '')) {
      const object = await this.core.objects.tryGet(dependent.scope, dependent.name);
      if (object === undefined) continue;
      waiting++;
      if (object.metadata.deletionTimestamp === undefined) {
        try {
          await this.core.objects.delete(dependent.scope, dependent.name, {
            propagationPolicy: 'Foreground',
          });
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 404)) throw error;
        }
      }
    }
    if (waiting > 0) return 'retry';
    await this.removeFinalizer(scope, name, 'foregroundDeletion');
    return 'done';
  }

  private async orphan(scope: Scope, name: string): Promise<Outcome> {
    const owner = await this.core.objects.tryGet(scope, name);
    if (
      owner?.metadata.deletionTimestamp === undefined ||
      !(owner.metadata.finalizers ?? []).includes('orphan')
    )
      return 'done';
    const uid = owner.metadata.uid ?? '';
    for (const dependent of this.dependentTargets(uid)) {
      try {
        await this.core.objects.update(dependent.scope, dependent.name, (current) => ({
          ...current,
          metadata: {
            ...current.metadata,
            ownerReferences: (current.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid),
          },
        }));
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    await this.removeFinalizer(scope, name, 'orphan');
    return 'done';
  }
}
