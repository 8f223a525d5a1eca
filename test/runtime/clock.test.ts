import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../src/runtime/backoff.ts';
import { ManualClock, realClock } from '../../src/runtime/clock.ts';

describe('ManualClock', () => {
  it('fires due timers in order as time advances, including timers they set', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('30'));
    clock.setTimer(10, () => {
      fired.push('10');
      clock.setTimer(5, () => fired.push(`15@${clock.now().getTime()}`));
    });
    const cancelled = clock.setTimer(20, () => fired.push('20'));
    cancelled.cancel();
    clock.advance(25);
    assert.deepEqual(fired, ['10', '15@15']);
    assert.equal(clock.now().getTime(), 25);
    clock.advance(5);
    assert.deepEqual(fired, ['10', '15@15', '30']);
  });

  it('sleep resolves when time passes, or at once when its signal aborts', async () => {
    const clock = new ManualClock(0);
    let woke = false;
    const sleeping = clock.sleep(100).then(() => (woke = true));
    clock.advance(99);
    await Promise.resolve();
    assert.equal(woke, false);
    clock.advance(1);
    await sleeping;
    const abort = new AbortController();
    const aborted = clock.sleep(1_000_000, abort.signal);
    abort.abort();
    await aborted;
    assert.deepEqual(clock.pendingDelays(), []);
  });

  it('the real clock sleep ends early on abort', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    await realClock.sleep(10_000, abort.signal);
    assert.ok(Date.now() - started < 1000);
  });
});

describe('Backoff', () => {
  it('grows exponentially with up to `jitter` extra, never beyond the cap, and resets', () => {
    const lowest = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5, random: () => 0 });
    assert.deepEqual(
      Array.from({ length: 6 }, () => lowest.next()),
      [100, 200, 400, 800, 1000, 1000],
    );
    lowest.reset();
    assert.equal(lowest.next(), 100);
    const highest = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
    const delays = Array.from({ length: 6 }, () => highest.next());
    assert.ok(delays[0] !== undefined && delays[0] > 149 && delays[0] < 150);
    assert.ok(delays.every((d) => d <= 1000));
  });
});
