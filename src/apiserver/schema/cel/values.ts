/**
 * CEL runtime values. Scalars map onto JS: int is bigint (64-bit, overflow-checked), double is
 * number, string/bool/null are themselves, bytes are Uint8Array. Lists and maps are classes so that
 * a CR's JSON can be wrapped lazily: `self.spec.x` converts only the values it touches.
 */

import { isJsonObject, type JsonObject } from '../json.ts';
import type { JSONSchemaProps } from '../types.ts';
import { CelEvalError } from './errors.ts';
import { celFieldIndex, celViewOf } from './schema-view.ts';
import { parseDate, parseSchemaDuration, parseTimestamp } from './time.ts';

export class CelUint {
  constructor(readonly value: bigint) {}
}

/** Nanoseconds since the Unix epoch, UTC. */
export class CelTimestamp {
  constructor(readonly nanos: bigint) {}
}

export class CelDuration {
  constructor(readonly nanos: bigint) {}
}

/** A type denotation (`int`, `string`, …) as a value, e.g. the result of `type(x)`. */
export class CelTypeValue {
  constructor(readonly name: string) {}
}

export class CelOptional {
  private constructor(
    readonly present: boolean,
    private readonly inner: CelValue,
  ) {}
  static readonly none = new CelOptional(false, null);
  static of(value: CelValue): CelOptional {
    return new CelOptional(true, value);
  }
  get value(): CelValue {
    if (!this.present) throw new CelEvalError('optional.none() dereference');
    return this.inner;
  }
}

export abstract class CelList {
  abstract readonly size: number;
  abstract get(index: number): CelValue;
  /** x-kubernetes-list-type set/map lists compare without regard to order. */
  get unordered(): boolean {
    return false;
  }
  *[Symbol.iterator](): Iterator<CelValue> {
    for (let i = 0; i < this.size; i++) yield this.get(i);
  }
  toArray(): CelValue[] {
    return [...this];
  }
}

export class ArrayList extends CelList {
  constructor(private readonly items: readonly CelValue[]) {
    super();
  }
  get size(): number {
    return this.items.length;
  }
  get(index: number): CelValue {
    const item = this.items[index];
    if (item === undefined) throw indexOutOfRange(index, this.items.length);
    return item;
  }
}

export abstract class CelMap {
  abstract readonly size: number;
  /** The value under a key, or undefined when the key is absent. */
  abstract get(key: CelValue): CelValue | undefined;
  abstract keys(): CelValue[];
  /** `m.f`: for objects typed by a schema, f is the escaped property name. */
  select(field: string): CelValue | undefined {
    return this.get(field);
  }
}

export class LiteralMap extends CelMap {
  private readonly entries = new Map<string, [CelValue, CelValue]>();
  constructor(entries: Iterable<[CelValue, CelValue]>) {
    super();
    for (const [key, value] of entries) {
      const id = mapKeyId(key);
      if (this.entries.has(id)) throw new CelEvalError(`Failed with repeated key`);
      this.entries.set(id, [key, value]);
    }
  }
  get size(): number {
    return this.entries.size;
  }
  get(key: CelValue): CelValue | undefined {
    const id = tryMapKeyId(key);
    return id === undefined ? undefined : this.entries.get(id)?.[1];
  }
  keys(): CelValue[] {
    return [...this.entries.values()].map(([key]) => key);
  }
}

/** A JSON list, its items converted by the items schema on access. */
export class JsonList extends CelList {
  private readonly converted = new Map<number, CelValue>();
  constructor(
    private readonly json: readonly unknown[],
    private readonly itemSchema: JSONSchemaProps | undefined,
    private readonly listType: string | undefined,
  ) {
    super();
  }
  get size(): number {
    return this.json.length;
  }
  override get unordered(): boolean {
    return this.listType === 'set' || this.listType === 'map';
  }
  get(index: number): CelValue {
    if (!Number.isInteger(index) || index < 0 || index >= this.json.length)
      throw indexOutOfRange(index, this.json.length);
    let value = this.converted.get(index);
    if (value === undefined) {
      value = jsonToCel(this.json[index], this.itemSchema);
      this.converted.set(index, value);
    }
    return value;
  }
}

/**
 * A JSON object. With a schema of properties only those properties are visible (as in Kubernetes);
 * with additionalProperties every key is, converted by that schema; without a schema it is dynamic.
 */
export class JsonMap extends CelMap {
  constructor(
    private readonly json: JsonObject,
    private readonly schema: JSONSchemaProps | undefined,
  ) {
    super();
  }
  private schemaFor(key: string): JSONSchemaProps | undefined | false {
    const schema = this.schema;
    if (schema === undefined) return undefined;
    if (schema.properties !== undefined) return schema.properties[key] ?? false;
    const ap = schema.additionalProperties;
    if (typeof ap === 'object') return ap;
    return schema['x-kubernetes-preserve-unknown-fields'] === true || ap === true ? undefined : false;
  }
  private visibleKeys(): string[] {
    return Object.keys(this.json).filter((k) => this.schemaFor(k) !== false);
  }
  get size(): number {
    return this.visibleKeys().length;
  }
  get(key: CelValue): CelValue | undefined {
    if (typeof key !== 'string' || !Object.hasOwn(this.json, key)) return undefined;
    const schema = this.schemaFor(key);
    if (schema === false) return undefined;
    return jsonToCel(this.json[key], schema);
  }
  override select(field: string): CelValue | undefined {
    if (this.schema?.properties !== undefined) {
      const name = celFieldIndex(this.schema).get(field);
      return name === undefined ? undefined : this.get(name);
    }
    return this.get(field);
  }
  keys(): CelValue[] {
    return this.visibleKeys();
  }
}

export type CelValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | Uint8Array
  | CelUint
  | CelTimestamp
  | CelDuration
  | CelTypeValue
  | CelOptional
  | CelList
  | CelMap;

export function indexOutOfRange(index: number, size: number): CelEvalError {
  return new CelEvalError(`index '${index}' out of range in list size '${size}'`);
}

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;
const UINT_MAX = 2n ** 64n - 1n;

export function checkInt(value: bigint): bigint {
  if (value < INT_MIN || value > INT_MAX) throw new CelEvalError('integer overflow');
  return value;
}

export function checkUint(value: bigint): CelUint {
  if (value < 0n || value > UINT_MAX) throw new CelEvalError('unsigned integer overflow');
  return new CelUint(value);
}

export const intRange = { min: INT_MIN, max: INT_MAX, umax: UINT_MAX };

function tryMapKeyId(key: CelValue): string | undefined {
  if (typeof key === 'string') return `s:${key}`;
  if (typeof key === 'boolean') return `b:${key}`;
  if (typeof key === 'bigint') return `n:${key}`;
  if (key instanceof CelUint) return `n:${key.value}`;
  // Heterogeneous lookups: m[1.0] finds the int key 1.
  if (typeof key === 'number' && Number.isInteger(key)) return `n:${BigInt(key)}`;
  return undefined;
}

function mapKeyId(key: CelValue): string {
  if (typeof key === 'number') throw new CelEvalError('unsupported key type: double');
  const id = tryMapKeyId(key);
  if (id === undefined) throw new CelEvalError(`unsupported key type: ${typeName(key)}`);
  return id;
}

/** The CEL type name of a value, as `type(x)` reports it. */
export function typeName(value: CelValue): string {
  if (value === null) return 'null_type';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    default:
  }
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof CelUint) return 'uint';
  if (value instanceof CelTimestamp) return 'google.protobuf.Timestamp';
  if (value instanceof CelDuration) return 'google.protobuf.Duration';
  if (value instanceof CelTypeValue) return 'type';
  if (value instanceof CelOptional) return 'optional_type';
  if (value instanceof CelList) return 'list';
  return 'map';
}

type Numeric = { kind: 'int' | 'uint'; value: bigint } | { kind: 'double'; value: number };

function asNumeric(value: CelValue): Numeric | undefined {
  if (typeof value === 'bigint') return { kind: 'int', value };
  if (value instanceof CelUint) return { kind: 'uint', value: value.value };
  if (typeof value === 'number') return { kind: 'double', value };
  return undefined;
}

function compareNumeric(a: Numeric, b: Numeric): number | undefined {
  if (a.kind !== 'double' && b.kind !== 'double') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'double' && b.kind === 'double') {
    if (Number.isNaN(a.value) || Number.isNaN(b.value)) return undefined;
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
  const double = a.kind === 'double' ? a : b.kind === 'double' ? b : undefined;
  const integer = a.kind === 'double' ? b : a;
  if (double === undefined || integer.kind === 'double') return undefined;
  const [d, i, flip] = [double.value, integer.value, a.kind === 'double' ? 1 : -1];
  if (Number.isNaN(d)) return undefined;
  if (d === Infinity) return flip;
  if (d === -Infinity) return -flip;
  const floor = BigInt(Math.floor(d));
  let cmp: number;
  if (floor < i) cmp = -1;
  else if (floor > i) cmp = 1;
  else cmp = Number.isInteger(d) ? 0 : 1;
  return cmp * flip;
}

function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Ordering for `<`, `<=`, `>`, `>=`: -1/0/1, undefined for NaN. Numbers compare across int, uint
 * and double; other mixed types have no overload.
 */
export function compareValues(a: CelValue, b: CelValue): number | undefined {
  const na = asNumeric(a);
  const nb = asNumeric(b);
  if (na !== undefined && nb !== undefined) return compareNumeric(na, nb);
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (a instanceof CelTimestamp && b instanceof CelTimestamp)
    return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
  if (a instanceof CelDuration && b instanceof CelDuration)
    return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
  throw new CelEvalError('no such overload');
}

/** CEL's heterogeneous equality: numbers compare by value, other mixed types are unequal. */
export function celEquals(a: CelValue, b: CelValue): boolean {
  const na = asNumeric(a);
  const nb = asNumeric(b);
  if (na !== undefined || nb !== undefined) {
    return na !== undefined && nb !== undefined && compareNumeric(na, nb) === 0;
  }
  if (a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && compareBytes(a, b) === 0;
  if (a instanceof CelTimestamp) return b instanceof CelTimestamp && a.nanos === b.nanos;
  if (a instanceof CelDuration) return b instanceof CelDuration && a.nanos === b.nanos;
  if (a instanceof CelTypeValue) return b instanceof CelTypeValue && a.name === b.name;
  if (a instanceof CelOptional) {
    if (!(b instanceof CelOptional) || a.present !== b.present) return false;
    return !a.present || celEquals(a.value, b.value);
  }
  if (a instanceof CelList) return b instanceof CelList && listsEqual(a, b);
  if (a instanceof CelMap) return b instanceof CelMap && mapsEqual(a, b);
  return false;
}

function listsEqual(a: CelList, b: CelList): boolean {
  if (a.size !== b.size) return false;
  if (a.unordered || b.unordered) {
    const bItems = b.toArray();
    return a.toArray().every((x) => bItems.some((y) => celEquals(x, y)));
  }
  for (let i = 0; i < a.size; i++) if (!celEquals(a.get(i), b.get(i))) return false;
  return true;
}

function mapsEqual(a: CelMap, b: CelMap): boolean {
  if (a.size !== b.size) return false;
  for (const key of a.keys()) {
    const other = b.get(key);
    const mine = a.get(key);
    if (other === undefined || mine === undefined || !celEquals(mine, other)) return false;
  }
  return true;
}

function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new CelEvalError(`Invalid byte formatted string ${text}`);
  return new Uint8Array(Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'));
}

/** JSON values without a schema (x-kubernetes-preserve-unknown-fields): integral numbers are ints. */
function dynamicToCel(json: unknown): CelValue {
  if (json === null || json === undefined) return null;
  if (typeof json === 'boolean' || typeof json === 'string') return json;
  if (typeof json === 'number') return Number.isInteger(json) ? BigInt(json) : json;
  if (Array.isArray(json)) return new JsonList(json, undefined, undefined);
  if (isJsonObject(json)) return new JsonMap(json, undefined);
  throw new CelEvalError(`unsupported value of type ${typeof json}`);
}

/** apiserver's UnstructuredToVal: a JSON value as the CEL value its schema makes it. */
export function jsonToCel(json: unknown, schema: JSONSchemaProps | undefined): CelValue {
  if (schema === undefined) return dynamicToCel(json);
  if (json === null || json === undefined) {
    if (schema.nullable === true) return null;
    throw new CelEvalError('invalid data, got null for schema with nullable=false');
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof json === 'string') return json;
    if (typeof json === 'number' && Number.isInteger(json)) return BigInt(json);
    throw new CelEvalError('invalid data, expected XIntOrString value to be either a string or integer');
  }
  switch (schema.type) {
    case 'object': {
      if (!isJsonObject(json))
        throw new CelEvalError('invalid data, expected a map for the provided schema with type=object');
      return new JsonMap(json, celViewOf(schema, false));
    }
    case 'array': {
      if (!Array.isArray(json))
        throw new CelEvalError('invalid data, expected an array for the provided schema with type=array');
      if (schema.items === undefined)
        throw new CelEvalError('invalid array type, expected Items with a non-empty Schema');
      return new JsonList(json, schema.items, schema['x-kubernetes-list-type']);
    }
    case 'string': {
      if (typeof json !== 'string')
        throw new CelEvalError(`invalid data, expected string, got ${typeof json}`);
      return stringWithFormat(json, schema.format);
    }
    case 'number':
      if (typeof json !== 'number')
        throw new CelEvalError(`invalid data, expected float, got ${typeof json}`);
      return json;
    case 'integer':
      if (typeof json !== 'number' || !Number.isInteger(json))
        throw new CelEvalError(`invalid data, expected int, got ${typeof json}`);
      return BigInt(json);
    case 'boolean':
      if (typeof json !== 'boolean')
        throw new CelEvalError(`invalid data, expected bool, got ${typeof json}`);
      return json;
    default:
      if (schema['x-kubernetes-preserve-unknown-fields'] === true) return dynamicToCel(json);
      throw new CelEvalError(
        `invalid type, expected object, array, number, integer, boolean or string, or no type with x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields is true, got ${schema.type ?? ''}`,
      );
  }
}

function stringWithFormat(text: string, format: string | undefined): CelValue {
  switch (format) {
    case 'duration': {
      const nanos = parseSchemaDuration(text);
      if (nanos === undefined) throw new CelEvalError(`Invalid duration ${text}`);
      return new CelDuration(nanos);
    }
    case 'date': {
      const nanos = parseDate(text);
      if (nanos === undefined) throw new CelEvalError(`Invalid date formatted string ${text}`);
      return new CelTimestamp(nanos);
    }
    case 'date-time': {
      const nanos = parseTimestamp(text);
      if (nanos === undefined) throw new CelEvalError(`Invalid date-time formatted string ${text}`);
      return new CelTimestamp(nanos);
    }
    case 'byte':
      return decodeBase64(text);
    default:
      return text;
  }
}

/** CEL's zero values, for optional.ofNonZeroValue. */
export function isZeroValue(value: CelValue): boolean {
  if (value === null || value === false || value === 0n || value === 0 || value === '') return true;
  if (value instanceof Uint8Array) return value.length === 0;
  if (value instanceof CelUint) return value.value === 0n;
  if (value instanceof CelTimestamp || value instanceof CelDuration) return value.nanos === 0n;
  if (value instanceof CelList || value instanceof CelMap) return value.size === 0;
  if (value instanceof CelOptional) return !value.present;
  return false;
}
