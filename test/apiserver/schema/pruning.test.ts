import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { prune } from '../../../src/apiserver/schema/pruning.ts';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        config: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { known: { type: 'object', properties: { keep: { type: 'string' } } } },
        },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
        },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

describe('prune', () => {
  it('keeps apiVersion, kind and metadata at the root whatever the schema says', () => {
    const input = {
      apiVersion: 'x/v1',
      kind: 'K',
      metadata: { name: 'n', anything: 1 },
      spec: { name: 'a' },
    };
    assert.deepEqual(prune(schema, input), { value: input, unknownFields: [] });
  });

  it('drops unknown fields and reports their dotted paths, sorted', () => {
    const result = prune(schema, {
      kind: 'K',
      spec: { name: 'a', bogus: 1, items: [{ id: '1', extra: true }, { id: '2' }] },
      status: { phase: 'Done', other: 'x' },
      top: 1,
    });
    assert.deepEqual(result.value, {
      kind: 'K',
      spec: { name: 'a', items: [{ id: '1' }, { id: '2' }] },
      status: { phase: 'Done' },
    });
    assert.deepEqual(result.unknownFields, ['spec.bogus', 'spec.items[0].extra', 'status.other', 'top']);
  });

  it('keeps every key of an additionalProperties map', () => {
    const result = prune(schema, { spec: { labels: { a: 'x', b: 'y' } } });
    assert.deepEqual(result.value, { spec: { labels: { a: 'x', b: 'y' } } });
  });

  it('preserves unknown fields under x-kubernetes-preserve-unknown-fields but still prunes known children', () => {
    const result = prune(schema, {
      spec: { config: { free: { deep: [1, { x: 2 }] }, known: { keep: 'k', drop: 'd' } } },
    });
    assert.deepEqual(result.value, {
      spec: { config: { free: { deep: [1, { x: 2 }] }, known: { keep: 'k' } } },
    });
    assert.deepEqual(result.unknownFields, ['spec.config.known.drop']);
  });

  it('keeps apiVersion, kind and metadata of embedded resources and prunes the rest', () => {
    const result = prune(schema, {
      spec: {
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', labels: { a: 'b' } },
          spec: { image: 'x', other: 1 },
          junk: true,
        },
      },
    });
    assert.deepEqual(result.value, {
      spec: {
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', labels: { a: 'b' } },
          spec: { image: 'x' },
        },
      },
    });
    assert.deepEqual(result.unknownFields, ['spec.template.junk', 'spec.template.spec.other']);
  });

  it('reports a nested metadata field that the schema does not declare', () => {
    const result = prune(schema, { spec: { metadata: {} } });
    assert.deepEqual(result.unknownFields, ['spec.metadata']);
  });

  it('does not modify its input', () => {
    const input = { spec: { bogus: 1 } };
    prune(schema, input);
    assert.deepEqual(input, { spec: { bogus: 1 } });
  });

  it('treats a preserve-unknown-fields root as keeping everything', () => {
    const open: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    assert.deepEqual(prune(open, { a: { b: 1 } }), { value: { a: { b: 1 } }, unknownFields: [] });
  });
});
