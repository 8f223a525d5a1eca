import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeCapacityCheck, podRequest } from '../../../src/readiness/checks/node-capacity.ts';
import type { Pod } from '../../../src/readiness/checks/support/kinds.ts';
import { context, machineConfigPool, node, pod, severitiesOf } from './fixtures.ts';

const worker = { 'node-role.kubernetes.io/worker': '' };
const master = { 'node-role.kubernetes.io/master': '' };

function workers(count: number, options: { cpu?: string; memory?: string } = {}) {
  return Array.from({ length: count }, (_, i) => node(`worker-${i}`, { labels: worker, ...options }));
}

describe('UPD-8 capacity and maxUnavailable', () => {
  it('a control-plane pool with maxUnavailable 3 is a blocker (seed: never 3), 2 of 5 a warning', async () => {
    const masters = Array.from({ length: 3 }, (_, i) => node(`master-${i}`, { labels: master }));
    const three = await nodeCapacityCheck.run(
      context([machineConfigPool('master', 'master', 3), ...masters]),
    );
    assert.deepEqual(severitiesOf(three), ['blocker']);
    assert.equal(
      three[0]?.fix,
      `kubectl patch mcp master --type=merge --patch '{"spec":{"maxUnavailable":1}}'`,
    );

    const five = Array.from({ length: 5 }, (_, i) => node(`master-${i}`, { labels: master }));
    const two = await nodeCapacityCheck.run(context([machineConfigPool('master', 'master', 2), ...five]));
    assert.deepEqual(severitiesOf(two), ['warning']);
  });

  it('maxUnavailable 2 on a 3-node control plane loses etcd quorum: a blocker that says so', async () => {
    const masters = Array.from({ length: 3 }, (_, i) => node(`master-${i}`, { labels: master }));
    const findings = await nodeCapacityCheck.run(
      context([machineConfigPool('master', 'master', 2), ...masters]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.match(findings[0]?.evidence.details?.join(' ') ?? '', /quorum/);
  });

  it('unavailable nodes are a warning, and a blocker once they use up maxUnavailable', async () => {
    const nodes = [...workers(3), node('worker-down', { labels: worker, ready: false })];
    const withTwo = await nodeCapacityCheck.run(
      context([machineConfigPool('worker', 'worker', 2), ...nodes]),
    );
    assert.deepEqual(severitiesOf(withTwo), ['warning']);
    const withOne = await nodeCapacityCheck.run(context([machineConfigPool('worker', 'worker'), ...nodes]));
    assert.deepEqual(severitiesOf(withOne), ['blocker']);
    assert.match(
      withOne[0]?.title ?? '',
      /cannot update any node: 1 node\(s\) already unavailable, maxUnavailable is 1/,
    );
  });

  it('pods of the busiest drained nodes that do not fit in the spare capacity are a blocker with the numbers', async () => {
    const findings = await nodeCapacityCheck.run(
      context([
        machineConfigPool('worker', 'worker', '50%'),
        ...workers(4, { cpu: '4', memory: '16Gi' }),
        // 3.5 CPU requested on each node: draining 2 needs 7 CPU, the other 2 have 1 spare.
        ...Array.from({ length: 4 }, (_, i) =>
          pod('shop', `p${i}`, { nodeName: `worker-${i}`, cpu: '3500m', memory: '1Gi' }),
        ),
      ]),
    );
    assert.deepEqual(severitiesOf(findings), ['blocker']);
    assert.match(findings[0]?.title ?? '', /draining 2 node\(s\) at a time leaves no room/);
    assert.equal(findings[0]?.evidence.counts?.neededCpuMillicores, 7000);
    assert.equal(findings[0]?.evidence.counts?.spareCpuMillicores, 1000);
  });

  it('enough room passes; little room (over 80% of the spare) is a warning', async () => {
    const fits = await nodeCapacityCheck.run(
      context([
        machineConfigPool('worker', 'worker'),
        ...workers(3),
        pod('a', 'p', { nodeName: 'worker-0', cpu: '1', memory: '1Gi' }),
      ]),
    );
    assert.deepEqual(fits, []);
    const tight = await nodeCapacityCheck.run(
      context([
        machineConfigPool('worker', 'worker'),
        ...workers(2, { cpu: '4', memory: '16Gi' }),
        pod('a', 'p0', { nodeName: 'worker-0', cpu: '2', memory: '1Gi' }),
        pod('a', 'p1', { nodeName: 'worker-1', cpu: '1800m', memory: '1Gi' }),
      ]),
    );
    assert.deepEqual(severitiesOf(tight), ['warning']);
  });

  it('DaemonSet and finished pods do not move in a drain and are not counted', async () => {
    const daemon = pod('a', 'ds', { nodeName: 'worker-0', cpu: '4' });
    daemon.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true },
    ];
    const findings = await nodeCapacityCheck.run(
      context([
        machineConfigPool('worker', 'worker'),
        ...workers(2),
        daemon,
        pod('a', 'done', { nodeName: 'worker-0', cpu: '4', phase: 'Succeeded' }),
      ]),
    );
    assert.deepEqual(findings, []);
  });

  it("a pod's effective request is its containers' sum, at least its largest init container", () => {
    const p = pod('a', 'p', { cpu: '100m', memory: '64Mi' }) as Pod;
    p.spec = {
      ...p.spec,
      initContainers: [{ name: 'init', resources: { requests: { cpu: '1', memory: '32Mi' } } }],
    };
    assert.deepEqual(podRequest(p), { cpu: 1, memory: 64 * 2 ** 20 });
  });
});
