import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ProtobufDecodeError } from '../../../src/apiserver/protobuf/errors.ts';
import { WireReader, WireType } from '../../../src/apiserver/protobuf/wire.ts';
import { ProtoWriter } from './proto-writer.ts';

describe('WireReader', () => {
  it('reads multi-byte varints and sign-extended negative int32/int64 values', () => {
    const reader = new WireReader(
      new ProtoWriter()
        .varint(1, 300)
        .varint(2, -1)
        .varint(3, -(2n ** 40n))
        .varint(4, 2 ** 52)
        .finish(),
    );
    assert.deepEqual(reader.tag(), { field: 1, wireType: WireType.varint });
    assert.equal(reader.int32(), 300);
    reader.tag();
    assert.equal(reader.int32(), -1);
    reader.tag();
    assert.equal(reader.int64(), -(2 ** 40));
    reader.tag();
    assert.equal(reader.int64(), 2 ** 52);
    assert.equal(reader.done, true);
  });

  it('skips fields of every wire type and lands on the next tag', () => {
    const bytes = new ProtoWriter()
      .varint(1, 123456)
      .fixed64(2, 7n)
      .string(3, 'skipped')
      .fixed32(4, 9)
      .string(5, 'kept')
      .finish();
    const reader = new WireReader(bytes);
    for (let i = 0; i < 4; i++) reader.skip(reader.tag().wireType);
    assert.deepEqual(reader.tag(), { field: 5, wireType: WireType.bytes });
    assert.equal(reader.string(), 'kept');
  });

  it('reports a length-delimited field that runs past the end as truncated', () => {
    const bytes = new ProtoWriter().string(1, 'hello').finish().subarray(0, 4);
    const reader = new WireReader(bytes);
    reader.tag();
    assert.throws(() => reader.string(), { name: 'ProtobufDecodeError', message: /truncated message/ });
  });

  it('reports a varint cut off mid-way as truncated', () => {
    const reader = new WireReader(Uint8Array.of(0x08, 0xff));
    reader.tag();
    assert.throws(() => reader.varint(), ProtobufDecodeError);
  });

  it('refuses field number 0 and the deprecated group wire types', () => {
    assert.throws(() => new WireReader(Uint8Array.of(0x00)).tag(), /invalid field number 0/);
    const group = new WireReader(Uint8Array.of(0x0b));
    assert.throws(() => group.skip(group.tag().wireType), /unsupported wire type 3/);
  });
});
