import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd } from '../../../src/lab/etcd-server.ts';
import { eventually, openWatch, request } from '../../support/http.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';

let api: TestApiServer;

before(async () => {
  api = await startTestApiServer({ backend: 'etcd', etcdRequestTimeoutMs: 800 });
});
after(() => api.close());

const cm = (name: string) => ({ metadata: { name }, data: { a: '1' } });

describe('when etcd goes away', () => {
  it('answers 503 saying the storage is unavailable, and recovers without a restart when etcd returns', async () => {
    const etcd = api.etcd;
    assert.ok(etcd);
    process.kill(etcd.pid, 'SIGSTOP');
    try {
      const reply = await request(api.url, 'GET', '/api/v1/namespaces/default/configmaps');
      assert.equal(reply.status, 503);
      assert.equal(reply.body.reason, 'ServiceUnavailable');
      assert.match(String(reply.body.message), /etcd is unavailable/);
      assert.equal(reply.headers['retry-after'], '1');
      const ready = await request(api.url, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.match(ready.text, /etcd failed/);
    } finally {
      process.kill(etcd.pid, 'SIGCONT');
    }
    await eventually(
      async () => assert.equal((await request(api.url, 'GET', '/readyz')).status, 200),
      10_000,
    );
    const created = await request(api.url, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: cm('after-pause'),
    });
    assert.equal(created.status, 201);
  });

  it('keeps open watches: a write after etcd restarts is delivered exactly once', async () => {
    const first = await request(api.url, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: cm('before-restart'),
    });
    const rv = (first.body.metadata as { resourceVersion: string }).resourceVersion;
    const watch = await openWatch(
      api.url,
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
    );
    const old = api.etcd;
    assert.ok(old);
    await old.stop();
    const down = await request(api.url, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: cm('while-down'),
    });
    assert.equal(down.status, 503);
    api.etcd = await startEtcd({ dataDir: old.dataDir, clientPort: old.clientPort, peerPort: old.peerPort });
    await eventually(async () => {
      const reply = await request(api.url, 'POST', '/api/v1/namespaces/default/configmaps', {
        body: cm('after-restart'),
      });
      assert.ok(reply.status === 201 || reply.status === 409, reply.text);
    }, 15_000);
    const [event] = await watch.next(1, 10_000);
    assert.equal(event?.type, 'ADDED');
    assert.equal(event?.object.metadata?.name, 'after-restart');
    await assert.rejects(watch.next(1, 500), /got 0/, 'no duplicate delivery');
    watch.close();
    assert.equal(
      (await request(api.url, 'GET', '/api/v1/namespaces/default/configmaps/while-down')).status,
      404,
      'the refused write stored nothing',
    );
  });
});
