import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../../../src/client/client.ts';
import type { KubeObject } from '../../../../src/client/object.ts';
import { LocationReconciler } from '../../../../src/controllers/velero/bsl/reconcile.ts';
import { FileObjectStore, veleroControllers } from '../../../../src/controllers/velero/index.ts';
import { realClock } from '../../../../src/runtime/clock.ts';
import { silentLogger } from '../../../../src/runtime/log.ts';
import { startLab, types, veleroNamespace, waitForPhase, waitGone, type Lab } from '../fixtures.ts';

type Located = KubeObject<unknown, { phase?: string }>;

describe('BackupStorageLocation reconcile', () => {
  let lab: Lab;

  before(async () => {
    lab = await startLab();
  });
  after(async () => {
    await lab.close();
  });

  it('writes Available before it syncs a stored backup into the cluster, as after a pivot', async () => {
    const { client } = lab;
    const controllers = veleroControllers({
      objectStoreRoot: lab.storeRoot,
      clock: realClock,
      log: silentLogger,
    });
    for (const c of controllers) c.start([{ name: 'hub', client }]);
    try {
      await waitForPhase(client, types.location, veleroNamespace, 'default', ['Available']);
      await client.create({
        ...types.backup,
        metadata: { name: 'before-pivot', namespace: veleroNamespace },
        spec: { includedNamespaces: ['default'] },
      });
      await waitForPhase(client, types.backup, veleroNamespace, 'before-pivot', ['Completed']);
    } finally {
      await Promise.all(controllers.map((c) => c.stop()));
    }
    // The new stateroot knows neither the Backup nor the location's status: only the stored tarball.
    const location = await client.get<Located>(types.location, 'default', { namespace: veleroNamespace });
    await client.delete(types.backup, 'before-pivot', { namespace: veleroNamespace });
    await waitGone(client, types.backup, 'before-pivot', veleroNamespace);
    await client.delete(types.location, 'default', { namespace: veleroNamespace });
    await waitGone(client, types.location, 'default', veleroNamespace);
    await client.create({
      ...types.location,
      metadata: { name: 'default', namespace: veleroNamespace },
      spec: location.spec,
    });

    // Whoever sees the synced Backup (a Restore about to be validated) must see the location Available.
    const phaseWhenSynced: (string | undefined)[] = [];
    const watching = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'create') return Reflect.get(target, property, receiver) as unknown;
        return async (object: KubeObject, ...rest: unknown[]) => {
          if (object.kind === 'Backup') {
            const now = await target.get<Located>(types.location, 'default', { namespace: veleroNamespace });
            phaseWhenSynced.push(now.status?.phase);
          }
          return (target.create as (o: KubeObject, ...r: unknown[]) => Promise<KubeObject>).call(
            target,
            object,
            ...rest,
          );
        };
      },
    }) satisfies KubeClient;
    const reconciler = new LocationReconciler({
      store: new FileObjectStore(lab.storeRoot),
      clock: realClock,
    });
    await reconciler.reconcile(
      { cluster: 'hub', namespace: veleroNamespace, name: 'default' },
      { client: watching, signal: new AbortController().signal, log: silentLogger },
    );
    assert.deepEqual(phaseWhenSynced, ['Available']);
    await client.get(types.backup, 'before-pivot', { namespace: veleroNamespace });
  });
});
