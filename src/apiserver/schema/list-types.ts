/**
 * The x-kubernetes-list-type invariants (apiextensions' listtype.ValidateListSetsAndMaps): a "set"
 * has no duplicate items and a "map" no two items with the same key fields. Each repeated item is
 * reported once, at its second occurrence, as `Duplicate value`.
 */

import { childPath, fieldError, indexPath, type FieldError } from '../field-errors.ts';
import { isJsonObject } from './json.ts';
import type { JSONSchemaProps } from './types.ts';

/** A canonical text for a JSON value with object keys sorted, as Go's json.Marshal of a map. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isJsonObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Indices of items that repeat an earlier item (only the second occurrence of each). */
function duplicateIndices(keys: readonly string[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  keys.forEach((key, i) => {
    const times = seen.get(key) ?? 0;
    if (times === 1) out.push(i);
    seen.set(key, times + 1);
  });
  return out;
}

function validateListMap(path: string, schema: JSONSchemaProps, items: readonly unknown[]): FieldError[] {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item !== null && !isJsonObject(item))
      return [
        fieldError.invalid(indexPath(path, i), item, 'must be an object for an array of list-type map'),
      ];
  }
  if (items.length <= 1) return [];
  const keyFields = schema['x-kubernetes-list-map-keys'] ?? [];
  const keyOf = (item: unknown): Record<string, unknown> => {
    const key: Record<string, unknown> = {};
    if (!isJsonObject(item)) return key;
    for (const k of keyFields) if (Object.hasOwn(item, k)) key[k] = item[k];
    return key;
  };
  const keys = items.map(keyOf);
  return duplicateIndices(keys.map(canonical)).map((i) => fieldError.duplicate(indexPath(path, i), keys[i]));
}

function validateArray(path: string, schema: JSONSchemaProps, items: readonly unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  switch (schema['x-kubernetes-list-type']) {
    case 'set':
      if (items.length > 1)
        for (const i of duplicateIndices(items.map(canonical)))
          errors.push(fieldError.duplicate(indexPath(path, i), items[i]));
      break;
    case 'map':
      errors.push(...validateListMap(path, schema, items));
      break;
    default:
  }
  if (schema.items !== undefined) {
    const itemSchema = schema.items;
    items.forEach((item, i) => errors.push(...validateValue(indexPath(path, i), itemSchema, item)));
  }
  return errors;
}

function validateValue(path: string, schema: JSONSchemaProps, value: unknown): FieldError[] {
  if (Array.isArray(value)) return validateArray(path, schema, value);
  if (isJsonObject(value)) return validateListTypes(schema, value, path);
  return [];
}

export function validateListTypes(schema: JSONSchemaProps, value: unknown, path = ''): FieldError[] {
  if (!isJsonObject(value)) return [];
  const errors: FieldError[] = [];
  const ap = schema.additionalProperties;
  if (typeof ap === 'object') {
    for (const [k, v] of Object.entries(value)) errors.push(...validateValue(indexPath(path, k), ap, v));
  }
  const properties = schema.properties;
  if (properties !== undefined) {
    for (const [k, v] of Object.entries(value)) {
      const sub = properties[k];
      if (sub !== undefined) errors.push(...validateValue(childPath(path, k), sub, v));
    }
  }
  return errors;
}
