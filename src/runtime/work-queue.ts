/**
 * The controller work queue (client-go's workqueue): a key is queued at most once, a key added
 * while it is being processed is handed out again only after `done`, failing keys come back with
 * per-key exponential backoff, and shutdown lets in-flight and queued work drain.
 */
import { realClock, type Clock, type Timer } from './clock.ts';

export interface WorkQueueOptions {
  readonly clock?: Clock;
  /** First retry delay of a failing key; default 5 ms (client-go's default). */
  readonly baseDelayMs?: number;
  /** Cap of the per-key retry delay; default 60 s. */
  readonly maxDelayMs?: number;
}

export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  /** Keys waiting to be handed out (in `queue`, or re-queued once processing ends). */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly delayed = new Map<K, { readonly due: number; readonly timer: Timer }>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private readonly drained: (() => void)[] = [];
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
  }

  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds `key` once `delayMs` has passed; an earlier pending add of the same key wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const due = this.clock.now().getTime() + delayMs;
    const pending = this.delayed.get(key);
    if (pending !== undefined) {
      if (pending.due <= due) return;
      pending.timer.cancel();
    }
    const timer = this.clock.setTimer(delayMs, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { due, timer });
  }

  /** Adds `key` after its backoff: base × 2^failures, capped; each call counts a failure. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.nextDelay(key));
  }

  /** Clears the failure count of `key` (it succeeded). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process, or undefined once shut down and empty. Call `done` after. */
  get(): Promise<K | undefined> {
    const key = this.pop();
    if (key !== undefined || this.shuttingDown) return Promise.resolve(key);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
    this.checkDrained();
  }

  /** Stops taking keys; pending delayed adds are dropped; `get` returns what is left, then undefined. */
  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    if (this.queue.length === 0) for (const getter of this.getters.splice(0)) getter(undefined);
    this.checkDrained();
  }

  /** Shuts down and resolves once every queued and in-flight key is done. */
  shutdownWithDrain(): Promise<void> {
    const drained = new Promise<void>((resolve) => this.drained.push(resolve));
    this.shutdown();
    this.checkDrained();
    return drained;
  }

  private nextDelay(key: K): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** failures);
  }

  private push(key: K): void {
    const getter = this.getters.shift();
    if (getter === undefined) {
      this.queue.push(key);
      return;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    getter(key);
  }

  private pop(): K | undefined {
    if (this.queue.length === 0) return undefined;
    const key = this.queue.shift() as K;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private checkDrained(): void {
    if (!this.shuttingDown) return;
    if (this.queue.length === 0) for (const getter of this.getters.splice(0)) getter(undefined);
    if (this.queue.length === 0 && this.processing.size === 0)
      for (const resolve of this.drained.splice(0)) resolve();
  }
}
