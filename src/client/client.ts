/**
 * A typed client for any Kubernetes API server (the embedded one or a real cluster): CRUD,
 * status, the four patch types, deletes with preconditions, and watches as async iterables.
 * Resources are found through discovery, so a kind is named by apiVersion and kind alone.
 */
import type { IncomingMessage } from 'node:http';
import { Discovery, type ResourceInfo } from './discovery.ts';
import { ApiStatusError, isAlreadyExists, isStatus } from './errors.ts';
import { loadKubeconfig, type ConnectionSettings } from './load-kubeconfig.ts';
import {
  isRecord,
  type KubeList,
  type KubeObject,
  type TypeRef,
  type WatchEvent,
  type WatchEventType,
} from './object.ts';
import { Transport, type TransportOptions } from './transport.ts';

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface NamespacedOptions extends CallOptions {
  /** For namespaced kinds; the client's default namespace when absent. */
  readonly namespace?: string;
}

export interface ListOptions extends CallOptions {
  /** Absent: every namespace. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  readonly signal?: AbortSignal;
  /** Absent: every namespace. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Resume after this version; absent: the current state first, as ADDED events. */
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  readonly timeoutSeconds?: number;
  readonly sendInitialEvents?: boolean;
}

export interface WriteOptions extends NamespacedOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  readonly type: PatchType;
  /** Server-side apply: take ownership of fields other managers set. */
  readonly force?: boolean;
  readonly subresource?: string;
}

export interface DeleteOptions extends NamespacedOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly gracePeriodSeconds?: number;
  readonly dryRun?: boolean;
}

export interface KubeClientOptions extends TransportOptions {
  /** Defaults to the settings' namespace. */
  readonly namespace?: string;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class KubeClient {
  readonly namespace: string;
  private readonly transport: Transport;
  private readonly discovery: Discovery;

  constructor(
    readonly settings: ConnectionSettings,
    options: KubeClientOptions = {},
  ) {
    this.transport = new Transport(settings, options);
    this.discovery = new Discovery(this.transport);
    this.namespace = options.namespace ?? settings.namespace;
  }

  static async fromKubeconfig(
    source: string,
    options: KubeClientOptions & { readonly context?: string } = {},
  ): Promise<KubeClient> {
    return new KubeClient(
      await loadKubeconfig(source, options.context !== undefined ? { context: options.context } : {}),
      options,
    );
  }

  /** The server URL this client talks to (with its logical-cluster path, if any). */
  get server(): string {
    return this.settings.server;
  }

  /** The resources a group-version serves (e.g. to find a kind by its plural name). */
  resourcesOf(apiVersion: string): Promise<ResourceInfo[]> {
    return this.discovery.resourcesOf(apiVersion);
  }

  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resourceFor(apiVersion, kind);
  }

  async get<T extends KubeObject = KubeObject>(
    type: TypeRef,
    name: string,
    options: NamespacedOptions = {},
  ): Promise<T> {
    const info = await this.resourceFor(type.apiVersion, type.kind);
    return this.call<T>('GET', this.objectPath(info, options.namespace, name), options);
  }

  async list<T extends KubeObject = KubeObject>(
    type: TypeRef,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const info = await this.resourceFor(type.apiVersion, type.kind);
    const query = new URLSearchParams();
    setParam(query, 'labelSelector', options.labelSelector);
    setParam(query, 'fieldSelector', options.fieldSelector);
    setParam(query, 'limit', options.limit);
    setParam(query, 'continue', options.continue);
    setParam(query, 'resourceVersion', options.resourceVersion);
    setParam(query, 'resourceVersionMatch', options.resourceVersionMatch);
    const list = await this.call<KubeList<T>>(
      'GET',
      withQuery(this.collectionPath(info, options.namespace), query),
      options,
    );
    // Servers leave apiVersion and kind off list items; callers want whole objects.
    for (const item of list.items) {
      item.apiVersion ??= info.apiVersion;
      item.kind ??= info.kind;
    }
    return list;
  }

  async create<T extends KubeObject>(object: T, options: WriteOptions = {}): Promise<T> {
    const info = await this.resourceFor(object.apiVersion, object.kind);
    const namespace = this.namespaceFor(info, object.metadata.namespace ?? options.namespace);
    const body = { ...object, metadata: { ...object.metadata } };
    if (body.metadata.name === '') delete (body.metadata as { name?: string }).name;
    if (namespace !== undefined) body.metadata.namespace = namespace;
    return this.call<T>('POST', withQuery(this.collectionPath(info, namespace), writeQuery(options)), {
      ...options,
      body,
    });
  }

  /** Creates the object unless one of that name exists (idempotent setup); true when it created it. */
  async createIfMissing<T extends KubeObject>(object: T, options: WriteOptions = {}): Promise<boolean> {
    try {
      await this.create(object, options);
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      throw error;
    }
  }

  /** PUT: fails with 409 Conflict when `metadata.resourceVersion` is not the current one. */
  update<T extends KubeObject>(object: T, options: WriteOptions = {}): Promise<T> {
    return this.put(object, undefined, options);
  }

  /** PUT to the status subresource: only `status` is taken from `object`. */
  updateStatus<T extends KubeObject>(object: T, options: WriteOptions = {}): Promise<T> {
    return this.put(object, 'status', options);
  }

  async patch<T extends KubeObject = KubeObject>(
    type: TypeRef,
    name: string,
    patch: unknown,
    options: PatchOptions,
  ): Promise<T> {
    if (options.type === 'apply' && options.fieldManager === undefined)
      throw new Error(`server-side apply of ${type.kind} "${name}" needs a fieldManager`);
    const info = await this.resourceFor(type.apiVersion, type.kind);
    const query = writeQuery(options);
    if (options.force === true) query.set('force', 'true');
    const path = this.objectPath(info, options.namespace, name, options.subresource);
    return this.call<T>('PATCH', withQuery(path, query), {
      ...options,
      body: patch,
      contentType: patchContentTypes[options.type],
    });
  }

  /** The object as the server returned it (still present while finalizers run), or undefined. */
  async delete<T extends KubeObject = KubeObject>(
    type: TypeRef,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T | undefined> {
    const info = await this.resourceFor(type.apiVersion, type.kind);
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...(options.propagationPolicy !== undefined ? { propagationPolicy: options.propagationPolicy } : {}),
      ...(options.preconditions !== undefined ? { preconditions: options.preconditions } : {}),
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
      ...(options.dryRun === true ? { dryRun: ['All'] } : {}),
    };
    const reply = await this.call<unknown>('DELETE', this.objectPath(info, options.namespace, name), {
      ...options,
      body,
    });
    return isStatus(reply) || !isRecord(reply) ? undefined : (reply as T);
  }

  /**
   * Events until the server ends the stream (timeoutSeconds, a restart) or `signal` aborts; a cut
   * connection also ends it, as in client-go, so callers resume from the last resourceVersion.
   * An ERROR event — 410 Gone among them — is thrown as ApiStatusError.
   */
  async *watch<T extends KubeObject = KubeObject>(
    type: TypeRef,
    options: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>, void, undefined> {
    const info = await this.resourceFor(type.apiVersion, type.kind);
    const query = new URLSearchParams({ watch: 'true' });
    setParam(query, 'labelSelector', options.labelSelector);
    setParam(query, 'fieldSelector', options.fieldSelector);
    setParam(query, 'resourceVersion', options.resourceVersion);
    if (options.allowWatchBookmarks === true) query.set('allowWatchBookmarks', 'true');
    setParam(query, 'timeoutSeconds', options.timeoutSeconds);
    if (options.sendInitialEvents === true) query.set('sendInitialEvents', 'true');
    const path = withQuery(this.collectionPath(info, options.namespace), query);
    let message: IncomingMessage;
    try {
      message = await this.transport.stream({
        method: 'GET',
        path,
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
    let buffer = '';
    try {
      for await (const chunk of message) {
        buffer += (chunk as Buffer).toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line !== '') yield decodeEvent<T>(line, path);
          newline = buffer.indexOf('\n');
        }
      }
      if (buffer.trim() !== '') yield decodeEvent<T>(buffer.trim(), path);
    } catch (error) {
      if (error instanceof ApiStatusError || error instanceof WatchDecodeError) throw error;
      if (options.signal?.aborted || isProbableEof(error)) return;
      throw error;
    } finally {
      message.destroy();
    }
  }

  close(): void {
    this.transport.close();
  }

  private async put<T extends KubeObject>(
    object: T,
    subresource: string | undefined,
    options: WriteOptions,
  ): Promise<T> {
    const info = await this.resourceFor(object.apiVersion, object.kind);
    const namespace = object.metadata.namespace ?? options.namespace;
    const path = this.objectPath(info, namespace, object.metadata.name, subresource);
    return this.call<T>('PUT', withQuery(path, writeQuery(options)), { ...options, body: object });
  }

  private namespaceFor(info: ResourceInfo, namespace: string | undefined): string | undefined {
    if (!info.namespaced) return undefined;
    return namespace === undefined || namespace === '' ? this.namespace : namespace;
  }

  private collectionPath(info: ResourceInfo, namespace: string | undefined): string {
    const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
    const ns =
      info.namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${namespace}` : '';
    return `${base}${ns}/${info.resource}`;
  }

  private objectPath(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    subresource?: string,
  ): string {
    if (name === '') throw new Error(`a ${info.kind} needs a name here`);
    const base = this.collectionPath(info, this.namespaceFor(info, namespace));
    return `${base}/${encodeURIComponent(name)}${subresource !== undefined ? `/${subresource}` : ''}`;
  }

  private async call<T>(
    method: string,
    path: string,
    options: CallOptions & { readonly body?: unknown; readonly contentType?: string },
  ): Promise<T> {
    const reply = await this.transport.request({
      method,
      path,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    return JSON.parse(reply.body) as T;
  }
}

class WatchDecodeError extends Error {}

const eventTypes = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

function decodeEvent<T extends KubeObject>(line: string, path: string): WatchEvent<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new WatchDecodeError(`watch ${path}: undecodable event ${line.slice(0, 200)}`);
  }
  if (!isRecord(parsed) || typeof parsed.type !== 'string' || !isRecord(parsed.object))
    throw new WatchDecodeError(`watch ${path}: malformed event ${line.slice(0, 200)}`);
  if (parsed.type === 'ERROR') {
    const status = parsed.object;
    throw new ApiStatusError(
      isStatus(status)
        ? status
        : { kind: 'Status', apiVersion: 'v1', code: 500, message: JSON.stringify(status) },
      `watch ${path}`,
    );
  }
  if (!eventTypes.has(parsed.type))
    throw new WatchDecodeError(`watch ${path}: unknown event type ${parsed.type}`);
  return { type: parsed.type as WatchEventType, object: parsed.object as T };
}

/** A stream cut by the peer — client-go's isProbableEOF: the watch simply ends. */
function isProbableEof(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  );
}

function setParam(query: URLSearchParams, key: string, value: string | number | undefined): void {
  if (value !== undefined && value !== '') query.set(key, String(value));
}

function writeQuery(options: WriteOptions): URLSearchParams {
  const query = new URLSearchParams();
  setParam(query, 'fieldManager', options.fieldManager);
  if (options.dryRun === true) query.set('dryRun', 'All');
  return query;
}

function withQuery(path: string, query: URLSearchParams): string {
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
