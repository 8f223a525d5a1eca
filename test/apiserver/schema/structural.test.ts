import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatFieldError } from '../../../src/apiserver/field-errors.ts';
import { checkStructural } from '../../../src/apiserver/schema/structural.ts';
import type { JSONSchemaProps } from '../../../src/apiserver/schema/types.ts';

const ROOT = 'spec.versions[0].schema.openAPIV3Schema';

function check(schema: JSONSchemaProps): string[] {
  return checkStructural(schema, ROOT).map(formatFieldError);
}

function root(properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'object', properties, ...extra };
}

describe('checkStructural: structural invariants', () => {
  it('accepts a typical CRD schema', () => {
    const schema = root({
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        required: ['stage'],
        properties: {
          stage: { type: 'string', enum: ['Idle', 'Prep'], default: 'Idle' },
          seeds: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    });
    assert.deepEqual(check(schema), []);
  });

  it('requires a type on every node unless int-or-string or preserve-unknown-fields', () => {
    assert.deepEqual(check({ properties: { spec: { properties: { a: {} } } } }), [
      `${ROOT}.properties[spec].properties[a].type: Required value: must not be empty for specified object fields`,
      `${ROOT}.properties[spec].type: Required value: must not be empty for specified object fields`,
      `${ROOT}.type: Required value: must not be empty at the root`,
    ]);
    assert.deepEqual(check(root({ list: { type: 'array', items: {} } })), [
      `${ROOT}.properties[list].items.type: Required value: must not be empty for specified array items`,
    ]);
  });

  it('requires items for arrays and an object at the root', () => {
    assert.deepEqual(check(root({ list: { type: 'array' } })), [
      `${ROOT}.properties[list].items: Required value: must be specified`,
    ]);
    assert.deepEqual(check({ type: 'string' }), [
      `${ROOT}.type: Invalid value: "string": must be object at the root`,
    ]);
  });

  it('forbids properties together with additionalProperties', () => {
    assert.deepEqual(
      check(
        root({
          m: {
            type: 'object',
            properties: { a: { type: 'string' } },
            additionalProperties: { type: 'string' },
          },
        }),
      ),
      [
        `${ROOT}.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      ],
    );
  });

  it('restricts root metadata to name and generateName', () => {
    assert.deepEqual(
      check(root({ metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } })),
      [],
    );
    assert.deepEqual(
      check(root({ metadata: { type: 'object', properties: { labels: { type: 'object' } } } })),
      [
        `${ROOT}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      ],
    );
  });

  it('forbids types and defaults inside allOf/anyOf/oneOf/not, and undeclared properties there', () => {
    assert.deepEqual(check(root({ a: { type: 'string', anyOf: [{ type: 'string', default: 'x' }] } })), [
      `${ROOT}.properties[a].anyOf[0].default: Forbidden: must be undefined to be structural`,
      `${ROOT}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural`,
    ]);
    assert.deepEqual(check(root({ a: { type: 'string' } }, { allOf: [{ properties: { b: {} } }] })), [
      `${ROOT}.properties[b]: Required value: because it is defined in ${ROOT}.allOf[0].properties[b]`,
    ]);
  });

  it('rejects invalid regular expressions', () => {
    const [error] = check(root({ a: { type: 'string', pattern: '([a-z' } }));
    assert.match(
      error ?? '',
      /properties\[a\]\.pattern: Invalid value: "\(\[a-z": must be a valid regular expression, but isn't: /,
    );
  });
});

describe('checkStructural: CRD OpenAPI subset', () => {
  it('forbids uniqueItems, $ref, and nullable at the root', () => {
    assert.deepEqual(check(root({ l: { type: 'array', items: { type: 'string' }, uniqueItems: true } })), [
      `${ROOT}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]);
    assert.deepEqual(check({ ...root({}), nullable: true }), [
      `${ROOT}.nullable: Forbidden: nullable cannot be true at the root`,
    ]);
  });

  it('rejects unknown types and x-kubernetes-preserve-unknown-fields: false', () => {
    assert.deepEqual(check(root({ a: { type: 'float' } })), [
      `${ROOT}.properties[a].type: Unsupported value: "float": supported values: "array", "boolean", "integer", "number", "object", "string"`,
    ]);
    assert.deepEqual(check(root({ a: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false } })), [
      `${ROOT}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ]);
  });

  it('checks list-type map keys', () => {
    const list = (items: JSONSchemaProps, keys: string[]): JSONSchemaProps =>
      root({
        l: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys, items },
      });
    assert.deepEqual(
      check(list({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, ['name'])),
      [],
    );
    assert.deepEqual(check(list({ type: 'object', properties: { name: { type: 'string' } } }, ['name'])), [
      `${ROOT}.properties[l].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
    ]);
    assert.deepEqual(
      check(list({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, ['id'])),
      [
        `${ROOT}.properties[l].x-kubernetes-list-map-keys: Invalid value: ["id"]: entries must all be names of item properties`,
      ],
    );
  });

  it('forbids defaults in top-level metadata', () => {
    assert.deepEqual(check(root({ metadata: { type: 'object', default: {} } })), [
      `${ROOT}.properties[metadata].default: Forbidden: must not be set in top-level metadata`,
    ]);
  });
});

describe('checkStructural: defaults', () => {
  it('validates defaults against their schema', () => {
    assert.deepEqual(check(root({ n: { type: 'integer', default: 'three' } })), [
      `${ROOT}.properties[n].default: Invalid value: "string":  in body must be of type integer: "string"`,
    ]);
    assert.deepEqual(check(root({ s: { type: 'string', enum: ['a'], default: 'b' } })), [
      `${ROOT}.properties[s].default: Unsupported value: "b": supported values: "a"`,
    ]);
  });

  it('requires defaults to be pruned', () => {
    assert.deepEqual(
      check(
        root({ o: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } } }),
      ),
      [`${ROOT}.properties[o].default: Invalid value: {"a":"x","b":"y"}: must not have unknown fields`],
    );
  });

  it('checks defaults against their x-kubernetes-validations rules', () => {
    const schema = root({
      n: {
        type: 'integer',
        default: 20,
        'x-kubernetes-validations': [{ rule: 'self < 10', message: 'too big' }],
      },
    });
    assert.deepEqual(check(schema), [`${ROOT}.properties[n].default: Invalid value: "integer": too big`]);
  });
});

describe('checkStructural: x-kubernetes-validations', () => {
  const withRule = (
    rule: Record<string, unknown>,
    props: Record<string, JSONSchemaProps> = {},
  ): JSONSchemaProps =>
    root({
      spec: {
        type: 'object',
        properties: { stage: { type: 'string' }, ...props },
        'x-kubernetes-validations': [rule as never],
      },
    });

  it('accepts rules that compile against the schema', () => {
    assert.deepEqual(
      check(
        withRule(
          { rule: "self.stage != 'Upgrade' || has(self.seedImageRef)" },
          { seedImageRef: { type: 'string' } },
        ),
      ),
      [],
    );
    assert.deepEqual(check(withRule({ rule: 'self == oldSelf', message: 'Value is immutable' })), []);
  });

  it('reports compile errors on the rule with the cel-go message', () => {
    assert.deepEqual(check(withRule({ rule: 'self.stage ==' })), [
      `${ROOT}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.stage =="}: compilation failed: ERROR: <input>:1:14: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n | self.stage ==\n | .............^`,
    ]);
    const [undefinedField] = check(withRule({ rule: 'has(self.seedImageRef)' }));
    assert.match(
      undefinedField ?? '',
      /compilation failed: ERROR: <input>:1:9: undefined field 'seedImageRef'/,
    );
    assert.deepEqual(check(withRule({ rule: 'self.stage' })), [
      `${ROOT}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.stage"}: cel expression must evaluate to a bool`,
    ]);
  });

  it('checks rule shape: empty rule, bad reason, invalid fieldPath', () => {
    assert.deepEqual(check(withRule({ rule: ' ' })), [
      `${ROOT}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`,
    ]);
    assert.deepEqual(check(withRule({ rule: 'true', reason: 'Nope' })), [
      `${ROOT}.properties[spec].x-kubernetes-validations[0].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    ]);
    assert.deepEqual(check(withRule({ rule: 'true', fieldPath: '.missing' })), [
      `${ROOT}.properties[spec].x-kubernetes-validations[0].fieldPath: Invalid value: ".missing": fieldPath must be a valid path`,
    ]);
  });

  it('forbids oldSelf below a list that is not a list-type map', () => {
    const schema = root({
      list: {
        type: 'array',
        items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
      },
    });
    assert.deepEqual(check(schema), [
      `${ROOT}.properties[list].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${ROOT}.properties[list]`,
    ]);
  });

  it('lets root rules see metadata.name', () => {
    const schema: JSONSchemaProps = {
      ...root({}),
      'x-kubernetes-validations': [{ rule: 'self.metadata.name.size() < 20' }],
    };
    assert.deepEqual(check(schema), []);
  });
});
