/**
 * The generic registry: Kubernetes object semantics over the key-value store — resourceVersion
 * concurrency, uid/generation/timestamps, status subresource rules, finalizers and graceful
 * deletion, pagination. HTTP handlers and the server's own controllers both go through it.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterResources } from '../clusters.ts';
import { ApiError, apiErrors } from '../errors.ts';
import { deepClone, jsonEqual, type KubeObject } from '../object.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import {
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionCompactedError,
  StorageUnavailableError,
  type KeyValue,
  type Storage,
} from '../storage/types.ts';
import { matches, type Selector } from '../selectors.ts';
import { admit, type FieldValidation } from './admission.ts';
import { objectKey, resourcePrefix } from './keys.ts';

export interface Scope {
  readonly cluster: ClusterResources;
  readonly type: ResourceType;
  /** Namespace of the request (undefined: cluster-scoped, or all namespaces for a list). */
  readonly namespace: string | undefined;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  readonly fieldValidation?: FieldValidation;
}

export interface WriteResult {
  readonly object: KubeObject;
  readonly warnings: readonly string[];
}

export interface ListOptions {
  readonly labelSelector?: Selector;
  readonly fieldSelector?: Selector;
  readonly limit?: number;
  readonly continueToken?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
  /** Objects after this page (only for unfiltered lists, as Kubernetes reports it). */
  readonly remainingItemCount?: number;
}

export interface DeleteOptions extends WriteOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export interface DeleteResult {
  readonly object: KubeObject;
  /** False when finalizers keep the object (deletionTimestamp set). */
  readonly deleted: boolean;
}

export type Subresource = 'status' | 'finalize' | undefined;

export interface Clock {
  now(): Date;
}

/** The decoded form of a stored value, at the requested API version. */
export function decode(type: ResourceType, kv: KeyValue): KubeObject {
  const object = JSON.parse(kv.value) as KubeObject;
  object.metadata.resourceVersion = String(kv.modRevision);
  object.apiVersion = type.group === '' ? type.version : `${type.group}/${type.version}`;
  object.kind = type.kind;
  return object;
}

function encode(type: ResourceType, object: KubeObject): string {
  const { metadata, ...rest } = object;
  const { resourceVersion: _rv, ...meta } = metadata;
  // Go's omitempty: empty metadata collections are not stored (clients see them absent).
  for (const field of ['finalizers', 'ownerReferences', 'managedFields'] as const) {
    const value = meta[field];
    if (Array.isArray(value) && value.length === 0) delete meta[field];
  }
  for (const field of ['labels', 'annotations'] as const) {
    const value = meta[field];
    if (value !== undefined && Object.keys(value).length === 0) delete meta[field];
  }
  const storageApiVersion = type.group === '' ? type.storageVersion : `${type.group}/${type.storageVersion}`;
  return JSON.stringify({ ...rest, apiVersion: storageApiVersion, kind: type.kind, metadata: meta });
}

export function fieldsOf(type: ResourceType, object: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': object.metadata.name ?? '' };
  if (type.namespaced) fields['metadata.namespace'] = object.metadata.namespace ?? '';
  for (const [field, read] of Object.entries(type.extraFieldSelectors ?? {})) fields[field] = read(object);
  return fields;
}

export function selects(
  type: ResourceType,
  object: KubeObject,
  options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
): boolean {
  if (options.labelSelector && !matches(options.labelSelector, object.metadata.labels ?? {})) return false;
  if (options.fieldSelector && !matches(options.fieldSelector, fieldsOf(type, object))) return false;
  return true;
}

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString(
    'base64url',
  );
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through to the error below
  }
  throw apiErrors.badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

/** Maps store failures to API errors; everything else passes through. */
export function storageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) {
    return apiErrors.unavailable(
      `etcd is unavailable: the API server cannot reach its storage (${error.message}); retry shortly`,
    );
  }
  if (error instanceof RevisionCompactedError) {
    return apiErrors.gone(`too old resource version: ${error.requested} (${error.compactedAt + 1})`);
  }
  if (error instanceof FutureRevisionError) {
    return apiErrors.timeout(`Too large resource version: ${error.requested}, current: ${error.current}`);
  }
  return error;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageError(error);
  }
}

function withoutVolatile(object: KubeObject, keepStatus: boolean): unknown {
  const { metadata: _m, status, ...rest } = object;
  return keepStatus ? { ...rest, status } : rest;
}

/** What the server's watch knows of namespaces, so creates need not read them from the store. */
export interface NamespaceStates {
  /** undefined: not known (yet) — the store is asked. */
  lookup(clusterKeyPrefix: string, namespace: string): 'Active' | 'Terminating' | undefined;
}

export class ObjectStore {
  constructor(
    readonly storage: Storage,
    private readonly clock: Clock,
    private readonly namespaceStates?: NamespaceStates,
  ) {}

  private key(scope: Scope, name: string): string {
    return objectKey(scope.cluster.keyPrefix, scope.type, scope.namespace, name);
  }

  private now(): string {
    return this.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  async get(scope: Scope, name: string): Promise<KubeObject> {
    const kv = await guarded(() => this.storage.get(this.key(scope, name)));
    if (kv === undefined) throw apiErrors.notFound(scope.type, name);
    return decode(scope.type, kv);
  }

  async tryGet(scope: Scope, name: string): Promise<KubeObject | undefined> {
    const kv = await guarded(() => this.storage.get(this.key(scope, name)));
    return kv === undefined ? undefined : decode(scope.type, kv);
  }

  async list(scope: Scope, options: ListOptions = {}): Promise<ListResult> {
    const prefix = resourcePrefix(scope.cluster.keyPrefix, scope.type, scope.namespace);
    let revision = 0;
    let after: string | undefined;
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken);
      revision = token.rv;
      after = prefix + token.start;
    } else if (
      options.resourceVersion &&
      options.resourceVersion !== '0' &&
      options.resourceVersionMatch === 'Exact'
    ) {
      revision = Number(options.resourceVersion);
      if (!Number.isInteger(revision) || revision < 0) {
        throw apiErrors.badRequest(
          `invalid resourceVersion "${options.resourceVersion}": must be an integer`,
        );
      }
    }
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const items: KubeObject[] = [];
    let readAt = revision;
    let lastKey: string | undefined;
    let more = false;
    let remaining: number | undefined;
    try {
      for (;;) {
        const page = await this.storage.list(prefix, {
          ...(readAt > 0 ? { revision: readAt } : {}),
          ...(limit > 0 ? { limit: Math.max(limit - items.length, 100) } : {}),
          ...(after !== undefined ? { after } : {}),
        });
        readAt = page.revision;
        let consumed = 0;
        for (const kv of page.items) {
          if (limit > 0 && items.length >= limit) {
            more = true;
            break;
          }
          consumed++;
          lastKey = kv.key;
          const object = decode(scope.type, kv);
          if (selects(scope.type, object, options)) items.push(object);
        }
        if (more || !page.more || page.items.length === 0) {
          more ||= page.more && limit > 0 && items.length >= limit;
          if (page.remaining !== undefined) remaining = page.remaining + page.items.length - consumed;
          break;
        }
        after = page.items[page.items.length - 1]?.key;
      }
    } catch (error) {
      if (error instanceof RevisionCompactedError && options.continueToken) {
        throw apiErrors.gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      throw storageError(error);
    }
    return {
      items,
      resourceVersion: String(readAt),
      ...(more && lastKey !== undefined
        ? { continueToken: encodeContinue({ rv: readAt, start: lastKey.slice(prefix.length) }) }
        : {}),
      ...(more && remaining !== undefined && !options.labelSelector && !options.fieldSelector
        ? { remainingItemCount: remaining }
        : {}),
    };
  }

  async create(scope: Scope, body: KubeObject, options: WriteOptions = {}): Promise<WriteResult> {
    const { type } = scope;
    const object = deepClone(body);
    const meta = object.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    if (type.namespaced) meta.namespace = scope.namespace;
    else delete meta.namespace;
    if (type.namespaced && scope.namespace) await this.requireActiveNamespace(scope, meta.name ?? '');
    meta.uid = randomUUID();
    meta.creationTimestamp = this.now();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (type.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (type.hasStatus && type.kind !== 'Namespace') delete object.status;
    const admitted = admit(type, object, undefined, options.fieldValidation ?? 'Strict');
    if (options.dryRun) return admitted;
    const key = this.key(scope, admitted.object.metadata.name ?? '');
    try {
      const kv = await this.storage.create(key, encode(type, admitted.object));
      return { object: decode(type, kv), warnings: admitted.warnings };
    } catch (error) {
      if (error instanceof KeyExistsError)
        throw apiErrors.alreadyExists(type, admitted.object.metadata.name ?? '');
      throw storageError(error);
    }
  }

  private async requireActiveNamespace(scope: Scope, name: string): Promise<void> {
    const namespaceType = scope.cluster.find('', 'v1', 'namespaces');
    if (namespaceType === undefined || scope.namespace === undefined) return;
    const known = this.namespaceStates?.lookup(scope.cluster.keyPrefix, scope.namespace);
    if (known === 'Active') return;
    const ns = await this.tryGet(
      { cluster: scope.cluster, type: namespaceType, namespace: undefined },
      scope.namespace,
    );
    if (ns === undefined) throw apiErrors.notFound(namespaceType, scope.namespace);
    if (ns.metadata.deletionTimestamp !== undefined) {
      throw apiErrors.forbidden(
        scope.type,
        name,
        `unable to create new content in namespace ${scope.namespace} because it is being terminated`,
      );
    }
  }

  /**
   * Read-modify-write. `mutate` gets the current object and returns the desired one; when the
   * desired object names a resourceVersion it must match (409 otherwise), and without one the
   * write retries on concurrent changes.
   */
  async update(
    scope: Scope,
    name: string,
    mutate: (current: KubeObject) => KubeObject,
    options: WriteOptions & { readonly subresource?: Subresource } = {},
  ): Promise<WriteResult> {
    const { type } = scope;
    const key = this.key(scope, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await guarded(() => this.storage.get(key));
      if (kv === undefined) throw apiErrors.notFound(type, name);
      const current = decode(type, kv);
      const desired = mutate(deepClone(current));
      const requested = desired.metadata.resourceVersion;
      if (requested !== undefined && requested !== '' && requested !== current.metadata.resourceVersion) {
        throw apiErrors.conflict(
          type,
          name,
          'the object has been modified; please apply your changes to the latest version and try again',
        );
      }
      const next = this.prepareUpdate(scope, current, desired, options.subresource);
      if (jsonEqual(next, current)) return { object: current, warnings: [] };
      // Status writes are validated (and pruned) too, but never refused for unknown fields.
      const admitted =
        options.subresource === 'finalize'
          ? { object: next, warnings: [] as string[] }
          : admit(
              type,
              next,
              current,
              options.subresource === 'status' ? 'Ignore' : (options.fieldValidation ?? 'Strict'),
            );
      if (options.dryRun) return admitted;
      if (this.finishesDeletion(admitted.object)) {
        try {
          await this.storage.delete(key, kv.modRevision);
          return { object: admitted.object, warnings: admitted.warnings };
        } catch (error) {
          if (error instanceof ConflictError && attempt < 20 && !requested) continue;
          if (error instanceof ConflictError)
            throw apiErrors.conflict(
              type,
              name,
              'the object has been modified; please apply your changes to the latest version and try again',
            );
          throw storageError(error);
        }
      }
      try {
        const written = await this.storage.update(key, encode(type, admitted.object), kv.modRevision);
        return { object: decode(type, written), warnings: admitted.warnings };
      } catch (error) {
        if (
          (error instanceof ConflictError || error instanceof KeyNotFoundError) &&
          !requested &&
          attempt < 20
        )
          continue;
        if (error instanceof ConflictError) {
          throw apiErrors.conflict(
            type,
            name,
            'the object has been modified; please apply your changes to the latest version and try again',
          );
        }
        if (error instanceof KeyNotFoundError) throw apiErrors.notFound(type, name);
        throw storageError(error);
      }
    }
  }

  /** Applies the server-owned rules of an update (immutable metadata, status split, generation). */
  private prepareUpdate(
    scope: Scope,
    current: KubeObject,
    desired: KubeObject,
    subresource: Subresource,
  ): KubeObject {
    const { type } = scope;
    const name = current.metadata.name ?? '';
    if (desired.metadata.name !== undefined && desired.metadata.name !== name) {
      throw apiErrors.badRequest(
        `the name of the object (${desired.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (
      type.namespaced &&
      desired.metadata.namespace !== undefined &&
      desired.metadata.namespace !== current.metadata.namespace
    ) {
      throw apiErrors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    let next: KubeObject;
    if (subresource === 'status') {
      next = { ...deepClone(current), status: desired.status };
      if (desired.status === undefined) delete next.status;
    } else if (subresource === 'finalize') {
      next = deepClone(current);
      next.spec = desired.spec;
    } else {
      next = deepClone(desired);
      if (type.hasStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
    }
    const meta = next.metadata;
    const old = current.metadata;
    meta.name = name;
    if (type.namespaced) meta.namespace = old.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.resourceVersion = old.resourceVersion;
    if (old.deletionTimestamp !== undefined) {
      meta.deletionTimestamp = old.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds ?? 0;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (type.tracksGeneration) {
      const changed = !jsonEqual(
        withoutVolatile(next, !type.hasStatus),
        withoutVolatile(current, !type.hasStatus),
      );
      meta.generation = (old.generation ?? 1) + (changed && subresource === undefined ? 1 : 0);
    } else if (old.generation !== undefined) meta.generation = old.generation;
    else delete meta.generation;
    return next;
  }

  private finishesDeletion(object: KubeObject): boolean {
    if (object.metadata.deletionTimestamp === undefined) return false;
    if ((object.metadata.finalizers ?? []).length > 0) return false;
    if (object.kind === 'Namespace') {
      const spec = object.spec as { finalizers?: unknown[] } | undefined;
      return (spec?.finalizers ?? []).length === 0;
    }
    return true;
  }

  async delete(scope: Scope, name: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    const { type } = scope;
    const key = this.key(scope, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await guarded(() => this.storage.get(key));
      if (kv === undefined) throw apiErrors.notFound(type, name);
      const current = decode(type, kv);
      const pre = options.preconditions;
      if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
        throw apiErrors.conflict(
          type,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
        );
      }
      if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
        throw apiErrors.conflict(
          type,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
        );
      }
      const next = deepClone(current);
      const finalizers = new Set(next.metadata.finalizers ?? []);
      const policy = options.propagationPolicy;
      if (current.metadata.deletionTimestamp === undefined) {
        if (policy === 'Foreground') finalizers.add('foregroundDeletion');
        if (policy === 'Orphan') finalizers.add('orphan');
      }
      const namespaceFinalizers =
        type.kind === 'Namespace' &&
        ((next.spec as { finalizers?: unknown[] } | undefined)?.finalizers ?? []).length > 0;
      if (finalizers.size > 0 || namespaceFinalizers) {
        if (
          current.metadata.deletionTimestamp !== undefined &&
          finalizers.size === (current.metadata.finalizers ?? []).length
        ) {
          return { object: current, deleted: false };
        }
        next.metadata.finalizers = [...finalizers];
        next.metadata.deletionTimestamp ??= this.now();
        next.metadata.deletionGracePeriodSeconds ??= 0;
        if (type.kind === 'Namespace')
          next.status = { ...(next.status as object | undefined), phase: 'Terminating' };
        if (options.dryRun) return { object: next, deleted: false };
        try {
          const written = await this.storage.update(key, encode(type, next), kv.modRevision);
          return { object: decode(type, written), deleted: false };
        } catch (error) {
          if (error instanceof ConflictError && attempt < 20) continue;
          throw storageError(error);
        }
      }
      if (options.dryRun) return { object: current, deleted: true };
      try {
        await this.storage.delete(key, kv.modRevision);
        return { object: current, deleted: true };
      } catch (error) {
        if (error instanceof ConflictError && attempt < 20) continue;
        if (error instanceof KeyNotFoundError) throw apiErrors.notFound(type, name);
        throw storageError(error);
      }
    }
  }

  /** Deletes every object a list would return, one at a time (as deletecollection does). */
  async deleteCollection(
    scope: Scope,
    list: ListOptions,
    options: DeleteOptions = {},
  ): Promise<KubeObject[]> {
    const { items } = await this.list(scope, {
      ...(list.labelSelector ? { labelSelector: list.labelSelector } : {}),
      ...(list.fieldSelector ? { fieldSelector: list.fieldSelector } : {}),
    });
    const deleted: KubeObject[] = [];
    for (const item of items) {
      try {
        const result = await this.delete(
          { ...scope, namespace: item.metadata.namespace },
          item.metadata.name ?? '',
          options,
        );
        deleted.push(result.object);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
    return deleted;
  }
}

const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from Kubernetes' generateName alphabet (no vowels, no confusable digits). */
function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)] ?? 'x';
  return out;
}
