/**
 * Streaming watches: `{"type":"ADDED","object":…}` lines over a chunked response, resuming from a
 * resourceVersion, with bookmarks, `sendInitialEvents`, `timeoutSeconds` and 410 Gone as an ERROR
 * event — what client-go reflectors and `kubectl get -w` rely on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, apiErrors } from '../errors.ts';
import type { KubeObject } from '../object.ts';
import { decode, selects, storageError, type ObjectStore, type Scope } from '../rest/objects.ts';
import { resourcePrefix } from '../rest/keys.ts';
import type { Selector } from '../selectors.ts';
import type { KeyValue, WatchEvent } from '../storage/types.ts';
import { tableRow, tableColumns, type TableOptions } from '../table.ts';
import type { WatchHub } from '../watch-hub.ts';

export interface WatchRequest {
  readonly scope: Scope;
  readonly resourceVersion: string | undefined;
  readonly labelSelector: Selector | undefined;
  readonly fieldSelector: Selector | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly allowBookmarks: boolean;
  readonly sendInitialEvents: boolean;
  /** Only this object (a `fieldSelector=metadata.name=` watch or `/watch/…/<name>`). */
  readonly name: string | undefined;
  readonly table: Omit<TableOptions, 'now'> | undefined;
}

export interface WatchContext {
  readonly objects: ObjectStore;
  readonly hub: WatchHub;
  readonly bookmarkIntervalMs: number;
  readonly now: () => number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/*
 * One store event reaches every watcher of its resource: decode it and serialize each event line
 * once, not once per watcher (1,000 watchers on one namespace is a normal controller fleet).
 * Cached objects are shared, so nothing below mutates them.
 */
const decodedCache = new WeakMap<object, Map<string, KubeObject>>();
const lineCache = new WeakMap<KubeObject, Map<EventType, string>>();

function decodeShared(type: Scope['type'], kv: KeyValue, deletedAt?: number): KubeObject {
  const key = `${type.group}/${type.version}/${deletedAt ?? ''}`;
  let byVersion = decodedCache.get(kv);
  if (byVersion === undefined) {
    byVersion = new Map();
    decodedCache.set(kv, byVersion);
  }
  let object = byVersion.get(key);
  if (object === undefined) {
    object = decode(type, kv);
    if (deletedAt !== undefined) object.metadata.resourceVersion = String(deletedAt);
    byVersion.set(key, object);
  }
  return object;
}

function eventLine(type: EventType, object: unknown): string {
  if (typeof object !== 'object' || object === null || !('metadata' in object))
    return `${JSON.stringify({ type, object })}\n`;
  const kube = object as KubeObject;
  let byType = lineCache.get(kube);
  if (byType === undefined) {
    byType = new Map();
    lineCache.set(kube, byType);
  }
  let line = byType.get(type);
  if (line === undefined) {
    line = `${JSON.stringify({ type, object })}\n`;
    byType.set(type, line);
  }
  return line;
}

export async function serveWatch(
  context: WatchContext,
  request: IncomingMessage,
  response: ServerResponse,
  watch: WatchRequest,
): Promise<void> {
  const { scope } = watch;
  const prefix = resourcePrefix(scope.cluster.keyPrefix, scope.type, scope.namespace) + (watch.name ?? '');
  let columnsSent = false;

  const matchesObject = (object: KubeObject): boolean =>
    (watch.name === undefined || object.metadata.name === watch.name) && selects(scope.type, object, watch);

  const render = (object: KubeObject): unknown => {
    if (watch.table === undefined) return object;
    const table = {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: object.metadata.resourceVersion },
      ...(columnsSent ? {} : { columnDefinitions: tableColumns(scope.type) }),
      rows: [tableRow(scope.type, object, { ...watch.table, now: context.now() })],
    };
    columnsSent = true;
    return table;
  };

  let ended = false;
  const lines: string[] = [];
  const send = (type: EventType, object: unknown): void => {
    if (ended) return;
    lines.push(eventLine(type, object));
    if (lines.length === 1) {
      // Batch what arrives in one tick into one write.
      setImmediate(() => {
        if (!ended) response.write(lines.join(''));
        lines.length = 0;
      });
    }
  };

  const fail = (error: unknown): void => {
    const mapped = storageError(error);
    const apiError = mapped instanceof ApiError ? mapped : apiErrors.internal(String(mapped));
    send('ERROR', apiError.toStatus());
    setImmediate(() => finish());
  };

  let startRevision: number;
  const initial: KubeObject[] = [];
  const rv = watch.resourceVersion;
  try {
    if (rv === undefined || rv === '' || rv === '0' || watch.sendInitialEvents) {
      // No resume point: the current state first, as ADDED events.
      const list = await context.objects.list(scope, {
        ...(watch.labelSelector ? { labelSelector: watch.labelSelector } : {}),
        ...(watch.fieldSelector ? { fieldSelector: watch.fieldSelector } : {}),
      });
      startRevision = Number(list.resourceVersion);
      initial.push(...list.items.filter(matchesObject));
    } else {
      startRevision = Number(rv);
      if (!Number.isInteger(startRevision) || startRevision < 0) {
        throw apiErrors.badRequest(`invalid resourceVersion "${rv}": must be an integer`);
      }
    }
  } catch (error) {
    throw storageError(error);
  }

  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  response.flushHeaders();
  for (const object of initial) send('ADDED', render(object));
  const bookmark = (revision: number, initialEnd: boolean): void => {
    send('BOOKMARK', {
      kind: scope.type.kind,
      apiVersion: scope.type.group === '' ? scope.type.version : `${scope.type.group}/${scope.type.version}`,
      metadata: {
        resourceVersion: String(revision),
        ...(initialEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
      },
    });
  };
  if (watch.sendInitialEvents && watch.allowBookmarks) bookmark(startRevision, true);

  let lastRevision = startRevision;
  const onEvents = (events: readonly WatchEvent[]): void => {
    for (const event of events) {
      if (event.type === 'put') {
        const object = decodeShared(scope.type, event.kv);
        const now = matchesObject(object);
        const before = event.prev ? matchesObject(decodeShared(scope.type, event.prev)) : false;
        if (now) send(before ? 'MODIFIED' : 'ADDED', render(object));
        else if (before) send('DELETED', render(object));
        lastRevision = event.kv.modRevision;
      } else {
        lastRevision = event.revision;
        if (event.prev === undefined) continue;
        const object = decodeShared(scope.type, event.prev, event.revision);
        if (matchesObject(object)) send('DELETED', render(object));
      }
    }
  };
  const handle = context.hub.subscribe({ prefix, onEvents, onError: fail }, startRevision);

  const timers: NodeJS.Timeout[] = [];
  if (watch.allowBookmarks) {
    timers.push(
      setInterval(
        () => bookmark(Math.max(lastRevision, context.hub.revision), false),
        context.bookmarkIntervalMs,
      ),
    );
  }
  if (watch.timeoutSeconds !== undefined && watch.timeoutSeconds > 0) {
    timers.push(setTimeout(() => finish(), watch.timeoutSeconds * 1000));
  }

  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  function finish(): void {
    if (ended) return;
    if (lines.length > 0) response.write(lines.join(''));
    ended = true;
    handle.cancel();
    for (const timer of timers) clearTimeout(timer);
    response.end();
    resolveDone();
  }
  request.on('close', finish);
  response.on('close', finish);
  await done;
}
