/**
 * The official @kubernetes/client-node, unchanged, against the embedded API server on both
 * storage backends: typed CRUD, optimistic concurrency, custom resources, watches, informers,
 * pagination and logical clusters, all through a kubeconfig the server wrote.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Polls until `check` returns true; fails naming `what` after `timeoutMs`. */
async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** client-node hands error bodies back as text (or already parsed, for some operations). */
function statusOf(error: unknown): { code: number; reason: unknown; message: unknown } {
  assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
  const raw: unknown = error.body;
  const body = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
  assert.equal(body.kind, 'Status');
  return { code: error.code, reason: body.reason, message: body.message };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the call succeeded but was expected to fail');
}

/**
 * client-node 1.x refuses `http:` servers unless the cluster entry says `insecure-skip-tls-verify:
 * true`. The first test pins whether the server's own kubeconfig says so; every other test opts in
 * here so that one missing flag does not hide every other behaviour.
 */
function loadKubeconfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  kc.clusters = kc.clusters.map((cluster) =>
    cluster.server.startsWith('http:') ? { ...cluster, skipTLSVerify: true } : cluster,
  );
  return kc;
}

function configMap(name: string, data: Record<string, string>): V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

for (const backend of ['memory', 'etcd'] as const) {
  describe(`@kubernetes/client-node against the API server on ${backend}`, () => {
    let api: TestApiServer;
    let kc: KubeConfig;
    let core: CoreV1Api;

    /** A fresh namespace per test keeps watch and list expectations independent of the others. */
    async function freshNamespace(prefix: string): Promise<string> {
      const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
      await core.createNamespace({ body: { metadata: { name } } });
      return name;
    }

    before(async () => {
      api = await startTestApiServer({ backend, clusters: ['spoke1'] });
      kc = loadKubeconfig(await api.writeKubeconfig());
      core = kc.makeApiClient(CoreV1Api);
    });

    after(async () => {
      await api.close();
    });

    it('accepts the kubeconfig the server writes, as written, over plain http', async () => {
      const asWritten = new KubeConfig();
      asWritten.loadFromFile(await api.writeKubeconfig());
      const namespaces = await asWritten.makeApiClient(CoreV1Api).listNamespace();
      assert.ok(namespaces.items.some((ns) => ns.metadata?.name === 'default'));
    });

    it('creates, reads, replaces, merge-patches, lists and deletes a ConfigMap', async () => {
      const namespace = await freshNamespace('crud');
      const created = await core.createNamespacedConfigMap({
        namespace,
        body: configMap('settings', { a: '1' }),
      });
      assert.equal(created.metadata?.namespace, namespace);
      assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(created.metadata?.creationTimestamp instanceof Date);
      const createdVersion = created.metadata?.resourceVersion ?? '';
      assert.match(createdVersion, /^\d+$/);

      const read = await core.readNamespacedConfigMap({ name: 'settings', namespace });
      assert.deepEqual(read.data, { a: '1' });
      assert.equal(read.metadata?.uid, created.metadata?.uid);
      assert.equal(read.metadata?.resourceVersion, createdVersion);

      read.data = { a: 'one' };
      const replaced = await core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: read });
      assert.deepEqual(replaced.data, { a: 'one' });
      assert.ok(Number(replaced.metadata?.resourceVersion) > Number(createdVersion));

      const patched = await core.patchNamespacedConfigMap(
        { name: 'settings', namespace, body: { data: { b: '2' }, metadata: { labels: { tier: 'x' } } } },
        mergePatch,
      );
      assert.deepEqual(patched.data, { a: 'one', b: '2' });
      assert.deepEqual(patched.metadata?.labels, { tier: 'x' });
      assert.ok(Number(patched.metadata?.resourceVersion) > Number(replaced.metadata?.resourceVersion));

      const list = await core.listNamespacedConfigMap({ namespace });
      assert.deepEqual(
        list.items.map((item) => [item.metadata?.name, item.data]),
        [['settings', { a: 'one', b: '2' }]],
      );
      assert.ok(Number(list.metadata?.resourceVersion) >= Number(patched.metadata?.resourceVersion));
      const selected = await core.listNamespacedConfigMap({ namespace, labelSelector: 'tier=y' });
      assert.equal(selected.items.length, 0);

      await core.deleteNamespacedConfigMap({ name: 'settings', namespace });
      const gone = statusOf(await rejection(core.readNamespacedConfigMap({ name: 'settings', namespace })));
      assert.equal(gone.code, 404);
      assert.equal((await core.listNamespacedConfigMap({ namespace })).items.length, 0);
    });

    it('refuses a replace carrying a stale resourceVersion with 409 Conflict', async () => {
      const namespace = await freshNamespace('conflict');
      const first = await core.createNamespacedConfigMap({ namespace, body: configMap('cm', { v: '1' }) });
      await core.replaceNamespacedConfigMap({
        name: 'cm',
        namespace,
        body: { ...first, data: { v: '2' } },
      });
      const status = statusOf(
        await rejection(
          core.replaceNamespacedConfigMap({
            name: 'cm',
            namespace,
            body: { ...first, data: { v: 'stale' } },
          }),
        ),
      );
      assert.equal(status.code, 409);
      assert.equal(status.reason, 'Conflict');
      assert.match(String(status.message), /the object has been modified/);
      const current = await core.readNamespacedConfigMap({ name: 'cm', namespace });
      assert.deepEqual(current.data, { v: '2' });
    });

    it('answers 404 NotFound for a ConfigMap that does not exist', async () => {
      const status = statusOf(
        await rejection(core.readNamespacedConfigMap({ name: 'no-such-thing', namespace: 'default' })),
      );
      assert.equal(status.code, 404);
      assert.equal(status.reason, 'NotFound');
      assert.equal(status.message, 'configmaps "no-such-thing" not found');
    });

    it('creates a Deployment through AppsV1Api and reads it back', async () => {
      const apps = kc.makeApiClient(AppsV1Api);
      const namespace = await freshNamespace('apps');
      const labels = { app: 'web' };
      const created = await apps.createNamespacedDeployment({
        namespace,
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          spec: {
            replicas: 2,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] },
            },
          },
        },
      });
      assert.equal(created.metadata?.generation, 1);
      const read = await apps.readNamespacedDeployment({ name: 'web', namespace });
      assert.equal(read.spec?.replicas, 2);
      assert.equal(read.spec?.template.spec?.containers[0]?.image, 'registry.example/web:1');
      const listed = await apps.listNamespacedDeployment({ namespace });
      assert.deepEqual(
        listed.items.map((d) => d.metadata?.name),
        ['web'],
      );
    });

    it('serves a CRD created through ApiextensionsV1Api to CustomObjectsApi, status subresource included', async () => {
      const extensions = kc.makeApiClient(ApiextensionsV1Api);
      const custom = kc.makeApiClient(CustomObjectsApi);
      const group = 'lab.lcm.example';
      await extensions.createCustomResourceDefinition({
        body: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: `widgets.${group}` },
          spec: {
            group,
            scope: 'Namespaced',
            names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                subresources: { status: {} },
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    properties: {
                      spec: { type: 'object', properties: { size: { type: 'integer' } } },
                      status: { type: 'object', properties: { phase: { type: 'string' } } },
                    },
                  },
                },
              },
            ],
          },
        },
      });
      await waitFor('the CRD to be Established', async () => {
        const crd = await extensions.readCustomResourceDefinition({ name: `widgets.${group}` });
        return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
      });

      const namespace = await freshNamespace('crd');
      const plural = 'widgets';
      const version = 'v1';
      const created = (await custom.createNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
      })) as KubernetesObject & { spec?: { size?: number } };
      assert.equal(created.kind, 'Widget');
      assert.equal(created.spec?.size, 3);

      const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as {
        kind?: string;
        items: KubernetesObject[];
      };
      assert.equal(list.kind, 'WidgetList');
      assert.deepEqual(
        list.items.map((i) => i.metadata?.name),
        ['w1'],
      );

      const withStatus = (await custom.patchNamespacedCustomObjectStatus(
        {
          group,
          version,
          namespace,
          plural,
          name: 'w1',
          // The spec change must be ignored: the status subresource only writes status.
          body: { status: { phase: 'Ready' }, spec: { size: 99 } },
        },
        mergePatch,
      )) as KubernetesObject & { spec?: { size?: number }; status?: { phase?: string } };
      assert.equal(withStatus.status?.phase, 'Ready');
      assert.equal(withStatus.spec?.size, 3);

      const read = (await custom.getNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: 'w1',
      })) as {
        status?: { phase?: string };
      };
      assert.equal(read.status?.phase, 'Ready');
    });

    it('delivers ADDED, MODIFIED and DELETED for a ConfigMap to a Watch', async () => {
      const namespace = await freshNamespace('watch');
      const events: string[] = [];
      let ended: unknown = 'open';
      const watch = new Watch(kc);
      const controller = await watch.watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        {},
        (phase, object: V1ConfigMap) => {
          events.push(`${phase} ${object.metadata?.name} ${object.data?.v}`);
        },
        (error: unknown) => {
          ended = error;
        },
      );
      try {
        // watch() resolves once the response headers arrived: every later write must reach it.
        await core.createNamespacedConfigMap({ namespace, body: configMap('w', { v: '1' }) });
        await core.patchNamespacedConfigMap({ name: 'w', namespace, body: { data: { v: '2' } } }, mergePatch);
        await core.deleteNamespacedConfigMap({ name: 'w', namespace });
        await waitFor('three watch events', () => events.length >= 3);
        assert.deepEqual(events, ['ADDED w 1', 'MODIFIED w 2', 'DELETED w 2']);
        assert.equal(ended, 'open');
      } finally {
        controller.abort();
      }
    });

    it('keeps an informer cache in step with adds, updates and deletes', async () => {
      const namespace = await freshNamespace('informer');
      await core.createNamespacedConfigMap({ namespace, body: configMap('before', { v: '0' }) });
      const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${namespace}/configmaps`, () =>
        core.listNamespacedConfigMap({ namespace }),
      );
      const seen: string[] = [];
      const errors: unknown[] = [];
      informer.on('add', (cm) => seen.push(`add ${cm.metadata?.name}`));
      informer.on('update', (cm) => seen.push(`update ${cm.metadata?.name} ${cm.data?.v}`));
      informer.on('delete', (cm) => seen.push(`delete ${cm.metadata?.name}`));
      informer.on('error', (error) => errors.push(error));
      await informer.start();
      try {
        await waitFor('the initial list', () => seen.includes('add before'));
        assert.equal(informer.get('before', namespace)?.data?.v, '0');

        await core.createNamespacedConfigMap({ namespace, body: configMap('during', { v: '1' }) });
        await waitFor('the add event', () => seen.includes('add during'));
        assert.deepEqual(
          informer
            .list(namespace)
            .map((cm) => cm.metadata?.name)
            .sort(),
          ['before', 'during'],
        );

        await core.patchNamespacedConfigMap(
          { name: 'during', namespace, body: { data: { v: '2' } } },
          mergePatch,
        );
        await waitFor('the update event', () => seen.includes('update during 2'));
        assert.equal(informer.get('during', namespace)?.data?.v, '2');

        await core.deleteNamespacedConfigMap({ name: 'before', namespace });
        await waitFor('the delete event', () => seen.includes('delete before'));
        assert.deepEqual(
          informer.list(namespace).map((cm) => cm.metadata?.name),
          ['during'],
        );
        assert.deepEqual(errors, []);
      } finally {
        await informer.stop();
      }
    });

    it('pages a list with limit and _continue without losing or repeating items', async () => {
      const namespace = await freshNamespace('paging');
      const names = Array.from({ length: 7 }, (_, i) => `cm-${i}`);
      for (const name of names)
        await core.createNamespacedConfigMap({ namespace, body: configMap(name, {}) });

      const pages: string[][] = [];
      let token: string | undefined;
      let firstVersion: string | undefined;
      do {
        const page = await core.listNamespacedConfigMap({ namespace, limit: 3, _continue: token });
        pages.push(page.items.map((item) => item.metadata?.name ?? ''));
        firstVersion ??= page.metadata?.resourceVersion;
        // Every page of one paged list is read at the first page's revision.
        assert.equal(page.metadata?.resourceVersion, firstVersion);
        token = page.metadata?._continue || undefined;
        // A write between pages must not show up in the rest of the paged list.
        if (pages.length === 1)
          await core.createNamespacedConfigMap({ namespace, body: configMap('cm-9-late', {}) });
      } while (token !== undefined);
      assert.deepEqual(pages, [['cm-0', 'cm-1', 'cm-2'], ['cm-3', 'cm-4', 'cm-5'], ['cm-6']]);
    });

    it('counts the items left after each page of an unfiltered paged list (remainingItemCount)', async () => {
      const namespace = await freshNamespace('remaining');
      for (let i = 0; i < 5; i++)
        await core.createNamespacedConfigMap({ namespace, body: configMap(`cm-${i}`, {}) });
      const first = await core.listNamespacedConfigMap({ namespace, limit: 2 });
      assert.equal(first.metadata?.remainingItemCount, 3);
      const second = await core.listNamespacedConfigMap({
        namespace,
        limit: 2,
        _continue: first.metadata?._continue,
      });
      assert.equal(second.metadata?.remainingItemCount, 1);
      const last = await core.listNamespacedConfigMap({
        namespace,
        limit: 2,
        _continue: second.metadata?._continue,
      });
      assert.equal(last.metadata?.remainingItemCount, undefined);
      assert.ok(!last.metadata?._continue);
      // With a selector the count would be a guess, so upstream leaves it out.
      const filtered = await core.listNamespacedConfigMap({ namespace, limit: 2, labelSelector: '!absent' });
      assert.ok(filtered.metadata?._continue);
      assert.equal(filtered.metadata?.remainingItemCount, undefined);
    });

    it('lists ConfigMaps whose total size exceeds 4 MiB (a gRPC default receive limit)', async () => {
      const namespace = await freshNamespace('big');
      const value = 'x'.repeat(900 * 1024);
      for (let i = 0; i < 6; i++)
        await core.createNamespacedConfigMap({ namespace, body: configMap(`big-${i}`, { value }) });
      const list = await core.listNamespacedConfigMap({ namespace });
      assert.equal(list.items.length, 6);
      assert.ok(list.items.every((item) => item.data?.value?.length === value.length));
    });

    it('talks to an isolated logical cluster after setCurrentContext', async () => {
      const spokeConfig = loadKubeconfig(await api.writeKubeconfig());
      spokeConfig.setCurrentContext('spoke1');
      assert.equal(spokeConfig.getCurrentCluster()?.server, `${api.url}/clusters/spoke1`);
      const spoke = spokeConfig.makeApiClient(CoreV1Api);

      await spoke.createNamespacedConfigMap({
        namespace: 'default',
        body: configMap('same-name', { side: 'spoke' }),
      });
      const onHub = statusOf(
        await rejection(core.readNamespacedConfigMap({ name: 'same-name', namespace: 'default' })),
      );
      assert.equal(onHub.code, 404);

      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: configMap('same-name', { side: 'hub' }),
      });
      assert.deepEqual(
        (await spoke.readNamespacedConfigMap({ name: 'same-name', namespace: 'default' })).data,
        { side: 'spoke' },
      );
      assert.deepEqual(
        (await core.readNamespacedConfigMap({ name: 'same-name', namespace: 'default' })).data,
        {
          side: 'hub',
        },
      );

      const hubOnly = await freshNamespace('hub-only');
      const spokeNamespaces = (await spoke.listNamespace()).items.map((ns) => ns.metadata?.name);
      assert.ok(spokeNamespaces.includes('default'));
      assert.ok(!spokeNamespaces.includes(hubOnly), `${hubOnly} leaked into spoke1`);
    });
  });
}
