/** The informer on real etcd: a server restart cuts its watch, and it resumes exactly. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/client/client.ts';
import { isConflict } from '../../src/client/errors.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { Informer } from '../../src/runtime/informer.ts';
import { RestartableApi, waitFor } from './restartable-api.ts';

type ConfigMap = KubeObject & { data?: Record<string, string> };
const configMapType = { apiVersion: 'v1', kind: 'ConfigMap' } as const;
const configMap = (name: string, data: Record<string, string> = {}): ConfigMap => ({
  ...configMapType,
  metadata: { name, namespace: 'default' },
  data,
});

let api: RestartableApi;
let client: KubeClient;

before(async () => {
  api = await RestartableApi.start({ backend: 'etcd' });
  client = await api.client();
});
after(async () => {
  client.close();
  await api.close();
});

describe('Informer on etcd', () => {
  it('resumes across an API server restart without losing or repeating an event', async () => {
    const heard: string[] = [];
    const informer = new Informer<ConfigMap>({
      client,
      ...configMapType,
      namespace: 'default',
      backoff: { initialMs: 30, maxMs: 200 },
    });
    informer.addHandlers({
      onAdd: (o) => heard.push(`add ${o.metadata.name}`),
      onUpdate: (_, o) => heard.push(`update ${o.metadata.name}`),
      onDelete: (o) => heard.push(`delete ${o.metadata.name}`),
    });
    informer.start();
    try {
      await informer.waitForSync();
      const first = await client.create(configMap('one', { v: '1' }));
      await waitFor('one', () => informer.get('default', 'one') !== undefined);
      await api.stop();
      await api.onSideServer(async (side) => {
        await side.update({ ...first, data: { v: '2' } });
        await side.create(configMap('two'));
      });
      await api.restart();
      // A stale write after the restart still conflicts: etcd kept the revision.
      await assert.rejects(client.update({ ...first, data: { v: 'stale' } }), (error: unknown) =>
        isConflict(error),
      );
      await client.create(configMap('three'));
      await waitFor('three', () => informer.get('default', 'three') !== undefined, 10_000);
      assert.deepEqual(heard, ['add one', 'update one', 'add two', 'add three']);
      const server = await client.list(configMapType, { namespace: 'default' });
      assert.deepEqual(
        informer
          .list()
          .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`)
          .sort(),
        server.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`).sort(),
      );
    } finally {
      await informer.stop();
    }
  });
});
