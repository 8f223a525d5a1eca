/**
 * Storage on a real etcd (v3 API) through the `etcd3` client's low-level KV and Watch services.
 *
 * etcd3's retry and circuit-breaker policies are replaced by no-ops and every unary call gets a
 * deadline, so an outage surfaces within `requestTimeoutMs` as StorageUnavailableError; the gRPC
 * channel reconnects by itself, so the same Storage works again once etcd is back.
 *
 * Watches use their own gRPC stream rather than etcd3's WatchBuilder: WatchBuilder resumes after a
 * reconnect from the revision in the watch's "created" header (skipping events it had not yet
 * replayed) and drops the compact revision of a cancelled watch. Here each watch remembers the
 * next revision it owes its sink, resumes from exactly there, and drops anything already delivered.
 */
import { ClientClosedError, Etcd3, isRecoverableError } from 'etcd3';
import type { ICompare, IDuplexStream, IKeyValue, IRequestOp, IWatchRequest, IWatchResponse } from 'etcd3';
import { noop } from 'cockatiel';
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

export interface EtcdStorageOptions {
  /** `http://host:port` client URLs. */
  readonly endpoints: string[];
  /** Deadline of each unary call; default 5000. */
  readonly requestTimeoutMs?: number;
}

const backend = 'etcd';
const compactedText = 'required revision has been compacted';
const futureText = 'required revision is a future revision';
const watchRetryMinMs = 50;
const watchRetryMaxMs = 1000;

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The end of etcd's range for every key starting with `prefix` ('\0' = to the end of the keyspace). */
function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

function toKeyValue(kv: IKeyValue): KeyValue {
  return {
    key: kv.key.toString('utf8'),
    value: kv.value.toString('utf8'),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

/** etcd's prev_kv of a key that did not exist comes back as an empty default message. */
function presentKeyValue(kv: IKeyValue | null | undefined): KeyValue | undefined {
  return kv && Number(kv.create_revision) > 0 ? toKeyValue(kv) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isUnavailable(error: unknown): boolean {
  return error instanceof ClientClosedError || (error instanceof Error && isRecoverableError(error));
}

/**
 * Connects lazily: creation does not wait for etcd, so an API server can start while etcd is still
 * coming up; calls made meanwhile fail with StorageUnavailableError.
 */
export function createEtcdStorage(options: EtcdStorageOptions): Promise<Storage> {
  const timeoutMs = options.requestTimeoutMs ?? 5000;
  const client = new Etcd3({
    hosts: options.endpoints,
    faultHandling: { host: () => noop, global: noop },
    // gRPC's 4 MiB default would fail any list over 4 MiB (10k ConfigMaps); kube-apiserver allows 2 GiB.
    grpcOptions: {
      'grpc.max_receive_message_length': 2 ** 31 - 1,
      'grpc.max_send_message_length': 2 ** 31 - 1,
    },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeoutMs }),
  });
  const kv = client.kv;
  /** The newest compaction revision this client has seen, to word RevisionCompactedError. */
  let knownCompaction = 0;
  let closed = false;
  const watches = new Set<EtcdWatch>();

  async function call<T>(run: () => Promise<T>, requestedRevision?: number): Promise<T> {
    if (closed) throw new StorageUnavailableError(backend, new Error('storage is closed'));
    try {
      return await run();
    } catch (error) {
      throw await translate(error, requestedRevision);
    }
  }

  async function translate(error: unknown, requested: number | undefined): Promise<Error> {
    const message = messageOf(error);
    if (requested !== undefined && message.includes(compactedText)) {
      // etcd does not say where it compacted; the newest we know of (or at least `requested`).
      return new RevisionCompactedError(requested, Math.max(knownCompaction - 1, requested));
    }
    if (requested !== undefined && message.includes(futureText)) {
      const current = await currentRevision().catch(() => requested - 1);
      return new FutureRevisionError(requested, current);
    }
    if (isUnavailable(error) && !message.includes('RESOURCE_EXHAUSTED'))
      return new StorageUnavailableError(backend, error);
    return error instanceof Error ? error : new Error(message);
  }

  async function currentRevision(): Promise<number> {
    // Any read returns the store revision in its header; a one-key range on "\0" is the cheapest.
    const response = await kv.range({ key: Buffer.from([0]), limit: 1 });
    return Number(response.header.revision);
  }

  async function getLatest(key: string): Promise<KeyValue | undefined> {
    const response = await kv.range({ key: bytes(key) });
    const first = response.kvs[0];
    return first ? toKeyValue(first) : undefined;
  }

  const readOp = (key: string): IRequestOp => ({ request_range: { key: bytes(key) } });

  /** The failure branch of a guarded write read the key: it is either gone or changed. */
  function rejectionFor(key: string, failure: IKeyValue | undefined): Error {
    return failure ? new ConflictError(key, toKeyValue(failure)) : new KeyNotFoundError(key);
  }

  async function rejectUnguarded(key: string): Promise<never> {
    // A modRevision <= 0 never matches a stored key; etcd would treat 0 as "absent" and create it.
    const current = await getLatest(key);
    throw current ? new ConflictError(key, current) : new KeyNotFoundError(key);
  }

  const storage: Storage = {
    kind: 'etcd',

    currentRevision: () => call(currentRevision),

    get: (key) => call(() => getLatest(key)),

    list(prefix: string, listOptions: ListOptions = {}): Promise<ListResult> {
      const requested = listOptions.revision || undefined;
      return call(async () => {
        const prefixBytes = bytes(prefix);
        const after = listOptions.after;
        const start =
          after !== undefined && after >= prefix
            ? Buffer.concat([bytes(after), Buffer.from([0])])
            : prefixBytes.length > 0
              ? prefixBytes
              : Buffer.from([0]);
        const response = await kv.range({
          key: start,
          range_end: prefixEnd(prefixBytes),
          revision: requested ?? 0,
          limit: listOptions.limit ?? 0,
        });
        return {
          items: response.kvs.map(toKeyValue),
          revision: requested ?? Number(response.header.revision),
          more: response.more,
          remaining: Math.max(0, Number(response.count) - response.kvs.length),
        };
      }, requested);
    },

    create: (key, value) =>
      call(async () => {
        const response = await kv.txn({
          compare: [{ key: bytes(key), target: 'Create', result: 'Equal', create_revision: 0 }],
          success: [{ request_put: { key: bytes(key), value: bytes(value) } }],
          failure: [],
        });
        if (!response.succeeded) throw new KeyExistsError(key);
        const revision = Number(response.header.revision);
        return { key, value, createRevision: revision, modRevision: revision };
      }),

    update: (key, value, expectedModRevision) =>
      call(async () => {
        if (expectedModRevision <= 0) return rejectUnguarded(key);
        const response = await kv.txn({
          compare: [{ key: bytes(key), target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
          success: [{ request_put: { key: bytes(key), value: bytes(value), prev_kv: true } }],
          failure: [readOp(key)],
        });
        if (!response.succeeded) {
          throw rejectionFor(key, response.responses[0]?.response_range.kvs[0]);
        }
        const revision = Number(response.header.revision);
        const prev = response.responses[0]?.response_put.prev_kv;
        return {
          key,
          value,
          createRevision: Number(prev?.create_revision ?? revision),
          modRevision: revision,
        };
      }),

    delete: (key, expectedModRevision) =>
      call(async (): Promise<DeleteResult> => {
        if (expectedModRevision !== undefined && expectedModRevision <= 0) return rejectUnguarded(key);
        const guard: ICompare =
          expectedModRevision === undefined
            ? { key: bytes(key), target: 'Create', result: 'Greater', create_revision: 0 }
            : { key: bytes(key), target: 'Mod', result: 'Equal', mod_revision: expectedModRevision };
        const response = await kv.txn({
          compare: [guard],
          success: [{ request_delete_range: { key: bytes(key), prev_kv: true } }],
          failure: [readOp(key)],
        });
        if (!response.succeeded) {
          throw rejectionFor(key, response.responses[0]?.response_range.kvs[0]);
        }
        const prev = presentKeyValue(response.responses[0]?.response_delete_range.prev_kvs[0]);
        // The guard held, so the key existed when it was deleted.
        if (!prev) throw new KeyNotFoundError(key);
        return { revision: Number(response.header.revision), prev };
      }),

    watch(prefix, afterRevision, sink): WatchHandle {
      const watch = new EtcdWatch(client, prefix, afterRevision, sink, {
        sawCompaction: (revision) => (knownCompaction = Math.max(knownCompaction, revision)),
        ended: () => watches.delete(watch),
      });
      if (closed) {
        watch.fail(new StorageUnavailableError(backend, new Error('storage is closed')));
      } else {
        watches.add(watch);
        watch.start();
      }
      return { cancel: () => watch.cancel() };
    },

    compact: (revision) =>
      call(async () => {
        try {
          await kv.compact({ revision });
          knownCompaction = Math.max(knownCompaction, revision);
        } catch (error) {
          // Already compacted at or past `revision`: the history is gone either way.
          if (!messageOf(error).includes(compactedText)) throw error;
        }
      }, revision),

    close() {
      if (!closed) {
        closed = true;
        for (const watch of watches) watch.cancel();
        watches.clear();
        client.close();
      }
      return Promise.resolve();
    },
  };
  return Promise.resolve(storage);
}

interface WatchHooks {
  sawCompaction(revision: number): void;
  ended(): void;
}

/** One storage watch on its own etcd watch stream, re-created from `next` after every failure. */
class EtcdWatch {
  /** The first revision not yet handed to the sink. */
  private next: number;
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private done = false;
  private retryMs = watchRetryMinMs;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly key: Buffer;
  private readonly rangeEnd: Buffer;

  constructor(
    private readonly client: Etcd3,
    prefix: string,
    afterRevision: number,
    private readonly sink: WatchSink,
    private readonly hooks: WatchHooks,
  ) {
    this.next = afterRevision + 1;
    const prefixBytes = bytes(prefix);
    this.key = prefixBytes.length > 0 ? prefixBytes : Buffer.from([0]);
    this.rangeEnd = prefixEnd(prefixBytes);
  }

  start(): void {
    this.connect().catch(() => this.retry());
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.retryTimer);
    this.stream?.cancel();
    this.stream = undefined;
    this.hooks.ended();
  }

  fail(error: Error): void {
    if (this.done) return;
    this.cancel();
    // Errors, like events, never reach the sink from inside the call that caused them.
    queueMicrotask(() => this.sink.onError(error));
  }

  private async connect(): Promise<void> {
    if (this.done) return;
    const stream = await this.client.watchClient.watch();
    if (this.done) {
      stream.cancel();
      return;
    }
    this.stream = stream;
    let broken = false;
    const lost = (): void => {
      if (broken) return;
      broken = true;
      if (this.stream === stream) this.stream = undefined;
      stream.cancel();
      this.retry();
    };
    stream.on('data', (response) => this.receive(response));
    stream.on('error', lost);
    stream.on('end', lost);
    stream.write({
      create_request: {
        key: this.key,
        range_end: this.rangeEnd,
        start_revision: this.next,
        prev_kv: true,
      },
    });
  }

  private retry(): void {
    if (this.done) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, watchRetryMaxMs);
    this.retryTimer = setTimeout(() => this.start(), delay);
  }

  private receive(response: IWatchResponse): void {
    if (this.done) return;
    this.retryMs = watchRetryMinMs;
    if (response.canceled) {
      const compactRevision = Number(response.compact_revision);
      if (compactRevision > 0) {
        this.hooks.sawCompaction(compactRevision);
        this.fail(new RevisionCompactedError(this.next, compactRevision - 1));
      } else {
        this.fail(new Error(`etcd cancelled the watch: ${response.cancel_reason || 'no reason given'}`));
      }
      return;
    }
    const events: WatchEvent[] = [];
    for (const event of response.events) {
      const revision = Number(event.kv.mod_revision);
      // A resumed stream starts at `next`, but never trust that twice: drop anything already sent.
      if (revision < this.next) continue;
      const prev = presentKeyValue(event.prev_kv);
      if (event.type === 'Delete') {
        events.push({ type: 'delete', key: event.kv.key.toString('utf8'), revision, prev });
      } else {
        events.push({ type: 'put', kv: toKeyValue(event.kv), prev });
      }
    }
    const last = events[events.length - 1];
    if (!last) return;
    this.next = (last.type === 'put' ? last.kv.modRevision : last.revision) + 1;
    this.sink.onEvents(events);
  }
}
