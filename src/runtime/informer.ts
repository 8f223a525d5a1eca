/**
 * A list + watch cache of one kind (client-go's reflector and indexer): lists, then watches from
 * the list's resourceVersion; when a stream ends it resumes from the last version it saw, so no
 * event is lost or seen twice; on 410 Gone it lists again and reports the difference as events;
 * on other failures it retries with capped, jittered exponential backoff.
 */
import type { KubeClient } from '../client/client.ts';
import { isGone } from '../client/errors.ts';
import { objectKey, type KubeObject, type WatchEvent } from '../client/object.ts';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { realClock, type Clock } from './clock.ts';
import { errorText, defaultLogger, type Logger } from './log.ts';

export interface InformerSource {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent: every namespace. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface InformerOptions extends InformerSource {
  readonly client: KubeClient;
  /** Names the cluster in logs. */
  readonly cluster?: string;
  readonly clock?: Clock;
  readonly backoff?: BackoffOptions;
  readonly log?: Logger;
  /** Items per list page; default 500. */
  readonly pageSize?: number;
  /** The server ends each watch after this long (randomised up to twice as long); default 300 s. */
  readonly watchTimeoutSeconds?: number;
}

export interface EventHandlers<T extends KubeObject> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, object: T): void;
  onDelete?(object: T): void;
}

/** A watch that ends this fast without an event counts as a failure (the server keeps closing it). */
const shortWatchMs = 1000;

export class Informer<T extends KubeObject = KubeObject> {
  private readonly store = new Map<string, T>();
  private readonly handlers = new Set<EventHandlers<T>>();
  private readonly syncWaiters = new Set<() => void>();
  private synced = false;
  private resourceVersion: string | undefined;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly options: InformerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = (options.log ?? defaultLogger).with({
      component: 'informer',
      ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
      kind: options.kind,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    });
  }

  /** Registers handlers; once synced, the new handler first hears every cached object as an add. */
  addHandlers(handlers: EventHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.synced) for (const object of this.store.values()) this.call(handlers, 'onAdd', object);
    return () => this.handlers.delete(handlers);
  }

  start(): void {
    if (this.running !== undefined) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run(abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.running = undefined;
    for (const resolve of this.syncWaiters) resolve();
    this.syncWaiters.clear();
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is in the cache; false if stopped (or `signal` aborts) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        this.syncWaiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve(this.synced);
      };
      this.syncWaiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** `namespace` is '' (or absent) for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(objectKey({ metadata: { name, ...(namespace ? { namespace } : {}) } }));
  }

  list(): T[] {
    return [...this.store.values()];
  }

  /** The resourceVersion the cache reflects (from the last list, event or bookmark). */
  get lastResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(this.options.backoff);
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist(signal);
          needList = false;
        }
        const started = this.clock.now().getTime();
        let events = 0;
        for await (const event of this.options.client.watch<T>(this.options, {
          ...this.selection(),
          ...(this.resourceVersion !== undefined ? { resourceVersion: this.resourceVersion } : {}),
          allowWatchBookmarks: true,
          timeoutSeconds: Math.round((this.options.watchTimeoutSeconds ?? 300) * (1 + Math.random())),
          signal,
        })) {
          events++;
          this.apply(event);
        }
        if (signal.aborted) break;
        if (events > 0 || this.clock.now().getTime() - started >= shortWatchMs) {
          backoff.reset();
          this.log.debug('watch ended; resuming', { resourceVersion: this.resourceVersion });
        } else {
          await this.clock.sleep(backoff.next(), signal);
        }
      } catch (error) {
        if (signal.aborted) break;
        if (isGone(error) && !needList) {
          this.log.info('resourceVersion too old; relisting', { resourceVersion: this.resourceVersion });
          needList = true;
          continue;
        }
        const delayMs = Math.round(backoff.next());
        this.log.warn(needList ? 'list failed' : 'watch failed', {
          error: errorText(error),
          retryInMs: delayMs,
        });
        await this.clock.sleep(delayMs, signal);
      }
    }
  }

  private selection(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    const { namespace, labelSelector, fieldSelector } = this.options;
    return {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(labelSelector !== undefined ? { labelSelector } : {}),
      ...(fieldSelector !== undefined ? { fieldSelector } : {}),
    };
  }

  private async listAll(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let resourceVersion: string | undefined;
    let next: string | undefined;
    try {
      do {
        const page = await this.options.client.list<T>(this.options, {
          ...this.selection(),
          limit: this.options.pageSize ?? 500,
          ...(next !== undefined ? { continue: next } : {}),
          signal,
        });
        items.push(...page.items);
        resourceVersion ??= page.metadata.resourceVersion;
        next = page.metadata.continue || undefined;
      } while (next !== undefined);
    } catch (error) {
      // The continue token expired between pages: one unpaged list instead.
      if (!isGone(error) || next === undefined) throw error;
      const whole = await this.options.client.list<T>(this.options, { ...this.selection(), signal });
      return { items: whole.items, resourceVersion: whole.metadata.resourceVersion };
    }
    return { items, resourceVersion: resourceVersion ?? '' };
  }

  /** Replaces the cache with a fresh list, telling handlers what was added, changed or removed. */
  private async relist(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await this.listAll(signal);
    const seen = new Set<string>();
    for (const object of items) {
      const key = objectKey(object);
      seen.add(key);
      const previous = this.store.get(key);
      this.store.set(key, object);
      if (previous === undefined) this.emit('onAdd', object);
      else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion)
        this.emit('onUpdate', previous, object);
    }
    for (const [key, previous] of this.store) {
      if (seen.has(key)) continue;
      this.store.delete(key);
      this.emit('onDelete', previous);
    }
    this.resourceVersion = resourceVersion;
    this.log.debug('listed', { items: items.length, resourceVersion });
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters) resolve();
      this.syncWaiters.clear();
    }
  }

  private apply(event: WatchEvent<T>): void {
    const { object } = event;
    const version = object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (version !== undefined) this.resourceVersion = version;
      return;
    }
    const key = objectKey(object);
    const previous = this.store.get(key);
    if (event.type === 'DELETED') {
      this.store.delete(key);
      this.emit('onDelete', object);
    } else {
      this.store.set(key, object);
      if (previous === undefined) this.emit('onAdd', object);
      else this.emit('onUpdate', previous, object);
    }
    if (version !== undefined) this.resourceVersion = version;
  }

  private emit(kind: 'onAdd' | 'onDelete', object: T): void;
  private emit(kind: 'onUpdate', previous: T, object: T): void;
  private emit(kind: keyof EventHandlers<T>, first: T, second?: T): void {
    for (const handlers of this.handlers) this.call(handlers, kind, first, second);
  }

  private call(handlers: EventHandlers<T>, kind: keyof EventHandlers<T>, first: T, second?: T): void {
    try {
      if (kind === 'onUpdate') handlers.onUpdate?.(first, second ?? first);
      else handlers[kind]?.(first);
    } catch (error) {
      this.log.error('event handler failed', {
        event: kind,
        name: first.metadata.name,
        error: errorText(error),
      });
    }
  }
}
