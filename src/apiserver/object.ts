/** Untyped Kubernetes objects as the server stores them, with safe accessors. */
import type { ObjectMeta } from '../api/kube-types.ts';

export type { ObjectMeta, OwnerReference } from '../api/kube-types.ts';

export type JsonObject = Record<string, unknown>;

export interface KubeObject extends JsonObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepClone<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const aKeys = Object.keys(a).filter((k) => a[k] !== undefined);
    const bKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return aKeys.length === bKeys.length && aKeys.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

export function asKubeObject(value: JsonObject): KubeObject {
  const metadata = isJsonObject(value.metadata) ? (value.metadata as ObjectMeta) : {};
  return { ...value, metadata };
}

export function stringMap(value: unknown): Record<string, string> {
  if (!isJsonObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Reads `a.b.c` (dots only) from an object; undefined when any step is missing. */
export function getPath(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const step of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[step];
  }
  return current;
}

export function setPath(root: JsonObject, path: readonly string[], value: unknown): void {
  let current = root;
  path.forEach((step, i) => {
    if (i === path.length - 1) {
      current[step] = value;
      return;
    }
    const next = current[step];
    if (!isJsonObject(next)) current[step] = {};
    current = current[step] as JsonObject;
  });
}

/** A scalar as text (for columns and field selectors); objects and absent values are ''. */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}
