/**
 * Leader election through a coordination.k8s.io/v1 Lease, after client-go's leaderelection: a
 * candidate takes the lease when it is free or its holder has not renewed it for the lease
 * duration (measured on the candidate's own clock from when it last saw the record change, so
 * clock skew between hosts does not matter); every write names the resourceVersion it read, so
 * two candidates can never both win.
 */
import type { KubeClient } from '../client/client.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.ts';
import type { KubeObject } from '../client/object.ts';
import { realClock, type Clock } from './clock.ts';
import { errorText, defaultLogger, type Logger } from './log.ts';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export type Lease = KubeObject<LeaseSpec>;

export const leaseType = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  /** How long a lease holds without renewal; whole seconds in the Lease. Default 15 s. */
  readonly leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long; default 10 s. */
  readonly renewDeadlineMs?: number;
  /** Between attempts to acquire or renew; default 2 s. */
  readonly retryPeriodMs?: number;
  /** Hand the lease back when stopped, so a successor need not wait for expiry; default true. */
  readonly releaseOnCancel?: boolean;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Awaited before the lease is released, so the successor never overlaps with us. */
  onStoppedLeading(): void | Promise<void>;
  onNewLeader?(identity: string): void;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

type Attempt = 'leading' | 'held' | 'failed';

export class LeaderElector {
  private leading = false;
  private observed: LeaseSpec | undefined;
  private observedAt = 0;
  private lastLeader: string | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.clock = options.clock ?? realClock;
    this.log = (options.log ?? defaultLogger).with({
      component: 'leader-election',
      kind: 'Lease',
      namespace: options.namespace,
      name: options.name,
      identity: options.identity,
    });
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs)
      throw new Error('leader election: renewDeadlineMs must be shorter than leaseDurationMs');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last seen in the lease. */
  get leader(): string | undefined {
    return this.lastLeader;
  }

  /** Campaigns, leads, and campaigns again after losing the lease, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) break;
      this.leading = true;
      const leadership = new AbortController();
      this.log.info('started leading');
      try {
        const started = this.options.onStartedLeading(leadership.signal);
        if (started instanceof Promise)
          started.catch((error: unknown) =>
            this.log.error('onStartedLeading failed', { error: errorText(error) }),
          );
      } catch (error) {
        this.log.error('onStartedLeading failed', { error: errorText(error) });
      }
      await this.renew(signal);
      this.leading = false;
      leadership.abort();
      this.log.info('stopped leading');
      try {
        await this.options.onStoppedLeading();
      } catch (error) {
        this.log.error('onStoppedLeading failed', { error: errorText(error) });
      }
      if (signal.aborted && this.options.releaseOnCancel !== false) await this.release();
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if ((await this.attempt(this.renewDeadlineMs)) === 'leading') return true;
      await this.clock.sleep(this.retryPeriodMs * (1 + 0.2 * Math.random()), signal);
    }
    return false;
  }

  /**
   * Returns when leadership is lost or `signal` aborts. No renewal request outlives the renew
   * deadline, which is shorter than the lease: we have stopped leading before anyone else may start.
   */
  private async renew(signal: AbortSignal): Promise<void> {
    let renewedAt = this.clock.now().getTime();
    while (!signal.aborted) {
      await this.clock.sleep(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      const remainingMs = renewedAt + this.renewDeadlineMs - this.clock.now().getTime();
      const outcome = remainingMs > 0 ? await this.attempt(remainingMs) : 'failed';
      const now = this.clock.now().getTime();
      if (outcome === 'leading') renewedAt = now;
      else if (outcome === 'held') {
        this.log.warn('lease taken by another holder', { holder: this.lastLeader });
        return;
      } else if (now - renewedAt >= this.renewDeadlineMs) {
        this.log.warn('could not renew the lease within the renew deadline', {
          renewDeadlineMs: this.renewDeadlineMs,
        });
        return;
      }
    }
  }

  private leaseDurationSeconds(): number {
    return Math.max(1, Math.round(this.leaseDurationMs / 1000));
  }

  private async attempt(timeoutMs: number): Promise<Attempt> {
    const { client, namespace, name, identity } = this.options;
    const now = this.clock.now();
    const call = { namespace, timeoutMs: Math.max(1, Math.round(timeoutMs)) };
    try {
      let lease: Lease;
      try {
        lease = await client.get<Lease>(leaseType, name, call);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        const spec: LeaseSpec = {
          holderIdentity: identity,
          leaseDurationSeconds: this.leaseDurationSeconds(),
          acquireTime: microTime(now),
          renewTime: microTime(now),
          leaseTransitions: 0,
        };
        await client.create<Lease>({ ...leaseType, metadata: { name, namespace }, spec }, call);
        this.observe(spec, now.getTime());
        return 'leading';
      }
      const record = lease.spec ?? {};
      if (JSON.stringify(record) !== JSON.stringify(this.observed)) this.observe(record, now.getTime());
      const holder = record.holderIdentity ?? '';
      const durationMs = (record.leaseDurationSeconds ?? this.leaseDurationSeconds()) * 1000;
      if (holder !== '' && holder !== identity && this.observedAt + durationMs > now.getTime()) return 'held';
      const renewing = holder === identity;
      const spec: LeaseSpec = {
        holderIdentity: identity,
        leaseDurationSeconds: this.leaseDurationSeconds(),
        acquireTime: renewing && record.acquireTime !== undefined ? record.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (record.leaseTransitions ?? 0) + (renewing ? 0 : 1),
      };
      await client.update<Lease>({ ...lease, spec }, call);
      this.observe(spec, now.getTime());
      return 'leading';
    } catch (error) {
      if (!isConflict(error) && !isAlreadyExists(error))
        this.log.warn('lease request failed', { error: errorText(error) });
      return 'failed';
    }
  }

  private observe(record: LeaseSpec, at: number): void {
    this.observed = record;
    this.observedAt = at;
    const holder = record.holderIdentity ?? '';
    if (holder !== '' && holder !== this.lastLeader) {
      this.lastLeader = holder;
      this.options.onNewLeader?.(holder);
    }
  }

  /** Gives the lease up (empty holder), if we still hold it. */
  private async release(): Promise<void> {
    const { client, namespace, name, identity } = this.options;
    try {
      const lease = await client.get<Lease>(leaseType, name, { namespace, timeoutMs: this.renewDeadlineMs });
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(this.clock.now());
      await client.update<Lease>(
        {
          ...lease,
          spec: {
            holderIdentity: '',
            leaseDurationSeconds: 1,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: lease.spec.leaseTransitions ?? 0,
          },
        },
        { namespace, timeoutMs: this.renewDeadlineMs },
      );
      this.log.info('released the lease');
    } catch (error) {
      this.log.warn('could not release the lease', { error: errorText(error) });
    }
  }
}
