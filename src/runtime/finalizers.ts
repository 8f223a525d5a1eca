/**
 * Finalizers guard cleanup outside the API (files, stateroots, registry blobs). Every change is a
 * merge patch that names the resourceVersion it was computed from, so a concurrent writer makes it
 * fail with 409 instead of silently dropping someone else's finalizer.
 */
import type { KubeClient } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';
import type { KubeObject } from '../client/object.ts';

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}

export function isDeleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

function patchFinalizers<T extends KubeObject>(
  client: KubeClient,
  object: T,
  finalizers: string[],
): Promise<T> {
  return client.patch<T>(
    object,
    object.metadata.name,
    { metadata: { finalizers, resourceVersion: object.metadata.resourceVersion } },
    {
      type: 'merge',
      ...(object.metadata.namespace !== undefined ? { namespace: object.metadata.namespace } : {}),
    },
  );
}

/** The object with `finalizer` added (unchanged if already there). */
export async function addFinalizer<T extends KubeObject>(
  client: KubeClient,
  object: T,
  finalizer: string,
): Promise<T> {
  if (hasFinalizer(object, finalizer)) return object;
  return patchFinalizers(client, object, [...(object.metadata.finalizers ?? []), finalizer]);
}

/** The object with `finalizer` removed; undefined when that let the server delete it (or it was gone). */
export async function removeFinalizer<T extends KubeObject>(
  client: KubeClient,
  object: T,
  finalizer: string,
): Promise<T | undefined> {
  if (!hasFinalizer(object, finalizer)) return object;
  const rest = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    const patched = await patchFinalizers(client, object, rest);
    return isDeleting(patched) && rest.length === 0 ? undefined : patched;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Adds `finalizer` to a live object before any external work starts; leaves a deleting one alone. */
export function ensureFinalizer<T extends KubeObject>(
  client: KubeClient,
  object: T,
  finalizer: string,
): Promise<T> {
  return isDeleting(object) ? Promise.resolve(object) : addFinalizer(client, object, finalizer);
}

/**
 * For an object being deleted: runs `cleanup` (which must be idempotent: it may run again after a
 * crash) while our finalizer is on it, then removes the finalizer. Returns true when the object
 * is being deleted — the reconciler has nothing else to do — and false for a live object.
 */
export async function runFinalizer<T extends KubeObject>(
  client: KubeClient,
  object: T,
  finalizer: string,
  cleanup: (object: T) => Promise<void>,
): Promise<boolean> {
  if (!isDeleting(object)) return false;
  if (!hasFinalizer(object, finalizer)) return true;
  await cleanup(object);
  await removeFinalizer(client, object, finalizer);
  return true;
}
