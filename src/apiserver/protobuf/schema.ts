/**
 * How a protobuf message maps to Kubernetes JSON. Each package table (messages/*.ts) lists, per
 * message, field number → "<jsonName> <type>":
 *
 * - jsonName is the JSON key, or "(inline)" for a Go struct embedded with `json:",inline"`, whose
 *   fields are merged into the parent object (Volume's VolumeSource, Probe's ProbeHandler, …).
 * - type is a scalar (string, int32, int64, uint32, uint64, sint32, sint64, bool, bytes, double,
 *   float), a well-known type (Time, MicroTime, Duration, Quantity, IntOrString, RawJSON), or a
 *   message: `Name` in the same package, `meta.v1.Name` in another one.
 * - `[]T` is a repeated field, `map[string]T` a map (repeated {key = 1, value = 2} entries).
 * - A leading `*` on a scalar keeps a zero value. Go's protobuf marshalling writes every
 *   non-pointer scalar, zero or not, so without the `*` a zero ("", 0, false) is dropped the way
 *   Go's `omitempty` would drop it; with it (a Go pointer such as replicas, or a field without
 *   omitempty) the zero is meaningful and stays.
 */

export interface PackageSchema {
  /** Kinds that may be sent as a top-level request body. */
  readonly kinds: readonly string[];
  /** Messages that stand for a Go slice type (`ExtraValue []string`): their JSON is field 1's list. */
  readonly listWrappers?: readonly string[];
  readonly messages: Readonly<Record<string, Readonly<Record<number, string>>>>;
}

export const scalarTypes = [
  'string',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'bool',
  'bytes',
  'double',
  'float',
] as const;
export type ScalarType = (typeof scalarTypes)[number];

export const wellKnownTypes = [
  'Time',
  'MicroTime',
  'Duration',
  'Quantity',
  'IntOrString',
  'RawJSON',
] as const;
export type WellKnownType = (typeof wellKnownTypes)[number];

/** A message by package ("core.v1") and name ("Container"). */
export interface MessageRef {
  readonly pkg: string;
  readonly name: string;
}

export type ValueType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarType }
  | { readonly kind: 'wellKnown'; readonly name: WellKnownType }
  | { readonly kind: 'message'; readonly ref: MessageRef };

export interface FieldSpec {
  /** null for an inline (embedded) struct. */
  readonly jsonName: string | null;
  readonly cardinality: 'single' | 'repeated' | 'map';
  readonly type: ValueType;
  readonly keepZero: boolean;
}

const isScalar = (t: string): t is ScalarType => (scalarTypes as readonly string[]).includes(t);
const isWellKnown = (t: string): t is WellKnownType => (wellKnownTypes as readonly string[]).includes(t);

/** Parses one table entry; `pkg` resolves unqualified message names. */
export function parseFieldSpec(spec: string, pkg: string): FieldSpec {
  const match = /^(\S+) (\*)?(\[\]|map\[string\])?(\S+)$/.exec(spec);
  if (!match) throw new Error(`protobuf schema: malformed field spec ${JSON.stringify(spec)} in ${pkg}`);
  const [, name = '', star, container, typeName = ''] = match;
  const dot = typeName.lastIndexOf('.');
  const type: ValueType = isScalar(typeName)
    ? { kind: 'scalar', scalar: typeName }
    : isWellKnown(typeName)
      ? { kind: 'wellKnown', name: typeName }
      : {
          kind: 'message',
          ref:
            dot < 0
              ? { pkg, name: typeName }
              : { pkg: typeName.slice(0, dot), name: typeName.slice(dot + 1) },
        };
  return {
    jsonName: name === '(inline)' ? null : name,
    cardinality: container === '[]' ? 'repeated' : container === undefined ? 'single' : 'map',
    type,
    keepZero: star === '*',
  };
}
