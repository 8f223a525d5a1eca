import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RiskEvaluator } from '../../../src/readiness/graph/risks.ts';
import {
  availableUpdates,
  conditionalUpdates,
  updateRecommendations,
} from '../../../src/readiness/graph/updates.ts';
import { fixture } from './fixtures.ts';

const now = new Date('2024-09-23T22:33:38.123Z');

/** Answers from a table; records every query it runs. */
function evaluatorOf(answers: Record<string, { matches: boolean } | { error: string }>): RiskEvaluator & {
  calls: string[];
} {
  const calls: string[] = [];
  const evaluate = (promql: string) => {
    calls.push(promql);
    const answer = answers[promql];
    return Promise.resolve(answer ?? { error: `no answer for ${promql}` });
  };
  return Object.assign(evaluate, { calls });
}

const drainQuery = 'group(drain_stuck{_id=""})';

describe('availableUpdates and conditionalUpdates of one cluster', () => {
  it('lists the unconditional updates of the channel as Release entries, newest first', () => {
    const graph = fixture('small.json');
    assert.deepEqual(availableUpdates(graph, 'stable-4.14', '4.14.1'), [
      {
        version: '4.14.5',
        image: 'quay.io/openshift-release-dev/ocp-release:4.14.5-x86_64',
        url: 'https://access.redhat.com/errata/RHBA-2024:4145',
        channels: [
          'candidate-4.14',
          'candidate-4.15',
          'eus-4.14',
          'fast-4.14',
          'fast-4.15',
          'stable-4.14',
          'stable-4.15',
        ],
      },
    ]);
    // fast-4.14 also offers 4.14.8; 4.14.10 is listed unconditionally too but counts as conditional.
    assert.deepEqual(
      availableUpdates(graph, 'fast-4.14', '4.14.1').map((r) => r.version),
      ['4.14.8', '4.14.5'],
    );
    assert.deepEqual(
      availableUpdates(graph, 'stable-4.15', '4.14.1').map((r) => r.version),
      ['4.15.2', '4.14.5'],
    );
  });

  it('refuses a current version outside the channel with the CVO message', () => {
    assert.throws(() => availableUpdates(fixture('small.json'), 'stable-4.14', '4.14.8'), {
      message: 'currently reconciling cluster version 4.14.8 not found in the "stable-4.14" channel',
    });
  });

  it('marks an update Recommended=True/AsExpected when no risk applies', async () => {
    const evaluator = evaluatorOf({
      [drainQuery]: { matches: false },
      risk_one: { matches: false },
      risk_two: { matches: false },
    });
    const updates = await conditionalUpdates(fixture('small.json'), 'stable-4.14', '4.14.1', {
      evaluator,
      now,
    });
    assert.deepEqual(
      updates.map((u) => u.release.version),
      ['4.14.12', '4.14.10'],
    );
    assert.deepEqual(updates[1]?.conditions, [
      {
        type: 'Recommended',
        status: 'True',
        lastTransitionTime: '2024-09-23T22:33:38Z',
        reason: 'AsExpected',
        message:
          'The update is recommended, because none of the conditional update risks apply to this cluster.',
      },
    ]);
    assert.deepEqual(
      updates[1]?.risks.map((r) => r.name),
      ['NodeDrainStuck'],
    );
    assert.equal(updates[0]?.release.url, undefined, 'a node without url metadata has no Release.url');
  });

  it('marks an update Recommended=False with the risk name and "message url" when it applies', async () => {
    const evaluator = evaluatorOf({
      [drainQuery]: { matches: true },
      risk_one: { matches: false },
      risk_two: { matches: false },
    });
    const updates = await conditionalUpdates(fixture('small.json'), 'stable-4.14', '4.14.1', {
      evaluator,
      now,
    });
    const condition = updates.find((u) => u.release.version === '4.14.10')?.conditions?.[0];
    assert.equal(condition?.status, 'False');
    assert.equal(condition?.reason, 'NodeDrainStuck');
    assert.equal(
      condition?.message,
      'Nodes with local volumes never finish draining. https://issues.example/NodeDrainStuck',
    );
  });

  it('marks an update Recommended=Unknown/EvaluationFailed when a risk cannot be evaluated', async () => {
    const evaluator = evaluatorOf({
      [drainQuery]: { error: 'executing PromQL query: 503 Service Unavailable' },
      risk_one: { matches: false },
      risk_two: { matches: false },
    });
    const updates = await conditionalUpdates(fixture('small.json'), 'stable-4.14', '4.14.1', {
      evaluator,
      now,
    });
    const condition = updates.find((u) => u.release.version === '4.14.10')?.conditions?.[0];
    assert.equal(condition?.status, 'Unknown');
    assert.equal(condition?.reason, 'EvaluationFailed');
    assert.equal(
      condition?.message,
      'Could not evaluate exposure to update risk NodeDrainStuck (executing PromQL query: 503 Service Unavailable)\n' +
        '  NodeDrainStuck description: Nodes with local volumes never finish draining.\n' +
        '  NodeDrainStuck URL: https://issues.example/NodeDrainStuck',
    );
  });

  it('one risk applying and another failing gives False/MultipleReasons with both messages', async () => {
    const evaluator = evaluatorOf({ [drainQuery]: { matches: false }, risk_one: { matches: true } });
    const updates = await conditionalUpdates(fixture('small.json'), 'stable-4.14', '4.14.1', {
      evaluator,
      now,
    });
    const condition = updates.find((u) => u.release.version === '4.14.12')?.conditions?.[0];
    assert.equal(condition?.status, 'False');
    assert.equal(condition?.reason, 'MultipleReasons');
    assert.equal(
      condition?.message,
      'The first risk. https://issues.example/RiskOne\n\n' +
        'Could not evaluate exposure to update risk RiskTwo (no answer for risk_two)\n' +
        '  RiskTwo description: The second risk.\n' +
        '  RiskTwo URL: https://issues.example/RiskTwo',
    );
  });

  it('without an evaluator PromQL risks could not be evaluated, and a throwing evaluator counts as an error', async () => {
    const graph = fixture('small.json');
    const unevaluated = await conditionalUpdates(graph, 'stable-4.14', '4.14.1', { now });
    assert.ok(
      unevaluated.every((u) => u.conditions?.[0]?.reason === 'EvaluationFailed'),
      JSON.stringify(unevaluated),
    );
    assert.match(
      unevaluated[1]?.conditions?.[0]?.message ?? '',
      /\(no Prometheus to evaluate the PromQL query against\)/,
    );
    const throwing: RiskEvaluator = () => Promise.reject(new Error('socket hang up'));
    const failed = await conditionalUpdates(graph, 'stable-4.14', '4.14.1', { evaluator: throwing, now });
    assert.match(failed[1]?.conditions?.[0]?.message ?? '', /update risk NodeDrainStuck \(socket hang up\)/);
  });

  it('adds conditional updates whose risks do not apply to availableUpdates, as the CVO does', async () => {
    const evaluator = evaluatorOf({ [drainQuery]: { matches: false }, risk_one: { matches: true } });
    const { availableUpdates: available, conditionalUpdates: conditional } = await updateRecommendations(
      fixture('small.json'),
      'stable-4.14',
      '4.14.1',
      { evaluator, now },
    );
    assert.deepEqual(
      available.map((r) => r.version),
      ['4.14.10', '4.14.5'],
    );
    assert.equal(conditional.length, 2);
  });
});
