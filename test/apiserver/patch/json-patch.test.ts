import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../../../src/apiserver/patch/errors.ts';
import { applyJsonPatch } from '../../../src/apiserver/patch/json-patch.ts';

const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
  },
});

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PatchError, `expected a PatchError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to be refused');
}

describe('applyJsonPatch (RFC 6902)', () => {
  it('adds a field and appends to a list with "-"', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'log', image: 'busybox' } },
    ]);
    const expected = deployment();
    Object.assign(expected.metadata.labels, { tier: 'fe' });
    expected.spec.template.spec.containers.push({ name: 'log', image: 'busybox' });
    assert.deepEqual(result, expected);
  });

  it('removes, replaces, moves and copies', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' },
      { op: 'remove', path: '/spec/template/spec/containers/0/image' },
    ]);
    assert.deepEqual(result, {
      metadata: { name: 'web', labels: { name: 'web' }, annotations: { app: 'web' } },
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'web' }] } } },
    });
  });

  it('applies the operations after a passing test op, which guards a read-modify-write', () => {
    const result = applyJsonPatch(deployment(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]) as ReturnType<typeof deployment>;
    assert.equal(result.spec.replicas, 3);
  });

  it('replaces the whole document at the root pointer', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), {
      b: 2,
    });
  });

  it('does not modify the target, even when a later operation fails', () => {
    const target = deployment();
    patchError(() =>
      applyJsonPatch(target, [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'test', path: '/spec/replicas', value: 1 },
      ]),
    );
    assert.deepEqual(target, deployment());
  });

  it('a failing test op is a 422 naming the path', () => {
    const error = patchError(() =>
      applyJsonPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 3 }]),
    );
    assert.equal(error.status, 422);
    assert.equal(error.reason, 'Invalid');
    assert.equal(error.message, 'testing value /spec/replicas failed: test failed');
  });

  it('operations on paths that do not exist are 422s worded as kube-apiserver words them', () => {
    const cases: [operation: Record<string, unknown>, message: string][] = [
      [
        { op: 'remove', path: '/spec/paused' },
        'remove operation does not apply: doc is missing path: "/spec/paused": missing value',
      ],
      [
        { op: 'replace', path: '/spec/paused', value: true },
        'replace operation does not apply: doc is missing key: /spec/paused: missing value',
      ],
      [
        { op: 'add', path: '/spec/selector/matchLabels', value: {} },
        'add operation does not apply: doc is missing path: "/spec/selector/matchLabels": missing value',
      ],
      [
        { op: 'move', from: '/spec/nope', path: '/spec/other' },
        'move operation does not apply: doc is missing from path: /spec/nope: missing value',
      ],
      [
        { op: 'copy', from: '/metadata/nope', path: '/metadata/x' },
        'copy operation does not apply: doc is missing from path: /metadata/nope: missing value',
      ],
      [
        { op: 'add', path: '/spec/template/spec/containers/5', value: {} },
        "error in add for path: '/spec/template/spec/containers/5': Unable to access invalid index: 5: invalid index referenced",
      ],
    ];
    for (const [operation, message] of cases) {
      const error = patchError(() => applyJsonPatch(deployment(), [operation]));
      assert.equal(error.status, 422, message);
      assert.equal(error.message, message);
    }
  });

  it('a patch that is not a list of operations is a 400', () => {
    const error = patchError(() => applyJsonPatch(deployment(), { op: 'add' }));
    assert.equal(error.status, 400);
    assert.equal(error.reason, 'BadRequest');
    assert.equal(error.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    assert.equal(
      patchError(() => applyJsonPatch(deployment(), ['add'])).message,
      'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    );
  });

  it('malformed operations are 400s naming the op', () => {
    const cases: [operation: Record<string, unknown>, fragment: string][] = [
      [{ op: 'upsert', path: '/a', value: 1 }, 'Unexpected kind: upsert'],
      [{ op: '_get', path: '/a' }, 'Unexpected kind: _get'],
      [{ path: '/a', value: 1 }, 'Unexpected kind: unknown'],
      [{ op: 'add', value: 1 }, 'add operation missing path field'],
      [{ op: 'replace', path: '/a' }, 'replace operation, missing value field'],
      [{ op: 'move', path: '/a' }, 'move operation, missing from field'],
      [
        { op: 'add', path: 'spec/replicas', value: 1 },
        'add operation path "spec/replicas" is not a JSON pointer',
      ],
    ];
    for (const [operation, fragment] of cases) {
      const error = patchError(() => applyJsonPatch(deployment(), [operation]));
      assert.equal(error.status, 400, fragment);
      assert.match(error.message, new RegExp(fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });

  it('a null patch changes nothing', () => {
    assert.deepEqual(applyJsonPatch(deployment(), null), deployment());
  });
});
