import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../../../src/apiserver/patch/errors.ts';
import { builtinPatchMeta } from '../../../src/apiserver/patch/patch-meta.ts';
import { applyStrategicMergePatch } from '../../../src/apiserver/patch/strategic-merge-patch.ts';

const deploymentMeta = builtinPatchMeta('apps/v1', 'Deployment');

/** A Deployment as the server stores it: defaulted fields kubectl never sent included. */
function liveDeployment() {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
      finalizers: ['example.com/a', 'example.com/b', 'example.com/c'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
            },
            { name: 'sidecar', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' },
          ],
          restartPolicy: 'Always',
        },
      },
    },
  };
}

type Live = ReturnType<typeof liveDeployment>;

function apply(patch: unknown, target: unknown = liveDeployment()): Live {
  return applyStrategicMergePatch(target, patch, deploymentMeta) as Live;
}

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PatchError, `expected a PatchError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to be refused');
}

const containers = (live: Live) => live.spec.template.spec.containers;

describe('applyStrategicMergePatch', () => {
  it('changes one container image by name and keeps every other container field', () => {
    const result = apply({
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
    const expected = liveDeployment();
    expected.spec.template.spec.containers[0]!.image = 'nginx:1.27';
    assert.deepEqual(result, expected);
  });

  it('merges env by name: updates B, adds C and deletes A with $patch: delete', () => {
    const result = apply({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                env: [
                  { name: 'B', value: 'two' },
                  { name: 'C', value: '3' },
                  { name: 'A', $patch: 'delete' },
                ],
              },
            ],
          },
        },
      },
    });
    assert.deepEqual(containers(result)[0]!.env, [
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
  });

  it('removes a container with $patch: delete', () => {
    const result = apply({
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    });
    assert.deepEqual(
      containers(result).map((c) => c.name),
      ['web'],
    );
  });

  it('replaces a whole list with a $patch: replace item', () => {
    const result = apply({
      spec: {
        template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } },
      },
    });
    assert.deepEqual(containers(result), [{ name: 'only', image: 'x' }]);
  });

  it('replaces a map with $patch: replace and empties it with $patch: delete', () => {
    const replaced = apply({ metadata: { labels: { $patch: 'replace', tier: 'fe' } } });
    assert.deepEqual(replaced.metadata.labels, { tier: 'fe' });
    const deleted = apply({ metadata: { annotations: { $patch: 'delete' } } });
    assert.deepEqual(deleted.metadata.annotations, {});
  });

  it('deletes map keys set to null and ignores nulls for keys that do not exist', () => {
    const result = apply({ metadata: { labels: { app: null, gone: null } }, spec: { paused: null } });
    assert.deepEqual(result.metadata.labels, {});
    assert.equal('paused' in result.spec, false);
  });

  it('merges a primitive merge list (finalizers) as a set', () => {
    const result = apply({ metadata: { finalizers: ['example.com/b', 'example.com/d'] } });
    assert.deepEqual(result.metadata.finalizers, [
      'example.com/a',
      'example.com/b',
      'example.com/d',
      'example.com/c',
    ]);
  });

  it('$deleteFromPrimitiveList/finalizers removes only the listed finalizers', () => {
    const result = apply({
      metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/b', 'example.com/x'] },
    });
    assert.deepEqual(result.metadata.finalizers, ['example.com/a', 'example.com/c']);
  });

  it('$deleteFromPrimitiveList never creates the list it deletes from', () => {
    const target = liveDeployment();
    const { finalizers: _dropped, ...metadata } = target.metadata;
    const result = apply(
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
      { ...target, metadata },
    );
    assert.equal('finalizers' in result.metadata, false);
  });

  it('$setElementOrder reorders the merged list to the given order', () => {
    const result = apply({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
            containers: [{ name: 'web', image: 'nginx:1.27' }],
          },
        },
      },
    });
    assert.deepEqual(
      containers(result).map((c) => [c.name, c.image]),
      [
        ['sidecar', 'busybox:1.36'],
        ['web', 'nginx:1.27'],
      ],
    );
  });

  it('$setElementOrder keeps items only the server knows where the live list has them', () => {
    const target = liveDeployment();
    containers(target).splice(1, 0, { name: 'injected', image: 'proxy', imagePullPolicy: 'Always' });
    const result = apply(
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
              containers: [{ name: 'sidecar', image: 'busybox:1.37' }],
            },
          },
        },
      },
      target,
    );
    assert.deepEqual(
      containers(result).map((c) => c.name),
      ['web', 'injected', 'sidecar'],
    );
  });

  it('$setElementOrder that omits an item of the patch list is a 400', () => {
    const error = patchError(() =>
      apply({
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'web' }],
              containers: [{ name: 'sidecar', image: 'x' }],
            },
          },
        },
      }),
    );
    assert.equal(error.status, 400);
    assert.match(error.message, /doesn't match \$setElementOrder list/);
  });

  it('$retainKeys on Deployment strategy clears rollingUpdate when switching to Recreate', () => {
    // What kubectl apply sends when the manifest changes strategy.type and drops rollingUpdate.
    const result = apply({
      spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } },
    });
    assert.deepEqual(result.spec.strategy, { type: 'Recreate' });
  });

  it('$retainKeys also clears a server-defaulted field the patch never mentions', () => {
    const result = apply({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(result.spec.strategy, { type: 'Recreate' });
  });

  it('$retainKeys that does not list a field the patch sets is a 400', () => {
    const error = patchError(() =>
      apply({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }),
    );
    assert.equal(error.status, 400);
    assert.equal(error.message, 'invalid patch format of retainKeys');
  });

  it('applies the patch kubectl 1.33 apply sends for a new label and a new image', () => {
    const lastApplied = (image: string, labels: Record<string, string>) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { annotations: {}, labels, name: 'web', namespace: 'default' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                {
                  env: [
                    { name: 'A', value: '1' },
                    { name: 'B', value: '2' },
                  ],
                  image,
                  name: 'web',
                  ports: [{ containerPort: 80 }],
                },
                { image: 'busybox:1.36', name: 'sidecar' },
              ],
            },
          },
        },
      }) + '\n';
    const target = liveDeployment() as Live & { metadata: { annotations: Record<string, string> } };
    target.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = lastApplied(
      'nginx:1.25',
      { app: 'web' },
    );
    const newLastApplied = lastApplied('nginx:1.27', { app: 'web', tier: 'frontend' });
    // The patch CreateThreeWayMergePatch computes for this change (Go marshals map keys sorted).
    const patch = JSON.parse(
      `{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":${JSON.stringify(newLastApplied)}},"labels":{"tier":"frontend"}},` +
        `"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"image":"nginx:1.27","name":"web"}]}}}}`,
    ) as unknown;

    const result = applyStrategicMergePatch(target, patch, deploymentMeta);

    const expected = structuredClone(target);
    expected.metadata.labels = { app: 'web', tier: 'frontend' } as typeof expected.metadata.labels;
    expected.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = newLastApplied;
    containers(expected)[0]!.image = 'nginx:1.27';
    assert.deepEqual(result, expected);
  });

  it('treats every list as replaced when there is no patch metadata (custom resources)', () => {
    const target = { spec: { items: [{ name: 'a', v: 1 }, { name: 'b' }], tags: ['x'] } };
    const result = applyStrategicMergePatch(
      target,
      { spec: { items: [{ name: 'a', v: 2 }], tags: ['y'] } },
      undefined,
    );
    assert.deepEqual(result, { spec: { items: [{ name: 'a', v: 2 }], tags: ['y'] } });
  });

  it('takes new subtrees from the patch without nulls or directives', () => {
    const result = apply({
      spec: {
        template: {
          spec: {
            securityContext: { runAsUser: 1000, fsGroup: null },
            volumes: [
              { name: 'gone', $patch: 'delete' },
              { name: 'data', emptyDir: {} },
            ],
          },
        },
      },
    });
    const spec = result.spec.template.spec as Record<string, unknown>;
    assert.deepEqual(spec['securityContext'], { runAsUser: 1000 });
    assert.deepEqual(spec['volumes'], [{ name: 'data', emptyDir: {} }]);
  });

  it('does not modify the target or the patch', () => {
    const target = liveDeployment();
    const patch = {
      metadata: { labels: { app: null } },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'x' }] } } },
    };
    const patchCopy = structuredClone(patch);
    apply(patch, target);
    assert.deepEqual(target, liveDeployment());
    assert.deepEqual(patch, patchCopy);
  });

  it('refuses a patch that is not a JSON object with a 400', () => {
    const error = patchError(() => apply(['not', 'an', 'object']));
    assert.equal(error.status, 400);
    assert.equal(error.message, 'invalid JSON document');
  });

  it('a list item missing its merge key is a 400 quoting the item', () => {
    const error = patchError(() => apply({ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }));
    assert.equal(error.status, 400);
    assert.equal(error.message, 'map: map[image:x] does not contain declared merge key: name');
  });

  it('an unknown $patch directive is a 400', () => {
    const error = patchError(() => apply({ metadata: { labels: { $patch: 'upsert' } } }));
    assert.equal(error.status, 400);
    assert.equal(error.message, 'unknown patch type: upsert in map: map[$patch:upsert]');
  });

  it('$patch: merge on a list item is refused as upstream refuses it', () => {
    const error = patchError(() =>
      apply({ spec: { template: { spec: { containers: [{ name: 'web', $patch: 'merge' }] } } } }),
    );
    assert.equal(error.status, 400);
    assert.equal(error.message, 'merging lists cannot yet be specified in the patch');
  });

  it('a list of lists in a merge list is a 422', () => {
    const target = { metadata: { finalizers: [['a']] } };
    const error = patchError(() =>
      applyStrategicMergePatch(target, { metadata: { finalizers: [['b']] } }, deploymentMeta),
    );
    assert.equal(error.status, 422);
    assert.equal(error.message, 'lists of lists are not supported');
  });
});
