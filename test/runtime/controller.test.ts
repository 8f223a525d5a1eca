/** The reconcile loop against the embedded API server, including a server restart. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/client/client.ts';
import { isNotFound } from '../../src/client/errors.ts';
import { isTrue } from '../../src/runtime/conditions.ts';
import { Controller, type ControllerOptions, type Reconciler } from '../../src/runtime/controller.ts';
import { createLogger } from '../../src/runtime/log.ts';
import { RestartableApi, sleep, waitFor } from './restartable-api.ts';
import { installWidgetCrd, widget, widgetType, type Widget } from './widget-crd.ts';
import { configMapType, configNameOf, WidgetReconciler, type ConfigMap } from './widget-reconciler.ts';

let api: RestartableApi;
let client: KubeClient;

before(async () => {
  api = await RestartableApi.start();
  client = await api.client();
  await installWidgetCrd(client);
});
after(async () => {
  client.close();
  await api.close();
});

async function namespace(name: string): Promise<string> {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

async function withController(
  options: Omit<ControllerOptions, 'name'> & { name?: string },
  body: (controller: Controller) => Promise<void>,
): Promise<void> {
  const controller = new Controller({ name: 'widgets', ...options });
  controller.start([{ name: 'hub', client }]);
  try {
    await body(controller);
  } finally {
    await controller.stop();
  }
}

async function ready(ns: string, name: string): Promise<boolean> {
  try {
    const w = await client.get<Widget>(widgetType, name, { namespace: ns });
    return w.status?.observedGeneration === w.metadata.generation && isTrue(w.status?.conditions, 'Ready');
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

describe('Controller', () => {
  it('reconciles each primary object: writes the owned object and the Ready condition', async () => {
    const ns = await namespace('ctl-basic');
    await client.create(widget('w1', { size: 3 }, ns));
    const reconciler = new WidgetReconciler();
    await withController({ for: { ...widgetType, namespace: ns }, reconciler }, async () => {
      await waitFor('w1 ready', () => ready(ns, 'w1'));
      const config = await client.get<ConfigMap>(configMapType, configNameOf('w1'), { namespace: ns });
      assert.deepEqual(config.data, { size: '3' });
      const current = await client.get<Widget>(widgetType, 'w1', { namespace: ns });
      await client.update({ ...current, spec: { size: 5 } });
      await waitFor('the new size', async () => {
        const c = await client.get<ConfigMap>(configMapType, configNameOf('w1'), { namespace: ns });
        return c.data?.size === '5' && (await ready(ns, 'w1'));
      });
    });
  });

  it('maps an owned object to its owner: deleting it brings it back', async () => {
    const ns = await namespace('ctl-owns');
    await client.create(widget('w2', { size: 1 }, ns));
    const reconciler = new WidgetReconciler();
    await withController(
      { for: { ...widgetType, namespace: ns }, owns: [{ ...configMapType, namespace: ns }], reconciler },
      async () => {
        await waitFor('w2 ready', () => ready(ns, 'w2'));
        const before = await client.get(configMapType, configNameOf('w2'), { namespace: ns });
        await client.delete(configMapType, configNameOf('w2'), { namespace: ns });
        await waitFor('the ConfigMap recreated', async () => {
          try {
            const again = await client.get(configMapType, configNameOf('w2'), { namespace: ns });
            return again.metadata.uid !== before.metadata.uid;
          } catch (error) {
            if (isNotFound(error)) return false;
            throw error;
          }
        });
        assert.ok(reconciler.reconciled.every((r) => r === `hub/${ns}/w2`));
      },
    );
  });

  it('maps watched objects through a mapping function', async () => {
    const ns = await namespace('ctl-watches');
    const requests: string[] = [];
    const reconciler: Reconciler = {
      reconcile: (request) => {
        requests.push(`${request.namespace}/${request.name}`);
        return Promise.resolve();
      },
    };
    await withController(
      {
        for: { ...widgetType, namespace: ns },
        watches: [
          {
            ...configMapType,
            namespace: ns,
            labelSelector: 'widget',
            map: (object, cluster) => [
              { cluster, namespace: ns, name: object.metadata.labels?.widget ?? '' },
            ],
          },
        ],
        reconciler,
      },
      async () => {
        await client.create<ConfigMap>({
          ...configMapType,
          metadata: { name: 'settings', namespace: ns, labels: { widget: 'target' } },
        });
        await waitFor('the mapped request', () => requests.includes(`${ns}/target`));
      },
    );
  });

  it('requeues a failing reconcile with growing backoff and logs the error with the object', async () => {
    const ns = await namespace('ctl-errors');
    await client.create(widget('flaky', {}, ns));
    const attempts: number[] = [];
    const lines: string[] = [];
    const reconciler: Reconciler = {
      reconcile: () => {
        attempts.push(Date.now());
        return attempts.length <= 3 ? Promise.reject(new Error('host not reachable')) : Promise.resolve();
      },
    };
    await withController(
      {
        for: { ...widgetType, namespace: ns },
        reconciler,
        baseDelayMs: 40,
        log: createLogger({ level: 'error', write: (line) => lines.push(line) }),
      },
      async () => {
        await waitFor('the fourth attempt', () => attempts.length >= 4);
        await sleep(150);
        assert.equal(attempts.length, 4, 'success stops the retries');
      },
    );
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? 0));
    assert.ok(gaps[0] !== undefined && gaps[0] >= 35, `first retry after ~40 ms, got ${gaps.join(',')}`);
    assert.ok(gaps[2] !== undefined && gaps[2] >= 150, `third retry after ~160 ms, got ${gaps.join(',')}`);
    assert.equal(lines.length, 3);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(
      {
        level: entry.level,
        msg: entry.msg,
        controller: entry.controller,
        cluster: entry.cluster,
        kind: entry.kind,
        namespace: entry.namespace,
        name: entry.name,
        error: entry.error,
      },
      {
        level: 'error',
        msg: 'reconcile failed',
        controller: 'widgets',
        cluster: 'hub',
        kind: 'Widget',
        namespace: ns,
        name: 'flaky',
        error: 'host not reachable',
      },
    );
  });

  it('requeues after the delay a reconcile asks for', async () => {
    const ns = await namespace('ctl-requeue');
    await client.create(widget('poll', {}, ns));
    let count = 0;
    const reconciler: Reconciler = {
      reconcile: () => {
        count++;
        return Promise.resolve(count < 3 ? { requeueAfterMs: 30 } : undefined);
      },
    };
    await withController({ for: { ...widgetType, namespace: ns }, reconciler }, async () => {
      await waitFor('three reconciles', () => count === 3);
      await sleep(100);
      assert.equal(count, 3);
    });
  });

  it('runs at most `concurrency` reconciles at once, never two for one object', async () => {
    const ns = await namespace('ctl-concurrency');
    for (const n of [1, 2, 3, 4, 5]) await client.create(widget(`c${n}`, {}, ns));
    let running = 0;
    let peak = 0;
    const inFlight = new Set<string>();
    let done = 0;
    const reconciler: Reconciler = {
      reconcile: async (request) => {
        assert.ok(!inFlight.has(request.name), `${request.name} reconciled twice at once`);
        inFlight.add(request.name);
        running++;
        peak = Math.max(peak, running);
        await sleep(40);
        running--;
        inFlight.delete(request.name);
        done++;
      },
    };
    await withController({ for: { ...widgetType, namespace: ns }, reconciler, concurrency: 2 }, async () => {
      await waitFor('five reconciles', () => done >= 5);
    });
    assert.equal(peak, 2);
  });

  it('keeps reconciling across an API server restart', async () => {
    const ns = await namespace('ctl-restart');
    await client.create(widget('before', { size: 1 }, ns));
    const reconciler = new WidgetReconciler();
    const controller = new Controller({
      name: 'widgets',
      for: { ...widgetType, namespace: ns },
      owns: [{ ...configMapType, namespace: ns }],
      reconciler,
    });
    controller.start([{ name: 'hub', client }]);
    try {
      await waitFor('before ready', () => ready(ns, 'before'));
      await api.restart();
      await client.create(widget('after', { size: 2 }, ns));
      const current = await client.get<Widget>(widgetType, 'before', { namespace: ns });
      await client.update({ ...current, spec: { size: 10 } });
      await waitFor(
        'both reconciled after the restart',
        async () => {
          const config = await client.get<ConfigMap>(configMapType, configNameOf('before'), {
            namespace: ns,
          });
          return config.data?.size === '10' && (await ready(ns, 'after')) && (await ready(ns, 'before'));
        },
        10_000,
      );
    } finally {
      await controller.stop();
    }
  });
});
