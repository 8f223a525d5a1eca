/**
 * How Kubernetes exposes a structural schema to CEL: property names escaped into identifiers,
 * and resource roots (and embedded resources) seen with apiVersion, kind and metadata.name /
 * metadata.generateName only.
 */

import type { JSONSchemaProps } from '../types.ts';
import { reservedWords } from './parser.ts';

/** Property names Kubernetes escapes as `__name__`: CEL's literals, `in`, and its reserved words. */
const reservedSymbols = new Set(['true', 'false', 'null', 'in', ...reservedWords]);

/** apiserver/pkg/cel.Escape: the CEL identifier for a property name, or undefined if it has none. */
export function escapePropertyName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (reservedSymbols.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/(__|[^a-zA-Z0-9_])/g, (s) => {
    switch (s) {
      case '__':
        return '__underscores__';
      case '.':
        return '__dot__';
      case '-':
        return '__dash__';
      case '/':
        return '__slash__';
      default:
        ok = false;
        return '';
    }
  });
  return ok ? escaped : undefined;
}

const fieldIndexCache = new WeakMap<JSONSchemaProps, Map<string, string>>();

/** Escaped identifier → property name, for the properties CEL can see. */
export function celFieldIndex(schema: JSONSchemaProps): Map<string, string> {
  let index = fieldIndexCache.get(schema);
  if (index === undefined) {
    index = new Map();
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const escaped = escapePropertyName(name);
      if (escaped !== undefined && hasCelType(prop)) index.set(escaped, name);
    }
    fieldIndexCache.set(schema, index);
  }
  return index;
}

/** Whether Kubernetes gives this schema a CEL declaration at all (typeless nodes are hidden). */
export function hasCelType(schema: JSONSchemaProps): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) return true;
  switch (schema.type) {
    case 'array':
      return schema.items !== undefined && hasCelType(schema.items);
    case 'object': {
      const ap = schema.additionalProperties;
      if (typeof ap === 'object') return hasCelType(ap);
      return true;
    }
    case 'string':
    case 'boolean':
    case 'number':
    case 'integer':
      return true;
    default:
      return false;
  }
}

const stringSchema: JSONSchemaProps = { type: 'string' };
const metaCache = new WeakMap<JSONSchemaProps, JSONSchemaProps>();

/** The schema as CEL sees a resource: apiVersion, kind, and metadata with name/generateName. */
export function withTypeAndObjectMeta(schema: JSONSchemaProps): JSONSchemaProps {
  let view = metaCache.get(schema);
  if (view === undefined) {
    view = {
      ...schema,
      properties: {
        ...schema.properties,
        apiVersion: stringSchema,
        kind: stringSchema,
        metadata: {
          type: 'object',
          properties: { name: stringSchema, generateName: stringSchema },
        },
      },
    };
    metaCache.set(schema, view);
  }
  return view;
}

/** The schema a CEL value at this node is built from (embedded resources get the meta view). */
export function celViewOf(schema: JSONSchemaProps, isResourceRoot: boolean): JSONSchemaProps {
  return isResourceRoot || schema['x-kubernetes-embedded-resource'] === true
    ? withTypeAndObjectMeta(schema)
    : schema;
}
