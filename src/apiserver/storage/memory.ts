/**
 * In-memory MVCC store with etcd's semantics: one global revision, full per-key history so past
 * revisions can be read and watched, and compaction that forgets what lies below a revision.
 *
 * Compaction follows etcd exactly: after `compact(C)` the state *at* C stays readable and watches
 * may start at C; reads below C and watches needing events below C fail. Errors report
 * `compactedAt = C - 1`, the newest revision that is gone.
 */
import type {
  DeleteResult,
  KeyValue,
  ListOptions,
  ListResult,
  Storage,
  WatchEvent,
  WatchHandle,
  WatchSink,
} from './types.ts';
import {
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionCompactedError,
  StorageUnavailableError,
} from './types.ts';

export interface MemoryStorageOptions {
  /** Compact automatically so that (at least) the last this-many revisions stay readable. */
  readonly retainRevisions?: number;
}

/** One state of a key; `kv` undefined is a deletion (tombstone). */
interface Version {
  readonly revision: number;
  readonly kv: KeyValue | undefined;
}

interface Watcher {
  readonly prefix: string;
  readonly sink: WatchSink;
  pending: WatchEvent[];
  scheduled: boolean;
  done: boolean;
}

const chunkSize = 512;

/** First index i with items[i] >= key (items sorted). */
function lowerBound<T>(items: readonly T[], key: string, keyOf: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const identity = (s: string): string => s;
const lastOf = (chunk: readonly string[]): string => chunk[chunk.length - 1]!;

/**
 * A sorted set of strings kept as a list of small sorted chunks, so inserting a key in the middle
 * of 100k keys moves at most a chunk, and a prefix scan starts by binary search.
 * Ordering is JavaScript's UTF-16 code-unit order, which matches etcd's byte order for the ASCII
 * keys Kubernetes uses.
 */
class SortedKeys {
  private readonly chunks: string[][] = [];

  /** Index of the first chunk whose last key is >= key (chunks.length when none is). */
  private chunkFor(key: string): number {
    return lowerBound(this.chunks, key, lastOf);
  }

  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const index = Math.min(this.chunkFor(key), this.chunks.length - 1);
    const chunk = this.chunks[index]!;
    const at = lowerBound(chunk, key, identity);
    if (chunk[at] === key) return;
    chunk.splice(at, 0, key);
    if (chunk.length > chunkSize) this.chunks.splice(index + 1, 0, chunk.splice(chunkSize / 2));
  }

  remove(key: string): void {
    const index = this.chunkFor(key);
    const chunk = this.chunks[index];
    if (!chunk) return;
    const at = lowerBound(chunk, key, identity);
    if (chunk[at] !== key) return;
    chunk.splice(at, 1);
    if (chunk.length === 0) this.chunks.splice(index, 1);
  }

  /** Keys from `start` upwards (excluding `start` itself unless `inclusive`). */
  *from(start: string, inclusive: boolean): Generator<string> {
    let index = this.chunkFor(start);
    const first = this.chunks[index];
    if (!first) return;
    let at = lowerBound(first, start, identity);
    if (!inclusive && first[at] === start) at++;
    for (; index < this.chunks.length; index++, at = 0) {
      const chunk = this.chunks[index]!;
      for (; at < chunk.length; at++) yield chunk[at]!;
    }
  }
}

function eventRevision(event: WatchEvent): number {
  return event.type === 'put' ? event.kv.modRevision : event.revision;
}

function eventKey(event: WatchEvent): string {
  return event.type === 'put' ? event.kv.key : event.key;
}

/** The version visible at `revision`, if the key existed then. */
function visibleAt(versions: readonly Version[], revision: number): KeyValue | undefined {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (versions[mid]!.revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : versions[lo - 1]!.kv;
}

export function createMemoryStorage(options: MemoryStorageOptions = {}): Storage {
  const retain = options.retainRevisions;
  if (retain !== undefined && (!Number.isInteger(retain) || retain < 1)) {
    throw new RangeError(`retainRevisions must be a positive integer, got ${retain}`);
  }

  // A fresh etcd cluster starts at revision 1 with no keys; mirror that so both backends agree.
  let revision = 1;
  /** Every revision <= compactedAt is forgotten. */
  let compactedAt = 0;
  let closed = false;
  const histories = new Map<string, Version[]>();
  const keys = new SortedKeys();
  /** Events with revision > compactedAt live in log[logStart..]; the head is trimmed lazily. */
  let log: WatchEvent[] = [];
  let logStart = 0;
  const watchers = new Set<Watcher>();

  function assertOpen(): void {
    if (closed) throw new StorageUnavailableError('memory', new Error('storage is closed'));
  }

  function latest(key: string): KeyValue | undefined {
    const versions = histories.get(key);
    return versions?.[versions.length - 1]?.kv;
  }

  function checkReadable(requested: number): void {
    if (requested > revision) throw new FutureRevisionError(requested, revision);
    if (requested <= compactedAt) throw new RevisionCompactedError(requested, compactedAt);
  }

  function flush(watcher: Watcher): void {
    watcher.scheduled = false;
    if (watcher.done || watcher.pending.length === 0) return;
    const batch = watcher.pending;
    watcher.pending = [];
    watcher.sink.onEvents(batch);
  }

  function deliver(watcher: Watcher, events: WatchEvent[]): void {
    watcher.pending.push(...events);
    if (watcher.scheduled || watcher.pending.length === 0) return;
    watcher.scheduled = true;
    // Never inside the write call: a sink may call back into the store.
    queueMicrotask(() => flush(watcher));
  }

  function record(key: string, kv: KeyValue | undefined, event: WatchEvent): void {
    let versions = histories.get(key);
    if (!versions) {
      versions = [];
      histories.set(key, versions);
      keys.insert(key);
    }
    versions.push({ revision, kv });
    log.push(event);
    for (const watcher of watchers) {
      if (key.startsWith(watcher.prefix)) deliver(watcher, [event]);
    }
    if (retain !== undefined && revision - retain + 1 > compactedAt + 1) {
      compactTo(revision - retain + 1);
    }
  }

  /** First log index holding an event with revision > after. */
  function logIndexAfter(after: number): number {
    let lo = logStart;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (eventRevision(log[mid]!) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function compactTo(target: number): void {
    const firstKept = logIndexAfter(target - 1);
    const touched = new Set<string>();
    // Only keys written since the last compaction can hold versions that are now superseded.
    for (let i = logStart; i < log.length; i++) {
      const event = log[i]!;
      if (eventRevision(event) > target) break;
      touched.add(eventKey(event));
    }
    for (const key of touched) {
      const versions = histories.get(key);
      if (!versions) continue;
      let base = 0;
      while (base + 1 < versions.length && versions[base + 1]!.revision <= target) base++;
      // A tombstone at or below the target says nothing a missing key would not.
      const drop = versions[base]!.revision <= target && !versions[base]!.kv ? base + 1 : base;
      versions.splice(0, drop);
      if (versions.length === 0) {
        histories.delete(key);
        keys.remove(key);
      }
    }
    compactedAt = target - 1;
    logStart = firstKept;
    if (logStart > 1024 && logStart * 2 > log.length) {
      log = log.slice(logStart);
      logStart = 0;
    }
  }

  return {
    kind: 'memory',

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async currentRevision() {
      assertOpen();
      return revision;
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async get(key) {
      assertOpen();
      return latest(key);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async list(prefix: string, listOptions: ListOptions = {}): Promise<ListResult> {
      assertOpen();
      const at = listOptions.revision || revision;
      checkReadable(at);
      const limit = listOptions.limit ?? 0;
      const after = listOptions.after;
      const startAfter = after !== undefined && after >= prefix;
      const items: KeyValue[] = [];
      let remaining = 0;
      for (const key of keys.from(startAfter ? after : prefix, !startAfter)) {
        if (!key.startsWith(prefix)) break;
        const kv = visibleAt(histories.get(key) ?? [], at);
        if (!kv) continue;
        if (limit > 0 && items.length >= limit) remaining++;
        else items.push(kv);
      }
      return { items, revision: at, more: remaining > 0, remaining };
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async create(key, value) {
      assertOpen();
      if (latest(key)) throw new KeyExistsError(key);
      revision++;
      const kv: KeyValue = { key, value, createRevision: revision, modRevision: revision };
      record(key, kv, { type: 'put', kv, prev: undefined });
      return kv;
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async update(key, value, expectedModRevision) {
      assertOpen();
      const current = latest(key);
      if (!current) throw new KeyNotFoundError(key);
      if (current.modRevision !== expectedModRevision) throw new ConflictError(key, current);
      revision++;
      const kv: KeyValue = {
        key,
        value,
        createRevision: current.createRevision,
        modRevision: revision,
      };
      record(key, kv, { type: 'put', kv, prev: current });
      return kv;
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async delete(key, expectedModRevision): Promise<DeleteResult> {
      assertOpen();
      const current = latest(key);
      if (!current) throw new KeyNotFoundError(key);
      if (expectedModRevision !== undefined && current.modRevision !== expectedModRevision) {
        throw new ConflictError(key, current);
      }
      revision++;
      record(key, undefined, { type: 'delete', key, revision, prev: current });
      return { revision, prev: current };
    },

    watch(prefix, afterRevision, sink): WatchHandle {
      const watcher: Watcher = { prefix, sink, pending: [], scheduled: false, done: false };
      const fail = (error: Error): WatchHandle => {
        watcher.done = true;
        queueMicrotask(() => sink.onError(error));
        return { cancel: () => undefined };
      };
      if (closed) return fail(new StorageUnavailableError('memory', new Error('storage is closed')));
      // The first event this watch needs is afterRevision + 1; it must not have been forgotten.
      if (afterRevision < compactedAt) {
        return fail(new RevisionCompactedError(afterRevision + 1, compactedAt));
      }
      const replay: WatchEvent[] = [];
      for (let i = logIndexAfter(afterRevision); i < log.length; i++) {
        const event = log[i]!;
        if (eventKey(event).startsWith(prefix)) replay.push(event);
      }
      watchers.add(watcher);
      deliver(watcher, replay);
      return {
        cancel: () => {
          watcher.done = true;
          watchers.delete(watcher);
        },
      };
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async compact(target) {
      assertOpen();
      if (target > revision) throw new FutureRevisionError(target, revision);
      // Compacting at or below an earlier compaction is a no-op (etcd would say ErrCompacted).
      if (target <= compactedAt + 1) return;
      compactTo(target);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
    async close() {
      closed = true;
      for (const watcher of watchers) watcher.done = true;
      watchers.clear();
    },
  };
}
