import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/runtime/clock.ts';
import { WorkQueue } from '../../src/runtime/work-queue.ts';

/** The next key if one is ready now (a test never leaves a get() waiting). */
async function ready(queue: WorkQueue<string>): Promise<string | undefined> {
  return queue.length > 0 ? queue.get() : undefined;
}

describe('WorkQueue dedup', () => {
  it('hands out a key added many times once', async () => {
    const queue = new WorkQueue<string>();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.length, 2);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
    assert.equal(await ready(queue), undefined);
  });

  it('a key added while it is processed comes back once, only after done', async () => {
    const queue = new WorkQueue<string>();
    queue.add('a');
    const key = await queue.get();
    assert.equal(key, 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(await ready(queue), undefined, 'not handed out twice at once');
    queue.done('a');
    const again = await ready(queue);
    assert.equal(again, 'a');
    queue.done('a');
    assert.equal(await ready(queue), undefined);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const queue = new WorkQueue<string>();
    const waiting = queue.get();
    queue.add('late');
    assert.equal(await waiting, 'late');
  });
});

describe('WorkQueue backoff', () => {
  it('retries a failing key after base × 2^failures, capped, until forgotten', async () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock, baseDelayMs: 10, maxDelayMs: 50 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      queue.addRateLimited('k');
      delays.push(clock.pendingDelays()[0] ?? -1);
      clock.advance(delays.at(-1) ?? 0);
      assert.equal(await queue.get(), 'k');
      queue.done('k');
    }
    assert.deepEqual(delays, [10, 20, 40, 50, 50]);
    assert.equal(queue.numRequeues('k'), 5);
    queue.forget('k');
    queue.addRateLimited('k');
    assert.deepEqual(clock.pendingDelays(), [10]);
  });

  it('keeps backoff per key', () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock, baseDelayMs: 10 });
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.addRateLimited('b');
    assert.equal(queue.numRequeues('a'), 2);
    assert.equal(queue.numRequeues('b'), 1);
  });

  it('addAfter delivers only once the delay passed; an earlier pending add wins', async () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock });
    queue.addAfter('x', 100);
    queue.addAfter('x', 500);
    queue.addAfter('x', 50);
    assert.deepEqual(clock.pendingDelays(), [50]);
    clock.advance(49);
    assert.equal(await ready(queue), undefined);
    clock.advance(1);
    assert.equal(await ready(queue), 'x');
  });
});

describe('WorkQueue shutdown', () => {
  it('drains: queued keys are still handed out, in-flight work is waited for, new adds are ignored', async () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({ clock });
    queue.add('a');
    queue.add('b');
    const inFlight = await queue.get();
    queue.addAfter('later', 10);
    let drained = false;
    const draining = queue.shutdownWithDrain().then(() => (drained = true));
    queue.add('c');
    assert.deepEqual(clock.pendingDelays(), [], 'delayed adds are dropped');
    assert.equal(await queue.get(), 'b');
    queue.done('b');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(drained, false, 'a still in flight');
    queue.done(inFlight ?? '');
    await draining;
    assert.equal(await queue.get(), undefined, 'c was never queued');
  });

  it('releases waiting workers with undefined', async () => {
    const queue = new WorkQueue<string>();
    const waiting = queue.get();
    queue.shutdown();
    assert.equal(await waiting, undefined);
  });
});
