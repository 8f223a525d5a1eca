import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  getCondition,
  isFalse,
  isTrue,
  removeCondition,
  sameConditions,
  setCondition,
  type Condition,
} from '../../src/runtime/conditions.ts';

const t0 = new Date('2026-03-01T10:00:00.123Z');
const t1 = new Date('2026-03-01T10:05:00Z');

describe('setCondition', () => {
  it('adds a new condition stamped with now, at second precision', () => {
    const conditions = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Waiting', message: 'not yet', observedGeneration: 1 },
      t0,
    );
    assert.deepEqual(conditions, [
      {
        type: 'Ready',
        status: 'False',
        reason: 'Waiting',
        message: 'not yet',
        lastTransitionTime: '2026-03-01T10:00:00Z',
        observedGeneration: 1,
      },
    ]);
  });

  it('keeps lastTransitionTime when only reason, message or generation change', () => {
    const before = setCondition([], { type: 'Ready', status: 'False', reason: 'A', message: 'a' }, t0);
    const after = setCondition(
      before,
      { type: 'Ready', status: 'False', reason: 'B', message: 'b', observedGeneration: 2 },
      t1,
    );
    assert.equal(after[0]?.lastTransitionTime, '2026-03-01T10:00:00Z');
    assert.equal(after[0]?.reason, 'B');
    assert.equal(after[0]?.message, 'b');
    assert.equal(after[0]?.observedGeneration, 2);
  });

  it('moves lastTransitionTime when the status changes', () => {
    const before = setCondition([], { type: 'Ready', status: 'False', reason: 'A', message: '' }, t0);
    const after = setCondition(before, { type: 'Ready', status: 'True', reason: 'Done', message: '' }, t1);
    assert.equal(after[0]?.lastTransitionTime, '2026-03-01T10:05:00Z');
  });

  it('does not modify its input and keeps the other conditions in place', () => {
    const input: Condition[] = [
      { type: 'A', status: 'True', reason: 'R', message: '', lastTransitionTime: 'x' },
      { type: 'B', status: 'True', reason: 'R', message: '', lastTransitionTime: 'y' },
    ];
    const frozen = structuredClone(input);
    const output = setCondition(input, { type: 'A', status: 'False', reason: 'R2', message: '' }, t1);
    assert.deepEqual(input, frozen);
    assert.deepEqual(
      output.map((c) => c.type),
      ['A', 'B'],
    );
    assert.equal(output[1], input[1]);
  });

  it('an unchanged update yields the same conditions, so no status write is needed', () => {
    const before = setCondition([], { type: 'Ready', status: 'True', reason: 'R', message: 'm' }, t0);
    const again = setCondition(before, { type: 'Ready', status: 'True', reason: 'R', message: 'm' }, t1);
    assert.ok(sameConditions(before, again));
    const changed = setCondition(
      before,
      { type: 'Ready', status: 'True', reason: 'R', message: 'other' },
      t1,
    );
    assert.ok(!sameConditions(before, changed));
  });
});

describe('condition queries', () => {
  const conditions = setCondition(
    setCondition([], { type: 'Ready', status: 'True', reason: 'R', message: '' }, t0),
    { type: 'Degraded', status: 'False', reason: 'R', message: '' },
    t0,
  );

  it('getCondition finds by type; isTrue/isFalse read the status; absent is neither', () => {
    assert.equal(getCondition(conditions, 'Ready')?.status, 'True');
    assert.ok(isTrue(conditions, 'Ready'));
    assert.ok(isFalse(conditions, 'Degraded'));
    assert.ok(!isTrue(conditions, 'Missing') && !isFalse(conditions, 'Missing'));
    assert.ok(!isTrue(undefined, 'Ready'));
  });

  it('removeCondition drops one type', () => {
    assert.deepEqual(
      removeCondition(conditions, 'Ready').map((c) => c.type),
      ['Degraded'],
    );
  });
});
