/**
 * Real kubectl 1.33 against APIRequestCount as the embedded API server serves it (seed 001,
 * "APIRequestCount を使用して削除された API の使用状況を特定"): the listing with REMOVEDINRELEASE,
 * the seed's two jsonpath commands, logical clusters, and /metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlSession } from '../support/kubectl.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

let api: TestApiServer;
let kubeconfig: string;

const { kubectl, ok } = kubectlSession(() => ({ dir: api.dir, kubeconfig }));

const removedApis = String.raw`jsonpath={range .items[?(@.status.removedInRelease!="")]}{.status.removedInRelease}{"\t"}{.metadata.name}{"\n"}{end}`;
const usersOfApi = String.raw`jsonpath={range .status.currentHour..byUser[*]}{..byVerb[*].verb}{","}{.username}{","}{.userAgent}{"\n"}{end}`;

before(async () => {
  api = await startTestApiServer({
    backend: 'memory',
    clusters: ['spoke1'],
    serverName: 'master-0',
    requestCountFlushIntervalMs: 0,
  });
  kubeconfig = await api.writeKubeconfig();
  await ok(['create', 'configmap', 'settings', '--from-literal=a=1']);
  await ok(['get', 'configmaps']);
  await ok(['--as', 'alice', 'get', 'configmap', 'settings']);
  // A removed API: 404 here (this server is Kubernetes 1.33), counted as OpenShift counts it.
  const removed = await kubectl(['get', '--raw', '/apis/storage.k8s.io/v1beta1/csistoragecapacities']);
  assert.equal(removed.code, 1);
});
after(() => api.close());

describe('kubectl get apirequestcounts (memory backend)', () => {
  it('prints the seed columns with the counts of the requests just made', async () => {
    const lines = (await ok(['get', 'apirequestcounts'])).trimEnd().split('\n');
    assert.deepEqual(lines[0]?.split(/\s+/), [
      'NAME',
      'REMOVEDINRELEASE',
      'REQUESTSINCURRENTHOUR',
      'REQUESTSINLAST24H',
    ]);
    const rows = new Map(lines.slice(1).map((l) => [l.split(/\s+/)[0], l.split(/\s+/).slice(1)]));
    assert.deepEqual(rows.get('configmaps.v1'), ['3', '3']);
    assert.deepEqual(rows.get('csistoragecapacities.v1beta1.storage.k8s.io'), ['1.27', '1', '1']);
    assert.ok(rows.has('apirequestcounts.v1.apiserver.openshift.io'), lines.join('\n'));
  });

  it("lists the removed APIs in use with the seed's jsonpath", async () => {
    assert.equal(
      await ok(['get', 'apirequestcounts', '-o', removedApis]),
      '1.27\tcsistoragecapacities.v1beta1.storage.k8s.io\n',
    );
  });

  it("prints verbs, username and user agent of an API's users with the seed's jsonpath", async () => {
    const lines = (await ok(['get', 'apirequestcounts', 'configmaps.v1', '-o', usersOfApi]))
      .trimEnd()
      .split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0] ?? '', /^create list,system:admin,kubectl\/v1\.33\.\d+$/);
    assert.match(lines[1] ?? '', /^get,alice,kubectl\/v1\.33\.\d+$/);
    const removed = await ok([
      'get',
      'apirequestcounts',
      'csistoragecapacities.v1beta1.storage.k8s.io',
      '-o',
      usersOfApi,
    ]);
    assert.match(removed, /^list,system:admin,kubectl\/v1\.33\.\d+\n$/);
  });

  it('is served in every logical cluster, counting only that cluster’s requests', async () => {
    const resources = await ok([
      '--context',
      'spoke1',
      'api-resources',
      '--api-group=apiserver.openshift.io',
    ]);
    assert.match(resources, /^apirequestcounts\s+apiserver\.openshift\.io\/v1\s+false\s+APIRequestCount$/m);
    await ok(['--context', 'spoke1', 'get', 'secrets']);
    const spoke = await ok(['--context', 'spoke1', 'get', 'apirequestcounts', '-o', 'name']);
    assert.ok(spoke.includes('apirequestcount.apiserver.openshift.io/secrets.v1'), spoke);
    assert.ok(!spoke.includes('configmaps.v1'), spoke);
  });

  it('exposes the metrics the API-removal alerts read on /metrics', async () => {
    const metrics = await ok(['get', '--raw', '/metrics']);
    assert.match(
      metrics,
      /^apiserver_requested_deprecated_apis\{cluster="hub",group="storage\.k8s\.io",removed_release="1\.27",resource="csistoragecapacities",subresource="",version="v1beta1"\} 1$/m,
    );
    assert.match(
      metrics,
      /^apiserver_request_total\{cluster="hub",code="404",.*resource="csistoragecapacities",.*verb="LIST",version="v1beta1"\} 1$/m,
    );
    assert.match(
      metrics,
      /^apiserver_request_total\{cluster="hub",code="201",.*resource="configmaps",.*verb="POST",version="v1"\} 1$/m,
    );
  });
});
