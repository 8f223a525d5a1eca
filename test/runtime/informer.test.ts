/**
 * The informer against the embedded API server: its cache follows the server through cut
 * streams, restarts and compaction, and its handlers hear every change exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/client/client.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { Informer } from '../../src/runtime/informer.ts';
import { createLogger } from '../../src/runtime/log.ts';
import { RestartableApi, waitFor } from './restartable-api.ts';

type ConfigMap = KubeObject & { data?: Record<string, string> };
const configMapType = { apiVersion: 'v1', kind: 'ConfigMap' } as const;

let api: RestartableApi;
let client: KubeClient;

before(async () => {
  api = await RestartableApi.start();
  client = await api.client();
});
after(async () => {
  client.close();
  await api.close();
});

function configMap(name: string, namespace: string, data: Record<string, string> = {}): ConfigMap {
  return { ...configMapType, metadata: { name, namespace }, data };
}

/** An informer on one namespace that records what its handlers heard. */
function recordingInformer(namespace: string, logLines?: string[]) {
  const heard: string[] = [];
  const informer = new Informer<ConfigMap>({
    client,
    ...configMapType,
    namespace,
    backoff: { initialMs: 30, maxMs: 200 },
    ...(logLines ? { log: createLogger({ level: 'info', write: (line) => logLines.push(line) }) } : {}),
  });
  informer.addHandlers({
    onAdd: (o) => heard.push(`add ${o.metadata.name}`),
    onUpdate: (_, o) => heard.push(`update ${o.metadata.name} ${JSON.stringify(o.data)}`),
    onDelete: (o) => heard.push(`delete ${o.metadata.name}`),
  });
  return { informer, heard };
}

async function createNamespace(name: string): Promise<void> {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** The cache and the server agree: same names at the same resourceVersions. */
async function assertMatchesServer(informer: Informer<ConfigMap>, namespace: string): Promise<void> {
  const server = await client.list(configMapType, { namespace });
  const summary = (items: readonly KubeObject[]): string[] =>
    items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion ?? ''}`).sort();
  assert.deepEqual(summary(informer.list()), summary(server.items));
}

describe('Informer', () => {
  it('lists, then follows adds, updates and deletes; get and list read the cache', async () => {
    await createNamespace('inf-basic');
    await client.create(configMap('existing', 'inf-basic'));
    const { informer, heard } = recordingInformer('inf-basic');
    informer.start();
    try {
      assert.ok(await informer.waitForSync());
      assert.ok(informer.hasSynced());
      assert.deepEqual(heard, ['add existing']);
      const created = await client.create(configMap('fresh', 'inf-basic', { v: '1' }));
      await client.update({ ...created, data: { v: '2' } });
      await client.delete(configMapType, 'existing', { namespace: 'inf-basic' });
      await waitFor('three events', () => heard.length === 4);
      assert.deepEqual(heard, ['add existing', 'add fresh', 'update fresh {"v":"2"}', 'delete existing']);
      assert.deepEqual(informer.get('inf-basic', 'fresh')?.data, { v: '2' });
      assert.equal(informer.get('inf-basic', 'existing'), undefined);
      await assertMatchesServer(informer, 'inf-basic');
    } finally {
      await informer.stop();
    }
  });

  it('a handler added after sync first hears the cached objects', async () => {
    await createNamespace('inf-late');
    await client.create(configMap('one', 'inf-late'));
    const { informer } = recordingInformer('inf-late');
    informer.start();
    try {
      await informer.waitForSync();
      const late: string[] = [];
      informer.addHandlers({ onAdd: (o) => late.push(o.metadata.name) });
      assert.deepEqual(late, ['one']);
    } finally {
      await informer.stop();
    }
  });

  it('watch stream cut mid-way: resumes from the last resourceVersion, losing and repeating nothing', async () => {
    await createNamespace('inf-cut');
    const { informer, heard } = recordingInformer('inf-cut');
    informer.start();
    try {
      await informer.waitForSync();
      await client.create(configMap('a', 'inf-cut', { v: '1' }));
      await client.create(configMap('b', 'inf-cut'));
      await waitFor('a and b', () => informer.list().length === 2);

      await api.stop();
      // Written while the informer is cut off: it must learn of these on resuming.
      await api.onSideServer(async (side) => {
        const a = await side.get<ConfigMap>(configMapType, 'a', { namespace: 'inf-cut' });
        await side.update({ ...a, data: { v: '2' } });
        await side.delete(configMapType, 'b', { namespace: 'inf-cut' });
        await side.create(configMap('c', 'inf-cut'));
      });
      await api.restart();
      await client.create(configMap('d', 'inf-cut'));

      await waitFor('the cache to catch up', () => informer.get('inf-cut', 'd') !== undefined);
      assert.deepEqual(heard, ['add a', 'add b', 'update a {"v":"2"}', 'delete b', 'add c', 'add d']);
      await assertMatchesServer(informer, 'inf-cut');
    } finally {
      await informer.stop();
    }
  });

  it('410 on resume: relists, reports the difference as events, and matches the server', async () => {
    await createNamespace('inf-gone');
    const logs: string[] = [];
    const { informer, heard } = recordingInformer('inf-gone', logs);
    await client.create(configMap('kept', 'inf-gone', { v: '1' }));
    await client.create(configMap('removed', 'inf-gone'));
    await client.create(configMap('untouched', 'inf-gone'));
    informer.start();
    try {
      await informer.waitForSync();
      heard.length = 0;

      await api.stop();
      await api.onSideServer(async (side, server) => {
        const kept = await side.get<ConfigMap>(configMapType, 'kept', { namespace: 'inf-gone' });
        await side.update({ ...kept, data: { v: '2' } });
        await side.delete(configMapType, 'removed', { namespace: 'inf-gone' });
        await side.create(configMap('added', 'inf-gone'));
        const last = await side.create(configMap('marker', 'default'));
        // The informer's resourceVersion is now older than anything the store keeps.
        await server.compact(Number(last.metadata.resourceVersion));
      });
      await api.restart();

      await waitFor('the relist', () => informer.get('inf-gone', 'added') !== undefined);
      assert.deepEqual([...heard].sort(), ['add added', 'delete removed', 'update kept {"v":"2"}']);
      await assertMatchesServer(informer, 'inf-gone');
      assert.ok(
        logs.some(
          (line) => (JSON.parse(line) as { msg: string }).msg === 'resourceVersion too old; relisting',
        ),
        `expected a relist log entry, got ${logs.join('')}`,
      );

      await client.create(configMap('after', 'inf-gone'));
      await waitFor('watching again after the relist', () => informer.get('inf-gone', 'after') !== undefined);
    } finally {
      await informer.stop();
    }
  });

  it('keeps retrying with backoff while the server is down, then syncs', async () => {
    await createNamespace('inf-down');
    await client.create(configMap('there', 'inf-down'));
    await api.stop();
    const logs: string[] = [];
    const { informer } = recordingInformer('inf-down', logs);
    informer.start();
    try {
      await waitFor('two failed lists', () => logs.length >= 2);
      assert.ok(!informer.hasSynced());
      const entry = JSON.parse(logs[0] ?? '{}') as Record<string, unknown>;
      assert.equal(entry.msg, 'list failed');
      assert.equal(entry.kind, 'ConfigMap');
      assert.equal(entry.namespace, 'inf-down');
      assert.match(String(entry.error), /ECONNREFUSED/);
      assert.equal(typeof entry.retryInMs, 'number');
      await api.restart();
      assert.ok(await informer.waitForSync());
      assert.ok(informer.get('inf-down', 'there'));
    } finally {
      await informer.stop();
    }
  });
});
