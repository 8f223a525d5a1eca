/**
 * The reconcile loop: informers on the primary kind (and on kinds it owns or watches) turn events
 * into requests for primary objects; a bounded number of workers call the reconciler for each,
 * one at a time per object; failures come back with per-object backoff.
 */
import type { KubeClient } from '../client/client.ts';
import { groupOf, type KubeObject, type OwnerReference } from '../client/object.ts';
import type { ClusterClient } from '../client/cluster-set.ts';
import { realClock, type Clock } from './clock.ts';
import type { InformerSource } from './informer.ts';
import { InformerCache } from './informer-cache.ts';
import { errorText, defaultLogger, type Logger } from './log.ts';
import { WorkQueue } from './work-queue.ts';

export interface Request {
  readonly cluster: string;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

export interface Result {
  readonly requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** The client of the request's cluster. */
  readonly client: KubeClient;
  /** Aborted when the controller stops (or loses leadership): stop at the next safe point. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface Reconciler {
  reconcile(request: Request, context: ReconcileContext): Promise<Result | void>;
}

export interface WatchedSource extends InformerSource {
  /** The primary objects an event on `object` concerns. */
  map(object: KubeObject, cluster: string): readonly Request[];
}

export interface ControllerOptions {
  /** Names the controller in logs. */
  readonly name: string;
  readonly for: InformerSource;
  /** Kinds whose controller ownerReference points at a primary object. */
  readonly owns?: readonly InformerSource[];
  readonly watches?: readonly WatchedSource[];
  readonly reconciler: Reconciler;
  /** Objects reconciled at once; default 1. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

interface Running {
  readonly queue: WorkQueue<string>;
  readonly abort: AbortController;
  readonly workers: Promise<void>;
  readonly clients: ReadonlyMap<string, KubeClient>;
  readonly cache: InformerCache;
  readonly ownCache: boolean;
  readonly unsubscribe: (() => void)[];
}

export function requestKey(request: Request): string {
  return JSON.stringify([request.cluster, request.namespace, request.name]);
}

function parseKey(key: string): Request {
  const [cluster, namespace, name] = JSON.parse(key) as [string, string, string];
  return { cluster, namespace, name };
}

export class Controller {
  private running: Running | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly options: ControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = (options.log ?? defaultLogger).with({ controller: options.name });
  }

  get name(): string {
    return this.options.name;
  }

  /** Starts watching every cluster and reconciling; `cache` shares informers with other controllers. */
  start(clusters: readonly ClusterClient[], cache?: InformerCache): void {
    if (this.running !== undefined) throw new Error(`controller ${this.name} is already running`);
    const queue = new WorkQueue<string>({
      clock: this.clock,
      ...(this.options.baseDelayMs !== undefined ? { baseDelayMs: this.options.baseDelayMs } : {}),
      ...(this.options.maxDelayMs !== undefined ? { maxDelayMs: this.options.maxDelayMs } : {}),
    });
    const abort = new AbortController();
    const shared = cache ?? new InformerCache({ clock: this.clock, log: this.log });
    const unsubscribe: (() => void)[] = [];
    const clients = new Map(clusters.map((c) => [c.name, c.client]));
    const enqueue = (request: Request): void => queue.add(requestKey(request));

    for (const { name: cluster, client } of clusters) {
      const primary = shared.informer(cluster, client, this.options.for);
      const toRequest = (object: KubeObject): void =>
        enqueue({ cluster, namespace: object.metadata.namespace ?? '', name: object.metadata.name });
      unsubscribe.push(
        primary.addHandlers({
          onAdd: toRequest,
          onUpdate: (_previous, object) => toRequest(object),
          onDelete: toRequest,
        }),
      );
      for (const owned of this.options.owns ?? []) {
        const informer = shared.informer(cluster, client, owned);
        const toOwner = (object: KubeObject): void => this.enqueueOwner(cluster, client, object, enqueue);
        unsubscribe.push(
          informer.addHandlers({
            onAdd: toOwner,
            onUpdate: (previous, object) => {
              toOwner(previous);
              toOwner(object);
            },
            onDelete: toOwner,
          }),
        );
      }
      for (const watched of this.options.watches ?? []) {
        const informer = shared.informer(cluster, client, watched);
        const mapped = (object: KubeObject): void => {
          for (const request of watched.map(object, cluster)) enqueue(request);
        };
        unsubscribe.push(
          informer.addHandlers({
            onAdd: mapped,
            onUpdate: (previous, object) => {
              mapped(previous);
              mapped(object);
            },
            onDelete: mapped,
          }),
        );
      }
    }

    const workers = Array.from({ length: Math.max(1, this.options.concurrency ?? 1) }, () =>
      this.work(queue, clients, abort.signal),
    );
    this.running = {
      queue,
      abort,
      workers: Promise.all(workers).then(() => undefined),
      clients,
      cache: shared,
      ownCache: cache === undefined,
      unsubscribe,
    };
    this.log.info('started', { clusters: clusters.map((c) => c.name), kind: this.options.for.kind });
  }

  /** Stops taking work, lets in-flight reconciles finish (their signal is aborted), stops informers it owns. */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    for (const off of running.unsubscribe) off();
    running.abort.abort();
    await running.queue.shutdownWithDrain();
    await running.workers;
    if (running.ownCache) await running.cache.stop();
    this.log.info('stopped');
  }

  /** Queues a request by hand (a timer, an external event). */
  enqueue(request: Request): void {
    this.running?.queue.add(requestKey(request));
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  private enqueueOwner(
    cluster: string,
    client: KubeClient,
    object: KubeObject,
    enqueue: (request: Request) => void,
  ): void {
    const primary = this.options.for;
    const owners = (object.metadata.ownerReferences ?? []).filter(
      (ref: OwnerReference) =>
        ref.controller === true &&
        ref.kind === primary.kind &&
        groupOf(ref.apiVersion) === groupOf(primary.apiVersion),
    );
    if (owners.length === 0) return;
    const namespace = object.metadata.namespace ?? '';
    if (namespace === '') {
      for (const ref of owners) enqueue({ cluster, namespace: '', name: ref.name });
      return;
    }
    // A namespaced object's owner is in its namespace, unless the owner's kind is cluster-scoped.
    client.resourceFor(primary.apiVersion, primary.kind).then(
      (info) => {
        for (const ref of owners)
          enqueue({ cluster, namespace: info.namespaced ? namespace : '', name: ref.name });
      },
      (error: unknown) =>
        this.log.warn('cannot map owned object to its owner', {
          cluster,
          kind: object.kind,
          namespace,
          name: object.metadata.name,
          error: errorText(error),
        }),
    );
  }

  private async work(
    queue: WorkQueue<string>,
    clients: ReadonlyMap<string, KubeClient>,
    signal: AbortSignal,
  ): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        if (!signal.aborted) await this.process(key, queue, clients, signal);
      } finally {
        queue.done(key);
      }
    }
  }

  private async process(
    key: string,
    queue: WorkQueue<string>,
    clients: ReadonlyMap<string, KubeClient>,
    signal: AbortSignal,
  ): Promise<void> {
    const request = parseKey(key);
    const client = clients.get(request.cluster);
    if (client === undefined) return;
    const log = this.log.with({
      cluster: request.cluster,
      kind: this.options.for.kind,
      ...(request.namespace !== '' ? { namespace: request.namespace } : {}),
      name: request.name,
    });
    const started = this.clock.now().getTime();
    try {
      const result = await this.options.reconciler.reconcile(request, { client, signal, log });
      queue.forget(key);
      const after = result?.requeueAfterMs;
      // 0 means "again now" (the next step of a multi-step reconcile), not "never".
      if (after !== undefined && after >= 0) queue.addAfter(key, after);
      log.debug('reconciled', {
        durationMs: this.clock.now().getTime() - started,
        ...(after !== undefined ? { requeueAfterMs: after } : {}),
      });
    } catch (error) {
      if (signal.aborted) return;
      queue.addRateLimited(key);
      log.error('reconcile failed', { error: errorText(error), retries: queue.numRequeues(key) });
    }
  }
}
