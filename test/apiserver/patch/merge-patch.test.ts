import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMergePatch } from '../../../src/apiserver/patch/merge-patch.ts';

describe('applyMergePatch (RFC 7386)', () => {
  // RFC 7386 Appendix A, every example.
  const rfcExamples: [target: unknown, patch: unknown, result: unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of rfcExamples) {
    it(`RFC example ${JSON.stringify(target)} + ${JSON.stringify(patch)} → ${JSON.stringify(result)}`, () => {
      assert.deepEqual(applyMergePatch(target, patch), result);
    });
  }

  it('merges labels into metadata as kubectl label --type merge sends them', () => {
    const target = { metadata: { name: 'x', labels: { app: 'web', old: 'y' } }, spec: { replicas: 1 } };
    const result = applyMergePatch(target, { metadata: { labels: { tier: 'fe', old: null } } });
    assert.deepEqual(result, {
      metadata: { name: 'x', labels: { app: 'web', tier: 'fe' } },
      spec: { replicas: 1 },
    });
  });

  it('leaves target and patch untouched and shares no objects with them', () => {
    const target = { spec: { template: { labels: { a: '1' } } }, keep: { deep: true } };
    const patch = { spec: { template: { labels: { b: '2' } } }, added: { x: [1] } };
    const targetCopy = structuredClone(target);
    const patchCopy = structuredClone(patch);
    const result = applyMergePatch(target, patch) as typeof target & typeof patch;
    assert.deepEqual(target, targetCopy);
    assert.deepEqual(patch, patchCopy);
    assert.notEqual(result.keep, target.keep);
    assert.notEqual(result.added, patch.added);
  });

  it('stores a "__proto__" key as a field rather than changing the prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(result, '__proto__')?.value, { polluted: true });
  });
});
