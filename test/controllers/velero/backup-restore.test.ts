import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import type { KubeObject, TypeRef } from '../../../src/client/object.ts';
import { veleroControllers } from '../../../src/controllers/velero/index.ts';
import { layout } from '../../../src/controllers/velero/object-store.ts';
import { listEntries } from '../../../src/controllers/velero/tarball.ts';
import { realClock } from '../../../src/runtime/clock.ts';
import type { Controller } from '../../../src/runtime/controller.ts';
import { silentLogger } from '../../../src/runtime/log.ts';
import {
  bucket,
  createNamespace,
  prefix,
  startLab,
  types,
  veleroNamespace,
  waitForPhase,
  waitGone,
  type Lab,
} from './fixtures.ts';

const wave = 'lca.openshift.io/apply-wave';

describe('Velero Backup and Restore controllers', () => {
  let lab: Lab;
  let controllers: Controller[];
  const file = (key: string): string => path.join(lab.storeRoot, bucket, ...key.split('/'));

  before(async () => {
    lab = await startLab();
    controllers = veleroControllers({ objectStoreRoot: lab.storeRoot, clock: realClock, log: silentLogger });
    for (const c of controllers) c.start([{ name: 'hub', client: lab.client }]);
    await waitForPhase(lab.client, types.location, veleroNamespace, 'default', ['Available']);
  });

  after(async () => {
    await Promise.all(controllers.map((c) => c.stop()));
    await lab.close();
  });

  async function backup(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
    await lab.client.create({ ...types.backup, metadata: { name, namespace: veleroNamespace }, spec });
    return waitForPhase(lab.client, types.backup, veleroNamespace, name, [
      'Completed',
      'PartiallyFailed',
      'Failed',
      'FailedValidation',
    ]);
  }

  async function restore(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
    await lab.client.create({ ...types.restore, metadata: { name, namespace: veleroNamespace }, spec });
    return waitForPhase(lab.client, types.restore, veleroNamespace, name, [
      'Completed',
      'PartiallyFailed',
      'Failed',
      'FailedValidation',
    ]);
  }

  it('backs a namespace up in Velero layout and restores it in apply-wave order, labelled', async () => {
    const { client } = lab;
    const ns = 'app1';
    await createNamespace(client, ns);
    const originals: KubeObject[] = [
      await client.create({
        ...types.deployment,
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'quay.example/web:1' }] },
          },
        },
      }),
      await client.create({
        ...types.configMap,
        metadata: { name: 'settings', namespace: ns, annotations: { [wave]: '1' } },
        data: { mode: 'fast' },
      }),
      await client.create({
        ...types.secret,
        metadata: { name: 'creds', namespace: ns, annotations: { [wave]: '5' } },
        data: { password: Buffer.from('hunter2').toString('base64') },
      }),
      await client.create({
        ...types.pvc,
        metadata: { name: 'data', namespace: ns },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      }),
      await client.create({
        ...types.widget,
        metadata: { name: 'gadget', namespace: ns, annotations: { [wave]: '0' } },
        spec: { size: 3 },
      }),
    ];

    const done = await backup('app1-backup', { includedNamespaces: [ns] });
    const status = done.status as Record<string, unknown>;
    assert.equal(status.phase, 'Completed', JSON.stringify(status));
    assert.deepEqual(status.progress, { totalItems: 7, itemsBackedUp: 7 });
    assert.equal(status.formatVersion, '1.1.0');
    assert.ok(typeof status.expiration === 'string');
    assert.equal(done.metadata.labels?.['velero.io/storage-location'], 'default');

    const entries = await listEntries(file(layout.backupContents(prefix, 'app1-backup')));
    assert.equal(entries[0], 'metadata/version');
    for (const entry of [
      'resources/deployments.apps/namespaces/app1/web.json',
      'resources/deployments.apps/v1-preferredversion/namespaces/app1/web.json',
      'resources/configmaps/namespaces/app1/settings.json',
      'resources/configmaps/v1-preferredversion/namespaces/app1/settings.json',
      'resources/secrets/namespaces/app1/creds.json',
      'resources/persistentvolumeclaims/namespaces/app1/data.json',
      'resources/widgets.test.lcm.io/namespaces/app1/gadget.json',
      'resources/widgets.test.lcm.io/v1-preferredversion/namespaces/app1/gadget.json',
      'resources/namespaces/cluster/app1.json',
      'resources/namespaces/v1-preferredversion/cluster/app1.json',
      'resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.test.lcm.io.json',
    ])
      assert.ok(entries.includes(entry), `${entry} in ${entries.join('\n')}`);
    const stored = JSON.parse(
      await readFile(file(layout.backupMetadata(prefix, 'app1-backup')), 'utf8'),
    ) as KubeObject;
    assert.equal((stored.status as { phase?: string }).phase, 'Completed');
    assert.equal(stored.metadata.uid, done.metadata.uid);
    const resourceList = JSON.parse(
      gunzipSync(await readFile(file(layout.backupResourceList(prefix, 'app1-backup')))).toString(),
    ) as Record<string, string[]>;
    assert.deepEqual(resourceList['v1/ConfigMap'], ['app1/settings']);
    assert.ok(
      gunzipSync(await readFile(file(layout.backupLog(prefix, 'app1-backup'))))
        .toString()
        .includes('Backed up item'),
    );

    await client.delete(types.namespace, ns);
    await waitGone(client, types.namespace, ns);

    // Creation order, from the resourceVersions of the ADDED events of one watch per kind.
    const watched: TypeRef[] = [types.deployment, types.configMap, types.secret, types.pvc, types.widget];
    const created: { rv: number; id: string }[] = [];
    const abort = new AbortController();
    const watches: Promise<void>[] = [];
    for (const type of watched) {
      const { metadata } = await client.list(type, { namespace: ns });
      const stream = client.watch(type, {
        namespace: ns,
        resourceVersion: metadata.resourceVersion,
        signal: abort.signal,
      });
      watches.push(
        (async () => {
          for await (const event of stream)
            if (event.type === 'ADDED')
              created.push({
                rv: Number(event.object.metadata.resourceVersion),
                id: `${type.kind}/${event.object.metadata.name}`,
              });
        })(),
      );
    }

    const restored = await restore('app1-restore', { backupName: 'app1-backup' });
    const restoreStatus = restored.status as Record<string, unknown>;
    assert.equal(restoreStatus.phase, 'Completed', JSON.stringify(restoreStatus));
    assert.deepEqual(restoreStatus.progress, { totalItems: 7, itemsRestored: 7 });
    assert.ok(
      gunzipSync(await readFile(file(layout.restoreResults(prefix, 'app1-restore'))))
        .toString()
        .startsWith('{'),
    );
    assert.ok(await readFile(file(layout.restoreLog(prefix, 'app1-restore'))));

    for (const original of originals) {
      const back = await client.get(original, original.metadata.name, { namespace: ns });
      assert.deepEqual(back.spec, original.spec, `${original.kind} spec`);
      assert.deepEqual(back.data, original.data, `${original.kind} data`);
      assert.equal(back.metadata.labels?.['velero.io/backup-name'], 'app1-backup');
      assert.equal(back.metadata.labels?.['velero.io/restore-name'], 'app1-restore');
      assert.notEqual(back.metadata.uid, original.metadata.uid);
    }
    const namespace = await client.get(types.namespace, ns);
    assert.equal(namespace.metadata.labels?.['velero.io/restore-name'], 'app1-restore');

    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    await Promise.all(watches);
    assert.deepEqual(
      created.sort((a, b) => a.rv - b.rv).map((c) => c.id),
      ['Widget/gadget', 'ConfigMap/settings', 'Secret/creds', 'PersistentVolumeClaim/data', 'Deployment/web'],
    );
  });

  it('takes only the objects a label selector matches', async () => {
    const { client } = lab;
    const ns = 'app2';
    await createNamespace(client, ns);
    await client.create({
      ...types.configMap,
      metadata: { name: 'keep', namespace: ns, labels: { app: 'keep' } },
    });
    await client.create({
      ...types.configMap,
      metadata: { name: 'skip', namespace: ns, labels: { app: 'other' } },
    });

    const done = await backup('app2-backup', {
      includedNamespaces: [ns],
      labelSelector: { matchLabels: { app: 'keep' } },
    });
    assert.equal((done.status as { phase?: string }).phase, 'Completed');
    const entries = await listEntries(file(layout.backupContents(prefix, 'app2-backup')));
    const items = entries.filter((e) => e.startsWith('resources/') && !e.includes('preferredversion'));
    assert.deepEqual(items.sort(), [
      'resources/configmaps/namespaces/app2/keep.json',
      'resources/namespaces/cluster/app2.json',
    ]);
  });

  it('syncs a Backup missing from the cluster back from its velero-backup.json', async () => {
    const { client } = lab;
    await backup('synced-backup', { includedNamespaces: ['default'] });
    await client.delete(types.backup, 'synced-backup', { namespace: veleroNamespace });
    await waitGone(client, types.backup, 'synced-backup', veleroNamespace);
    // Any reconcile of an Available location syncs; touching it stands in for the periodic one.
    await client.patch(
      types.location,
      'default',
      { metadata: { annotations: { touched: 'yes' } } },
      {
        type: 'merge',
        namespace: veleroNamespace,
      },
    );
    const synced = await waitForPhase(client, types.backup, veleroNamespace, 'synced-backup', ['Completed']);
    assert.equal(synced.metadata.labels?.['velero.io/storage-location'], 'default');
    assert.equal((synced.spec as { storageLocation?: string }).storageLocation, 'default');
  });

  it('fails validation for a missing storage location, naming it', async () => {
    const done = await backup('lost-backup', { storageLocation: 'nowhere', includedNamespaces: ['default'] });
    const status = done.status as { phase?: string; validationErrors?: string[] };
    assert.equal(status.phase, 'FailedValidation');
    assert.equal(status.validationErrors?.length, 1);
    assert.match(
      status.validationErrors?.[0] ?? '',
      /backupstoragelocations\.velero\.io "nowhere" not found/,
    );
  });

  it('existingResourcePolicy none keeps a changed object with a warning; update restores it', async () => {
    const { client } = lab;
    const ns = 'app3';
    await createNamespace(client, ns);
    await client.create({
      ...types.configMap,
      metadata: { name: 'conf', namespace: ns },
      data: { level: '1' },
    });
    const taken = await backup('app3-backup', { includedNamespaces: [ns] });
    assert.equal((taken.status as { phase?: string }).phase, 'Completed');

    const changed = await client.get(types.configMap, 'conf', { namespace: ns });
    await client.update({ ...changed, data: { level: '2' } });

    const kept = await restore('app3-keep', { backupName: 'app3-backup', existingResourcePolicy: 'none' });
    const keptStatus = kept.status as { phase?: string; warnings?: number; errors?: number };
    assert.equal(keptStatus.phase, 'Completed');
    assert.equal(keptStatus.warnings, 1);
    assert.deepEqual((await client.get(types.configMap, 'conf', { namespace: ns })).data, { level: '2' });
    const results = JSON.parse(
      gunzipSync(await readFile(file(layout.restoreResults(prefix, 'app3-keep')))).toString(),
    ) as { warnings: { namespaces?: Record<string, string[]> } };
    assert.deepEqual(results.warnings.namespaces?.[ns], [
      'could not restore, ConfigMap "conf" already exists. Warning: the in-cluster version is different than the backed-up version',
    ]);

    const updated = await restore('app3-update', {
      backupName: 'app3-backup',
      existingResourcePolicy: 'update',
    });
    assert.equal((updated.status as { phase?: string }).phase, 'Completed');
    const conf = await client.get(types.configMap, 'conf', { namespace: ns });
    assert.deepEqual(conf.data, { level: '1' });
    assert.equal(conf.metadata.labels?.['velero.io/restore-name'], 'app3-update');
  });

  it('fails a restore validation when its backup does not exist', async () => {
    const done = await restore('orphan-restore', { backupName: 'no-such-backup' });
    const status = done.status as { phase?: string; validationErrors?: string[] };
    assert.equal(status.phase, 'FailedValidation');
    assert.deepEqual(status.validationErrors, [
      `Error retrieving backup: can't find backup ${veleroNamespace}/no-such-backup: backups.velero.io "no-such-backup" not found`,
    ]);
  });
});
