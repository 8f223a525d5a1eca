/**
 * The envelope every Kubernetes protobuf body travels in: the magic bytes "k8s\0", then a
 * runtime.Unknown message {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3,
 * contentType = 4} whose raw field is the object's own message (k8s.io/apimachinery
 * pkg/runtime/serializer/protobuf).
 */
import { ProtobufDecodeError } from './errors.ts';
import { WireReader, WireType } from './wire.ts';

export const protobufMagic = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
  readonly contentEncoding: string;
  readonly contentType: string;
}

export function hasProtobufMagic(body: Uint8Array): boolean {
  return body.length >= protobufMagic.length && protobufMagic.every((byte, i) => body[i] === byte);
}

export function readEnvelope(body: Uint8Array): Envelope {
  if (!hasProtobufMagic(body)) {
    throw new ProtobufDecodeError('body does not start with the Kubernetes protobuf magic bytes "k8s\\x00"');
  }
  const envelope: { -readonly [K in keyof Envelope]: Envelope[K] } = {
    apiVersion: '',
    kind: '',
    raw: new Uint8Array(0),
    contentEncoding: '',
    contentType: '',
  };
  const unknown = new WireReader(body.subarray(protobufMagic.length));
  while (!unknown.done) {
    const { field, wireType } = unknown.tag();
    if (wireType !== WireType.bytes) {
      unknown.skip(wireType);
    } else if (field === 1) {
      const typeMeta = new WireReader(unknown.bytes());
      while (!typeMeta.done) {
        const tag = typeMeta.tag();
        if (tag.wireType !== WireType.bytes) typeMeta.skip(tag.wireType);
        else if (tag.field === 1) envelope.apiVersion = typeMeta.string();
        else if (tag.field === 2) envelope.kind = typeMeta.string();
        else typeMeta.skip(tag.wireType);
      }
    } else if (field === 2) {
      envelope.raw = unknown.bytes();
    } else if (field === 3) {
      envelope.contentEncoding = unknown.string();
    } else if (field === 4) {
      envelope.contentType = unknown.string();
    } else {
      unknown.skip(wireType);
    }
  }
  if (envelope.kind === '' || envelope.apiVersion === '') {
    throw new ProtobufDecodeError('protobuf envelope has no apiVersion or kind');
  }
  return envelope;
}
