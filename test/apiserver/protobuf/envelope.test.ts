import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hasProtobufMagic, readEnvelope } from '../../../src/apiserver/protobuf/envelope.ts';
import { k8sEnvelope, ProtoWriter } from './proto-writer.ts';

describe('Kubernetes protobuf envelope', () => {
  it('yields apiVersion, kind and the raw object message', () => {
    const envelope = readEnvelope(k8sEnvelope('apps/v1', 'Deployment', new ProtoWriter().string(1, 'x')));
    assert.equal(envelope.apiVersion, 'apps/v1');
    assert.equal(envelope.kind, 'Deployment');
    assert.deepEqual([...envelope.raw], [0x0a, 0x01, 0x78]);
  });

  it('refuses a body without the k8s\\0 magic', () => {
    const json = new TextEncoder().encode('{"kind":"ConfigMap"}');
    assert.equal(hasProtobufMagic(json), false);
    assert.throws(() => readEnvelope(json), { name: 'ProtobufDecodeError', message: /magic bytes/ });
  });

  it('refuses an envelope without a kind', () => {
    const unknown = new ProtoWriter().message(1, (t) => t.string(1, 'v1')).finish();
    assert.throws(
      () => readEnvelope(Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...unknown])),
      /no apiVersion or kind/,
    );
  });
});
