import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podDisruptionBudgetsCheck } from '../../../src/readiness/checks/pod-disruption-budgets.ts';
import type { Finding } from '../../../src/readiness/report/types.ts';
import { context, ownerRef, pdb, pod, workload } from './fixtures.ts';

/** A Deployment of `replicas` with its ReplicaSet and pods (the first `unready` of them not Ready). */
function deployment(ns: string, name: string, replicas: number, unready = 0) {
  const labels = { app: name };
  const d = workload('Deployment', ns, name, replicas, labels);
  const rs = workload('ReplicaSet', ns, `${name}-7d9f`, replicas, labels, ownerRef(d));
  const pods = Array.from({ length: replicas }, (_, i) =>
    pod(ns, `${name}-7d9f-${i}`, { labels, owner: ownerRef(rs), ready: i >= unready }),
  );
  return [d, rs, ...pods];
}

const only = (findings: Finding[], severity: string): Finding[] =>
  findings.filter((f) => f.severity === severity);

describe('UPD-8 PodDisruptionBudgets', () => {
  it('maxUnavailable 0 on an HA workload is a blocker naming the budget and why the drain stalls', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([...deployment('shop', 'web', 3), pdb('shop', 'web', { maxUnavailable: 0 }, { app: 'web' })]),
    );
    const [blocker] = only(findings, 'blocker');
    assert.match(
      blocker?.title ?? '',
      /PodDisruptionBudget\/shop\/web \(maxUnavailable 0\) forbids every eviction of its 3 pods/,
    );
    assert.match(blocker?.evidence.details?.[0] ?? '', /drain/);
    assert.deepEqual(blocker?.evidence.counts, {
      expectedPods: 3,
      healthyPods: 3,
      desiredHealthy: 3,
      disruptionsAllowed: 0,
    });
    assert.match(blocker?.fix ?? '', /kubectl -n shop patch pdb web/);
  });

  it('"0%" and minAvailable equal to the replicas forbid eviction too; maxUnavailable 1 does not', async () => {
    for (const budget of [{ maxUnavailable: '0%' }, { minAvailable: 3 }, { minAvailable: '100%' }]) {
      const findings = await podDisruptionBudgetsCheck.run(
        context([...deployment('shop', 'web', 3), pdb('shop', 'web', budget, { app: 'web' })]),
      );
      assert.equal(only(findings, 'blocker').length, 1, JSON.stringify(budget));
    }
    const ok = await podDisruptionBudgetsCheck.run(
      context([...deployment('shop', 'web', 3), pdb('shop', 'web', { maxUnavailable: 1 }, { app: 'web' })]),
    );
    assert.deepEqual(ok, []);
  });

  it('percentages are resolved against the expected pods (the Deployment scale), rounding up', async () => {
    // 50% of 3 → 2 must stay; 1 pod unready leaves 2 healthy: 0 disruptions right now.
    const findings = await podDisruptionBudgetsCheck.run(
      context([
        ...deployment('shop', 'web', 3, 1),
        pdb('shop', 'web', { minAvailable: '50%' }, { app: 'web' }),
      ]),
    );
    const [warning] = only(findings, 'warning');
    assert.match(warning?.title ?? '', /allows no disruption right now: 2 of 3 pods healthy, 2 required/);
  });

  it('a selector matching no pods is a warning', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([...deployment('shop', 'web', 2), pdb('shop', 'typo', { maxUnavailable: 1 }, { app: 'wbe' })]),
    );
    assert.deepEqual(
      findings.map((f) => [f.severity, f.title]),
      [
        ['warning', 'PodDisruptionBudget/shop/typo selects no pods (selector app=wbe)'],
        // …and so the workload it was meant for is still unprotected.
        ['info', '1 highly available workload(s) have no PodDisruptionBudget'],
      ],
    );
  });

  it('a single-replica workload protected so it can never be drained is a warning with the seed advice', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([
        ...deployment('db', 'postgres', 1),
        pdb('db', 'postgres', { minAvailable: 1 }, { app: 'postgres' }),
      ]),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.severity, 'warning');
    assert.match(findings[0]?.title ?? '', /single-replica workload/);
    assert.match(findings[0]?.evidence.details?.[0] ?? '', /not highly available/);
  });

  it('HA workloads without a budget are listed as unprotected (info); single replicas are not', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([
        ...deployment('shop', 'web', 3),
        ...deployment('shop', 'cron', 1),
        workload('StatefulSet', 'shop', 'cache', 2, { app: 'cache' }),
      ]),
    );
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['info'],
    );
    assert.deepEqual(findings[0]?.evidence.objects, ['Deployment/shop/web', 'StatefulSet/shop/cache']);
  });

  it('bare pods under maxUnavailable 1 block: the disruption controller cannot compute a scale', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([
        pod('ops', 'a', { labels: { app: 'x' } }),
        pod('ops', 'b', { labels: { app: 'x' } }),
        pdb('ops', 'x', { maxUnavailable: 1 }, { app: 'x' }),
      ]),
    );
    assert.match(only(findings, 'blocker')[0]?.title ?? '', /pods without a controller/);
  });

  it('a pod selected by two budgets cannot be evicted at all', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([
        ...deployment('shop', 'web', 3),
        pdb('shop', 'web-a', { maxUnavailable: 1 }, { app: 'web' }),
        pdb('shop', 'web-b', { maxUnavailable: 1 }, { app: 'web' }),
      ]),
    );
    const [blocker] = only(findings, 'blocker');
    assert.match(blocker?.title ?? '', /3 pod\(s\) are selected by more than one PodDisruptionBudget/);
  });

  it('budgets in another namespace do not select these pods', async () => {
    const findings = await podDisruptionBudgetsCheck.run(
      context([...deployment('shop', 'web', 2), pdb('other', 'web', { maxUnavailable: 0 }, { app: 'web' })]),
    );
    assert.deepEqual(findings.map((f) => f.severity).sort(), ['info', 'warning']);
  });
});
