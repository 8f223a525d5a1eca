/**
 * Structural defaulting (apiextensions' defaulting.Default): a property that is missing — or null
 * while its schema is not nullable — takes a deep copy of its schema default, recursively through
 * properties, additionalProperties and array items. A null in a nullable field stays null.
 */

import { deepCopy, isJsonObject } from './json.ts';
import type { JSONSchemaProps } from './types.ts';

function isNonNullableNull(value: unknown, schema: JSONSchemaProps | undefined): boolean {
  return value === null && schema !== undefined && schema.nullable !== true;
}

function defaultInPlace(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (schema === undefined) return;
  if (isJsonObject(value)) {
    const properties = schema.properties ?? {};
    for (const [name, prop] of Object.entries(properties)) {
      if (prop.default === undefined) continue;
      if (!Object.hasOwn(value, name) || isNonNullableNull(value[name], prop))
        value[name] = deepCopy(prop.default);
    }
    const ap = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const key of Object.keys(value)) {
      const prop = properties[key];
      if (prop !== undefined) {
        defaultInPlace(value[key], prop);
      } else if (ap !== undefined) {
        if (isNonNullableNull(value[key], ap) && ap.default !== undefined) value[key] = deepCopy(ap.default);
        defaultInPlace(value[key], ap);
      }
    }
  } else if (Array.isArray(value)) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) {
      if (isNonNullableNull(value[i], items) && items?.default !== undefined)
        value[i] = deepCopy(items.default);
      defaultInPlace(value[i], items);
    }
  }
}

/** Returns a defaulted copy of `value`; the input is not modified. */
export function applyDefaults(schema: JSONSchemaProps, value: unknown): unknown {
  const copy = deepCopy(value);
  defaultInPlace(copy, schema);
  return copy;
}

function pruneNullsInPlace(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      const fieldSchema =
        schema?.properties?.[key] ??
        (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (isNonNullableNull(value[key], fieldSchema) && fieldSchema?.default === undefined) delete value[key];
      else pruneNullsInPlace(value[key], fieldSchema);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) pruneNullsInPlace(item, schema?.items);
  }
}

/**
 * Drops object fields that are null although their schema is neither nullable nor defaulted
 * (PruneNonNullableNullsWithoutDefaults), which the API server does right after pruning so that
 * `field: null` in a manifest means "unset". Returns a copy.
 */
export function pruneNonNullableNulls(schema: JSONSchemaProps, value: unknown): unknown {
  const copy = deepCopy(value);
  pruneNullsInPlace(copy, schema);
  return copy;
}
