import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/client/object.ts';
import {
  backupNamespaces,
  groupResourceOf,
  matchesLabelSelector,
  planBackup,
  relatedObjects,
  resetMetadataAndStatus,
  resolveNames,
  resolveResource,
  selectItems,
  shouldInclude,
  validLabelValue,
  validateBackupFilters,
  type BackupItem,
} from '../../../src/controllers/velero/select.ts';
import { byName, catalog } from './catalog.ts';

const names = (plan: ReturnType<typeof planBackup>): string[] => plan.resources.map(groupResourceOf).sort();

function item(
  resource: string,
  name: string,
  namespace?: string,
  labels?: Record<string, string>,
  spec?: unknown,
): BackupItem {
  const r = byName(resource);
  return {
    resource: r,
    object: {
      apiVersion: r.apiVersion,
      kind: r.kind,
      metadata: {
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(labels !== undefined ? { labels } : {}),
      },
      ...(spec !== undefined ? { spec } : {}),
    },
  };
}

describe('resource names', () => {
  it('resolves plural, singular, kind, short and group-qualified names through discovery', () => {
    assert.equal(resolveResource(catalog, 'cm')?.resource, 'configmaps');
    assert.equal(resolveResource(catalog, 'deployments.apps')?.resource, 'deployments');
    assert.equal(resolveResource(catalog, 'Deployment')?.group, 'apps');
    assert.equal(resolveResource(catalog, 'deploy')?.resource, 'deployments');
    assert.equal(resolveResource(catalog, 'deployments.extensions'), undefined);
  });

  it('keeps names it cannot resolve as written, as Velero does', () => {
    assert.deepEqual(resolveNames(catalog, ['pvc', 'gizmos.example.org', '*']), [
      'persistentvolumeclaims',
      'gizmos.example.org',
      '*',
    ]);
  });

  it('matches include globs, and lets excludes win', () => {
    const ie = { includes: ['app-*'], excludes: ['app-secret'] };
    assert.equal(shouldInclude(ie, 'app-one'), true);
    assert.equal(shouldInclude(ie, 'app-secret'), false);
    assert.equal(shouldInclude(ie, 'other'), false);
    assert.equal(shouldInclude({ includes: [], excludes: [] }, 'anything'), true);
  });
});

describe('what a Backup lists', () => {
  it('a namespace backup takes namespaced kinds and Namespace objects, never events or backups', () => {
    const plan = planBackup({ includedNamespaces: ['app'] }, catalog);
    assert.deepEqual(names(plan), [
      'configmaps',
      'deployments.apps',
      'persistentvolumeclaims',
      'pods',
      'secrets',
      'widgets.example.com',
    ]);
    assert.equal(plan.includeNamespaceObjects, true);
    assert.equal(plan.followVolumes, true);
    assert.equal(plan.followCrds, true);
  });

  it('a whole-cluster backup also takes cluster-scoped kinds, but never nodes', () => {
    const plan = planBackup({}, catalog);
    const listed = names(plan);
    for (const r of [
      'persistentvolumes',
      'storageclasses.storage.k8s.io',
      'customresourcedefinitions.apiextensions.k8s.io',
    ])
      assert.ok(listed.includes(r), r);
    for (const r of ['nodes', 'events', 'backups.velero.io']) assert.ok(!listed.includes(r), r);
  });

  it('old filters: includedResources narrows, includeClusterResources false drops cluster-scoped kinds', () => {
    const narrow = planBackup({ includedNamespaces: ['app'], includedResources: ['cm', 'pvc'] }, catalog);
    assert.deepEqual(names(narrow), ['configmaps', 'persistentvolumeclaims']);
    assert.equal(narrow.followVolumes, false, 'persistentvolumes is not among the included resources');
    assert.equal(narrow.includeNamespaceObjects, false);
    const noCluster = planBackup({ includeClusterResources: false }, catalog);
    assert.ok(!names(noCluster).includes('persistentvolumes'));
    assert.equal(noCluster.followCrds, false);
    const withCluster = planBackup({ includedNamespaces: ['app'], includeClusterResources: true }, catalog);
    assert.ok(names(withCluster).includes('storageclasses.storage.k8s.io'));
  });

  it('scoped filters pick namespaced and cluster-scoped kinds separately', () => {
    const plan = planBackup(
      {
        includedNamespaceScopedResources: ['configmaps'],
        includedClusterScopedResources: ['storageclasses'],
      },
      catalog,
    );
    assert.deepEqual(names(plan), ['configmaps', 'storageclasses.storage.k8s.io']);
    assert.equal(plan.includeNamespaceObjects, true);
  });
});

describe('which objects a Backup keeps', () => {
  it('filters by namespace, label selector and the exclude-from-backup label', () => {
    const plan = planBackup(
      { includedNamespaces: ['app'], labelSelector: { matchLabels: { tier: 'db' } } },
      catalog,
    );
    const kept = selectItems(plan, [
      item('configmaps', 'db', 'app', { tier: 'db' }),
      item('configmaps', 'web', 'app', { tier: 'web' }),
      item('configmaps', 'elsewhere', 'other', { tier: 'db' }),
      item('configmaps', 'private', 'app', { tier: 'db', 'velero.io/exclude-from-backup': 'true' }),
    ]);
    assert.deepEqual(
      kept.map((i) => i.object.metadata.name),
      ['db'],
    );
  });

  it('takes a Namespace object when named, when its labels match, or when an item in it is taken', () => {
    const ns = (name: string, labels?: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, ...(labels !== undefined ? { labels } : {}) },
      status: { phase: 'Active' },
    });
    const all = [ns('app'), ns('labelled', { tier: 'db' }), ns('quiet'), ns('busy')];
    const selective = planBackup({ labelSelector: { matchLabels: { tier: 'db' } } }, catalog);
    const taken = backupNamespaces(selective, all, [item('configmaps', 'x', 'busy', { tier: 'db' })]);
    assert.deepEqual(
      taken.map((n) => n.metadata.name),
      ['labelled', 'busy'],
    );
    const named = planBackup({ includedNamespaces: ['app'] }, catalog);
    assert.deepEqual(
      backupNamespaces(named, all, []).map((n) => n.metadata.name),
      ['app'],
    );
  });

  it("adds a claim's PersistentVolume and a custom resource's CRD", () => {
    const plan = planBackup({ includedNamespaces: ['app'] }, catalog);
    const related = relatedObjects(plan, [
      item('persistentvolumeclaims', 'data', 'app', undefined, { volumeName: 'pv-1' }),
      item('widgets.example.com', 'w', 'app'),
      item('configmaps', 'c', 'app'),
    ]);
    assert.deepEqual(related, { persistentVolumes: ['pv-1'], crds: ['widgets.example.com'] });
  });
});

describe('label selectors', () => {
  it('implements In, NotIn, Exists and DoesNotExist', () => {
    const labels = { env: 'prod', tier: 'db' };
    const expr = (operator: string, values?: string[]) =>
      matchesLabelSelector(
        { matchExpressions: [{ key: 'env', operator, ...(values ? { values } : {}) }] },
        labels,
      );
    assert.equal(expr('In', ['prod', 'stage']), true);
    assert.equal(expr('In', ['dev']), false);
    assert.equal(expr('NotIn', ['prod']), false);
    assert.equal(expr('Exists'), true);
    assert.equal(expr('DoesNotExist'), false);
    assert.equal(matchesLabelSelector({ matchLabels: { tier: 'db', env: 'prod' } }, labels), true);
    assert.equal(matchesLabelSelector({ matchLabels: { tier: 'web' } }, labels), false);
  });
});

describe('Backup filter validation', () => {
  it("reports Velero's messages", () => {
    assert.deepEqual(
      validateBackupFilters({
        includedResources: ['*', 'configmaps'],
        excludedNamespaces: ['a'],
        includedNamespaces: ['a'],
        labelSelector: { matchLabels: { a: 'b' } },
        orLabelSelectors: [{ matchLabels: { c: 'd' } }],
      }),
      [
        "Invalid included/excluded resource lists: includes list must either contain '*' only, or a non-empty list of items",
        'Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: a',
        'encountered labelSelector as well as orLabelSelectors in backup spec, only one can be specified',
      ],
    );
    assert.match(
      validateBackupFilters({ includedResources: ['cm'], includedClusterScopedResources: ['sc'] })[0] ?? '',
      /They cannot be used together$/,
    );
    assert.deepEqual(validateBackupFilters({ includedNamespaces: ['app'] }), []);
  });
});

describe('restore cleaning', () => {
  it('drops server-set metadata, owner references and status', () => {
    const cleaned = resetMetadataAndStatus({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'app',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        creationTimestamp: '2026-01-01T00:00:00Z',
        managedFields: [{}],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'x' }],
        labels: { keep: 'me' },
      },
      data: { a: '1' },
      status: { phase: 'x' },
    });
    assert.deepEqual(cleaned, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'app', labels: { keep: 'me' } },
      data: { a: '1' },
    });
  });

  it('shortens label values over 63 characters as label.GetValidName does', () => {
    const long = 'b'.repeat(70);
    const value = validLabelValue(long);
    assert.equal(value.length, 63);
    assert.ok(value.startsWith('b'.repeat(57)));
    assert.match(value.slice(57), /^[0-9a-f]{6}$/);
    assert.equal(validLabelValue('short'), 'short');
  });
});
