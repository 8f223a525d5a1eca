import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinPatchMeta } from '../../../src/apiserver/patch/patch-meta.ts';

describe('builtinPatchMeta', () => {
  it('finds container lists wherever a pod spec is embedded', () => {
    const cases: [apiVersion: string, kind: string, podSpec: string[]][] = [
      ['v1', 'Pod', ['spec']],
      ['apps/v1', 'Deployment', ['spec', 'template', 'spec']],
      ['apps/v1', 'StatefulSet', ['spec', 'template', 'spec']],
      ['apps/v1', 'DaemonSet', ['spec', 'template', 'spec']],
      ['apps/v1', 'ReplicaSet', ['spec', 'template', 'spec']],
      ['batch/v1', 'Job', ['spec', 'template', 'spec']],
      ['batch/v1', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
    ];
    for (const [apiVersion, kind, podSpec] of cases) {
      const meta = builtinPatchMeta(apiVersion, kind);
      assert.deepEqual(
        meta?.lookup([...podSpec, 'containers']),
        { strategy: 'merge', mergeKey: 'name' },
        kind,
      );
      assert.deepEqual(
        meta?.lookup([...podSpec, 'initContainers', 'env']),
        { strategy: 'merge', mergeKey: 'name' },
        kind,
      );
      assert.deepEqual(
        meta?.lookup([...podSpec, 'containers', 'ports']),
        { strategy: 'merge', mergeKey: 'containerPort' },
        kind,
      );
      assert.deepEqual(
        meta?.lookup([...podSpec, 'containers', 'volumeMounts']),
        { strategy: 'merge', mergeKey: 'mountPath' },
        kind,
      );
      assert.deepEqual(
        meta?.lookup([...podSpec, 'volumes']),
        { strategy: 'merge,retainKeys', mergeKey: 'name' },
        kind,
      );
      assert.deepEqual(meta?.lookup([...podSpec, 'tolerations']), { strategy: 'replace' }, kind);
    }
  });

  it('has ObjectMeta and status condition metadata for every built-in kind', () => {
    const meta = builtinPatchMeta('v1', 'ConfigMap');
    assert.deepEqual(meta?.lookup(['metadata', 'finalizers']), { strategy: 'merge' });
    assert.deepEqual(meta?.lookup(['metadata', 'ownerReferences']), { strategy: 'merge', mergeKey: 'uid' });
    assert.deepEqual(meta?.lookup(['status', 'conditions']), { strategy: 'merge', mergeKey: 'type' });
    assert.equal(meta?.lookup(['data']), undefined);
  });

  it('carries the kind-specific tags of kubernetes/api', () => {
    assert.deepEqual(builtinPatchMeta('v1', 'Service')?.lookup(['spec', 'ports']), {
      strategy: 'merge',
      mergeKey: 'port',
    });
    assert.deepEqual(builtinPatchMeta('v1', 'Node')?.lookup(['spec', 'taints']), { strategy: 'replace' });
    assert.deepEqual(builtinPatchMeta('apps/v1', 'Deployment')?.lookup(['spec', 'strategy']), {
      strategy: 'retainKeys',
    });
    assert.equal(builtinPatchMeta('apps/v1', 'StatefulSet')?.lookup(['spec', 'strategy']), undefined);
  });

  it('has none for custom resources', () => {
    assert.equal(builtinPatchMeta('lca.openshift.io/v1', 'ImageBasedUpgrade'), undefined);
  });
});
