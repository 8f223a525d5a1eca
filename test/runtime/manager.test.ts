/** One manager over many logical clusters, and two managers handing leadership over. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClusterSet } from '../../src/client/cluster-set.ts';
import type { KubeClient } from '../../src/client/client.ts';
import { isNotFound } from '../../src/client/errors.ts';
import { isTrue } from '../../src/runtime/conditions.ts';
import { Controller, type Reconciler } from '../../src/runtime/controller.ts';
import { Manager } from '../../src/runtime/manager.ts';
import { RestartableApi, sleep, waitFor } from './restartable-api.ts';
import { installWidgetCrd, widget, widgetType, type Widget } from './widget-crd.ts';
import { WidgetReconciler } from './widget-reconciler.ts';

let api: RestartableApi;
let clusters: ClusterSet;

before(async () => {
  api = await RestartableApi.start({ clusters: ['spoke-a', 'spoke-b'] });
  clusters = await api.clusterSet();
  for (const name of clusters.names()) await installWidgetCrd(clusters.client(name));
});
after(async () => {
  clusters.close();
  await api.close();
});

async function isReady(client: KubeClient, name: string): Promise<boolean> {
  try {
    const w = await client.get<Widget>(widgetType, name);
    return isTrue(w.status?.conditions, 'Ready');
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

describe('Manager', () => {
  it('runs a controller in every cluster of the kubeconfig, each request naming its cluster', async () => {
    const reconciler = new WidgetReconciler();
    const manager = new Manager({ clusters });
    manager.add(new Controller({ name: 'widgets', for: widgetType, reconciler }));
    await manager.start();
    try {
      assert.deepEqual(manager.clusterNames().sort(), ['hub', 'spoke-a', 'spoke-b']);
      for (const name of clusters.names()) await clusters.client(name).create(widget(`in-${name}`));
      for (const name of clusters.names())
        await waitFor(`the widget in ${name}`, () => isReady(clusters.client(name), `in-${name}`));
      assert.ok(reconciler.reconciled.includes('spoke-b/default/in-spoke-b'));
      assert.ok(!reconciler.reconciled.includes('spoke-a/default/in-spoke-b'), 'clusters stay apart');
    } finally {
      await manager.stop();
    }
    assert.equal(manager.cache, undefined);
  });

  it('leader hand-over: only the leader reconciles; when it stops, the other takes over within the lease', async () => {
    const leaseDurationMs = 1000;
    const byManager = { first: [] as string[], second: [] as string[] };
    const managers = (['first', 'second'] as const).map((identity) => {
      const manager = new Manager({
        clusters,
        leaderElection: {
          namespace: 'kube-system',
          name: 'lcm-controllers',
          identity,
          leaseDurationMs,
          renewDeadlineMs: 600,
          retryPeriodMs: 100,
        },
      });
      const reconciler: Reconciler = {
        reconcile: (request) => {
          byManager[identity].push(request.name);
          return Promise.resolve();
        },
      };
      manager.add(
        new Controller({ name: 'counter', for: { ...widgetType, namespace: 'kube-public' }, reconciler }),
      );
      return manager;
    });
    const [first, second] = managers as [Manager, Manager];
    await first.start();
    try {
      await waitFor('the first to lead', () => first.isLeader());
      await second.start();
      const hub = clusters.client('hub');
      await hub.create(widget('while-first-leads', {}, 'kube-public'));
      await waitFor('a reconcile by the leader', () => byManager.first.includes('while-first-leads'));
      await sleep(200);
      assert.ok(!second.isLeader());
      assert.deepEqual(byManager.second, [], 'the follower does not reconcile');
      assert.equal(second.cache, undefined, 'nor does it watch');

      const stopped = Date.now();
      await first.stop();
      await waitFor('the second to lead', () => second.isLeader(), leaseDurationMs);
      assert.ok(Date.now() - stopped < leaseDurationMs);
      await hub.create(widget('after-hand-over', {}, 'kube-public'));
      await waitFor('a reconcile by the new leader', () => byManager.second.includes('after-hand-over'));
      assert.ok(!byManager.first.includes('after-hand-over'));
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
