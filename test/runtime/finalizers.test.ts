import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/client/client.ts';
import { ApiStatusError, isConflict, isNotFound } from '../../src/client/errors.ts';
import {
  addFinalizer,
  ensureFinalizer,
  hasFinalizer,
  removeFinalizer,
  runFinalizer,
} from '../../src/runtime/finalizers.ts';
import { RestartableApi } from './restartable-api.ts';
import { installWidgetCrd, widget, widgetType, type Widget } from './widget-crd.ts';

const finalizer = 'test.lcm.io/cleanup';
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

describe('finalizers', () => {
  it('ensureFinalizer adds ours once and keeps the finalizers of others', async () => {
    const created = await client.create<Widget>({
      ...widget('f-add'),
      metadata: { name: 'f-add', namespace: 'default', finalizers: ['other.io/keep'] },
    });
    const once = await ensureFinalizer(client, created, finalizer);
    const twice = await ensureFinalizer(client, once, finalizer);
    assert.deepEqual(twice.metadata.finalizers, ['other.io/keep', finalizer]);
    assert.equal(twice.metadata.resourceVersion, once.metadata.resourceVersion, 'no second write');
  });

  it('writes are optimistic: a stale object gets 409 instead of dropping a concurrent change', async () => {
    const created = await client.create(widget('f-stale'));
    await addFinalizer(client, created, 'someone.else/first');
    await assert.rejects(addFinalizer(client, created, finalizer), (error: unknown) => {
      assert.ok(error instanceof ApiStatusError && isConflict(error));
      return true;
    });
    const fresh = await client.get<Widget>(widgetType, 'f-stale');
    const updated = await addFinalizer(client, fresh, finalizer);
    assert.deepEqual(updated.metadata.finalizers, ['someone.else/first', finalizer]);
  });

  it('runFinalizer leaves a live object alone', async () => {
    const live = await ensureFinalizer(client, await client.create(widget('f-live')), finalizer);
    let cleaned = false;
    assert.equal(
      await runFinalizer(client, live, finalizer, () => {
        cleaned = true;
        return Promise.resolve();
      }),
      false,
    );
    assert.equal(cleaned, false);
  });

  it('on delete: cleanup runs while the object is held, then removing the finalizer lets it go', async () => {
    await ensureFinalizer(client, await client.create(widget('f-delete')), finalizer);
    await client.delete(widgetType, 'f-delete');
    const deleting = await client.get<Widget>(widgetType, 'f-delete');
    assert.ok(deleting.metadata.deletionTimestamp);
    assert.equal(
      await ensureFinalizer(client, deleting, 'late.io/too-late'),
      deleting,
      'no finalizer is added to an object being deleted',
    );
    const cleanedUp: string[] = [];
    const handled = await runFinalizer(client, deleting, finalizer, (object) => {
      cleanedUp.push(object.metadata.name);
      return Promise.resolve();
    });
    assert.equal(handled, true);
    assert.deepEqual(cleanedUp, ['f-delete']);
    await assert.rejects(client.get(widgetType, 'f-delete'), (error: unknown) => isNotFound(error));
  });

  it('a failed cleanup keeps the finalizer, so the next reconcile tries again', async () => {
    await ensureFinalizer(client, await client.create(widget('f-retry')), finalizer);
    await client.delete(widgetType, 'f-retry');
    const deleting = await client.get<Widget>(widgetType, 'f-retry');
    await assert.rejects(
      runFinalizer(client, deleting, finalizer, () => Promise.reject(new Error('stateroot busy'))),
      /stateroot busy/,
    );
    const still = await client.get<Widget>(widgetType, 'f-retry');
    assert.ok(hasFinalizer(still, finalizer));
    assert.equal(await removeFinalizer(client, still, finalizer), undefined, 'gone once released');
  });
});
