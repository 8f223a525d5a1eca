import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../../src/client/client.ts';
import { kubeClusterReader, NotServedError } from '../../../src/readiness/report/cluster-reader.ts';
import { probeCluster } from '../../../src/readiness/report/probe-cluster.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';

let api: TestApiServer;
let client: KubeClient;

describe('the cluster reader against a real API server', () => {
  before(async () => {
    api = await startTestApiServer();
    client = await KubeClient.fromKubeconfig(await api.writeKubeconfig());
    for (let i = 0; i < 7; i++)
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: 'default' },
      });
  });
  after(async () => {
    client.close();
    await api.close();
  });

  it('lists every page and shares one list per kind between callers', async () => {
    const reader = kubeClusterReader(client, { pageSize: 3 });
    const type = { apiVersion: 'v1', kind: 'ConfigMap' };
    const first = reader.list(type, 'default');
    assert.equal(reader.list(type, 'default'), first);
    assert.deepEqual(
      (await first)
        .map((c) => c.metadata.name)
        .filter((n) => n.startsWith('cm-'))
        .sort(),
      ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6'],
    );
  });

  it('get answers undefined for a missing object and NotServedError for a kind the cluster lacks', async () => {
    const reader = kubeClusterReader(client);
    assert.equal(await reader.get({ apiVersion: 'v1', kind: 'ConfigMap' }, 'nope', 'default'), undefined);
    await assert.rejects(
      reader.list({ apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfigPool' }),
      (error: unknown) =>
        error instanceof NotServedError &&
        error.message ===
          'the cluster does not serve MachineConfigPool (machineconfiguration.openshift.io/v1)',
    );
  });

  it('the probe finds the cluster reachable with no version when it has no ClusterVersion', async () => {
    assert.deepEqual(await probeCluster(client, kubeClusterReader(client)), {
      reachable: true,
      currentVersion: undefined,
    });
  });

  it('the probe says plainly that a cluster is unreachable', async () => {
    const dead = new KubeClient({ ...client.settings, server: 'http://127.0.0.1:1' });
    const probe = await probeCluster(dead, kubeClusterReader(dead));
    assert.equal(probe.reachable, false);
    assert.match(
      probe.reachable ? '' : probe.reason,
      /^cannot reach the cluster at http:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\)/,
    );
    dead.close();
  });
});
