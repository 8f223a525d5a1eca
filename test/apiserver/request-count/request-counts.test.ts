/**
 * APIRequestCount served by the API server itself: counting over HTTP, per logical cluster, hour
 * rollover with a manual clock, merging with other servers, restarts, /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { APIRequestCount } from '../../../src/api/apiserver/api-request-count.ts';
import { apiRequestCountKind } from '../../../src/api/apiserver/index.ts';
import { crdOf } from '../../../src/api/kind.ts';
import { startApiServer, type ApiServer } from '../../../src/apiserver/server.ts';
import { createMemoryStorage } from '../../../src/apiserver/storage/memory.ts';
import type { Storage } from '../../../src/apiserver/storage/types.ts';
import { ManualClock } from '../../../src/runtime/clock.ts';
import { eventually } from '../../support/http.ts';

const hourMs = 3_600_000;
const arcPath = '/apis/apiserver.openshift.io/v1/apirequestcounts';

interface Call {
  readonly method?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

async function send(base: string, path: string, call: Call = {}): Promise<{ status: number; body: unknown }> {
  const reply = await fetch(`${base}${path}`, {
    method: call.method ?? 'GET',
    headers: {
      'User-Agent': 'test-client/v1 (linux/amd64)',
      ...(call.body !== undefined ? { 'Content-Type': call.contentType ?? 'application/json' } : {}),
      ...call.headers,
    },
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  });
  const text = await reply.text();
  return { status: reply.status, body: text.startsWith('{') ? (JSON.parse(text) as unknown) : text };
}

async function arc(base: string, name: string): Promise<APIRequestCount> {
  const reply = await send(base, `${arcPath}/${name}`);
  assert.equal(reply.status, 200, `GET apirequestcount ${name}: ${JSON.stringify(reply.body)}`);
  return reply.body as APIRequestCount;
}

/** A user's requests this hour by verb, over all nodes and user agents. */
function verbsOf(object: Pick<APIRequestCount, 'status'>, username: string): Record<string, number> {
  const verbs: Record<string, number> = {};
  for (const user of object.status?.currentHour?.byNode?.flatMap((n) => n.byUser ?? []) ?? []) {
    if (user.username !== username) continue;
    for (const v of user.byVerb ?? []) verbs[v.verb] = (verbs[v.verb] ?? 0) + v.requestCount;
  }
  return verbs;
}

describe('APIRequestCount served by the API server', () => {
  let storage: Storage;
  let clock: ManualClock;
  let server: ApiServer;
  let url: string;

  const start = (name = 'master-0'): Promise<ApiServer> =>
    startApiServer({
      storage,
      clock,
      clusters: ['spoke1'],
      serverName: name,
      requestCountFlushIntervalMs: 0,
      tokenUsers: new Map([['sa-token', 'system:serviceaccount:openshift-lca:lca']]),
    });

  before(async () => {
    storage = createMemoryStorage();
    clock = new ManualClock(Date.UTC(2026, 0, 10, 5, 30));
    server = await start();
    url = server.url;
    await send(url, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: 'apps' } } });
  });
  after(async () => {
    await server.close();
    await storage.close();
  });

  it('is listed in discovery of every logical cluster, with no CRD installed', async () => {
    for (const base of [url, `${url}/clusters/spoke1`]) {
      const reply = await send(base, '/apis/apiserver.openshift.io/v1');
      assert.equal(reply.status, 200);
      const resources = (reply.body as { resources: { name: string; namespaced: boolean }[] }).resources;
      assert.deepEqual(
        resources.filter((r) => r.name.startsWith('apirequestcounts')).map((r) => [r.name, r.namespaced]),
        [
          ['apirequestcounts', false],
          ['apirequestcounts/status', false],
        ],
      );
    }
  });

  it('counts every verb by user and user agent, and a read right after the requests sees them', async () => {
    const base = '/api/v1/namespaces/apps/configmaps';
    const kubectl = { 'User-Agent': 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0' };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: '1' } };
    await send(url, base, { method: 'POST', body: cm, headers: kubectl });
    await send(url, `${base}/c1`, { headers: kubectl });
    await send(url, base, { headers: { ...kubectl, 'Impersonate-User': 'alice' } });
    await send(url, `${base}?watch=true&timeoutSeconds=1`, { headers: { 'Impersonate-User': 'alice' } });
    await send(url, `${base}/c1`, {
      method: 'PATCH',
      body: { data: { b: '2' } },
      contentType: 'application/merge-patch+json',
      headers: { Authorization: 'Bearer sa-token' },
    });
    const current = (await send(url, `${base}/c1`)).body as { metadata: { resourceVersion: string } };
    await send(url, `${base}/c1`, { method: 'PUT', body: { ...cm, metadata: current.metadata } });
    await send(url, `${base}/c1`, { method: 'DELETE' });
    await send(url, base, { method: 'DELETE' });

    const object = await arc(url, 'configmaps.v1');
    assert.deepEqual(verbsOf(object, 'system:admin'), {
      create: 1,
      delete: 1,
      deletecollection: 1,
      get: 2,
      update: 1,
    });
    assert.deepEqual(verbsOf(object, 'alice'), { list: 1, watch: 1 });
    assert.deepEqual(verbsOf(object, 'system:serviceaccount:openshift-lca:lca'), { patch: 1 });
    const users = object.status?.currentHour?.byNode?.[0]?.byUser ?? [];
    assert.deepEqual(
      users.map((u) => [u.username, u.userAgent, u.requestCount]),
      [
        ['system:admin', 'test-client/v1', 4],
        ['system:admin', 'kubectl/v1.33.1', 2],
        ['alice', 'kubectl/v1.33.1', 1],
        ['alice', 'test-client/v1', 1],
        ['system:serviceaccount:openshift-lca:lca', 'test-client/v1', 1],
      ],
    );
    assert.equal(object.status?.currentHour?.byNode?.[0]?.nodeName, 'master-0');
    assert.equal(object.status?.currentHour?.requestCount, 9);
    assert.equal(object.status?.requestCount, 9);
    assert.equal(object.status?.last24h?.[5]?.requestCount, 9);
    assert.equal(object.spec?.numberOfUsersToReport, 10);
  });

  it('keeps counts per logical cluster', async () => {
    await send(`${url}/clusters/spoke1`, '/api/v1/namespaces/default/secrets');
    await send(`${url}/clusters/spoke1`, '/api/v1/namespaces/default/secrets');
    const spoke = await arc(`${url}/clusters/spoke1`, 'secrets.v1');
    assert.equal(spoke.status?.requestCount, 2);
    assert.equal((await send(url, `${arcPath}/secrets.v1`)).status, 404);
  });

  it('does not count its own writes: only reads of apirequestcounts count for apirequestcounts', async () => {
    const name = 'apirequestcounts.v1.apiserver.openshift.io';
    const first = (await arc(url, name)).status?.requestCount ?? 0;
    await server.requestCounts.flush();
    await server.requestCounts.flush();
    const second = (await arc(url, name)).status?.requestCount ?? 0;
    assert.equal(second, first + 1);
  });

  it('counts requests to versions the server does not serve, with the release that removed them', async () => {
    const reply = await send(url, '/apis/storage.k8s.io/v1beta1/csistoragecapacities');
    assert.equal(reply.status, 404);
    const object = await arc(url, 'csistoragecapacities.v1beta1.storage.k8s.io');
    assert.equal(object.status?.removedInRelease, '1.27');
    assert.equal(
      object.metadata?.labels?.['apirequestcounts.apiserver.openshift.io/removedInRelease'],
      '1.27',
    );
    assert.deepEqual(verbsOf(object, 'system:admin'), { list: 1 });
    assert.equal((await arc(url, 'configmaps.v1')).status?.removedInRelease, undefined);
  });

  it('reports the top numberOfUsersToReport users only', async () => {
    await send(url, `${arcPath}/configmaps.v1`, {
      method: 'PATCH',
      body: { spec: { numberOfUsersToReport: 2 } },
      contentType: 'application/merge-patch+json',
    });
    await send(url, '/api/v1/namespaces/apps/configmaps');
    const object = await arc(url, 'configmaps.v1');
    assert.equal(object.status?.currentHour?.byNode?.[0]?.byUser?.length, 2);
    assert.equal(object.status?.currentHour?.requestCount, 10);
    const refused = await send(url, `${arcPath}/configmaps.v1`, {
      method: 'PATCH',
      body: { spec: { numberOfUsersToReport: 101 } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(refused.status, 422);
    assert.match(JSON.stringify(refused.body), /numberOfUsersToReport/);
  });

  describe('as the hours pass', () => {
    beforeEach(async () => {
      await send(url, `${arcPath}/configmaps.v1`, {
        method: 'PATCH',
        body: { spec: { numberOfUsersToReport: 10 } },
        contentType: 'application/merge-patch+json',
      });
    });

    it('moves the current hour into last24h, and rotates objects nobody requested since', async () => {
      const before = (await arc(url, 'configmaps.v1')).status;
      const secretsBefore = (await arc(`${url}/clusters/spoke1`, 'secrets.v1')).status;
      clock.advance(hourMs);
      await send(url, '/api/v1/namespaces/apps/configmaps', { headers: { 'Impersonate-User': 'carol' } });
      const status = (await arc(url, 'configmaps.v1')).status;
      assert.equal(status?.currentHour?.requestCount, 1);
      assert.deepEqual(verbsOf({ status }, 'carol'), { list: 1 });
      assert.deepEqual(status?.last24h?.[5], before?.last24h?.[5]);
      assert.equal(status?.last24h?.[6]?.requestCount, 1);
      assert.equal(status?.requestCount, (before?.requestCount ?? 0) + 1);
      const secrets = (await arc(`${url}/clusters/spoke1`, 'secrets.v1')).status;
      assert.equal(secrets?.currentHour?.requestCount, 0);
      assert.equal(secrets?.requestCount, secretsBefore?.requestCount);
    });

    it('drops hours older than 24 hours', async () => {
      clock.advance(23 * hourMs);
      const status = (await arc(url, 'configmaps.v1')).status;
      assert.equal(status?.currentHour?.requestCount, 0, "yesterday's 05:00 is gone: it is 05:00 again");
      assert.equal(status?.last24h?.[6]?.requestCount, 1, "yesterday's 06:00 is within the last 24 hours");
      assert.equal(status?.requestCount, 1);
      clock.advance(2 * hourMs);
      const later = (await arc(url, 'configmaps.v1')).status;
      assert.equal(later?.requestCount, 0);
    });
  });

  it('merges with the counts another server writes to the same store, and survives a restart', async () => {
    const other = await start('master-1');
    try {
      await send(other.url, '/api/v1/namespaces/apps/configmaps', {
        headers: { 'Impersonate-User': 'dave' },
      });
      await send(url, '/api/v1/namespaces/apps/configmaps', { headers: { 'Impersonate-User': 'erin' } });
      await Promise.all([other.requestCounts.flush(), server.requestCounts.flush()]);
      const status = (await arc(url, 'configmaps.v1')).status;
      assert.deepEqual(
        status?.currentHour?.byNode?.map((n) => [n.nodeName, n.byUser?.map((u) => u.username)]),
        [
          ['master-0', ['erin']],
          ['master-1', ['dave']],
        ],
      );
    } finally {
      await other.close();
    }
    const before = (await arc(url, 'configmaps.v1')).status;
    await send(url, '/api/v1/namespaces/apps/configmaps', { headers: { 'Impersonate-User': 'frank' } });
    await server.close();
    server = await start();
    url = server.url;
    const after = (await arc(url, 'configmaps.v1')).status;
    // frank's list was written on close; this read adds nothing to configmaps.
    assert.equal(after?.requestCount, (before?.requestCount ?? 0) + 1);
    assert.deepEqual(verbsOf({ status: after }, 'frank'), { list: 1 });
  });

  it('ignores a CRD for apirequestcounts: the built-in keeps serving', async () => {
    const created = await send(url, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      method: 'POST',
      body: crdOf(apiRequestCountKind),
    });
    assert.equal(created.status, 201);
    const group = await send(url, '/apis/apiserver.openshift.io/v1');
    const names = (group.body as { resources: { name: string }[] }).resources.map((r) => r.name);
    assert.deepEqual(names, ['apirequestcounts', 'apirequestcounts/status']);
    await send(url, '/api/v1/namespaces/apps/configmaps');
    assert.ok(((await arc(url, 'configmaps.v1')).status?.requestCount ?? 0) > 0);
    const crdPath =
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/apirequestcounts.apiserver.openshift.io';
    const deleted = await send(url, crdPath, { method: 'DELETE' });
    assert.ok(deleted.status === 200 || deleted.status === 202);
    await eventually(async () => assert.equal((await send(url, crdPath)).status, 404));
    assert.ok(((await arc(url, 'configmaps.v1')).status?.requestCount ?? 0) > 0, 'the built-in objects stay');
  });

  it('exposes apiserver_request_total and apiserver_requested_deprecated_apis on /metrics, by cluster', async () => {
    await send(`${url}/clusters/spoke1`, '/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas', {
      headers: { 'User-Agent': 'kube-controller-manager/v1.26.5+0abcdef (linux/amd64)' },
    });
    const all = await fetch(`${url}/metrics`);
    assert.equal(all.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await all.text();
    assert.match(
      text,
      /^apiserver_request_total\{cluster="hub",code="200",.*resource="configmaps".*verb="LIST",version="v1"\} \d+$/m,
    );
    assert.match(
      text,
      /^apiserver_request_total\{cluster="spoke1",code="404",.*group="flowcontrol.apiserver.k8s.io",resource="flowschemas",.*system_client="kube-controller-manager",verb="LIST",version="v1beta2"\} 1$/m,
    );
    assert.match(
      text,
      /^apiserver_requested_deprecated_apis\{cluster="spoke1",group="flowcontrol.apiserver.k8s.io",removed_release="1.29",resource="flowschemas",subresource="",version="v1beta2"\} 1$/m,
    );
    const spoke = await (await fetch(`${url}/clusters/spoke1/metrics`)).text();
    assert.ok(!spoke.includes('cluster="hub"'));
    assert.ok(spoke.includes('cluster="spoke1"'));
  });
});

describe('APIRequestCount writes racing another writer', () => {
  it('re-reads and merges on a conflict instead of losing either side', async () => {
    const storage = createMemoryStorage();
    let raced = false;
    // The first write of configmaps.v1's counts loses a race against another server's write.
    const racing: Storage = Object.assign(Object.create(storage) as Storage, {
      update: async (key: string, value: string, expected: number) => {
        if (!raced && key.endsWith('/apirequestcounts/configmaps.v1')) {
          raced = true;
          const current = await storage.get(key);
          const object = JSON.parse(current?.value ?? '{}') as APIRequestCount;
          const hour = object.status?.currentHour;
          const competing = { nodeName: 'master-9', requestCount: 7 };
          const index = new Date().getUTCHours();
          object.status!.last24h![index] = {
            requestCount: (hour?.requestCount ?? 0) + 7,
            byNode: [...(hour?.byNode ?? []), competing],
          };
          await storage.update(key, JSON.stringify(object), current?.modRevision ?? 0);
        }
        return storage.update(key, value, expected);
      },
    });
    const server = await startApiServer({
      storage: racing,
      serverName: 'master-0',
      requestCountFlushIntervalMs: 0,
    });
    try {
      await send(server.url, '/api/v1/namespaces/default/configmaps');
      await server.requestCounts.flush();
      await send(server.url, '/api/v1/namespaces/default/configmaps');
      const object = await arc(server.url, 'configmaps.v1');
      assert.ok(raced, 'the race was run');
      assert.deepEqual(
        object.status?.currentHour?.byNode?.map((n) => [n.nodeName, n.requestCount]),
        [
          ['master-0', 2],
          ['master-9', 7],
        ],
      );
      assert.equal(object.status?.currentHour?.requestCount, 9);
    } finally {
      await server.close();
      await storage.close();
    }
  });
});
