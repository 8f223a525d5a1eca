/** Kubernetes objects as the client sees them: typed metadata, spec and status chosen per kind. */

import type { ObjectMeta as StoredObjectMeta } from '../api/kube-types.ts';

export type { OwnerReference } from '../api/kube-types.ts';

export interface ObjectMeta extends StoredObjectMeta {
  /** Empty with `generateName` on create; always set on objects the server returns. */
  name: string;
}

/** The apiVersion and kind that name a type of object (its resource is found by discovery). */
export interface TypeRef {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * Any object; `Spec` and `Status` type the two conventional halves. Kinds without them (ConfigMap's
 * `data`) add their own fields, which the index signature admits.
 */
export interface KubeObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** metav1.Status: what the server answers when a request fails (and for some deletes). */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface ApiStatus {
  kind: 'Status';
  apiVersion: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  metadata?: Record<string, unknown>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: WatchEventType;
  readonly object: T;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key caches and queues use. */
export function objectKey(object: { metadata: { namespace?: string; name: string } }): string {
  const ns = object.metadata.namespace;
  return ns === undefined || ns === '' ? object.metadata.name : `${ns}/${object.metadata.name}`;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
