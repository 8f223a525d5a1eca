/**
 * Informers shared by every controller of a process: one per (cluster, apiVersion, kind,
 * namespace, selectors), so two controllers watching ConfigMaps in a cluster share one watch.
 */
import type { KubeClient } from '../client/client.ts';
import type { KubeObject } from '../client/object.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Clock } from './clock.ts';
import { Informer, type InformerSource } from './informer.ts';
import { defaultLogger, type Logger } from './log.ts';

export interface InformerCacheOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly backoff?: BackoffOptions;
  readonly watchTimeoutSeconds?: number;
}

export class InformerCache {
  private readonly informers = new Map<string, Informer>();
  private stopped = false;

  constructor(private readonly options: InformerCacheOptions = {}) {}

  /** The started informer for `source` in `cluster`, created on first use. */
  informer<T extends KubeObject = KubeObject>(
    cluster: string,
    client: KubeClient,
    source: InformerSource,
  ): Informer<T> {
    if (this.stopped) throw new Error('the informer cache is stopped');
    const key = JSON.stringify([
      cluster,
      source.apiVersion,
      source.kind,
      source.namespace ?? '',
      source.labelSelector ?? '',
      source.fieldSelector ?? '',
    ]);
    let informer = this.informers.get(key);
    if (informer === undefined) {
      informer = new Informer({
        ...source,
        client,
        cluster,
        log: this.options.log ?? defaultLogger,
        ...(this.options.clock !== undefined ? { clock: this.options.clock } : {}),
        ...(this.options.backoff !== undefined ? { backoff: this.options.backoff } : {}),
        ...(this.options.watchTimeoutSeconds !== undefined
          ? { watchTimeoutSeconds: this.options.watchTimeoutSeconds }
          : {}),
      });
      this.informers.set(key, informer);
      informer.start();
    }
    // One cache entry serves every caller of the same source; callers name the object type.
    return informer as unknown as Informer<T>;
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    this.informers.clear();
  }
}
