/**
 * Runs a process's controllers across every logical cluster it manages — a client per kubeconfig
 * context, or an explicit list — sharing one informer cache, optionally only while it holds a
 * leader-election lease (so two replicas never reconcile at once).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { ClusterSet, type ClusterClient } from '../client/cluster-set.ts';
import type { KubeClient } from '../client/client.ts';
import type { BackoffOptions } from './backoff.ts';
import { realClock, type Clock } from './clock.ts';
import type { Controller } from './controller.ts';
import { InformerCache } from './informer-cache.ts';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.ts';
import { errorText, defaultLogger, type Logger } from './log.ts';

export interface ManagerLeaderElection extends Omit<
  LeaderElectionOptions,
  'client' | 'identity' | 'onStartedLeading' | 'onStoppedLeading' | 'clock' | 'log'
> {
  /** Where the Lease lives; default the first cluster's client (the hub). */
  readonly client?: KubeClient;
  /** Default `<hostname>_<uuid>`. */
  readonly identity?: string;
}

export interface ManagerOptions {
  readonly clusters: ClusterSet | readonly ClusterClient[];
  readonly leaderElection?: ManagerLeaderElection;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly informerBackoff?: BackoffOptions;
}

export class Manager {
  private readonly controllers: Controller[] = [];
  private readonly clusters: readonly ClusterClient[];
  private readonly clock: Clock;
  private readonly log: Logger;
  private cacheInUse: InformerCache | undefined;
  private elector: LeaderElector | undefined;
  private electing: { readonly abort: AbortController; readonly done: Promise<void> } | undefined;
  /** Starting and stopping controllers happen one after the other, never interleaved. */
  private transitions: Promise<void> = Promise.resolve();
  private started = false;

  constructor(private readonly options: ManagerOptions) {
    this.clusters = options.clusters instanceof ClusterSet ? options.clusters.clusters() : options.clusters;
    if (this.clusters.length === 0) throw new Error('a manager needs at least one cluster');
    this.clock = options.clock ?? realClock;
    this.log = (options.log ?? defaultLogger).with({ component: 'manager' });
  }

  add(controller: Controller): void {
    if (this.started) throw new Error(`add controller ${controller.name} before starting the manager`);
    this.controllers.push(controller);
  }

  /** The informers of the running controllers (undefined while not leading). */
  get cache(): InformerCache | undefined {
    return this.cacheInUse;
  }

  clusterNames(): string[] {
    return this.clusters.map((c) => c.name);
  }

  /** Without leader election: true while started. */
  isLeader(): boolean {
    return this.elector === undefined ? this.started : this.elector.isLeader();
  }

  /** Starts the controllers now, or — with leader election — whenever this process leads. */
  start(): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    const election = this.options.leaderElection;
    if (election === undefined) return this.transition(() => this.startControllers());
    const first = this.clusters[0] as ClusterClient;
    const elector = new LeaderElector({
      ...election,
      client: election.client ?? first.client,
      identity: election.identity ?? `${os.hostname()}_${randomUUID()}`,
      clock: this.clock,
      log: this.options.log ?? defaultLogger,
      onStartedLeading: () => this.transition(() => this.startControllers()),
      onStoppedLeading: () => this.transition(() => this.stopControllers()),
    });
    this.elector = elector;
    const abort = new AbortController();
    const done = elector
      .run(abort.signal)
      .catch((error: unknown) =>
        this.log.error('leader election ended with an error', { error: errorText(error) }),
      );
    this.electing = { abort, done };
    return Promise.resolve();
  }

  /** Stops the controllers (letting in-flight reconciles finish) and, if leading, releases the lease. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.electing !== undefined) {
      this.electing.abort.abort();
      await this.electing.done;
      this.electing = undefined;
    }
    await this.transition(() => this.stopControllers());
  }

  private transition(step: () => Promise<void> | void): Promise<void> {
    this.transitions = this.transitions
      .then(step)
      .catch((error: unknown) =>
        this.log.error('starting or stopping controllers failed', { error: errorText(error) }),
      );
    return this.transitions;
  }

  private startControllers(): void {
    if (this.cacheInUse !== undefined) return;
    const cache = new InformerCache({
      clock: this.clock,
      log: this.options.log ?? defaultLogger,
      ...(this.options.informerBackoff !== undefined ? { backoff: this.options.informerBackoff } : {}),
    });
    this.cacheInUse = cache;
    for (const controller of this.controllers) controller.start(this.clusters, cache);
    this.log.info('controllers started', {
      controllers: this.controllers.map((c) => c.name),
      clusters: this.clusterNames(),
    });
  }

  private async stopControllers(): Promise<void> {
    const cache = this.cacheInUse;
    if (cache === undefined) return;
    await Promise.all(this.controllers.map((c) => c.stop()));
    await cache.stop();
    this.cacheInUse = undefined;
    this.log.info('controllers stopped');
  }
}
