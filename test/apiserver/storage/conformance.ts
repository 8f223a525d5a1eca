/**
 * The behaviour every Storage backend promises (src/apiserver/storage/types.ts), as one suite that
 * each backend's test file runs. Tests may share one store (etcd), so each works under its own
 * key prefix and only reads revisions it wrote itself.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Storage, WatchEvent, WatchHandle } from '../../../src/apiserver/storage/types.ts';
import {
  ConflictError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionCompactedError,
} from '../../../src/apiserver/storage/types.ts';

export interface OpenedStorage {
  readonly storage: Storage;
  close(): Promise<void>;
}

let prefixCounter = 0;

/** A key prefix no other test (or earlier run against the same etcd) uses. */
function uniquePrefix(): string {
  prefixCounter++;
  return `/conformance/${process.pid}-${Date.now().toString(36)}-${prefixCounter}/`;
}

function revisionOf(event: WatchEvent): number {
  return event.type === 'put' ? event.kv.modRevision : event.revision;
}

function keyOf(event: WatchEvent): string {
  return event.type === 'put' ? event.kv.key : event.key;
}

/** A WatchSink that records what it gets and lets a test wait for it. */
class Recorder {
  readonly events: WatchEvent[] = [];
  readonly errors: Error[] = [];
  private waiters: (() => void)[] = [];

  readonly sink = {
    onEvents: (events: readonly WatchEvent[]): void => {
      this.events.push(...events);
      this.wake();
    },
    onError: (error: Error): void => {
      this.errors.push(error);
      this.wake();
    },
  };

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  async until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        assert.fail(
          `timed out waiting for ${what}; got events ${JSON.stringify(this.events)}, errors ${this.errors.join('; ')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  untilEvents(count: number): Promise<void> {
    return this.until(() => this.events.length >= count, `${count} events`);
  }

  untilError(): Promise<void> {
    return this.until(() => this.errors.length > 0, 'a watch error');
  }
}

export function storageConformance(name: string, open: () => Promise<OpenedStorage>): void {
  describe(name, () => {
    let opened: OpenedStorage;
    let storage: Storage;
    let p: string;
    const handles: WatchHandle[] = [];

    const watch = (prefix: string, afterRevision: number): Recorder => {
      const recorder = new Recorder();
      handles.push(storage.watch(prefix, afterRevision, recorder.sink));
      return recorder;
    };

    beforeEach(async () => {
      opened = await open();
      storage = opened.storage;
      p = uniquePrefix();
    });

    afterEach(async () => {
      for (const handle of handles.splice(0)) handle.cancel();
      await opened.close();
    });

    it('create stores the value and get returns it with create and mod revision equal', async () => {
      const created = await storage.create(`${p}a`, '{"x":1}');
      assert.equal(created.key, `${p}a`);
      assert.equal(created.value, '{"x":1}');
      assert.equal(created.createRevision, created.modRevision);
      assert.deepEqual(await storage.get(`${p}a`), created);
      assert.equal(await storage.get(`${p}missing`), undefined);
    });

    it('keys and values round-trip as utf-8', async () => {
      const created = await storage.create(`${p}ünï-😀`, '{"name":"日本語"}');
      assert.deepEqual(await storage.get(`${p}ünï-😀`), created);
    });

    it('create of an existing key fails with KeyExistsError and changes nothing', async () => {
      const created = await storage.create(`${p}a`, 'one');
      await assert.rejects(storage.create(`${p}a`, 'two'), KeyExistsError);
      assert.deepEqual(await storage.get(`${p}a`), created);
    });

    it('update at the current modRevision replaces the value and keeps createRevision', async () => {
      const created = await storage.create(`${p}a`, 'one');
      const updated = await storage.update(`${p}a`, 'two', created.modRevision);
      assert.equal(updated.value, 'two');
      assert.equal(updated.createRevision, created.createRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.deepEqual(await storage.get(`${p}a`), updated);
    });

    it('update at a stale modRevision fails with ConflictError carrying the current value', async () => {
      const created = await storage.create(`${p}a`, 'one');
      const updated = await storage.update(`${p}a`, 'two', created.modRevision);
      await assert.rejects(storage.update(`${p}a`, 'three', created.modRevision), (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        assert.deepEqual(error.current, updated);
        return true;
      });
      assert.deepEqual(await storage.get(`${p}a`), updated);
    });

    it('update of a missing key fails with KeyNotFoundError and does not create it', async () => {
      await assert.rejects(storage.update(`${p}missing`, 'x', 5), KeyNotFoundError);
      await assert.rejects(storage.update(`${p}missing`, 'x', 0), KeyNotFoundError);
      assert.equal(await storage.get(`${p}missing`), undefined);
    });

    it('delete without an expected revision removes the key and returns the previous value', async () => {
      const created = await storage.create(`${p}a`, 'one');
      const deleted = await storage.delete(`${p}a`);
      assert.deepEqual(deleted.prev, created);
      assert.ok(deleted.revision > created.modRevision);
      assert.equal(await storage.get(`${p}a`), undefined);
      await assert.rejects(storage.delete(`${p}a`), KeyNotFoundError);
    });

    it('delete at an expected revision succeeds only when it matches', async () => {
      const created = await storage.create(`${p}a`, 'one');
      const updated = await storage.update(`${p}a`, 'two', created.modRevision);
      await assert.rejects(storage.delete(`${p}a`, created.modRevision), (error: unknown) => {
        assert.ok(error instanceof ConflictError);
        assert.deepEqual(error.current, updated);
        return true;
      });
      const deleted = await storage.delete(`${p}a`, updated.modRevision);
      assert.deepEqual(deleted.prev, updated);
      await assert.rejects(storage.delete(`${p}a`, updated.modRevision), KeyNotFoundError);
    });

    it('a deleted key can be created again with a new createRevision', async () => {
      const first = await storage.create(`${p}a`, 'one');
      await storage.delete(`${p}a`);
      const second = await storage.create(`${p}a`, 'two');
      assert.ok(second.createRevision > first.createRevision);
    });

    it('list returns exactly the keys under the prefix, sorted', async () => {
      for (const key of ['b/2', 'b/1', 'b/10', 'bc/1', 'b', 'a/1', 'c/1'])
        await storage.create(`${p}${key}`, key);
      const list = await storage.list(`${p}b/`);
      assert.deepEqual(
        list.items.map((item) => item.key),
        [`${p}b/1`, `${p}b/10`, `${p}b/2`],
      );
      assert.equal(list.more, false);
      assert.equal(list.revision, await storage.currentRevision());
      assert.deepEqual(
        (await storage.list(`${p}bc/`)).items.map((item) => item.value),
        ['bc/1'],
      );
      assert.equal((await storage.list(`${p}nothing/`)).items.length, 0);
    });

    it('list at a past revision shows the state as of that revision', async () => {
      const a = await storage.create(`${p}a`, 'a1');
      const b = await storage.create(`${p}b`, 'b1');
      const past = b.modRevision;
      await storage.update(`${p}a`, 'a2', a.modRevision);
      await storage.delete(`${p}b`);
      await storage.create(`${p}c`, 'c1');

      const then = await storage.list(p, { revision: past });
      assert.equal(then.revision, past);
      assert.deepEqual(then.items, [a, b]);
      const before = await storage.list(p, { revision: a.modRevision });
      assert.deepEqual(before.items, [a]);
      const now = await storage.list(p);
      assert.deepEqual(
        now.items.map((item) => item.value),
        ['a2', 'c1'],
      );
    });

    it('pagination with limit and after walks 25 keys in pages at one revision', async () => {
      const keys: string[] = [];
      for (let i = 0; i < 25; i++) {
        const key = `${p}k${String(i).padStart(2, '0')}`;
        keys.push(key);
        await storage.create(key, String(i));
      }
      const revision = await storage.currentRevision();
      await storage.create(`${p}k99-late`, 'late');

      const seen: string[] = [];
      const mores: boolean[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await storage.list(p, {
          revision,
          limit: 10,
          ...(after === undefined ? {} : { after }),
        });
        assert.equal(page.revision, revision);
        seen.push(...page.items.map((item) => item.key));
        mores.push(page.more);
        if (!page.more) break;
        after = page.items[page.items.length - 1]?.key;
      }
      assert.deepEqual(seen, keys);
      assert.deepEqual(mores, [true, true, false]);

      const exact = await storage.list(p, { revision, limit: 25 });
      assert.equal(exact.items.length, 25);
      assert.equal(exact.more, false);
    });

    it('list after a key before the prefix starts at the prefix', async () => {
      await storage.create(`${p}x/1`, '1');
      const list = await storage.list(`${p}x/`, { after: `${p}a` });
      assert.deepEqual(
        list.items.map((item) => item.key),
        [`${p}x/1`],
      );
    });

    it('currentRevision increases by exactly one per write', async () => {
      const start = await storage.currentRevision();
      const created = await storage.create(`${p}a`, '1');
      assert.equal(created.modRevision, start + 1);
      assert.equal(await storage.currentRevision(), start + 1);
      await storage.update(`${p}a`, '2', created.modRevision);
      assert.equal(await storage.currentRevision(), start + 2);
      const deleted = await storage.delete(`${p}a`);
      assert.equal(deleted.revision, start + 3);
      await assert.rejects(
        storage.create(`${p}b`, '1').then(() => storage.create(`${p}b`, '2')),
        KeyExistsError,
      );
      assert.equal(await storage.currentRevision(), start + 4, 'a failed write does not use a revision');
    });

    it('a read above the current revision fails with FutureRevisionError', async () => {
      const current = await storage.currentRevision();
      await assert.rejects(storage.list(p, { revision: current + 10 }), (error: unknown) => {
        assert.ok(error instanceof FutureRevisionError);
        assert.equal(error.requested, current + 10);
        return true;
      });
    });

    it('concurrent updates at the same modRevision: exactly one wins', async () => {
      const created = await storage.create(`${p}a`, '0');
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((n) => storage.update(`${p}a`, String(n), created.modRevision)),
      );
      const won = results.filter((result) => result.status === 'fulfilled');
      const lost = results.filter((result) => result.status === 'rejected');
      assert.equal(won.length, 1);
      for (const result of lost) assert.ok(result.reason instanceof ConflictError);
      assert.equal((await storage.get(`${p}a`))?.value, won[0]?.value.value);
    });

    it('a watch from a past revision replays history, then streams live writes', async () => {
      const start = await storage.currentRevision();
      const a = await storage.create(`${p}a`, '1');
      const a2 = await storage.update(`${p}a`, '2', a.modRevision);
      await storage.create(`/other${p}`, 'not watched');

      const recorder = watch(p, start);
      await recorder.untilEvents(2);
      assert.deepEqual(recorder.events, [
        { type: 'put', kv: a, prev: undefined },
        { type: 'put', kv: a2, prev: a },
      ]);

      const b = await storage.create(`${p}b`, '1');
      await recorder.untilEvents(3);
      assert.deepEqual(recorder.events[2], { type: 'put', kv: b, prev: undefined });
      assert.equal(recorder.errors.length, 0);
    });

    it('a watch starts strictly after afterRevision', async () => {
      const a = await storage.create(`${p}a`, '1');
      const b = await storage.create(`${p}b`, '1');
      const recorder = watch(p, a.modRevision);
      await recorder.untilEvents(1);
      const c = await storage.create(`${p}c`, '1');
      await recorder.untilEvents(2);
      assert.deepEqual(recorder.events.map(revisionOf), [b.modRevision, c.modRevision]);
    });

    it('a watch sees deletes with the previous value', async () => {
      const created = await storage.create(`${p}a`, '1');
      const recorder = watch(p, created.modRevision);
      const deleted = await storage.delete(`${p}a`);
      await recorder.untilEvents(1);
      assert.deepEqual(recorder.events[0], {
        type: 'delete',
        key: `${p}a`,
        revision: deleted.revision,
        prev: created,
      });
    });

    it('a watch delivers events of all keys under the prefix in write order', async () => {
      const start = await storage.currentRevision();
      const recorder = watch(p, start);
      const writes = ['a', 'b', 'c', 'b', 'a'];
      const revisions: number[] = [];
      const current = new Map<string, number>();
      for (const key of writes) {
        const known = current.get(key);
        const kv =
          known === undefined
            ? await storage.create(`${p}${key}`, '1')
            : await storage.update(`${p}${key}`, '2', known);
        current.set(key, kv.modRevision);
        revisions.push(kv.modRevision);
      }
      await recorder.untilEvents(writes.length);
      assert.deepEqual(recorder.events.map(revisionOf), revisions);
      assert.deepEqual(
        recorder.events.map(keyOf),
        writes.map((key) => `${p}${key}`),
      );
    });

    it('a watch never calls its sink inside the write that caused the event', async () => {
      const start = await storage.currentRevision();
      const recorder = watch(p, start);
      const write = storage.create(`${p}a`, '1');
      assert.equal(recorder.events.length, 0);
      await write;
      await recorder.untilEvents(1);
    });

    it('a cancelled watch gets no more events', async () => {
      const start = await storage.currentRevision();
      const recorder = new Recorder();
      const handle = storage.watch(p, start, recorder.sink);
      await storage.create(`${p}a`, '1');
      await recorder.untilEvents(1);
      handle.cancel();
      await storage.create(`${p}b`, '1');
      const probe = watch(p, start);
      await probe.untilEvents(2);
      assert.equal(recorder.events.length, 1);
    });

    it('after compaction, reads and watches below the compacted revision fail with RevisionCompactedError', async () => {
      const old = await storage.create(`${p}a`, '1');
      await storage.update(`${p}a`, '2', old.modRevision);
      const kept = await storage.create(`${p}b`, '1');
      await storage.compact(kept.modRevision);

      await assert.rejects(storage.list(p, { revision: old.modRevision }), RevisionCompactedError);
      const atCompaction = await storage.list(p, { revision: kept.modRevision });
      assert.deepEqual(
        atCompaction.items.map((item) => item.value),
        ['2', '1'],
      );

      const tooOld = watch(p, old.modRevision);
      await tooOld.untilError();
      assert.ok(tooOld.errors[0] instanceof RevisionCompactedError);
      assert.equal(tooOld.events.length, 0);

      // Events from the compaction revision on are still there.
      const fromCompaction = watch(p, kept.modRevision - 1);
      await fromCompaction.untilEvents(1);
      assert.deepEqual(fromCompaction.events[0], { type: 'put', kv: kept, prev: undefined });
      assert.equal(fromCompaction.errors.length, 0);

      await storage.compact(kept.modRevision);
      await assert.rejects(storage.compact((await storage.currentRevision()) + 5), FutureRevisionError);
    });
  });
}
