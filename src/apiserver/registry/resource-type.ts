/**
 * What the server knows about one served resource: names for discovery, scope, subresources,
 * Table columns, and the kind's own validation and normalization. Built-in kinds are declared in
 * builtins.ts; custom resources get one per served CRD version (crd.ts).
 */
import type { FieldError } from '../field-errors.ts';
import type { KubeObject } from '../object.ts';
import type { JSONSchemaProps } from '../schema/types.ts';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly format?: string;
  readonly description: string;
  readonly priority: number;
  readonly cell: (object: KubeObject) => unknown;
}

export interface ScaleSubresource {
  readonly specReplicasPath: readonly string[];
  readonly statusReplicasPath: readonly string[];
  readonly labelSelectorPath?: readonly string[];
}

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly listKind: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  readonly hasStatus: boolean;
  readonly scale?: ScaleSubresource;
  /** Extra columns after NAME (and NAMESPACE when listing across namespaces). */
  readonly columns: readonly Column[];
  /** Fields usable in ?fieldSelector= besides metadata.name / metadata.namespace. */
  readonly extraFieldSelectors?: Readonly<Record<string, (object: KubeObject) => string>>;
  /** Only spec (and non-metadata, non-status) changes bump metadata.generation. */
  readonly tracksGeneration: boolean;
  /** The version objects are stored in, when several versions share storage (CRDs). */
  readonly storageVersion: string;
  /** For custom resources: the CRD and this version's schema. */
  readonly custom?: { readonly crdName: string; readonly schema: JSONSchemaProps | undefined };
  /** Kind-specific defaulting and normalization before validation (stringData → data, …). */
  readonly normalize?: (object: KubeObject, old: KubeObject | undefined) => void;
  /** Kind-specific validation; metadata rules are checked by the server for every kind. */
  readonly validate?: (object: KubeObject, old: KubeObject | undefined) => FieldError[];
  /** Kubernetes name rule for this kind: most use DNS-1123 subdomains. */
  readonly nameRule: 'subdomain' | 'label' | 'path-segment';
}

export function groupVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export const allVerbs = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
] as const;
