import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../../src/api/kind.ts';
import {
  clearInvalidTransitions,
  finishStatus,
  invalidTransition,
  setIbuCondition,
  startPhase,
  startStageHistory,
  stopPhase,
  stopStageHistory,
} from '../../../src/controllers/imagebasedupgrade/status.ts';
import {
  prepSteps,
  rollbackSteps,
  upgradePostPivotSteps,
  upgradePrePivotSteps,
  upgradeSteps,
} from '../../../src/controllers/imagebasedupgrade/steps.ts';

const t0 = new Date('2024-05-01T10:00:00Z');
const t1 = new Date('2024-05-01T10:05:00.750Z');
const ctx = { generation: 3, now: t1 };

const cond = (type: string, status: 'True' | 'False', reason: string): Condition => ({
  type,
  status,
  reason,
  message: reason,
  lastTransitionTime: '2024-05-01T10:00:00Z',
});

test('a condition that flips status moves to the end of the list; one that keeps it stays in place', () => {
  const list = [cond('PrepInProgress', 'True', 'InProgress'), cond('Idle', 'False', 'InProgress')];
  const flipped = setIbuCondition(list, 'PrepInProgress', 'False', 'Completed', 'Prep completed', ctx);
  assert.deepEqual(
    flipped.map((c) => c.type),
    ['Idle', 'PrepInProgress'],
  );
  assert.equal(flipped[1]?.lastTransitionTime, '2024-05-01T10:05:00Z');

  const kept = setIbuCondition(list, 'PrepInProgress', 'True', 'InProgress', 'Pulling the seed image', ctx);
  assert.deepEqual(
    kept.map((c) => c.type),
    ['PrepInProgress', 'Idle'],
  );
  assert.equal(kept[0]?.lastTransitionTime, '2024-05-01T10:00:00Z');
});

test('Idle always moves to the end when set, as upstream does', () => {
  const list = [cond('Idle', 'False', 'InProgress'), cond('PrepCompleted', 'True', 'Completed')];
  const next = setIbuCondition(list, 'Idle', 'False', 'Finalizing', 'Finalizing', ctx);
  assert.deepEqual(
    next.map((c) => [c.type, c.reason]),
    [
      ['PrepCompleted', 'Completed'],
      ['Idle', 'Finalizing'],
    ],
  );
});

test('a valid move clears earlier invalid-transition conditions, turning an invalid Idle back to In progress', () => {
  const refused = invalidTransition(
    invalidTransition(
      { conditions: [cond('Idle', 'True', 'Idle')] },
      'Upgrade',
      'Previous stage not succeeded',
      ctx,
    ),
    'Idle',
    'Abort or finalize not allowed',
    ctx,
  );
  const cleared = clearInvalidTransitions(refused, ctx);
  assert.deepEqual(
    cleared.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [['Idle', 'False', 'InProgress', 'In progress']],
  );
});

test('an empty validNextStages is left out, which the CRD reads as "no move allowed"', () => {
  const status = finishStatus(
    { validNextStages: ['Prep'] },
    { stage: 'Idle', generation: 4, validNextStages: [] },
  );
  assert.equal('validNextStages' in status, false);
  assert.equal(status.observedGeneration, 4);
});

test('observedGeneration is refreshed only on the conditions of the desired stage', () => {
  const status = finishStatus(
    {
      conditions: [
        { ...cond('PrepCompleted', 'True', 'Completed'), observedGeneration: 1 },
        cond('UpgradeInProgress', 'True', 'InProgress'),
      ],
    },
    { stage: 'Upgrade', generation: 5, validNextStages: ['Rollback'] },
  );
  assert.deepEqual(
    status.conditions?.map((c) => c.observedGeneration),
    [1, 5],
  );
  assert.deepEqual(status.validNextStages, ['Rollback']);
});

test('stage history opens once per stage and records phases with second-precision times', () => {
  let status = startStageHistory({}, 'Prep', t0);
  status = startStageHistory(status, 'Prep', t1);
  assert.equal(status.history?.length, 1);
  status = startPhase(status, 'Prep', 'pull-seed-image', t0);
  status = startPhase(status, 'Prep', 'pull-seed-image', t1);
  status = stopPhase(status, 'Prep', 'pull-seed-image', t1);
  status = stopStageHistory(status, 'Prep', t1);
  assert.deepEqual(status.history, [
    {
      stage: 'Prep',
      startTime: '2024-05-01T10:00:00Z',
      completionTime: '2024-05-01T10:05:00Z',
      phases: [
        {
          phase: 'pull-seed-image',
          startTime: '2024-05-01T10:00:00Z',
          completionTime: '2024-05-01T10:05:00Z',
        },
      ],
    },
  ]);
  assert.equal(startStageHistory({}, 'Idle', t0).history, undefined, 'Idle has no history');
});

test('the step lists say which side of the pivot each step runs on, with unique names per stage', () => {
  assert.deepEqual(
    prepSteps.map((s) => s.name),
    [
      'validate-spec',
      'pull-seed-image',
      'check-compatibility',
      'clean-container-storage',
      'pull-seed-images',
      'setup-stateroot',
    ],
  );
  assert.ok(upgradePrePivotSteps.every((s) => s.side === 'pre-pivot'));
  assert.ok(upgradePostPivotSteps.every((s) => s.side === 'post-pivot'));
  assert.equal(upgradePrePivotSteps[upgradePrePivotSteps.length - 1]?.name, 'reboot');
  for (const list of [prepSteps, upgradeSteps, rollbackSteps]) {
    assert.equal(new Set(list.map((s) => s.name)).size, list.length);
    assert.ok(list.every((s) => s.description.length > 0));
  }
});
