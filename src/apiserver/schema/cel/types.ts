/** Static CEL types, as the checker sees them, and how a structural schema declares them. */

import type { JSONSchemaProps } from '../types.ts';
import { celFieldIndex, celViewOf } from './schema-view.ts';

export type CelType =
  | { readonly kind: 'dyn' }
  | { readonly kind: 'int' }
  | { readonly kind: 'uint' }
  | { readonly kind: 'double' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'string' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'null' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'type' }
  | { readonly kind: 'list'; readonly elem: CelType }
  | { readonly kind: 'map'; readonly key: CelType; readonly value: CelType }
  /** A schema object with properties: only its (escaped) property names are fields. */
  | { readonly kind: 'object'; readonly schema: JSONSchemaProps }
  | { readonly kind: 'optional'; readonly inner: CelType };

export const T = {
  dyn: { kind: 'dyn' },
  int: { kind: 'int' },
  uint: { kind: 'uint' },
  double: { kind: 'double' },
  bool: { kind: 'bool' },
  string: { kind: 'string' },
  bytes: { kind: 'bytes' },
  null: { kind: 'null' },
  timestamp: { kind: 'timestamp' },
  duration: { kind: 'duration' },
  type: { kind: 'type' },
  list: (elem: CelType): CelType => ({ kind: 'list', elem }),
  map: (key: CelType, value: CelType): CelType => ({ kind: 'map', key, value }),
  optional: (inner: CelType): CelType => ({ kind: 'optional', inner }),
} as const;

export function formatType(type: CelType): string {
  switch (type.kind) {
    case 'null':
      return 'null_type';
    case 'timestamp':
      return 'google.protobuf.Timestamp';
    case 'duration':
      return 'google.protobuf.Duration';
    case 'list':
      return `list(${formatType(type.elem)})`;
    case 'map':
      return `map(${formatType(type.key)}, ${formatType(type.value)})`;
    case 'optional':
      return `optional_type(${formatType(type.inner)})`;
    default:
      return type.kind;
  }
}

export function sameType(a: CelType, b: CelType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'list':
      return b.kind === 'list' && sameType(a.elem, b.elem);
    case 'map':
      return b.kind === 'map' && sameType(a.key, b.key) && sameType(a.value, b.value);
    case 'optional':
      return b.kind === 'optional' && sameType(a.inner, b.inner);
    case 'object':
      return b.kind === 'object' && a.schema === b.schema;
    default:
      return true;
  }
}

/** Whether a value of type `actual` may appear where `expected` is wanted (dyn matches anything). */
export function isAssignable(expected: CelType, actual: CelType): boolean {
  if (expected.kind === 'dyn' || actual.kind === 'dyn') return true;
  if (expected.kind !== actual.kind) return false;
  switch (expected.kind) {
    case 'list':
      return actual.kind === 'list' && isAssignable(expected.elem, actual.elem);
    case 'map':
      return (
        actual.kind === 'map' &&
        isAssignable(expected.key, actual.key) &&
        isAssignable(expected.value, actual.value)
      );
    case 'optional':
      return actual.kind === 'optional' && isAssignable(expected.inner, actual.inner);
    default:
      return true;
  }
}

/** The narrowest type covering both, or dyn. */
export function joinTypes(a: CelType, b: CelType): CelType {
  if (sameType(a, b)) return a;
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'list' && b.kind === 'list') return T.list(joinTypes(a.elem, b.elem));
  if (a.kind === 'map' && b.kind === 'map')
    return T.map(joinTypes(a.key, b.key), joinTypes(a.value, b.value));
  return T.dyn;
}

/**
 * apiserver's SchemaDeclType: the CEL type of values under a schema, or undefined when Kubernetes
 * declares none (a node without type and without x-kubernetes-int-or-string).
 */
export function schemaType(schema: JSONSchemaProps, isResourceRoot = false): CelType | undefined {
  if (schema['x-kubernetes-int-or-string'] === true) return T.dyn;
  const view = celViewOf(schema, isResourceRoot);
  switch (view.type) {
    case 'array': {
      if (view.items === undefined) return undefined;
      const elem = schemaType(view.items);
      return elem === undefined ? undefined : T.list(elem);
    }
    case 'object': {
      const ap = view.additionalProperties;
      if (typeof ap === 'object') {
        const value = schemaType(ap);
        return value === undefined ? undefined : T.map(T.string, value);
      }
      return { kind: 'object', schema: view };
    }
    case 'string':
      switch (view.format) {
        case 'byte':
          return T.bytes;
        case 'duration':
          return T.duration;
        case 'date':
        case 'date-time':
          return T.timestamp;
        default:
          return T.string;
      }
    case 'boolean':
      return T.bool;
    case 'number':
      return T.double;
    case 'integer':
      return T.int;
    default:
      return undefined;
  }
}

/** The type of field `name` (an escaped identifier) of an object type, if it is declared. */
export function objectFieldType(schema: JSONSchemaProps, name: string): CelType | undefined {
  const property = celFieldIndex(schema).get(name);
  if (property === undefined) return undefined;
  const propSchema = schema.properties?.[property];
  return propSchema === undefined ? undefined : schemaType(propSchema);
}
