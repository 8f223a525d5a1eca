/**
 * One store watch over every object, fanned out to API watchers. Recent events stay in a
 * replay window so a client resuming from a recent resourceVersion is served from memory; older
 * resumes open their own store watch (and get 410 Gone if that history was compacted).
 */
import type { Storage, WatchEvent, WatchHandle } from './storage/types.ts';
import { RevisionCompactedError } from './storage/types.ts';

export interface HubSubscriber {
  readonly prefix: string;
  onEvents(events: readonly WatchEvent[]): void;
  onError(error: Error): void;
}

function revisionOf(event: WatchEvent): number {
  return event.type === 'put' ? event.kv.modRevision : event.revision;
}

export class WatchHub {
  private readonly window: WatchEvent[] = [];
  private readonly subscribers = new Set<HubSubscriber>();
  private handle: WatchHandle | undefined;
  /** Every event after this revision is either in the window or still to come. */
  private windowStart: number;
  private lastSeen: number;
  private closed = false;
  private readonly listeners = new Set<(events: readonly WatchEvent[]) => void>();

  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
    startRevision: number,
    private readonly windowSize = 20_000,
  ) {
    this.windowStart = startRevision;
    this.lastSeen = startRevision;
    this.open();
  }

  /** The newest revision the hub has delivered (for bookmarks). */
  get revision(): number {
    return this.lastSeen;
  }

  private open(): void {
    this.handle = this.storage.watch(this.prefix, this.lastSeen, {
      onEvents: (events) => this.deliver(events),
      onError: (error) => this.restart(error),
    });
  }

  private deliver(events: readonly WatchEvent[]): void {
    const fresh = events.filter((e) => revisionOf(e) > this.lastSeen);
    if (fresh.length === 0) return;
    this.lastSeen = revisionOf(fresh[fresh.length - 1] as WatchEvent);
    this.window.push(...fresh);
    if (this.window.length > this.windowSize) {
      const dropped = this.window.splice(0, this.window.length - this.windowSize);
      this.windowStart = revisionOf(dropped[dropped.length - 1] as WatchEvent);
    }
    for (const listener of this.listeners) listener(fresh);
    for (const subscriber of this.subscribers) {
      const mine = fresh.filter((e) => (e.type === 'put' ? e.kv.key : e.key).startsWith(subscriber.prefix));
      if (mine.length > 0) subscriber.onEvents(mine);
    }
  }

  private restart(error: Error): void {
    if (this.closed) return;
    if (error instanceof RevisionCompactedError) {
      // The hub fell behind compaction: subscribers cannot be caught up exactly.
      for (const subscriber of this.subscribers) subscriber.onError(error);
      this.subscribers.clear();
      this.window.length = 0;
      void this.storage.currentRevision().then(
        (rev) => {
          this.lastSeen = rev;
          this.windowStart = rev;
          if (!this.closed) this.open();
        },
        () => setTimeout(() => this.restart(error), 500).unref(),
      );
      return;
    }
    setTimeout(() => {
      if (!this.closed) this.open();
    }, 200).unref();
  }

  /** Listens to every event under the hub's prefix (controllers of the server itself). */
  listen(listener: (events: readonly WatchEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Subscribes from `afterRevision`: replays from the window when it covers that point, else
   * falls back to a direct store watch.
   */
  subscribe(subscriber: HubSubscriber, afterRevision: number): WatchHandle {
    if (afterRevision >= this.windowStart) {
      const replay = this.window.filter(
        (e) =>
          revisionOf(e) > afterRevision &&
          (e.type === 'put' ? e.kv.key : e.key).startsWith(subscriber.prefix),
      );
      if (replay.length > 0) subscriber.onEvents(replay);
      // The client may already know revisions the hub has not delivered yet.
      const live: HubSubscriber = {
        prefix: subscriber.prefix,
        onEvents: (events) => {
          const newer = events.filter((e) => revisionOf(e) > afterRevision);
          if (newer.length > 0) subscriber.onEvents(newer);
        },
        onError: (error) => subscriber.onError(error),
      };
      this.subscribers.add(live);
      return { cancel: () => this.subscribers.delete(live) };
    }
    return this.storage.watch(subscriber.prefix, afterRevision, subscriber);
  }

  /**
   * Ends every subscription under `prefix` with 410 Gone: what it watched was replaced wholesale
   * (a simulated host rebooted into another stateroot), so clients must list again.
   */
  expire(prefix: string): void {
    for (const subscriber of [...this.subscribers]) {
      if (!subscriber.prefix.startsWith(prefix)) continue;
      this.subscribers.delete(subscriber);
      subscriber.onError(new RevisionCompactedError(this.lastSeen, this.lastSeen));
    }
  }

  /** Drops window entries at or below a compacted revision, so resumes there get 410 like the store. */
  compacted(revision: number): void {
    if (revision <= this.windowStart) return;
    const keep = this.window.filter((e) => revisionOf(e) > revision);
    this.window.splice(0, this.window.length, ...keep);
    this.windowStart = Math.max(this.windowStart, revision);
  }

  close(): void {
    this.closed = true;
    this.handle?.cancel();
    this.subscribers.clear();
    this.listeners.clear();
  }
}
