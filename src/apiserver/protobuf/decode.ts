/**
 * Decodes a `Content-Type: application/vnd.kubernetes.protobuf` request body into the JSON object
 * a JSON client would have sent. kubectl's typed clients (create namespace/configmap/secret/
 * deployment/…) send protobuf, and client-go does not fall back to JSON on 415, so the server must
 * read these bodies even though it only ever answers in JSON.
 */
import { readEnvelope } from './envelope.ts';
import { ProtobufDecodeError } from './errors.ts';
import { decodableGroupVersions, messageForKind, messageSchema } from './packages.ts';
import type { FieldSpec, MessageRef, ScalarType, ValueType } from './schema.ts';
import { decodeWellKnown } from './well-known.ts';
import { WireReader, WireType } from './wire.ts';

export { ProtobufDecodeError } from './errors.ts';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';

/** Deeper than any Kubernetes type nests; guards the stack against hostile input. */
const maxDepth = 64;

export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  const envelope = readEnvelope(body);
  const { apiVersion, kind } = envelope;
  if (envelope.contentEncoding !== '') {
    throw new ProtobufDecodeError(
      `protobuf content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`,
    );
  }
  if (envelope.contentType !== '' && envelope.contentType !== protobufContentType) {
    throw new ProtobufDecodeError(
      `protobuf envelope carries ${envelope.contentType}; send it as the request body instead`,
    );
  }
  const ref = messageForKind(apiVersion, kind);
  if (ref === undefined) {
    throw new ProtobufDecodeError(
      `protobuf bodies are decoded for ${decodableGroupVersions.join(', ')}; send JSON for ${apiVersion}, Kind=${kind}`,
    );
  }
  try {
    return { apiVersion, kind, ...decodeObject(envelope.raw, ref, kind, 0) };
  } catch (err) {
    if (err instanceof ProtobufDecodeError) {
      throw new ProtobufDecodeError(`cannot decode ${apiVersion} ${kind} from protobuf: ${err.message}`);
    }
    throw err;
  }
}

function decodeObject(
  bytes: Uint8Array,
  ref: MessageRef,
  path: string,
  depth: number,
): Record<string, unknown> {
  if (depth > maxDepth) throw new ProtobufDecodeError(`${path}: nested more than ${maxDepth} messages deep`);
  const schema = messageSchema(ref);
  const object: Record<string, unknown> = {};
  const inlined: Record<string, unknown>[] = [];
  const lists = new Map<string, unknown[]>();
  const maps = new Map<string, Record<string, unknown>>();
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    const spec = schema.fields.get(field);
    if (spec === undefined) {
      reader.skip(wireType);
      continue;
    }
    const where = `${path}.${spec.jsonName ?? `(field ${field})`}`;
    if (spec.jsonName === null) {
      if (spec.type.kind !== 'message' || wireType !== WireType.bytes) {
        throw new ProtobufDecodeError(`${where}: an inline field must be a message`);
      }
      inlined.push(decodeObject(reader.bytes(), spec.type.ref, path, depth + 1));
    } else if (spec.cardinality === 'repeated') {
      const list = lists.get(spec.jsonName) ?? [];
      lists.set(spec.jsonName, list);
      if (wireType === WireType.bytes && spec.type.kind === 'scalar' && isPackable(spec.type.scalar)) {
        const packed = new WireReader(reader.bytes());
        while (!packed.done) list.push(readScalar(packed, spec.type.scalar));
      } else {
        list.push(readValue(reader, wireType, spec.type, where, depth));
      }
    } else if (spec.cardinality === 'map') {
      const map = maps.get(spec.jsonName) ?? {};
      maps.set(spec.jsonName, map);
      expectWireType(wireType, WireType.bytes, where);
      const [key, value] = readMapEntry(reader.bytes(), spec, where, depth);
      map[key] = value;
    } else {
      const value = readValue(reader, wireType, spec.type, where, depth);
      if (value === undefined || (!spec.keepZero && spec.type.kind === 'scalar' && isZero(value))) {
        delete object[spec.jsonName];
      } else {
        object[spec.jsonName] = value;
      }
    }
  }
  for (const [name, list] of lists) object[name] = list;
  for (const [name, map] of maps) object[name] = map;
  for (const fields of inlined) Object.assign(object, fields);
  return object;
}

/** A message's JSON: an object, or for a list wrapper (authentication's ExtraValue) its items. */
function decodeMessageValue(bytes: Uint8Array, ref: MessageRef, path: string, depth: number): unknown {
  const object = decodeObject(bytes, ref, path, depth + 1);
  return messageSchema(ref).listWrapper ? (object['items'] ?? []) : object;
}

function readValue(
  reader: WireReader,
  wireType: number,
  type: ValueType,
  where: string,
  depth: number,
): unknown {
  if (type.kind === 'scalar') {
    expectWireType(wireType, scalarWireType(type.scalar), where);
    return readScalar(reader, type.scalar);
  }
  expectWireType(wireType, WireType.bytes, where);
  if (type.kind === 'wellKnown') return decodeWellKnown(type.name, reader.bytes());
  return decodeMessageValue(reader.bytes(), type.ref, where, depth);
}

/** A map entry is a message {key = 1, value = 2}; a missing value is its type's zero value. */
function readMapEntry(entry: Uint8Array, spec: FieldSpec, where: string, depth: number): [string, unknown] {
  let key = '';
  let value: unknown;
  const reader = new WireReader(entry);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (field === 1) {
      expectWireType(wireType, WireType.bytes, `${where} key`);
      key = reader.string();
    } else if (field === 2) {
      value = readValue(reader, wireType, spec.type, `${where}[${JSON.stringify(key)}]`, depth);
    } else {
      reader.skip(wireType);
    }
  }
  if (value === undefined) value = zeroValue(spec.type, where, depth);
  return [key, value ?? null];
}

function zeroValue(type: ValueType, where: string, depth: number): unknown {
  if (type.kind === 'wellKnown') return decodeWellKnown(type.name, new Uint8Array(0));
  if (type.kind === 'message') return decodeMessageValue(new Uint8Array(0), type.ref, where, depth);
  switch (type.scalar) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}

function readScalar(reader: WireReader, scalar: ScalarType): unknown {
  switch (scalar) {
    case 'string':
      return reader.string();
    case 'bytes':
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'int64':
      return reader.int64();
    case 'uint32':
      return Number(BigInt.asUintN(32, reader.varint()));
    case 'uint64':
      return reader.uint64();
    case 'sint32':
    case 'sint64':
      return zigzag(reader.varint());
    case 'double':
      return reader.double();
    case 'float':
      return reader.float();
  }
}

function zigzag(value: bigint): number {
  return Number((value >> 1n) ^ -(value & 1n));
}

function scalarWireType(scalar: ScalarType): number {
  switch (scalar) {
    case 'string':
    case 'bytes':
      return WireType.bytes;
    case 'double':
      return WireType.fixed64;
    case 'float':
      return WireType.fixed32;
    default:
      return WireType.varint;
  }
}

const isPackable = (scalar: ScalarType): boolean => scalar !== 'string' && scalar !== 'bytes';

const isZero = (value: unknown): boolean => value === '' || value === 0 || value === false;

function expectWireType(actual: number, expected: number, where: string): void {
  if (actual !== expected) {
    throw new ProtobufDecodeError(
      `${where}: wire type ${actual} where the schema expects wire type ${expected}`,
    );
  }
}
