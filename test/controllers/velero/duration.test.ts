import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DurationError,
  formatGoDuration,
  parseGoDuration,
} from '../../../src/controllers/velero/duration.ts';

describe('Go durations', () => {
  it('parses what time.ParseDuration accepts', () => {
    assert.equal(parseGoDuration('720h0m0s'), 720 * 3_600_000);
    assert.equal(parseGoDuration('1.5h'), 5_400_000);
    assert.equal(parseGoDuration('1m30s'), 90_000);
    assert.equal(parseGoDuration('300ms'), 300);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-2s'), -2000);
  });

  it("refuses what it refuses, in Go's words", () => {
    assert.throws(() => parseGoDuration('abc'), new DurationError('time: invalid duration "abc"'));
    assert.throws(() => parseGoDuration('10'), new DurationError('time: missing unit in duration "10"'));
    assert.throws(() => parseGoDuration('3d'), new DurationError('time: unknown unit "d" in duration "3d"'));
    assert.throws(() => parseGoDuration(''), DurationError);
  });

  it('formats like Duration.String()', () => {
    assert.equal(formatGoDuration(720 * 3_600_000), '720h0m0s');
    assert.equal(formatGoDuration(90_000), '1m30s');
    assert.equal(formatGoDuration(0), '0s');
  });
});
