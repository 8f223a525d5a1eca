import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { allMessageRefs, messageSchema } from '../../../src/apiserver/protobuf/packages.ts';

describe('protobuf schema tables', () => {
  it('parse, and every message they refer to is listed', () => {
    const refs = allMessageRefs();
    assert.ok(refs.length > 300);
    for (const ref of refs) {
      for (const [number, spec] of messageSchema(ref).fields) {
        if (spec.type.kind !== 'message') continue;
        const target = spec.type.ref;
        assert.doesNotThrow(
          () => messageSchema(target),
          `${ref.pkg}.${ref.name} field ${number} refers to ${target.pkg}.${target.name}`,
        );
      }
    }
  });

  it('mark only message fields inline', () => {
    for (const ref of allMessageRefs()) {
      for (const spec of messageSchema(ref).fields.values()) {
        if (spec.jsonName === null) assert.equal(spec.type.kind, 'message', `${ref.pkg}.${ref.name}`);
      }
    }
  });
});
