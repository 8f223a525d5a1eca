import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConditionalUpdateRisk } from '../../../src/api/config/cluster-version.ts';
import {
  assessRisk,
  memoizeEvaluator,
  recommendedCondition,
  type RiskEvaluator,
} from '../../../src/readiness/graph/risks.ts';

const risk = (
  name: string,
  matchingRules: ConditionalUpdateRisk['matchingRules'],
): ConditionalUpdateRisk => ({
  name,
  url: `https://issues.example/${name}`,
  message: `${name} happens.`,
  matchingRules,
});

describe('risk evaluation', () => {
  it('Always rules apply without asking the evaluator', async () => {
    let calls = 0;
    const evaluator: RiskEvaluator = () => {
      calls++;
      return Promise.resolve({ matches: false });
    };
    const result = await assessRisk(risk('Pre', [{ type: 'Always' }]), evaluator);
    assert.equal(result.result, 'Applies');
    assert.equal(calls, 0);
  });

  it('walks matching rules in order: a rule that fails to evaluate falls through to the next', async () => {
    const evaluator: RiskEvaluator = (q) =>
      Promise.resolve(q === 'broken' ? { error: 'bad query' } : { matches: false });
    const twoRules = risk('R', [
      { type: 'PromQL', promql: { promql: 'broken' } },
      { type: 'PromQL', promql: { promql: 'fine' } },
    ]);
    assert.equal((await assessRisk(twoRules, evaluator)).result, 'DoesNotApply');
    const thenAlways = risk('R', [{ type: 'PromQL', promql: { promql: 'broken' } }, { type: 'Always' }]);
    assert.equal((await assessRisk(thenAlways, evaluator)).result, 'Applies');
    const allBroken = risk('R', [
      { type: 'PromQL', promql: { promql: 'broken' } },
      { type: 'PromQL', promql: { promql: 'broken' } },
    ]);
    assert.deepEqual(await assessRisk(allBroken, evaluator), {
      name: 'R',
      url: 'https://issues.example/R',
      message: 'R happens.',
      result: 'EvaluationFailed',
      error: '[bad query, bad query]',
    });
  });

  it('a risk name that is not a valid condition reason becomes ExposedToRisks', () => {
    const condition = recommendedCondition([
      { name: 'not a reason!', url: 'u', message: 'm', result: 'Applies' },
    ]);
    assert.equal(condition.reason, 'ExposedToRisks');
    assert.equal(condition.message, 'm u');
  });

  it('two applying risks give MultipleReasons; an evaluation failure never lifts False', () => {
    const condition = recommendedCondition([
      { name: 'A', url: 'ua', message: 'ma', result: 'Applies' },
      { name: 'B', url: 'ub', message: 'mb', result: 'EvaluationFailed', error: 'e' },
      { name: 'C', url: 'uc', message: 'mc', result: 'DoesNotApply' },
    ]);
    assert.equal(condition.status, 'False');
    assert.equal(condition.reason, 'MultipleReasons');
  });

  it('runs each distinct query once, however many risks share it', async () => {
    const seen: string[] = [];
    const evaluator = memoizeEvaluator((q) => {
      seen.push(q);
      return Promise.resolve({ matches: true });
    });
    await Promise.all([evaluator('a'), evaluator('a'), evaluator('b')]);
    assert.deepEqual(seen, ['a', 'b']);
  });
});
