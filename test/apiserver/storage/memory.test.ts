import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStorage } from '../../../src/apiserver/storage/memory.ts';
import { RevisionCompactedError } from '../../../src/apiserver/storage/types.ts';
import { storageConformance } from './conformance.ts';

storageConformance('memory storage', () => {
  const storage = createMemoryStorage();
  return Promise.resolve({ storage, close: () => storage.close() });
});

describe('memory storage specifics', () => {
  it('retainRevisions compacts automatically, keeping the last N revisions readable', async () => {
    const storage = createMemoryStorage({ retainRevisions: 3 });
    let kv = await storage.create('/k', '0');
    for (let i = 1; i <= 10; i++) kv = await storage.update('/k', String(i), kv.modRevision);
    const current = await storage.currentRevision();
    for (const revision of [current, current - 1, current - 2]) {
      assert.equal((await storage.list('/', { revision })).items.length, 1);
    }
    await assert.rejects(storage.list('/', { revision: current - 3 }), RevisionCompactedError);
  });

  it('compaction forgets deleted keys entirely', async () => {
    const storage = createMemoryStorage();
    const kv = await storage.create('/gone', '1');
    await storage.delete('/gone');
    await storage.compact(await storage.currentRevision());
    assert.deepEqual((await storage.list('/')).items, []);
    assert.equal((await storage.create('/gone', '2')).createRevision, kv.createRevision + 2);
  });

  it('stays fast with 100k keys inserted in random order and listed by prefix', async () => {
    const storage = createMemoryStorage();
    const order = Array.from({ length: 100_000 }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const started = performance.now();
    for (const i of order) await storage.create(`/registry/pods/ns${i % 100}/pod-${i}`, '{}');
    const list = await storage.list('/registry/pods/ns7/', { limit: 500 });
    assert.equal(list.items.length, 500);
    assert.equal(list.more, true);
    const all = await storage.list('/registry/pods/ns42/');
    assert.equal(all.items.length, 1000);
    assert.ok(performance.now() - started < 5000, 'inserting and listing 100k keys stays fast');
  });

  it('a closed store rejects calls', async () => {
    const storage = createMemoryStorage();
    await storage.close();
    await assert.rejects(storage.get('/x'), /storage is closed/);
  });
});
