/**
 * One definition per kind: a TypeBox schema is the TS type, the CRD's openAPIV3Schema and (through
 * the API server's structural-schema validator) the validation messages users see.
 */
import { Type, type Static, type TSchema, type TObject, type SchemaOptions } from '@sinclair/typebox';

export type Scope = 'Namespaced' | 'Cluster';

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

export interface KindVersion {
  readonly name: string;
  /** The whole object's schema: usually `kindSchema(spec, status)`. */
  readonly schema: TSchema;
  readonly served?: boolean;
  readonly storage?: boolean;
  readonly deprecated?: boolean;
  readonly printerColumns?: readonly PrinterColumn[];
  readonly status?: boolean;
  readonly scale?: {
    readonly specReplicasPath: string;
    readonly statusReplicasPath: string;
    readonly labelSelectorPath?: string;
  };
}

export interface KindDefinition {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular?: string;
  readonly listKind?: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly scope: Scope;
  readonly versions: readonly KindVersion[];
}

// ---- schema helpers that keep openAPIV3Schema structural ----------------------------------------

/** A string restricted to the given values (an OpenAPI `enum`, not TypeBox's anyOf of literals). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** `map[string]string` (labels, annotations, nodeSelector…). */
export function StringMap(options: SchemaOptions = {}) {
  return Type.Unsafe<Record<string, string>>({
    ...options,
    type: 'object',
    additionalProperties: { type: 'string' },
  });
}

/** `map[string]T`. */
export function MapOf<T extends TSchema>(value: T, options: SchemaOptions = {}) {
  return Type.Unsafe<Record<string, Static<T>>>({ ...options, type: 'object', additionalProperties: value });
}

/** Any JSON object, kept as-is (embedded manifests, free-form config). */
export function FreeForm(options: SchemaOptions = {}) {
  return Type.Unsafe<Record<string, unknown>>({
    ...options,
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  });
}

/** An embedded Kubernetes object (apiVersion/kind/metadata kept, the rest preserved). */
export function EmbeddedResource(options: SchemaOptions = {}) {
  return Type.Unsafe<Record<string, unknown>>({
    ...options,
    type: 'object',
    'x-kubernetes-embedded-resource': true,
    'x-kubernetes-preserve-unknown-fields': true,
  });
}

/** `intstr.IntOrString` (e.g. maxUnavailable: 1 or "25%"). */
export function IntOrString(options: SchemaOptions = {}) {
  return Type.Unsafe<number | string>({ ...options, 'x-kubernetes-int-or-string': true });
}

/** A field that may be `null` (`+nullable` upstream): clients such as velero send explicit nulls. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
}

/** RFC 3339 timestamps. */
export function Timestamp(options: SchemaOptions = {}) {
  return Type.String({ ...options, format: 'date-time' });
}

/** Kubernetes resource quantities ("10Gi", "500m", 2). */
export function Quantity(options: SchemaOptions = {}) {
  return Type.Unsafe<number | string>({
    ...options,
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern:
      '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  });
}

/** metav1.Condition, as every status of ours carries it. */
export const Condition = Type.Object({
  type: Type.String({ maxLength: 316 }),
  status: StringEnum(['True', 'False', 'Unknown']),
  observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
  lastTransitionTime: Timestamp(),
  reason: Type.String({ maxLength: 1024 }),
  message: Type.String({ maxLength: 32768 }),
});
export type Condition = Static<typeof Condition>;

export function Conditions(options: SchemaOptions = {}) {
  return Type.Array(Condition, {
    ...options,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });
}

/** A local object reference `{name}`. */
export const LocalObjectReference = Type.Object({ name: Type.String() });

/** The top-level object schema: apiVersion, kind, metadata and the kind's spec/status. */
export function kindSchema<S extends TSchema, T extends TSchema>(
  spec: S,
  status?: T,
  options: SchemaOptions = {},
) {
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String()),
      kind: Type.Optional(Type.String()),
      // Kubernetes allows the root metadata schema to say nothing but `type: object`.
      metadata: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object' })),
      spec: Type.Optional(spec),
      ...(status ? { status: Type.Optional(status) } : {}),
    },
    options,
  ) as TObject;
}

// ---- CRD generation -----------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** TypeBox's schema → plain JSON, with TypeBox-only keywords removed and literal unions as enums. */
export function toOpenApi(schema: unknown): Json {
  const plain = JSON.parse(JSON.stringify(schema)) as Json;
  const clean = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(clean);
    if (node === null || typeof node !== 'object') return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id' || key === '$schema' || key === 'static' || key === 'params') continue;
      out[key] = clean(value);
    }
    const anyOf = out.anyOf;
    if (
      Array.isArray(anyOf) &&
      anyOf.every((a) => a !== null && typeof a === 'object' && !Array.isArray(a) && 'const' in a)
    ) {
      delete out.anyOf;
      const values = anyOf.map((a) => (a as { const: Json }).const);
      out.type =
        typeof values[0] === 'number' ? 'integer' : typeof values[0] === 'boolean' ? 'boolean' : 'string';
      out.enum = values;
    }
    if (out.const !== undefined) {
      out.enum = [out.const];
      delete out.const;
    }
    return out;
  };
  return clean(plain);
}

export function apiVersionOf(definition: KindDefinition, version?: string): string {
  return `${definition.group}/${version ?? storageVersion(definition)}`;
}

export function storageVersion(definition: KindDefinition): string {
  return (definition.versions.find((v) => v.storage) ?? definition.versions[0])?.name ?? 'v1';
}

export function crdName(definition: KindDefinition): string {
  return `${definition.plural}.${definition.group}`;
}

/** The CustomResourceDefinition manifest of a kind. */
export function crdOf(definition: KindDefinition): { [key: string]: Json } {
  const storage = storageVersion(definition);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(definition) },
    spec: {
      group: definition.group,
      names: {
        kind: definition.kind,
        listKind: definition.listKind ?? `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.singular ?? definition.kind.toLowerCase(),
        ...(definition.shortNames && definition.shortNames.length > 0
          ? { shortNames: [...definition.shortNames] }
          : {}),
        ...(definition.categories && definition.categories.length > 0
          ? { categories: [...definition.categories] }
          : {}),
      },
      scope: definition.scope,
      versions: definition.versions.map((v) => ({
        name: v.name,
        served: v.served ?? true,
        storage: v.name === storage,
        ...(v.deprecated ? { deprecated: true } : {}),
        schema: { openAPIV3Schema: toOpenApi(v.schema) },
        ...(v.status !== false || v.scale
          ? {
              subresources: {
                ...(v.status !== false ? { status: {} } : {}),
                ...(v.scale ? { scale: { ...v.scale } } : {}),
              },
            }
          : {}),
        ...(v.printerColumns && v.printerColumns.length > 0
          ? { additionalPrinterColumns: v.printerColumns.map((c) => ({ ...c })) }
          : {}),
      })),
    },
  };
}
