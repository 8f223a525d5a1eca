/** Plain JSON values as the patch functions see them after `JSON.parse`. */
export type JsonObject = { [key: string]: unknown };

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonKind(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    default:
      return 'boolean';
  }
}

export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Sets a key as an own data property: a plain assignment of `__proto__` (a legal JSON key) would
 * replace the object's prototype instead of storing a field.
 */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
