/**
 * Messages whose JSON form is not an object: apimachinery's Time, MicroTime, Duration, Quantity,
 * IntOrString, and the raw-JSON carriers runtime.RawExtension and metav1.FieldsV1.
 */
import { hasProtobufMagic } from './envelope.ts';
import { ProtobufDecodeError } from './errors.ts';
import type { WellKnownType } from './schema.ts';
import { WireReader, WireType } from './wire.ts';

/** The JSON value, or undefined where Go would marshal null (a zero Time, an empty RawExtension). */
export function decodeWellKnown(type: WellKnownType, bytes: Uint8Array): unknown {
  switch (type) {
    case 'Time':
      return bytes.length === 0 ? undefined : formatTime(readTimestamp(bytes), 0);
    case 'MicroTime':
      return bytes.length === 0 ? undefined : formatTime(readTimestamp(bytes), 6);
    case 'Duration':
      return formatGoDuration(readSmall(bytes).varints.get(1) ?? 0n);
    case 'Quantity':
      return stringField(readSmall(bytes), 1) ?? '0';
    case 'IntOrString':
      return readIntOrString(bytes);
    case 'RawJSON':
      return readRawJSON(bytes);
  }
}

interface SmallMessage {
  readonly varints: ReadonlyMap<number, bigint>;
  readonly delimited: ReadonlyMap<number, Uint8Array>;
}

/** The varint and length-delimited fields of a small message; later occurrences win. */
function readSmall(bytes: Uint8Array): SmallMessage {
  const varints = new Map<number, bigint>();
  const delimited = new Map<number, Uint8Array>();
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.tag();
    if (wireType === WireType.varint) varints.set(field, reader.varint());
    else if (wireType === WireType.bytes) delimited.set(field, reader.bytes());
    else reader.skip(wireType);
  }
  return { varints, delimited };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function stringField(message: SmallMessage, field: number): string | undefined {
  const bytes = message.delimited.get(field);
  if (bytes === undefined) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtobufDecodeError('string field is not valid UTF-8');
  }
}

function readTimestamp(bytes: Uint8Array): { seconds: number; nanos: number } {
  const { varints } = readSmall(bytes);
  const seconds = varints.get(1) ?? 0n;
  const nanos = varints.get(2) ?? 0n;
  return { seconds: Number(BigInt.asIntN(64, seconds)), nanos: Number(BigInt.asIntN(32, nanos)) };
}

/** RFC 3339 in UTC, as metav1.Time (whole seconds) and metav1.MicroTime (six digits) marshal it. */
function formatTime({ seconds, nanos }: { seconds: number; nanos: number }, fractionDigits: 0 | 6): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtobufDecodeError(`timestamp ${seconds}s is out of range`);
  const whole = date.toISOString().slice(0, -5);
  if (fractionDigits === 0) return `${whole}Z`;
  return `${whole}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(raw: bigint): string {
  const nanos = BigInt.asIntN(64, raw);
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  const u = nanos < 0n ? -nanos : nanos;
  const fraction = (value: bigint, digits: number): string => {
    const text = value.toString().padStart(digits, '0').replace(/0+$/, '');
    return text === '' ? '' : `.${text}`;
  };
  if (u < 1_000_000_000n) {
    const [unit, digits] = u < 1_000n ? ['ns', 0] : u < 1_000_000n ? ['µs', 3] : ['ms', 6];
    const scale = 10n ** BigInt(digits);
    return `${sign}${u / scale}${fraction(u % scale, digits)}${unit}`;
  }
  const seconds = u / 1_000_000_000n;
  let text = `${seconds % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
  if (seconds >= 60n) text = `${(seconds / 60n) % 60n}m${text}`;
  if (seconds >= 3600n) text = `${seconds / 3600n}h${text}`;
  return sign + text;
}

function readIntOrString(bytes: Uint8Array): number | string {
  const message = readSmall(bytes);
  if (message.varints.get(1) === 1n) return stringField(message, 3) ?? '';
  return Number(BigInt.asIntN(32, message.varints.get(2) ?? 0n));
}

function readRawJSON(bytes: Uint8Array): unknown {
  const raw = readSmall(bytes).delimited.get(1);
  if (raw === undefined || raw.length === 0) return undefined;
  if (hasProtobufMagic(raw)) {
    throw new ProtobufDecodeError('an embedded object (runtime.RawExtension) is protobuf-encoded; send JSON');
  }
  try {
    return JSON.parse(utf8.decode(raw)) as unknown;
  } catch {
    throw new ProtobufDecodeError('an embedded object (runtime.RawExtension or FieldsV1) is not valid JSON');
  }
}
