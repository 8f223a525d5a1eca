import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  itemPath,
  listEntries,
  readTarball,
  writeTarball,
  type ArchiveItem,
} from '../../../src/controllers/velero/tarball.ts';

describe('the Velero backup tarball', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lcm-tarball-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const items: ArchiveItem[] = [
    {
      groupResource: 'configmaps',
      version: 'v1',
      namespace: 'app',
      name: 'settings',
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'app' },
        data: { a: '1' },
      },
    },
    {
      groupResource: 'deployments.apps',
      version: 'v1',
      namespace: 'app',
      name: 'web',
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'app' },
        spec: {},
      },
    },
    {
      groupResource: 'namespaces',
      version: 'v1',
      namespace: '',
      name: 'app',
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    },
  ];

  it('places items as archive.GetVersionedItemFilePath does', () => {
    assert.equal(itemPath('configmaps', 'app', 'c'), 'resources/configmaps/namespaces/app/c.json');
    assert.equal(itemPath('namespaces', '', 'app'), 'resources/namespaces/cluster/app.json');
    assert.equal(
      itemPath('deployments.apps', 'app', 'web', 'v1-preferredversion'),
      'resources/deployments.apps/v1-preferredversion/namespaces/app/web.json',
    );
  });

  it('writes metadata/version first and every item in both layouts, and reads the items back', async () => {
    const file = path.join(dir, 'b.tar.gz');
    await writeTarball(createWriteStream(file), items, new Date(0));
    assert.deepEqual(await listEntries(file), [
      'metadata/version',
      'resources/configmaps/namespaces/app/settings.json',
      'resources/configmaps/v1-preferredversion/namespaces/app/settings.json',
      'resources/deployments.apps/namespaces/app/web.json',
      'resources/deployments.apps/v1-preferredversion/namespaces/app/web.json',
      'resources/namespaces/cluster/app.json',
      'resources/namespaces/v1-preferredversion/cluster/app.json',
    ]);
    const archive = await readTarball(file);
    assert.equal(archive.formatVersion, '1.1.0');
    assert.deepEqual(
      archive.items.map((i) => [i.groupResource, i.namespace, i.name, i.version]),
      [
        ['configmaps', 'app', 'settings', 'v1'],
        ['deployments.apps', 'app', 'web', 'v1'],
        ['namespaces', '', 'app', 'v1'],
      ],
    );
    assert.deepEqual(archive.items[0]?.object, items[0]?.object);
  });
});
