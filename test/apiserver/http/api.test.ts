import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, openWatch, request, type Reply } from '../../support/http.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';

let api: TestApiServer;
let url: string;
const call = (method: string, path: string, body?: unknown, contentType?: string): Promise<Reply> =>
  request(url, method, path, {
    ...(body !== undefined ? { body } : {}),
    ...(contentType ? { contentType } : {}),
  });

const cm = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extra },
  data: { a: '1' },
});

before(async () => {
  api = await startTestApiServer({ backend: 'memory', clusters: ['spoke1'], bookmarkIntervalMs: 200 });
  url = api.url;
  await call('POST', '/api/v1/namespaces', { metadata: { name: 'apps' } });
});
after(() => api.close());

describe('server basics', () => {
  it('answers /version, /healthz, /readyz and /livez', async () => {
    const version = await call('GET', '/version');
    assert.equal(version.status, 200);
    assert.equal(version.body.major, '1');
    for (const path of ['/healthz', '/readyz', '/livez']) assert.equal((await call('GET', path)).text, 'ok');
  });

  it('binds loopback only by default', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves legacy discovery with verbs, short names and subresources', async () => {
    const core = await call('GET', '/api/v1');
    const resources = core.body.resources as { name: string; shortNames?: string[]; verbs: string[] }[];
    assert.deepEqual(resources.find((r) => r.name === 'configmaps')?.shortNames, ['cm']);
    assert.ok(resources.some((r) => r.name === 'namespaces/status'));
    const apps = await call('GET', '/apis/apps/v1');
    const names = (apps.body.resources as { name: string }[]).map((r) => r.name);
    assert.ok(names.includes('deployments/scale'));
    const groups = await call('GET', '/apis');
    assert.ok((groups.body.groups as { name: string }[]).some((g) => g.name === 'apiextensions.k8s.io'));
  });

  it('serves aggregated discovery when asked, with its content type', async () => {
    const reply = await request(url, 'GET', '/apis', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    assert.match(String(reply.headers['content-type']), /as=APIGroupDiscoveryList/);
    const items = reply.body.items as {
      metadata: { name: string };
      versions: { resources: { resource: string; scope: string }[] }[];
    }[];
    const apps = items.find((i) => i.metadata.name === 'apps');
    assert.equal(apps?.versions[0]?.resources.find((r) => r.resource === 'deployments')?.scope, 'Namespaced');
  });

  it('serves /openapi/v3 with per group-version documents that advertise fieldValidation', async () => {
    const index = await call('GET', '/openapi/v3');
    const paths = index.body.paths as Record<string, { serverRelativeURL: string }>;
    const core = paths['api/v1'];
    assert.ok(core);
    const doc = await call('GET', core.serverRelativeURL);
    const docPaths = doc.body.paths as Record<string, { patch?: { parameters: { name: string }[] } }>;
    assert.ok(
      docPaths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch?.parameters.some(
        (p) => p.name === 'fieldValidation',
      ),
    );
  });
});

describe('create', () => {
  it('fills uid, creationTimestamp and resourceVersion', async () => {
    const reply = await call('POST', '/api/v1/namespaces/apps/configmaps', cm('created'));
    assert.equal(reply.status, 201);
    const meta = reply.body.metadata as Record<string, string>;
    assert.match(meta.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(meta.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(meta.resourceVersion ?? '', /^\d+$/);
  });

  it('generates a name from generateName', async () => {
    const reply = await call('POST', '/api/v1/namespaces/apps/configmaps', {
      ...cm(''),
      metadata: { generateName: 'gen-' },
    });
    assert.equal(reply.status, 201);
    assert.match((reply.body.metadata as { name: string }).name, /^gen-[a-z0-9]{5}$/);
  });

  it('refuses a duplicate with 409 AlreadyExists', async () => {
    await call('POST', '/api/v1/namespaces/apps/configmaps', cm('dup'));
    const reply = await call('POST', '/api/v1/namespaces/apps/configmaps', cm('dup'));
    assert.equal(reply.status, 409);
    assert.equal(reply.body.reason, 'AlreadyExists');
    assert.equal(reply.body.message, 'configmaps "dup" already exists');
  });

  it('refuses bad input with a clear 4xx Status and stores nothing', async () => {
    const before = await call('GET', '/api/v1/namespaces/apps/configmaps');
    const count = (before.body.items as unknown[]).length;
    const bad: [string, unknown, string | undefined, number, RegExp][] = [
      ['/api/v1/namespaces/apps/configmaps', '{"metadata": {', 'application/json', 400, /not valid JSON/],
      [
        '/api/v1/namespaces/apps/configmaps',
        cm('Bad_Name'),
        undefined,
        422,
        /metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
      ],
      [
        '/api/v1/namespaces/apps/configmaps',
        { ...cm('x'), kind: 'Secret' },
        undefined,
        400,
        /kind in the data \(Secret\) does not match/,
      ],
      [
        '/api/v1/namespaces/apps/configmaps',
        cm('x', { namespace: 'other' }),
        undefined,
        400,
        /namespace of the provided object does not match/,
      ],
      [
        '/api/v1/namespaces/apps/configmaps',
        { ...cm('x'), metadata: { name: 'x', labels: { 'bad key!': 'v' } } },
        undefined,
        422,
        /metadata\.labels/,
      ],
      ['/api/v1/namespaces/missing/configmaps', cm('x'), undefined, 404, /namespaces "missing" not found/],
    ];
    for (const [path, body, contentType, code, message] of bad) {
      const reply =
        typeof body === 'string'
          ? await request(url, 'POST', path, { raw: body, contentType: contentType ?? 'application/json' })
          : await call('POST', path, body);
      assert.equal(reply.status, code, `${JSON.stringify(body)} → ${reply.text}`);
      assert.equal(reply.body.kind, 'Status');
      assert.match(String(reply.body.message), message);
    }
    const afterList = await call('GET', '/api/v1/namespaces/apps/configmaps');
    assert.equal((afterList.body.items as unknown[]).length, count);
  });

  it('refuses bodies over 3 MiB with 413', async () => {
    const big = { ...cm('big'), data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } };
    const reply = await call('POST', '/api/v1/namespaces/apps/configmaps', big);
    assert.equal(reply.status, 413);
    assert.equal(reply.body.reason, 'RequestEntityTooLarge');
    assert.equal((await call('GET', '/api/v1/namespaces/apps/configmaps/big')).status, 404);
  });

  it('accepts YAML bodies', async () => {
    const reply = await request(url, 'POST', '/api/v1/namespaces/apps/configmaps', {
      raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n',
      contentType: 'application/yaml',
    });
    assert.equal(reply.status, 201);
  });

  it("turns a Secret's stringData into base64 data", async () => {
    const reply = await call('POST', '/api/v1/namespaces/apps/secrets', {
      metadata: { name: 's' },
      stringData: { password: 'hunter2' },
    });
    assert.deepEqual(reply.body.data, { password: Buffer.from('hunter2').toString('base64') });
    assert.equal(reply.body.stringData, undefined);
    assert.equal(reply.body.type, 'Opaque');
  });
});

describe('update', () => {
  it('refuses a stale resourceVersion with 409 Conflict', async () => {
    const created = await call('POST', '/api/v1/namespaces/apps/configmaps', cm('cas'));
    const stale = created.body;
    const first = await call('PUT', '/api/v1/namespaces/apps/configmaps/cas', { ...stale, data: { a: '2' } });
    assert.equal(first.status, 200);
    const second = await call('PUT', '/api/v1/namespaces/apps/configmaps/cas', {
      ...stale,
      data: { a: '3' },
    });
    assert.equal(second.status, 409);
    assert.equal(second.body.reason, 'Conflict');
    assert.match(String(second.body.message), /the object has been modified/);
  });

  it('bumps generation on spec changes only, and keeps status on the main resource', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen' },
      spec: {
        selector: { matchLabels: { app: 'g' } },
        template: { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } },
      },
      status: { replicas: 99 },
    };
    const created = await call('POST', '/apis/apps/v1/namespaces/apps/deployments', deployment);
    assert.equal((created.body.metadata as { generation: number }).generation, 1);
    assert.equal(created.body.status, undefined, 'status is not set on create');
    const labelled = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/apps/deployments/gen',
      { metadata: { labels: { x: 'y' } } },
      'application/merge-patch+json',
    );
    assert.equal((labelled.body.metadata as { generation: number }).generation, 1);
    const status = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/apps/deployments/gen/status',
      { status: { replicas: 1 } },
      'application/merge-patch+json',
    );
    assert.equal((status.body.metadata as { generation: number }).generation, 1);
    assert.deepEqual(status.body.status, { replicas: 1 });
    const scaled = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/apps/deployments/gen',
      { spec: { replicas: 4 }, status: { replicas: 7 } },
      'application/merge-patch+json',
    );
    assert.equal((scaled.body.metadata as { generation: number }).generation, 2);
    assert.deepEqual(scaled.body.status, { replicas: 1 }, 'the main resource cannot change status');
  });

  it('serves the scale subresource of a deployment', async () => {
    const scale = await call('GET', '/apis/apps/v1/namespaces/apps/deployments/gen/scale');
    assert.equal(scale.body.kind, 'Scale');
    assert.deepEqual(scale.body.spec, { replicas: 4 });
    assert.equal((scale.body.status as { selector: string }).selector, 'app=g');
    const patched = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/apps/deployments/gen/scale',
      { spec: { replicas: 6 } },
      'application/merge-patch+json',
    );
    assert.deepEqual(patched.body.spec, { replicas: 6 });
  });

  it('applies JSON patches and reports a failed test op as 422', async () => {
    await call('POST', '/api/v1/namespaces/apps/configmaps', cm('jp'));
    const ok = await call(
      'PATCH',
      '/api/v1/namespaces/apps/configmaps/jp',
      [{ op: 'add', path: '/data/b', value: '2' }],
      'application/json-patch+json',
    );
    assert.deepEqual(ok.body.data, { a: '1', b: '2' });
    const failed = await call(
      'PATCH',
      '/api/v1/namespaces/apps/configmaps/jp',
      [{ op: 'test', path: '/data/a', value: 'nope' }],
      'application/json-patch+json',
    );
    assert.equal(failed.status, 422);
  });

  it('refuses strategic merge patch for custom resources with 415, as Kubernetes does', async () => {
    // Built-in kinds accept it (checked in the patch tests); see the CRD suite for custom resources.
    const reply = await call(
      'PATCH',
      '/api/v1/namespaces/apps/configmaps/jp',
      { data: { c: '3' } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.data, { a: '1', b: '2', c: '3' });
  });
});

describe('list', () => {
  before(async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'listing' } });
    for (let i = 0; i < 7; i++) {
      await call(
        'POST',
        '/api/v1/namespaces/listing/configmaps',
        cm(`item-${i}`, {
          labels: { parity: i % 2 === 0 ? 'even' : 'odd', ...(i === 3 ? { special: 'yes' } : {}) },
        }),
      );
    }
  });

  it('filters by label and field selectors', async () => {
    const even = await call('GET', '/api/v1/namespaces/listing/configmaps?labelSelector=parity%3Deven');
    assert.equal((even.body.items as unknown[]).length, 4);
    const set = await call(
      'GET',
      `/api/v1/namespaces/listing/configmaps?labelSelector=${encodeURIComponent('parity in (odd),!special')}`,
    );
    assert.deepEqual(
      (set.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name),
      ['item-1', 'item-5'],
    );
    const byName = await call('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Ditem-2');
    assert.deepEqual(
      (byName.body.items as { metadata: { namespace: string } }[]).map((i) => i.metadata.namespace),
      ['listing'],
    );
  });

  it('pages with limit and continue at one consistent revision', async () => {
    const seen: string[] = [];
    let next = '';
    let pages = 0;
    let revision = '';
    do {
      const reply = await call(
        'GET',
        `/api/v1/namespaces/listing/configmaps?limit=3${next ? `&continue=${next}` : ''}`,
      );
      const meta = reply.body.metadata as { continue?: string; resourceVersion: string };
      if (pages === 0) {
        revision = meta.resourceVersion;
        await call('POST', '/api/v1/namespaces/listing/configmaps', cm('item-late'));
      } else assert.equal(meta.resourceVersion, revision);
      seen.push(...(reply.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name));
      next = meta.continue ?? '';
      pages++;
    } while (next !== '');
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['item-0', 'item-1', 'item-2', 'item-3', 'item-4', 'item-5', 'item-6']);
  });

  it("renders Tables with the kind's columns", async () => {
    const reply = await request(url, 'GET', '/api/v1/namespaces/listing/configmaps?limit=1', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    assert.equal(reply.body.kind, 'Table');
    assert.deepEqual(
      (reply.body.columnDefinitions as { name: string }[]).map((c) => c.name),
      ['Name', 'Data', 'Age'],
    );
    assert.deepEqual((reply.body.rows as { cells: unknown[] }[])[0]?.cells.slice(0, 2), ['item-0', 1]);
  });
});

describe('watch', () => {
  it('streams changes after a resourceVersion and resumes from one', async () => {
    const created = await call('POST', '/api/v1/namespaces/apps/configmaps', cm('watched'));
    const rv = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    const watch = await openWatch(url, `/api/v1/namespaces/apps/configmaps?watch=true&resourceVersion=${rv}`);
    await call(
      'PATCH',
      '/api/v1/namespaces/apps/configmaps/watched',
      { data: { a: '2' } },
      'application/merge-patch+json',
    );
    await call('DELETE', '/api/v1/namespaces/apps/configmaps/watched');
    const events = await watch.next(2);
    assert.deepEqual(
      events.map((e) => e.type),
      ['MODIFIED', 'DELETED'],
    );
    watch.close();
    const resumed = await openWatch(
      url,
      `/api/v1/namespaces/apps/configmaps?watch=true&resourceVersion=${rv}`,
    );
    assert.deepEqual(
      (await resumed.next(2)).map((e) => e.type),
      ['MODIFIED', 'DELETED'],
      'resume replays what followed',
    );
    resumed.close();
  });

  it('starts with ADDED events for the current state when no resourceVersion is given', async () => {
    const watch = await openWatch(
      url,
      '/api/v1/namespaces/listing/configmaps?watch=true&labelSelector=special%3Dyes',
    );
    const [event] = await watch.next(1);
    assert.equal(event?.type, 'ADDED');
    assert.equal(event?.object.metadata?.name, 'item-3');
    watch.close();
  });

  it('sends bookmarks and the initial-events-end bookmark', async () => {
    const watch = await openWatch(
      url,
      '/api/v1/namespaces/listing/configmaps?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&labelSelector=special%3Dyes',
    );
    const [added, end] = await watch.next(2);
    assert.equal(added?.type, 'ADDED');
    assert.equal(end?.type, 'BOOKMARK');
    assert.deepEqual(end?.object.metadata?.annotations, { 'k8s.io/initial-events-end': 'true' });
    const [periodic] = await watch.next(1, 3000);
    assert.equal(periodic?.type, 'BOOKMARK');
    watch.close();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const watch = await openWatch(
      url,
      '/api/v1/namespaces/apps/configmaps?watch=true&resourceVersion=1&timeoutSeconds=1',
    );
    await watch.ended;
  });

  it('answers a resume from compacted history with 410 Gone', async () => {
    const old = await call('POST', '/api/v1/namespaces/apps/configmaps', cm('old'));
    const oldRv = Number((old.body.metadata as { resourceVersion: string }).resourceVersion);
    for (let i = 0; i < 3; i++) await call('POST', '/api/v1/namespaces/apps/configmaps', cm(`newer-${i}`));
    const current = await api.storage.currentRevision();
    await api.server.compact(current);
    const watch = await openWatch(
      url,
      `/api/v1/namespaces/apps/configmaps?watch=true&resourceVersion=${oldRv}`,
    );
    const [event] = await watch.next(1);
    assert.equal(event?.type, 'ERROR');
    assert.equal(event?.object.code, 410);
    const list = await call(
      'GET',
      `/api/v1/namespaces/apps/configmaps?resourceVersion=${oldRv}&resourceVersionMatch=Exact`,
    );
    assert.equal(list.status, 410);
    assert.equal(list.body.reason, 'Expired');
  });
});

describe('deletion', () => {
  it('keeps an object with finalizers until they are removed', async () => {
    await call(
      'POST',
      '/api/v1/namespaces/apps/configmaps',
      cm('guarded', { finalizers: ['lcm.io/cleanup'] }),
    );
    const deleting = await call('DELETE', '/api/v1/namespaces/apps/configmaps/guarded');
    assert.equal(deleting.status, 202);
    const still = await call('GET', '/api/v1/namespaces/apps/configmaps/guarded');
    assert.ok((still.body.metadata as { deletionTimestamp?: string }).deletionTimestamp);
    await call(
      'PATCH',
      '/api/v1/namespaces/apps/configmaps/guarded',
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    assert.equal((await call('GET', '/api/v1/namespaces/apps/configmaps/guarded')).status, 404);
  });

  const owned = async (owner: string, dependent: string): Promise<void> => {
    const created = await call('POST', '/api/v1/namespaces/apps/configmaps', cm(owner));
    const uid = (created.body.metadata as { uid: string }).uid;
    await call(
      'POST',
      '/api/v1/namespaces/apps/configmaps',
      cm(dependent, {
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid, blockOwnerDeletion: true },
        ],
      }),
    );
  };

  it('collects dependents of a deleted owner in the background', async () => {
    await owned('owner-bg', 'dep-bg');
    await call('DELETE', '/api/v1/namespaces/apps/configmaps/owner-bg');
    await eventually(async () =>
      assert.equal((await call('GET', '/api/v1/namespaces/apps/configmaps/dep-bg')).status, 404),
    );
  });

  it('deletes dependents first in the foreground', async () => {
    await owned('owner-fg', 'dep-fg');
    const reply = await call(
      'DELETE',
      '/api/v1/namespaces/apps/configmaps/owner-fg?propagationPolicy=Foreground',
    );
    assert.deepEqual((reply.body.metadata as { finalizers: string[] }).finalizers, ['foregroundDeletion']);
    await eventually(async () => {
      assert.equal((await call('GET', '/api/v1/namespaces/apps/configmaps/dep-fg')).status, 404);
      assert.equal((await call('GET', '/api/v1/namespaces/apps/configmaps/owner-fg')).status, 404);
    });
  });

  it('orphans dependents when asked', async () => {
    await owned('owner-or', 'dep-or');
    await call('DELETE', '/api/v1/namespaces/apps/configmaps/owner-or', {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Orphan',
    });
    await eventually(async () =>
      assert.equal((await call('GET', '/api/v1/namespaces/apps/configmaps/owner-or')).status, 404),
    );
    const dependent = await call('GET', '/api/v1/namespaces/apps/configmaps/dep-or');
    assert.equal(dependent.status, 200);
    assert.equal((dependent.body.metadata as { ownerReferences?: unknown }).ownerReferences, undefined);
  });

  it('deleting a namespace deletes its contents, and refuses new content meanwhile', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await call('POST', '/api/v1/namespaces/doomed/configmaps', cm('inside', { finalizers: ['lcm.io/slow'] }));
    await call('POST', '/api/v1/namespaces/doomed/secrets', { metadata: { name: 'secret' } });
    const deleting = await call('DELETE', '/api/v1/namespaces/doomed');
    assert.equal((deleting.body.status as { phase: string }).phase, 'Terminating');
    const refused = await call('POST', '/api/v1/namespaces/doomed/configmaps', cm('late'));
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /because it is being terminated/);
    await eventually(async () =>
      assert.equal((await call('GET', '/api/v1/namespaces/doomed/secrets/secret')).status, 404),
    );
    assert.equal(
      (await call('GET', '/api/v1/namespaces/doomed')).status,
      200,
      'waits for the finalizer of its content',
    );
    await call(
      'PATCH',
      '/api/v1/namespaces/doomed/configmaps/inside',
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    await eventually(async () => assert.equal((await call('GET', '/api/v1/namespaces/doomed')).status, 404));
  });
});

describe('logical clusters', () => {
  it('keep their objects apart', async () => {
    await call('POST', '/clusters/spoke1/api/v1/namespaces/default/configmaps', cm('only-in-spoke'));
    assert.equal(
      (await call('GET', '/clusters/spoke1/api/v1/namespaces/default/configmaps/only-in-spoke')).status,
      200,
    );
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/only-in-spoke')).status, 404);
  });

  it('each starts with the default namespaces', async () => {
    const reply = await call('GET', '/clusters/spoke1/api/v1/namespaces');
    const names = (reply.body.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('an unknown cluster is a 404 that says how to serve it', async () => {
    const reply = await call('GET', '/clusters/nope/api/v1/namespaces');
    assert.equal(reply.status, 404);
    assert.match(String(reply.body.message), /logical cluster "nope" does not exist/);
  });
});
