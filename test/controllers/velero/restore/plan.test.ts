import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestoreSpec } from '../../../../src/api/velero/restore.ts';
import { applyWave, planRestore } from '../../../../src/controllers/velero/restore/plan.ts';
import type { ArchiveItem } from '../../../../src/controllers/velero/tarball.ts';
import { catalog } from '../catalog.ts';

function item(
  groupResource: string,
  apiVersion: string,
  kind: string,
  name: string,
  namespace = '',
  extra: { wave?: string; labels?: Record<string, string>; spec?: unknown } = {},
): ArchiveItem {
  return {
    groupResource,
    version: 'v1',
    namespace,
    name,
    object: {
      apiVersion,
      kind,
      metadata: {
        name,
        ...(namespace !== '' ? { namespace } : {}),
        uid: `uid-${name}`,
        resourceVersion: '42',
        ...(extra.wave !== undefined ? { annotations: { 'lca.openshift.io/apply-wave': extra.wave } } : {}),
        ...(extra.labels !== undefined ? { labels: extra.labels } : {}),
      },
      ...(extra.spec !== undefined ? { spec: extra.spec } : {}),
      status: { phase: 'Bound' },
    },
  };
}

const archive: ArchiveItem[] = [
  item('deployments.apps', 'apps/v1', 'Deployment', 'web', 'app'),
  item('configmaps', 'v1', 'ConfigMap', 'late', 'app', { wave: '10' }),
  item('configmaps', 'v1', 'ConfigMap', 'early', 'app', { wave: '2' }),
  item('secrets', 'v1', 'Secret', 'plain', 'app'),
  item('widgets.example.com', 'example.com/v1', 'Widget', 'first', 'app', { wave: '1' }),
  item('persistentvolumeclaims', 'v1', 'PersistentVolumeClaim', 'data', 'app', {
    spec: { volumeName: 'pv-data' },
  }),
  item('persistentvolumes', 'v1', 'PersistentVolume', 'pv-data', '', {
    spec: { claimRef: { name: 'data', uid: 'x' } },
  }),
  item('persistentvolumes', 'v1', 'PersistentVolume', 'pv-other'),
  item('storageclasses.storage.k8s.io', 'storage.k8s.io/v1', 'StorageClass', 'fast', '', { wave: '0' }),
  item('namespaces', 'v1', 'Namespace', 'app'),
  item('events', 'v1', 'Event', 'noise', 'app'),
];

const plan = (spec: RestoreSpec = {}) =>
  planRestore({
    restoreName: 'r',
    backupName: 'b',
    spec: { backupName: 'b', ...spec },
    items: archive,
    catalog,
  });
const order = (spec?: RestoreSpec): string[] => plan(spec).items.map((i) => `${i.groupResource}/${i.name}`);

describe('restore order', () => {
  it('restores cluster-scoped objects, then namespaces, then namespaced ones, each by apply-wave then priority', () => {
    assert.deepEqual(order(), [
      'storageclasses.storage.k8s.io/fast',
      'persistentvolumes/pv-data',
      'persistentvolumes/pv-other',
      'namespaces/app',
      'widgets.example.com/first',
      'configmaps/early',
      'configmaps/late',
      'persistentvolumeclaims/data',
      'secrets/plain',
      'deployments.apps/web',
    ]);
  });

  it('reads apply-wave as a number and ignores junk', () => {
    const wave = (value: string) =>
      applyWave({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', annotations: { 'lca.openshift.io/apply-wave': value } },
      });
    assert.equal(wave('10'), 10);
    assert.equal(wave('-1'), -1);
    assert.equal(wave('soon'), undefined);
  });
});

describe('restore filters', () => {
  it('never restores non-restorable kinds such as events', () => {
    assert.ok(!order().some((i) => i.startsWith('events/')));
  });

  it('with chosen namespaces, leaves cluster-scoped kinds out but brings a claimed volume back', () => {
    assert.deepEqual(order({ includedNamespaces: ['app'], includedResources: ['pvc', 'pv', 'namespaces'] }), [
      'persistentvolumes/pv-data',
      'namespaces/app',
      'persistentvolumeclaims/data',
    ]);
  });

  it('skips PersistentVolumes when restorePVs is false', () => {
    const result = plan({ restorePVs: false });
    assert.ok(!result.items.some((i) => i.groupResource === 'persistentvolumes'));
    assert.deepEqual(
      result.skipped.map((s) => s.item),
      ['persistentvolumes/pv-data', 'persistentvolumes/pv-other'],
    );
  });

  it('filters by excluded resources (short names resolved) and label selector', () => {
    assert.ok(!order({ excludedResources: ['cm'] }).some((i) => i.startsWith('configmaps/')));
    const selected = plan({ labelSelector: { matchLabels: { none: 'match' } } });
    assert.deepEqual(selected.items, []);
  });
});

describe('restored objects', () => {
  it('are cleaned, labelled with backup and restore names, and mapped to their target namespace', () => {
    const result = plan({ namespaceMapping: { app: 'app-copy' } });
    const cm = result.items.find((i) => i.name === 'early');
    assert.deepEqual(cm?.object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'early',
        namespace: 'app-copy',
        annotations: { 'lca.openshift.io/apply-wave': '2' },
        labels: { 'velero.io/backup-name': 'b', 'velero.io/restore-name': 'r' },
      },
    });
    assert.equal(result.items.find((i) => i.groupResource === 'namespaces')?.name, 'app-copy');
    const pv = result.items.find((i) => i.name === 'pv-data');
    assert.deepEqual((pv?.object.spec as { claimRef?: unknown }).claimRef, { name: 'data' });
  });

  it('creates namespaces the backup holds no object for', () => {
    const result = planRestore({
      restoreName: 'r',
      backupName: 'b',
      spec: {},
      items: archive.filter((i) => i.groupResource !== 'namespaces'),
      catalog,
    });
    assert.deepEqual(result.bareNamespaces, ['app']);
  });
});
