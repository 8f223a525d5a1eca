import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatFieldError } from '../../../src/apiserver/field-errors.ts';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.ts';
import { validateObject } from '../../../src/apiserver/schema/validate.ts';

function messages(schema: JSONSchemaProps, value: unknown, old?: unknown, rootPath?: string): string[] {
  return validateObject(schema, value, old, rootPath).map(formatFieldError);
}

function cr(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'lcm.example.io/v1', kind: 'Thing', metadata: { name: 'x' }, spec };
}

function withSpec(spec: JSONSchemaProps): JSONSchemaProps {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
    },
  };
}

describe('validateObject: types', () => {
  const schema = withSpec({
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      ratio: { type: 'number' },
      name: { type: 'string' },
      enabled: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      port: { 'x-kubernetes-int-or-string': true },
      note: { type: 'string', nullable: true },
    },
  });

  it('names the expected and actual JSON types the way kube-openapi does', () => {
    assert.deepEqual(messages(schema, cr({ replicas: 'string' })), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 3, enabled: 'yes', tags: {} })), [
      'spec.name: Invalid value: "integer": spec.name in body must be of type string: "integer"',
      'spec.enabled: Invalid value: "string": spec.enabled in body must be of type boolean: "string"',
      'spec.tags: Invalid value: "object": spec.tags in body must be of type array: "object"',
    ]);
  });

  it('accepts integers for number fields but not fractions for integer fields', () => {
    assert.deepEqual(messages(schema, cr({ ratio: 2 })), []);
    assert.deepEqual(messages(schema, cr({ replicas: 1.5 })), [
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.replicas',
    ]);
  });

  it('rejects null unless the field is nullable', () => {
    assert.deepEqual(messages(schema, cr({ note: null })), []);
    assert.deepEqual(messages(schema, cr({ name: null })), [
      'spec.name: Invalid value: "null": spec.name in body must be of type string: "null"',
    ]);
  });

  it('accepts an integer or a string for x-kubernetes-int-or-string', () => {
    assert.deepEqual(messages(schema, cr({ port: 80 })), []);
    assert.deepEqual(messages(schema, cr({ port: 'http' })), []);
    assert.deepEqual(messages(schema, cr({ port: true })), [
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
  });
});

describe('validateObject: required, enum and bounds', () => {
  const schema = withSpec({
    type: 'object',
    required: ['name', 'stage'],
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
      stage: { type: 'string', enum: ['Idle', 'Prep'] },
      level: { type: 'integer', enum: [1, 2] },
      replicas: { type: 'integer', minimum: 1, maximum: 5 },
      weight: { type: 'number', exclusiveMinimum: true, minimum: 0, maximum: 1000000 },
      step: { type: 'integer', multipleOf: 5 },
    },
  });

  it('reports missing required fields as Required value', () => {
    assert.deepEqual(messages(schema, cr({})), ['spec.name: Required value', 'spec.stage: Required value']);
  });

  it('lists the supported values of an enum, quoting each', () => {
    assert.deepEqual(messages(schema, cr({ name: 'ab', stage: 'Foo', level: 3 })), [
      'spec.stage: Unsupported value: "Foo": supported values: "Idle", "Prep"',
      'spec.level: Unsupported value: 3: supported values: "1", "2"',
    ]);
  });

  it('words string length and pattern failures like kube-openapi', () => {
    assert.deepEqual(messages(schema, cr({ name: 'abcdefg', stage: 'Idle' })), [
      'spec.name: Too long: may not be more than 5 bytes',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'a', stage: 'Idle' })), [
      'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'AB', stage: 'Idle' })), [
      'spec.name: Invalid value: "AB": spec.name in body should match \'^[a-z]+$\'',
    ]);
  });

  it('words numeric bounds, exclusive bounds and multipleOf', () => {
    assert.deepEqual(messages(schema, cr({ name: 'ab', stage: 'Idle', replicas: 0 })), [
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'ab', stage: 'Idle', replicas: 9 })), [
      'spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'ab', stage: 'Idle', weight: 0 })), [
      'spec.weight: Invalid value: 0: spec.weight in body should be greater than 0',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'ab', stage: 'Idle', weight: 2000000.5 })), [
      'spec.weight: Invalid value: 2000000.5: spec.weight in body should be less than or equal to 1e+06',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'ab', stage: 'Idle', step: 7 })), [
      'spec.step: Invalid value: 7: spec.step in body should be a multiple of 5',
    ]);
  });
});

describe('validateObject: formats', () => {
  const schema = withSpec({
    type: 'object',
    properties: {
      when: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      id: { type: 'string', format: 'uuid' },
      host: { type: 'string', format: 'hostname' },
      data: { type: 'string', format: 'byte' },
      ip: { type: 'string', format: 'ipv4' },
      count: { type: 'integer', format: 'int32' },
      custom: { type: 'string', format: 'my-own-format' },
    },
  });

  it('accepts well-formed values of the supported formats', () => {
    const spec = {
      when: '2024-05-01T10:00:00.123Z',
      day: '2024-02-29',
      id: '123e4567-e89b-12d3-a456-426614174000',
      host: 'api.example.com',
      data: 'aGVsbG8=',
      ip: '10.0.0.1',
      count: 2 ** 40,
      custom: 'anything',
    };
    assert.deepEqual(messages(schema, cr(spec)), []);
  });

  it('reports malformed values as the format type they fail', () => {
    assert.deepEqual(
      messages(schema, cr({ when: 'yesterday', day: '2023-02-29', id: 'nope', host: '-bad-', ip: '1.2.3' })),
      [
        'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
        'spec.day: Invalid value: "2023-02-29": spec.day in body must be of type date: "2023-02-29"',
        'spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"',
        'spec.host: Invalid value: "-bad-": spec.host in body must be of type hostname: "-bad-"',
        'spec.ip: Invalid value: "1.2.3": spec.ip in body must be of type ipv4: "1.2.3"',
      ],
    );
  });
});

describe('validateObject: arrays and objects', () => {
  const schema = withSpec({
    type: 'object',
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 3,
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
      unique: { type: 'array', uniqueItems: true, items: { type: 'integer' } },
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, port: { type: 'integer' } },
        },
      },
      labels: { type: 'object', maxProperties: 2, additionalProperties: { type: 'string', maxLength: 3 } },
      extra: { type: 'object', minProperties: 1, additionalProperties: false },
    },
  });

  it('puts item errors at indexed paths', () => {
    assert.deepEqual(messages(schema, cr({ items: [{ name: 'a' }, {}, { name: 1 }] })), [
      'spec.items[1].name: Required value',
      'spec.items[2].name: Invalid value: "integer": spec.items[2].name in body must be of type string: "integer"',
    ]);
  });

  it('words item counts and uniqueness', () => {
    assert.deepEqual(messages(schema, cr({ items: [] })), [
      'spec.items: Invalid value: 0: spec.items in body should have at least 1 items',
    ]);
    assert.deepEqual(
      messages(schema, cr({ items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] })),
      ['spec.items: Too many: 4: must have at most 3 items'],
    );
    assert.deepEqual(messages(schema, cr({ unique: [1, 2, 1] })), [
      'spec.unique: Invalid value: "": spec.unique in body shouldn\'t contain duplicates',
    ]);
  });

  it('reports duplicates in list-type set and map lists at the repeated index', () => {
    assert.deepEqual(messages(schema, cr({ tags: ['a', 'b', 'a', 'a'] })), [
      'spec.tags[2]: Duplicate value: "a"',
    ]);
    assert.deepEqual(
      messages(
        schema,
        cr({ ports: [{ name: 'http', port: 80 }, { name: 'https' }, { name: 'http', port: 8080 }] }),
      ),
      ['spec.ports[2]: Duplicate value: {"name":"http"}'],
    );
  });

  it('validates additionalProperties values and property counts', () => {
    assert.deepEqual(messages(schema, cr({ labels: { a: 'x', b: 'toolong', c: 'y' } })), [
      'spec.labels: Too many: 3: must have at most 2 items',
      'spec.labels.b: Too long: may not be more than 3 bytes',
    ]);
    assert.deepEqual(messages(schema, cr({ extra: {} })), [
      'spec.extra: Invalid value: 0: spec.extra in body should have at least 1 properties',
    ]);
    assert.deepEqual(messages(schema, cr({ extra: { x: 1 } })), [
      'spec.extra: Invalid value: "x": spec.extra.x in body is a forbidden property',
    ]);
  });
});

describe('validateObject: allOf, anyOf, oneOf, not', () => {
  const schema = withSpec({
    type: 'object',
    properties: {
      any: { type: 'string', anyOf: [{ pattern: '^a' }, { pattern: '^b' }] },
      one: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] },
      all: { type: 'string', allOf: [{ minLength: 2 }, { maxLength: 3 }] },
      not: { type: 'string', not: { enum: ['forbidden'] } },
    },
  });

  it('accepts values that satisfy the combinators', () => {
    assert.deepEqual(messages(schema, cr({ any: 'apple', one: 20, all: 'ab', not: 'fine' })), []);
  });

  it('reports failed combinators at the root, like kube-openapi composite errors', () => {
    assert.deepEqual(messages(schema, cr({ any: 'cherry' })), [
      '<nil>: Invalid value: "": "spec.any" must validate at least one schema (anyOf)',
      'spec.any: Invalid value: "cherry": spec.any in body should match \'^a\'',
    ]);
    assert.deepEqual(messages(schema, cr({ one: 5 })), [
      '<nil>: Invalid value: "": "spec.one" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]);
    assert.deepEqual(messages(schema, cr({ all: 'abcd' })), [
      'spec.all: Too long: may not be more than 3 bytes',
      '<nil>: Invalid value: "": "spec.all" must validate all the schemas (allOf)',
    ]);
    assert.deepEqual(messages(schema, cr({ not: 'forbidden' })), [
      '<nil>: Invalid value: "": "spec.not" must not validate the schema (not)',
    ]);
  });
});

describe('validateObject: ratcheting on update', () => {
  const schema = withSpec({
    type: 'object',
    properties: { name: { type: 'string', maxLength: 3 }, other: { type: 'string' } },
  });

  it('keeps accepting an invalid value that the update leaves unchanged', () => {
    const old = cr({ name: 'toolong', other: 'a' });
    assert.deepEqual(messages(schema, cr({ name: 'toolong', other: 'b' }), old), []);
  });

  it('still rejects an invalid value the update changes', () => {
    const old = cr({ name: 'toolong' });
    assert.deepEqual(messages(schema, cr({ name: 'toolong2' }), old), [
      'spec.name: Too long: may not be more than 3 bytes',
    ]);
    assert.deepEqual(messages(schema, cr({ name: 'toolong' })), [
      'spec.name: Too long: may not be more than 3 bytes',
    ]);
  });
});

describe('validateObject: embedded resources and root path', () => {
  it('requires apiVersion and kind in x-kubernetes-embedded-resource objects', () => {
    const schema = withSpec({
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
    });
    assert.deepEqual(messages(schema, cr({ template: { kind: 'Pod' } })), [
      'spec.template.apiVersion: Required value: must not be empty',
    ]);
    assert.deepEqual(messages(schema, cr({ template: { apiVersion: 'v1', kind: 'Pod' } })), []);
  });

  it('prefixes field paths but not message names with rootPath', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { n: { type: 'integer' } } };
    assert.deepEqual(messages(schema, { n: 'x' }, undefined, 'spec.default'), [
      'spec.default.n: Invalid value: "string": n in body must be of type integer: "string"',
    ]);
  });
});

describe('validateObject: x-kubernetes-validations', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    'x-kubernetes-validations': [
      { rule: "self.metadata.name.startsWith('ibu')", message: 'name must start with ibu' },
    ],
    properties: {
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          {
            rule: "self.stage != 'Upgrade' || has(self.seedImageRef)",
            message: 'seedImageRef is required for Upgrade',
          },
          {
            rule: '!has(oldSelf.seedImageRef) || has(self.seedImageRef)',
            message: 'seedImageRef may not be removed',
          },
        ],
        properties: {
          stage: {
            type: 'string',
            enum: ['Idle', 'Prep', 'Upgrade'],
            'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
          },
          seedImageRef: { type: 'string' },
          names: {
            type: 'array',
            items: { type: 'string' },
            'x-kubernetes-validations': [{ rule: 'self.all(x, x.size() > 0)' }],
          },
          limit: {
            type: 'integer',
            'x-kubernetes-validations': [
              { rule: 'self <= 10', message: 'too big', reason: 'FieldValueForbidden' },
              {
                rule: 'self >= 0',
                fieldPath: '',
                messageExpression: "'limit ' + string(self) + ' is negative'",
              },
            ],
          },
        },
      },
    },
  };
  const ibu = (spec: Record<string, unknown>, name = 'ibu'): Record<string, unknown> => ({
    metadata: { name },
    spec: { stage: 'Idle', ...spec },
  });

  it('reports a failed rule as Invalid with the schema type name and the rule message', () => {
    assert.deepEqual(messages(schema, ibu({ stage: 'Upgrade' })), [
      'spec: Invalid value: "object": seedImageRef is required for Upgrade',
    ]);
  });

  it('falls back to "failed rule: <rule>" without a message', () => {
    assert.deepEqual(messages(schema, ibu({ names: ['a', ''] })), [
      'spec.names: Invalid value: "array": failed rule: self.all(x, x.size() > 0)',
    ]);
  });

  it('puts root-level rule failures at <nil>, as Kubernetes does', () => {
    assert.deepEqual(messages(schema, ibu({}, 'other')), [
      '<nil>: Invalid value: "object": name must start with ibu',
    ]);
  });

  it('skips transition rules on create and evaluates them on update', () => {
    assert.deepEqual(messages(schema, ibu({ stage: 'Prep' })), []);
    assert.deepEqual(messages(schema, ibu({ stage: 'Prep' }), ibu({ stage: 'Idle' })), [
      'spec.stage: Invalid value: "string": Value is immutable',
    ]);
    assert.deepEqual(
      messages(schema, ibu({ stage: 'Idle' }), ibu({ stage: 'Idle', seedImageRef: 'quay.io/x' })),
      ['spec: Invalid value: "object": seedImageRef may not be removed'],
    );
  });

  it('does not run a transition rule where the old object has no value', () => {
    const noStage = ibu({});
    delete (noStage.spec as Record<string, unknown>).stage;
    assert.deepEqual(messages(schema, ibu({ stage: 'Prep' }), noStage), []);
  });

  it('maps reason to the error type and evaluates messageExpression', () => {
    assert.deepEqual(messages(schema, ibu({ limit: 11 })), ['spec.limit: Forbidden: too big']);
    assert.deepEqual(messages(schema, ibu({ limit: -1 })), [
      'spec.limit: Invalid value: "integer": limit -1 is negative',
    ]);
  });

  it('skips the rules, with a notice, when basic validation already failed', () => {
    assert.deepEqual(messages(schema, ibu({ stage: 'Bogus' }, 'other')), [
      'spec.stage: Unsupported value: "Bogus": supported values: "Idle", "Prep", "Upgrade"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('ratchets non-transition rules on unchanged values but not transition rules', () => {
    const old = ibu({ stage: 'Upgrade', names: [''] });
    assert.deepEqual(messages(schema, ibu({ stage: 'Upgrade', names: [''] }), old), []);
    assert.deepEqual(messages(schema, ibu({ stage: 'Upgrade', names: ['', 'x'] }), old), [
      'spec: Invalid value: "object": seedImageRef is required for Upgrade',
      'spec.names: Invalid value: "array": failed rule: self.all(x, x.size() > 0)',
    ]);
  });

  it('fails a rule that reads an absent field, as CEL has no implicit defaults', () => {
    const noStage = ibu({});
    delete (noStage.spec as Record<string, unknown>).stage;
    assert.deepEqual(messages(schema, noStage), [
      'spec: Invalid value: "object": no such key: stage evaluating rule: seedImageRef is required for Upgrade',
    ]);
  });

  it('reports runtime errors as the rule failing, naming the error', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { n: { type: 'integer' } },
          'x-kubernetes-validations': [{ rule: 'self.n > 0' }],
        },
      },
    };
    assert.deepEqual(messages(s, { spec: {} }), [
      'spec: Invalid value: "object": no such key: n evaluating rule: self.n > 0',
    ]);
  });

  it('places errors at the rule fieldPath and keys additionalProperties entries with brackets', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [
            { rule: 'self.a.b > 0', fieldPath: '.a.b', message: 'must be positive' },
          ],
          properties: {
            a: { type: 'object', properties: { b: { type: 'integer' } } },
            m: {
              type: 'object',
              additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != ''" }] },
            },
          },
        },
      },
    };
    assert.deepEqual(messages(s, { spec: { a: { b: 0 }, m: { 'k-1': '' } } }), [
      'spec.a.b: Invalid value: "object": must be positive',
      'spec.m[k-1]: Invalid value: "string": failed rule: self != \'\'',
    ]);
  });
});
