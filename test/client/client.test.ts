/** The typed client against the embedded API server (memory backend). */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/client/client.ts';
import { NoKindMatchError } from '../../src/client/discovery.ts';
import {
  ApiStatusError,
  ConnectionError,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
} from '../../src/client/errors.ts';
import type { KubeObject, WatchEvent } from '../../src/client/object.ts';
import { retryOnConflict } from '../../src/client/retry.ts';
import { RestartableApi } from '../runtime/restartable-api.ts';
import { installWidgetCrd, widget, widgetType, type Widget } from '../runtime/widget-crd.ts';

type ConfigMap = KubeObject & { data?: Record<string, string> };
const configMapType = { apiVersion: 'v1', kind: 'ConfigMap' } as const;
const configMap = (
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
): ConfigMap => ({
  ...configMapType,
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

let api: RestartableApi;
let client: KubeClient;

before(async () => {
  api = await RestartableApi.start({ clusters: ['spoke'] });
  client = await api.client();
  await installWidgetCrd(client);
});
after(async () => {
  client.close();
  await api.close();
});

async function failure(promise: Promise<unknown>): Promise<ApiStatusError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiStatusError, `expected ApiStatusError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded but was expected to fail');
}

/** Collects events from a watch until `count` arrived or the stream ended. */
async function collect<T extends KubeObject>(
  events: AsyncIterable<WatchEvent<T>>,
  count = Infinity,
): Promise<WatchEvent<T>[]> {
  const seen: WatchEvent<T>[] = [];
  for await (const event of events) {
    seen.push(event);
    if (seen.length >= count) break;
  }
  return seen;
}

describe('KubeClient CRUD', () => {
  it('creates, reads, updates and deletes a typed object in the default namespace', async () => {
    const created = await client.create(configMap('crud', { a: '1' }));
    assert.equal(created.metadata.namespace, 'default');
    assert.ok(created.metadata.uid);
    const read = await client.get<ConfigMap>(configMapType, 'crud');
    assert.deepEqual(read.data, { a: '1' });
    const updated = await client.update({ ...read, data: { a: '2' } });
    assert.notEqual(updated.metadata.resourceVersion, read.metadata.resourceVersion);
    assert.deepEqual(updated.data, { a: '2' });
    await client.delete(configMapType, 'crud');
    assert.ok(isNotFound(await failure(client.get(configMapType, 'crud'))));
  });

  it('reports 404 and 409 AlreadyExists with their reasons', async () => {
    const missing = await failure(client.get(configMapType, 'never-made', { namespace: 'kube-system' }));
    assert.equal(missing.code, 404);
    assert.equal(missing.reason, 'NotFound');
    assert.match(missing.message, /configmaps "never-made" not found/);
    await client.create(configMap('twice'));
    const again = await failure(client.create(configMap('twice')));
    assert.ok(isAlreadyExists(again));
    assert.ok(!isConflict(again), 'AlreadyExists is not a Conflict');
  });

  it('creates with generateName', async () => {
    const created = await client.create<ConfigMap>({
      ...configMapType,
      metadata: { name: '', generateName: 'gen-' },
    });
    assert.match(created.metadata.name, /^gen-.+/);
  });

  it('lists by label and field selector, pages with limit and continue, and fills in kinds', async () => {
    for (const n of [1, 2, 3, 4, 5]) await client.create(configMap(`page-${n}`, {}, { suite: 'paging' }));
    await client.create(configMap('other', {}, { suite: 'else' }));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.list<ConfigMap>(configMapType, {
        namespace: 'default',
        labelSelector: 'suite=paging',
        limit: 2,
        ...(token ? { continue: token } : {}),
      });
      pages++;
      for (const item of page.items) {
        assert.equal(item.kind, 'ConfigMap');
        assert.equal(item.apiVersion, 'v1');
        names.push(item.metadata.name);
      }
      token = page.metadata.continue;
    } while (token);
    assert.deepEqual(names, ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
    assert.equal(pages, 3);
    const byName = await client.list(configMapType, { fieldSelector: 'metadata.name=page-3' });
    assert.deepEqual(
      byName.items.map((i) => i.metadata.name),
      ['page-3'],
    );
  });

  it('updates status through the status subresource only', async () => {
    const created = await client.create(widget('status-only', { size: 2 }));
    const written = await client.updateStatus<Widget>({
      ...created,
      spec: { size: 99 },
      status: { observedGeneration: 1 },
    });
    assert.equal(written.status?.observedGeneration, 1);
    assert.equal(written.spec?.size, 2, 'the spec is not written through /status');
  });
});

describe('KubeClient patches', () => {
  it('applies merge, JSON and strategic merge patches', async () => {
    await client.create(configMap('patched', { a: '1' }));
    const merged = await client.patch<ConfigMap>(
      configMapType,
      'patched',
      { data: { b: '2' } },
      { type: 'merge' },
    );
    assert.deepEqual(merged.data, { a: '1', b: '2' });
    const json = await client.patch<ConfigMap>(
      configMapType,
      'patched',
      [
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'remove', path: '/data/a' },
      ],
      { type: 'json' },
    );
    assert.deepEqual(json.data, { b: '2' });
    const strategic = await client.patch<ConfigMap>(
      configMapType,
      'patched',
      { metadata: { labels: { tier: 'x' } } },
      { type: 'strategic' },
    );
    assert.deepEqual(strategic.metadata.labels, { tier: 'x' });
  });

  it('server-side applies with a field manager, creating the object when missing', async () => {
    const applied = await client.patch<ConfigMap>(
      configMapType,
      'applied',
      { ...configMapType, metadata: { name: 'applied' }, data: { k: 'v' } },
      { type: 'apply', fieldManager: 'lcm-test', force: true },
    );
    assert.deepEqual(applied.data, { k: 'v' });
    await assert.rejects(
      client.patch(configMapType, 'applied', {}, { type: 'apply' }),
      /needs a fieldManager/,
    );
  });

  it('patches the status subresource of a custom resource', async () => {
    await client.create(widget('patch-status'));
    const patched = await client.patch<Widget>(
      widgetType,
      'patch-status',
      { status: { observedGeneration: 7 } },
      { type: 'merge', subresource: 'status' },
    );
    assert.equal(patched.status?.observedGeneration, 7);
  });
});

describe('KubeClient deletes', () => {
  it('refuses a delete whose resourceVersion precondition is stale', async () => {
    const created = await client.create(configMap('guarded'));
    await client.update({ ...created, data: { changed: 'yes' } });
    const refused = await failure(
      client.delete(configMapType, 'guarded', {
        preconditions: { resourceVersion: created.metadata.resourceVersion ?? '' },
      }),
    );
    assert.ok(isConflict(refused));
    await client.delete(configMapType, 'guarded', { propagationPolicy: 'Background' });
  });

  it('returns the object while finalizers keep it', async () => {
    await client.create({
      ...configMap('held'),
      metadata: { name: 'held', finalizers: ['test.lcm.io/hold'] },
    });
    const pending = await client.delete<ConfigMap>(configMapType, 'held', {
      propagationPolicy: 'Foreground',
    });
    assert.ok(pending?.metadata.deletionTimestamp, 'the object is still there, marked for deletion');
    await client.patch(configMapType, 'held', { metadata: { finalizers: null } }, { type: 'merge' });
    assert.ok(isNotFound(await failure(client.get(configMapType, 'held'))));
  });
});

describe('KubeClient optimistic concurrency', () => {
  it('two writers: the stale one gets 409, retries from a fresh read, and both changes are kept', async () => {
    await client.create(configMap('contended', {}));
    const writerA = await api.client();
    const writerB = await api.client();
    try {
      const seenByA = await writerA.get<ConfigMap>(configMapType, 'contended');
      const seenByB = await writerB.get<ConfigMap>(configMapType, 'contended');
      await writerA.update({ ...seenByA, data: { ...seenByA.data, a: 'from A' } });
      const conflict = await failure(writerB.update({ ...seenByB, data: { ...seenByB.data, b: 'from B' } }));
      assert.equal(conflict.code, 409);
      assert.ok(isConflict(conflict));
      let attempts = 0;
      await retryOnConflict(async () => {
        attempts++;
        const fresh = attempts === 1 ? seenByB : await writerB.get<ConfigMap>(configMapType, 'contended');
        return writerB.update({ ...fresh, data: { ...fresh.data, b: 'from B' } });
      });
      assert.equal(attempts, 2, 'the stale write failed once, the fresh one succeeded');
      const final = await client.get<ConfigMap>(configMapType, 'contended');
      assert.deepEqual(final.data, { a: 'from A', b: 'from B' });
    } finally {
      writerA.close();
      writerB.close();
    }
  });
});

describe('KubeClient watch', () => {
  it('resumes after a resourceVersion: only later events, in order, typed', async () => {
    const first = await client.create(configMap('w-1'));
    await client.create(configMap('w-2'));
    await client.delete(configMapType, 'w-1');
    const events = await collect(
      client.watch<ConfigMap>(configMapType, {
        namespace: 'default',
        resourceVersion: first.metadata.resourceVersion ?? '',
        fieldSelector: 'metadata.name!=other',
      }),
      2,
    );
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'w-2'],
        ['DELETED', 'w-1'],
      ],
    );
  });

  it('ends cleanly when the server ends the stream (timeoutSeconds)', async () => {
    const list = await client.list(configMapType, { namespace: 'default' });
    const started = Date.now();
    const events = await collect(
      client.watch(configMapType, {
        namespace: 'default',
        resourceVersion: list.metadata.resourceVersion,
        timeoutSeconds: 1,
      }),
    );
    assert.deepEqual(events, []);
    assert.ok(Date.now() - started < 4000);
  });

  it('ends when its AbortSignal aborts', async () => {
    const abort = new AbortController();
    const list = await client.list(configMapType, { namespace: 'default' });
    const watching = collect(
      client.watch(configMapType, { resourceVersion: list.metadata.resourceVersion, signal: abort.signal }),
    );
    setTimeout(() => abort.abort(), 100);
    assert.deepEqual(await watching, []);
  });

  it('throws 410 Gone as a typed error when the resourceVersion was compacted', async () => {
    const old = await client.create(configMap('before-compaction'));
    await client.create(configMap('compacted-away'));
    const latest = await client.create(configMap('after-compaction'));
    // Compaction keeps the revision it is done at: resuming after `old` needs the one before.
    await api.server.compact(Number(latest.metadata.resourceVersion));
    const error = await failure(
      collect(
        client.watch(configMapType, {
          resourceVersion: old.metadata.resourceVersion ?? '',
          timeoutSeconds: 5,
        }),
      ),
    );
    assert.ok(isGone(error));
    assert.equal(error.code, 410);
    assert.equal(error.reason, 'Expired');
  });
});

describe('KubeClient discovery', () => {
  it('resolves a kind to its resource and scope', async () => {
    const info = await client.resourceFor('coordination.k8s.io/v1', 'Lease');
    assert.equal(info.resource, 'leases');
    assert.equal(info.namespaced, true);
    assert.equal((await client.resourceFor('v1', 'Namespace')).namespaced, false);
    assert.deepEqual((await client.resourceFor(widgetType.apiVersion, widgetType.kind)).subresources, [
      'status',
    ]);
  });

  it('finds a kind whose CRD was installed after the group was first read', async () => {
    const gadgets = { apiVersion: 'test.lcm.io/v1', kind: 'Gadget' } as const;
    await assert.rejects(client.get(gadgets, 'g'), NoKindMatchError);
    await client.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.test.lcm.io' },
      spec: {
        group: 'test.lcm.io',
        scope: 'Cluster',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    const info = await client.resourceFor(gadgets.apiVersion, gadgets.kind);
    assert.equal(info.resource, 'gadgets');
    assert.equal(info.namespaced, false);
    const made = await client.create<KubeObject>({ ...gadgets, metadata: { name: 'g' } });
    assert.equal(made.metadata.namespace, undefined, 'cluster-scoped: no namespace added');
  });

  it('rejects a kind the server does not serve, naming it', async () => {
    await assert.rejects(
      client.resourceFor('nope.lcm.io/v1', 'Nothing'),
      /no matches for kind "Nothing" in version "nope.lcm.io\/v1"/,
    );
  });
});

describe('KubeClient logical clusters', () => {
  it('keeps objects of the same name apart per cluster, through one kubeconfig', async () => {
    const clusters = await api.clusterSet();
    try {
      assert.deepEqual(clusters.names().sort(), ['hub', 'spoke']);
      const spoke = clusters.client('spoke');
      assert.match(spoke.server, /\/clusters\/spoke$/);
      await spoke.create(configMap('per-cluster', { where: 'spoke' }));
      await clusters.client('hub').create(configMap('per-cluster', { where: 'hub' }));
      const fromSpoke = await spoke.get<ConfigMap>(configMapType, 'per-cluster');
      assert.deepEqual(fromSpoke.data, { where: 'spoke' });
      assert.throws(() => clusters.client('edge'), /no cluster "edge" in this set \(clusters: hub, spoke\)/);
    } finally {
      clusters.close();
    }
  });
});

describe('KubeClient transport', () => {
  let silent: Server;
  let silentUrl: string;
  before(async () => {
    // Accepts requests and never answers them.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  after(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  const stuck = (): KubeClient =>
    new KubeClient(
      { context: 'stuck', server: silentUrl, namespace: 'default', insecureSkipTlsVerify: false },
      { timeoutMs: 200 },
    );

  it('gives up after the per-request timeout with a ConnectionError naming the request', async () => {
    const c = stuck();
    try {
      await assert.rejects(c.resourceFor('v1', 'ConfigMap'), (error: unknown) => {
        assert.ok(error instanceof ConnectionError);
        assert.match(error.message, /GET \/api\/v1: no answer within 200 ms/);
        return true;
      });
    } finally {
      c.close();
    }
  });

  it('cancels a request through its AbortSignal', async () => {
    const c = new KubeClient(client.settings);
    try {
      await c.resourceFor('v1', 'ConfigMap');
      const abort = new AbortController();
      abort.abort(new Error('caller gave up'));
      await assert.rejects(c.get(configMapType, 'x', { signal: abort.signal }), /caller gave up/);
    } finally {
      c.close();
    }
  });
});
