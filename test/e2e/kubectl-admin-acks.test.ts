/**
 * Seed 001, 2.1.2.4 with real kubectl against the embedded API server and the simulated Cluster
 * Version Operator running in-process: a 4.13 cluster is not upgradeable until the administrator
 * acknowledges the Kubernetes 1.27 API removals in `admin-acks`; a minor update asked for before
 * that is refused, and proceeds after it; a patch update proceeds regardless.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clusterOperatorKind, clusterVersionKind } from '../../src/api/config/index.ts';
import type { ClusterOperatorStatusCondition } from '../../src/api/config/cluster-version.ts';
import { kube127ApiRemovalsAck } from '../../src/api/config/constants.ts';
import { crdOf } from '../../src/api/kind.ts';
import { KubeClient } from '../../src/client/client.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { clusterVersionController, type CvoStatus } from '../../src/controllers/clusterversion/index.ts';
import {
  bootstrapClusterVersion,
  kube128ApiRemovalsAck,
  labAdminGates,
} from '../../src/lab/cluster-version.ts';
import type { Controller } from '../../src/runtime/controller.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { kubectlSession } from '../support/kubectl.ts';

const types = {
  clusterVersion: { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion' },
  clusterOperator: { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator' },
} as const;

const image = (version: string): string => `quay.io/openshift-release-dev/ocp-release:${version}-x86_64`;
const updateDurationMs = 1500;

let api: TestApiServer;
let kubeconfig: string;
let client: KubeClient;
let controller: Controller;
const { ok } = kubectlSession(() => ({ dir: api.dir, kubeconfig }));

type ServedClusterVersion = KubeObject<unknown, CvoStatus>;

async function clusterVersion(): Promise<ServedClusterVersion> {
  return client.get<ServedClusterVersion>(types.clusterVersion, 'version');
}

function conditionOf(cv: ServedClusterVersion, type: string): ClusterOperatorStatusCondition | undefined {
  return cv.status?.conditions?.find((c) => c.type === type);
}

async function until(
  what: string,
  probe: (cv: ServedClusterVersion) => boolean,
  timeoutMs = 15_000,
): Promise<ServedClusterVersion> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cv = await clusterVersion();
    if (probe(cv)) return cv;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; status: ${JSON.stringify(cv.status, null, 2)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function desiredUpdate(version: string): string {
  return JSON.stringify({ spec: { desiredUpdate: { version, image: image(version) } } });
}

/** kubectl get's rows as whitespace-separated cells, header included. */
function rows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('kubectl: admin acks gate minor updates (seed 001, 2.1.2.4)', { timeout: 90_000 }, () => {
  before(async () => {
    api = await startTestApiServer();
    kubeconfig = await api.writeKubeconfig();
    client = new KubeClient({
      context: 'hub',
      server: api.url,
      namespace: 'default',
      insecureSkipTlsVerify: false,
    });
    for (const kind of [clusterVersionKind, clusterOperatorKind])
      await client.create(crdOf(kind) as unknown as KubeObject);
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await client.list(types.clusterOperator);
        await client.list(types.clusterVersion);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await bootstrapClusterVersion(client, { version: '4.13.30', channel: 'stable-4.14' });
    controller = clusterVersionController({ updateDurationMs });
    controller.start([{ name: 'hub', client }]);
  });

  after(async () => {
    await controller.stop();
    client.close();
    await api.close();
  });

  it('a fresh 4.13 cluster reports Upgradeable=False AdminAckRequired with the gate description', async () => {
    const cv = await until('Upgradeable=False', (c) => conditionOf(c, 'Upgradeable')?.status === 'False');
    const upgradeable = conditionOf(cv, 'Upgradeable');
    assert.equal(upgradeable?.reason, 'AdminAckRequired');
    assert.equal(upgradeable?.message, labAdminGates[kube127ApiRemovalsAck]);
    const reason = await ok([
      'get',
      'clusterversion',
      'version',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Upgradeable")].reason}',
    ]);
    assert.equal(reason, 'AdminAckRequired');
    const table = rows(await ok(['get', 'clusterversion']));
    assert.deepEqual(table[0], ['NAME', 'VERSION', 'AVAILABLE', 'PROGRESSING', 'SINCE', 'STATUS']);
    const row = table[1] ?? [];
    assert.deepEqual(
      [row[0], row[1], row[2], row[3], row[5]],
      ['version', '4.13.30', 'True', 'False', 'Cluster version is 4.13.30'],
    );
  });

  it('a patch update proceeds despite the gate and completes over time', async () => {
    await ok(['patch', 'clusterversion', 'version', '--type=merge', '-p', desiredUpdate('4.13.31')]);
    const started = await until(
      'the 4.13.31 update to start',
      (c) => c.status?.desired.version === '4.13.31',
    );
    assert.equal(started.status?.history?.[0]?.state, 'Partial');
    assert.equal(conditionOf(started, 'Progressing')?.status, 'True');
    assert.match(conditionOf(started, 'Progressing')?.message ?? '', /^Working towards 4\.13\.31/);
    await ok([
      'wait',
      'clusterversion/version',
      '--for=jsonpath={.status.history[0].state}=Completed',
      '--timeout=20s',
    ]);
    const cv = await clusterVersion();
    assert.deepEqual(
      cv.status?.history?.map((h) => [h.version, h.state]),
      [
        ['4.13.31', 'Completed'],
        ['4.13.30', 'Completed'],
      ],
    );
    // Still gated: the patch update did not need the ack.
    assert.equal(conditionOf(cv, 'Upgradeable')?.reason, 'AdminAckRequired');
  });

  it('a minor update is refused before the ack, with the precondition failure in ReleaseAccepted', async () => {
    await ok(['patch', 'clusterversion', 'version', '--type=merge', '-p', desiredUpdate('4.14.1')]);
    const cv = await until(
      'ReleaseAccepted=False',
      (c) => conditionOf(c, 'ReleaseAccepted')?.status === 'False',
    );
    const accepted = conditionOf(cv, 'ReleaseAccepted');
    assert.equal(accepted?.reason, 'PreconditionChecks');
    assert.ok(
      accepted?.message?.startsWith(
        `Preconditions failed for payload loaded version="4.14.1" image="${image('4.14.1')}": `,
      ),
      accepted?.message,
    );
    assert.ok(
      accepted?.message?.includes(
        `Precondition "ClusterVersionUpgradeable" failed because of "AdminAckRequired": ${labAdminGates[kube127ApiRemovalsAck]}`,
      ),
      accepted?.message,
    );
    // Given time, it still does not move.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const later = await clusterVersion();
    assert.equal(later.status?.desired.version, '4.13.31');
    assert.deepEqual(later.status?.history?.[0]?.version, '4.13.31');
    assert.equal(conditionOf(later, 'Progressing')?.status, 'False');
  });

  it("the seed's admin-acks patch clears Upgradeable=False and lets the minor update proceed", async () => {
    await ok([
      '-n',
      'openshift-config',
      'patch',
      'cm',
      'admin-acks',
      '--patch',
      `{"data":{"${kube127ApiRemovalsAck}":"true"}}`,
      '--type=merge',
    ]);
    const accepted = await until(
      'the 4.14.1 update to be accepted',
      (c) => c.status?.desired.version === '4.14.1',
    );
    assert.equal(conditionOf(accepted, 'Upgradeable'), undefined);
    assert.equal(conditionOf(accepted, 'ReleaseAccepted')?.status, 'True');
    assert.equal(accepted.status?.history?.[0]?.state, 'Partial');

    await ok([
      'wait',
      'clusterversion/version',
      '--for=jsonpath={.status.history[0].state}=Completed',
      '--timeout=20s',
    ]);
    const table = rows(await ok(['get', 'clusterversion']));
    const row = table[1] ?? [];
    assert.deepEqual(
      [row[1], row[2], row[3], row[5]],
      ['4.14.1', 'True', 'False', 'Cluster version is 4.14.1'],
    );
    const operators = rows(await ok(['get', 'clusteroperators']));
    assert.equal(operators[0]?.[1], 'VERSION');
    assert.deepEqual(
      operators.slice(1).map((r) => [r[0], r[1]]),
      ['authentication', 'etcd', 'ingress', 'kube-apiserver', 'machine-config'].map((n) => [n, '4.14.1']),
    );
    // On 4.14 the next gate (to 4.15) is the one waiting.
    const cv = await until('the 4.14 gate', (c) => conditionOf(c, 'Upgradeable')?.status === 'False');
    assert.equal(conditionOf(cv, 'Upgradeable')?.message, labAdminGates[kube128ApiRemovalsAck]);
  });
});
