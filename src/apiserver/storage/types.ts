/**
 * The storage contract the API server is written against. Two implementations keep the same
 * semantics: real etcd (etcd.ts) and an in-memory MVCC store (memory.ts). Revisions are etcd's:
 * one global, strictly increasing counter; every write gets a new one, and an object's
 * resourceVersion is the modRevision of its key.
 */

export interface KeyValue {
  readonly key: string;
  /** The stored object, as JSON text. */
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
}

export interface ListOptions {
  /** Read the state as of this revision (0 or absent: the latest). */
  readonly revision?: number;
  /** At most this many items (0 or absent: all). */
  readonly limit?: number;
  /** Only keys strictly greater than this one (for pagination). */
  readonly after?: string;
}

export interface ListResult {
  readonly items: KeyValue[];
  /** The revision the list was read at. */
  readonly revision: number;
  /** True when more keys under the prefix follow the last returned item. */
  readonly more: boolean;
  /** How many keys under the prefix follow the last returned item (for remainingItemCount). */
  readonly remaining?: number;
}

export type WatchEvent =
  | { readonly type: 'put'; readonly kv: KeyValue; readonly prev: KeyValue | undefined }
  | {
      readonly type: 'delete';
      readonly key: string;
      readonly revision: number;
      readonly prev: KeyValue | undefined;
    };

export interface WatchSink {
  /** Events in revision order; one call per store revision batch. */
  onEvents(events: readonly WatchEvent[]): void;
  /** The watch ended for good (RevisionCompactedError, StorageUnavailableError…); no more events follow. */
  onError(error: Error): void;
}

export interface WatchHandle {
  cancel(): void;
}

export interface DeleteResult {
  readonly revision: number;
  readonly prev: KeyValue;
}

export interface Storage {
  readonly kind: 'etcd' | 'memory';
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Creates the key; KeyExistsError when it is already there. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces the value only if the key's modRevision is still `expectedModRevision`;
   * otherwise ConflictError (carrying the current value) or KeyNotFoundError.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /** Deletes the key, only at `expectedModRevision` when given; ConflictError / KeyNotFoundError. */
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult>;
  /** Streams every change under `prefix` with a revision greater than `afterRevision`. */
  watch(prefix: string, afterRevision: number, sink: WatchSink): WatchHandle;
  /** Forgets history up to `revision`; older reads and watches fail with RevisionCompactedError. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key ${key} already exists`);
    this.name = 'KeyExistsError';
  }
}

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key ${key} not found`);
    this.name = 'KeyNotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(
    readonly key: string,
    readonly current: KeyValue | undefined,
  ) {
    super(`key ${key} was modified (now at revision ${current?.modRevision ?? 'deleted'})`);
    this.name = 'ConflictError';
  }
}

export class RevisionCompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compactedAt: number,
  ) {
    super(`revision ${requested} has been compacted (oldest available is ${compactedAt + 1})`);
    this.name = 'RevisionCompactedError';
  }
}

export class FutureRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`revision ${requested} is newer than the store's current revision ${current}`);
    this.name = 'FutureRevisionError';
  }
}

export class StorageUnavailableError extends Error {
  constructor(
    readonly backend: string,
    cause: unknown,
  ) {
    super(
      `storage unavailable: ${backend} did not answer (${cause instanceof Error ? cause.message : String(cause)})`,
    );
    this.name = 'StorageUnavailableError';
    this.cause = cause;
  }
}
