/**
 * A tiny protobuf writer for building request-body fixtures in tests: the encoding side of
 * src/apiserver/protobuf/wire.ts, written independently of it.
 */
export class ProtoWriter {
  private readonly out: number[] = [];

  /** int32/int64/bool/enum; negative values take ten bytes, as Go writes them. */
  varint(field: number, value: number | bigint | boolean): this {
    this.key(field, 0);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.rawVarint(BigInt(value.length));
    this.out.push(...value);
    return this;
  }

  message(field: number, build: (message: ProtoWriter) => void): this {
    const message = new ProtoWriter();
    build(message);
    return this.bytes(field, message.finish());
  }

  /** A map<string, string>: one {key = 1, value = 2} entry message per pair. */
  stringMap(field: number, entries: Record<string, string>): this {
    for (const [key, value] of Object.entries(entries))
      this.message(field, (e) => e.string(1, key).string(2, value));
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.key(field, 1);
    for (let i = 0n; i < 8n; i++) this.out.push(Number((value >> (8n * i)) & 0xffn));
    return this;
  }

  fixed32(field: number, value: number): this {
    this.key(field, 5);
    for (let i = 0; i < 4; i++) this.out.push((value >>> (8 * i)) & 0xff);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(BigInt(field * 8 + wireType));
  }

  private rawVarint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.out.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.out.push(Number(rest));
  }
}

/** "k8s\0" + runtime.Unknown{typeMeta: {apiVersion, kind}, raw}. */
export function k8sEnvelope(apiVersion: string, kind: string, object: ProtoWriter | Uint8Array): Uint8Array {
  const unknown = new ProtoWriter()
    .message(1, (typeMeta) => typeMeta.string(1, apiVersion).string(2, kind))
    .bytes(2, object instanceof ProtoWriter ? object.finish() : object)
    .string(3, '')
    .string(4, '')
    .finish();
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...unknown]);
}
