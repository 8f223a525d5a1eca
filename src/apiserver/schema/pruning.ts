/**
 * Structural pruning (apiextensions' pruning.Prune): fields the schema does not specify are dropped,
 * except below x-kubernetes-preserve-unknown-fields (where known properties are still pruned
 * inside). apiVersion, kind and metadata survive at the resource root and in embedded resources.
 * The dropped paths are reported sorted, for fieldValidation=Strict/Warn.
 */

import { deepCopy, isJsonObject } from './json.ts';
import type { JSONSchemaProps } from './types.ts';

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

class Pruner {
  readonly unknownFields: string[] = [];

  private record(parent: string, key: string): void {
    this.unknownFields.push(parent === '' ? key : `${parent}.${key}`);
  }

  /** additionalProperties as a schema, or null for `additionalProperties: true|false` (no schema). */
  private additional(schema: JSONSchemaProps): JSONSchemaProps | null | undefined {
    const ap = schema.additionalProperties;
    if (ap === undefined) return undefined;
    return typeof ap === 'object' ? ap : null;
  }

  prune(value: unknown, schema: JSONSchemaProps | null, path: string, isEmbedded: boolean): void {
    if (schema !== null && schema['x-kubernetes-preserve-unknown-fields'] === true) {
      this.skipPrune(value, schema, path, isEmbedded);
      return;
    }
    if (isJsonObject(value)) {
      if (schema === null) {
        for (const key of Object.keys(value)) {
          this.record(path, key);
          delete value[key];
        }
        return;
      }
      const embedded = isEmbedded || schema['x-kubernetes-embedded-resource'] === true;
      const additional = this.additional(schema);
      for (const key of Object.keys(value)) {
        if (embedded && metaFields.has(key)) continue;
        const prop = schema.properties?.[key];
        const childPath = path === '' ? key : `${path}.${key}`;
        if (prop !== undefined) {
          this.prune(value[key], prop, childPath, false);
        } else if (additional !== undefined) {
          this.prune(value[key], additional, childPath, false);
        } else {
          if (!metaFields.has(key) || path !== '') this.record(path, key);
          delete value[key];
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) =>
        this.prune(item, schema === null ? null : (schema.items ?? null), `${path}[${i}]`, false),
      );
    }
  }

  private skipPrune(value: unknown, schema: JSONSchemaProps, path: string, isEmbedded: boolean): void {
    if (isJsonObject(value)) {
      const embedded = isEmbedded || schema['x-kubernetes-embedded-resource'] === true;
      const additional = this.additional(schema);
      for (const key of Object.keys(value)) {
        if (embedded && metaFields.has(key)) continue;
        const prop = schema.properties?.[key];
        const childPath = path === '' ? key : `${path}.${key}`;
        if (prop !== undefined) this.prune(value[key], prop, childPath, false);
        else if (additional !== undefined) this.prune(value[key], additional, childPath, false);
      }
    } else if (Array.isArray(value)) {
      const items = schema.items;
      if (items === undefined) return;
      value.forEach((item, i) => this.skipPrune(item, items, `${path}[${i}]`, false));
    }
  }
}

export interface PruneOptions {
  /** Treat the value as a resource, keeping its apiVersion, kind and metadata (default true). */
  readonly isResourceRoot?: boolean;
}

/**
 * Prunes a copy of `value` (the input is not modified). By default the value is a resource: its
 * apiVersion, kind and metadata are kept whatever the schema says.
 */
export function prune(
  schema: JSONSchemaProps,
  value: unknown,
  options: PruneOptions = {},
): { value: unknown; unknownFields: string[] } {
  const copy = deepCopy(value);
  const pruner = new Pruner();
  pruner.prune(copy, schema, '', options.isResourceRoot ?? true);
  return { value: copy, unknownFields: pruner.unknownFields.sort() };
}
