/**
 * The protobuf wire format, read-only: just enough to walk Kubernetes' proto2 messages.
 * https://protobuf.dev/programming-guides/encoding/
 */
import { ProtobufDecodeError } from './errors.ts';

export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export interface Tag {
  readonly field: number;
  readonly wireType: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class WireReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  tag(): Tag {
    const key = this.varint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0 || field > 0x1fffffff) throw new ProtobufDecodeError(`invalid field number ${field}`);
    return { field, wireType };
  }

  /** An unsigned varint of up to 64 bits (ten bytes). */
  varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte();
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, value);
    }
    throw new ProtobufDecodeError('varint longer than ten bytes');
  }

  /** Negative int32s are sign-extended to ten bytes on the wire, so both widths read as int64. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  uint64(): number {
    return Number(this.varint());
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  double(): number {
    return new DataView(this.take(8).buffer).getFloat64(0, true);
  }

  float(): number {
    return new DataView(this.take(4).buffer).getFloat32(0, true);
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.buf.length - this.pos)) {
      throw new ProtobufDecodeError(
        `truncated message: ${length} bytes announced, ${this.buf.length - this.pos} left`,
      );
    }
    return this.buf.subarray(this.pos, (this.pos += Number(length)));
  }

  string(): string {
    try {
      return utf8.decode(this.bytes());
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw err;
      throw new ProtobufDecodeError('string field is not valid UTF-8');
    }
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.take(8);
        return;
      case WireType.bytes:
        this.bytes();
        return;
      case WireType.fixed32:
        this.take(4);
        return;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  private byte(): number {
    const byte = this.buf[this.pos++];
    if (byte === undefined) throw new ProtobufDecodeError('truncated message: ends inside a varint');
    return byte;
  }

  /** A copy, so that DataView reads are aligned to the start of their own buffer. */
  private take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) {
      throw new ProtobufDecodeError(
        `truncated message: ${n}-byte fixed field, ${this.buf.length - this.pos} left`,
      );
    }
    return this.buf.slice(this.pos, (this.pos += n));
  }
}
