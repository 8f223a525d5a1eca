import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatFieldError } from '../../../src/apiserver/field-errors.ts';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.ts';
import {
  compileRules,
  resolveRuleFieldPath,
  validateRules,
} from '../../../src/apiserver/schema/validation-rules.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    a: { type: 'object', properties: { 'x-y': { type: 'string' } } },
    m: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } },
  },
};

describe('resolveRuleFieldPath', () => {
  it('resolves dotted and bracketed paths against properties and map keys', () => {
    assert.equal(resolveRuleFieldPath(".a['x-y']", schema), 'a.x-y');
    assert.equal(resolveRuleFieldPath(".m['k'].v", schema), 'm[k].v');
    assert.equal(resolveRuleFieldPath('.m.k.v', schema), 'm[k].v');
  });

  it('rejects paths that leave the schema or are malformed', () => {
    assert.equal(resolveRuleFieldPath('.nope', schema), undefined);
    assert.equal(resolveRuleFieldPath('a', schema), undefined);
    assert.equal(resolveRuleFieldPath(".a['x-y", schema), undefined);
  });
});

describe('compileRules', () => {
  it('marks transition rules and caches per schema', () => {
    const s: JSONSchemaProps = {
      type: 'string',
      'x-kubernetes-validations': [{ rule: 'self == oldSelf' }, { rule: "self != ''" }],
    };
    const compiled = compileRules(s, false);
    assert.deepEqual(
      compiled.map((c) => c.usesOldSelf),
      [true, false],
    );
    assert.equal(compileRules(s, false), compiled);
  });
});

describe('validateRules', () => {
  const s: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { replicas: { type: 'integer' } },
        'x-kubernetes-validations': [
          {
            rule: '!has(oldSelf.replicas) || self.replicas >= oldSelf.replicas',
            message: 'replicas may not decrease',
          },
          {
            rule: 'oldSelf.hasValue() || has(self.replicas)',
            optionalOldSelf: true,
            message: 'replicas is required on create',
            reason: 'FieldValueRequired',
            fieldPath: '.replicas',
          },
        ],
      },
    },
  };
  const run = (value: unknown, old?: unknown): string[] => validateRules(s, value, old).map(formatFieldError);

  it('evaluates transition rules against the correlated old value', () => {
    assert.deepEqual(run({ spec: { replicas: 1 } }, { spec: { replicas: 3 } }), [
      'spec: Invalid value: "object": replicas may not decrease',
    ]);
    assert.deepEqual(run({ spec: { replicas: 5 } }, { spec: { replicas: 3 } }), []);
  });

  it('runs optionalOldSelf rules on create too, and honours reason and fieldPath', () => {
    assert.deepEqual(run({ spec: {} }), ['spec.replicas: Required value: replicas is required on create']);
    assert.deepEqual(run({ spec: {} }, { spec: {} }), []);
  });
});
