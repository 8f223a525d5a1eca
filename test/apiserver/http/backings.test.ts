import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWatch, request } from '../../support/http.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';

let api: TestApiServer;
const call = (method: string, path: string, body?: unknown) =>
  request(api.url, method, path, body === undefined ? {} : { body });
const cm = (name: string, value: string) => ({ metadata: { name }, data: { v: value } });

before(async () => {
  api = await startTestApiServer({ backend: 'memory' });
});
after(() => api.close());

describe('simulated hosts: a logical cluster serves the key space of its booted stateroot', () => {
  it('creates a logical cluster on demand, with the default namespaces', async () => {
    const created = await call('PUT', '/lcm/v1/clusters/sno1', { backing: 'sno1@rhcos_4.14' });
    assert.equal(created.status, 200);
    assert.deepEqual(created.body, { name: 'sno1', backing: 'sno1@rhcos_4.14', available: true });
    assert.equal((await call('GET', '/clusters/sno1/api/v1/namespaces/default')).status, 200);
  });

  it('copies a whole key space, and a reboot into it serves the copy; rebooting back returns the exact old state', async () => {
    await call('POST', '/clusters/sno1/api/v1/namespaces/default/configmaps', cm('app', 'old'));
    const dump = await call('GET', '/lcm/v1/backings/sno1@rhcos_4.14');
    const items = dump.body.items as { key: string; value: unknown }[];
    assert.ok(items.some((i) => i.key === 'core/configmaps/default/app'));
    assert.equal((await call('PUT', '/lcm/v1/backings/sno1@rhcos_4.16', { items })).status, 200);

    const watch = await openWatch(
      api.url,
      '/clusters/sno1/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1',
    );
    assert.equal(
      (await call('PUT', '/lcm/v1/clusters/sno1', { available: false, message: 'rebooting into rhcos_4.16' }))
        .status,
      200,
    );
    const during = await call('GET', '/clusters/sno1/api/v1/namespaces/default/configmaps/app');
    assert.equal(during.status, 503);
    assert.match(String(during.body.message), /cluster sno1 is unavailable: rebooting into rhcos_4.16/);
    await call('PUT', '/lcm/v1/clusters/sno1', { backing: 'sno1@rhcos_4.16', available: true });
    const events = await watch.next(2);
    assert.equal(events.at(-1)?.type, 'ERROR', 'open watches end with 410 so clients relist');
    assert.equal(events.at(-1)?.object.code, 410);

    await request(api.url, 'PATCH', '/clusters/sno1/api/v1/namespaces/default/configmaps/app', {
      body: { data: { v: 'new' } },
      contentType: 'application/merge-patch+json',
    });
    assert.deepEqual(
      (await call('GET', '/clusters/sno1/api/v1/namespaces/default/configmaps/app')).body.data,
      { v: 'new' },
    );
    await call('PUT', '/lcm/v1/clusters/sno1', { backing: 'sno1@rhcos_4.14' });
    assert.deepEqual(
      (await call('GET', '/clusters/sno1/api/v1/namespaces/default/configmaps/app')).body.data,
      { v: 'old' },
    );
  });

  it('refuses to drop the key space being served, and drops one that is not', async () => {
    const refused = await call('DELETE', '/lcm/v1/backings/sno1@rhcos_4.14');
    assert.equal(refused.status, 400);
    const dropped = await call('DELETE', '/lcm/v1/backings/sno1@rhcos_4.16');
    assert.equal(dropped.status, 200);
    assert.deepEqual((await call('GET', '/lcm/v1/backings/sno1@rhcos_4.16')).body.items, []);
  });

  it('refuses malformed backings', async () => {
    const reply = await call('PUT', '/lcm/v1/clusters/sno1', { backing: 'Bad/Name' });
    assert.equal(reply.status, 400);
  });
});
