import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeWellKnown, formatGoDuration } from '../../../src/apiserver/protobuf/well-known.ts';
import { ProtoWriter } from './proto-writer.ts';

describe('well-known Kubernetes messages', () => {
  it('formats Time to whole seconds and MicroTime to microseconds, in UTC', () => {
    const timestamp = new ProtoWriter().varint(1, 1_700_000_000).varint(2, 123_456_789).finish();
    assert.equal(decodeWellKnown('Time', timestamp), '2023-11-14T22:13:20Z');
    assert.equal(decodeWellKnown('MicroTime', timestamp), '2023-11-14T22:13:20.123456Z');
  });

  it('treats an empty Time as unset, since Go marshals the zero time to nothing', () => {
    assert.equal(decodeWellKnown('Time', new Uint8Array(0)), undefined);
  });

  it('formats Duration the way Go prints time.Duration', () => {
    assert.equal(formatGoDuration(0n), '0s');
    assert.equal(formatGoDuration(1_500n), '1.5µs');
    assert.equal(formatGoDuration(2_000_000n), '2ms');
    assert.equal(formatGoDuration(90_000_000_000n), '1m30s');
    assert.equal(formatGoDuration(3_600_000_000_000n), '1h0m0s');
    assert.equal(formatGoDuration(-3_723_500_000_000n), '-1h2m3.5s');
    assert.equal(decodeWellKnown('Duration', new ProtoWriter().varint(1, 5_000_000_000).finish()), '5s');
  });

  it('reads Quantity, IntOrString and raw JSON', () => {
    assert.equal(decodeWellKnown('Quantity', new ProtoWriter().string(1, '500m').finish()), '500m');
    assert.equal(decodeWellKnown('IntOrString', new ProtoWriter().varint(1, 0).varint(2, -3).finish()), -3);
    assert.equal(
      decodeWellKnown('IntOrString', new ProtoWriter().varint(1, 1).string(3, '10%').finish()),
      '10%',
    );
    const raw = new ProtoWriter().string(1, '{"f:metadata":{}}').finish();
    assert.deepEqual(decodeWellKnown('RawJSON', raw), { 'f:metadata': {} });
    assert.throws(
      () => decodeWellKnown('RawJSON', new ProtoWriter().string(1, '{').finish()),
      /not valid JSON/,
    );
  });
});
