import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { applyDefaults, pruneNonNullableNulls } from '../../../src/apiserver/schema/defaulting.ts';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        stage: { type: 'string', default: 'Idle' },
        timeout: { type: 'integer', default: 30 },
        note: { type: 'string', nullable: true, default: 'n/a' },
        options: { type: 'object', default: { retries: 3 }, properties: { retries: { type: 'integer' } } },
        steps: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, wait: { type: 'boolean', default: false } },
          },
        },
        limits: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { max: { type: 'integer', default: 10 } },
          },
        },
        words: { type: 'array', items: { type: 'string', default: 'blank' } },
      },
    },
  },
};

describe('applyDefaults', () => {
  it('fills missing properties recursively, including a defaulted parent object', () => {
    assert.deepEqual(applyDefaults(schema, {}), {
      spec: { stage: 'Idle', timeout: 30, note: 'n/a', options: { retries: 3 } },
    });
  });

  it('keeps values that are present', () => {
    const out = applyDefaults(schema, { spec: { stage: 'Prep', timeout: 5, note: 'x', options: {} } });
    assert.deepEqual(out, { spec: { stage: 'Prep', timeout: 5, note: 'x', options: {} } });
  });

  it('defaults inside array items and additionalProperties values', () => {
    const out = applyDefaults(schema, {
      spec: { steps: [{ name: 'a' }, { name: 'b', wait: true }], limits: { cpu: {}, mem: { max: 1 } } },
    });
    const spec = (out as { spec: Record<string, unknown> }).spec;
    assert.deepEqual(spec.steps, [
      { name: 'a', wait: false },
      { name: 'b', wait: true },
    ]);
    assert.deepEqual(spec.limits, { cpu: { max: 10 }, mem: { max: 1 } });
  });

  it('replaces null in a non-nullable field by its default but leaves a nullable null alone', () => {
    const out = applyDefaults(schema, { spec: { stage: null, note: null, words: ['a', null] } });
    const spec = (out as { spec: Record<string, unknown> }).spec;
    assert.equal(spec.stage, 'Idle');
    assert.equal(spec.note, null);
    assert.deepEqual(spec.words, ['a', 'blank']);
  });

  it('copies defaults deeply and never modifies its input', () => {
    const input = { spec: {} };
    const a = applyDefaults(schema, input) as { spec: { options: { retries: number } } };
    a.spec.options.retries = 99;
    const b = applyDefaults(schema, input) as { spec: { options: { retries: number } } };
    assert.equal(b.spec.options.retries, 3);
    assert.deepEqual(input, { spec: {} });
  });
});

describe('pruneNonNullableNulls', () => {
  it('drops nulls of non-nullable fields without defaults and keeps the rest', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: 'string', nullable: true },
        c: { type: 'string', default: 'x' },
        m: { type: 'object', additionalProperties: { type: 'string' } },
      },
    };
    assert.deepEqual(pruneNonNullableNulls(s, { a: null, b: null, c: null, m: { k: null, j: 'v' } }), {
      b: null,
      c: null,
      m: { j: 'v' },
    });
  });
});
