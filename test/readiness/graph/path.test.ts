import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recommendedPath } from '../../../src/readiness/graph/path.ts';
import type { RiskEvaluator } from '../../../src/readiness/graph/risks.ts';
import { fixture, labGraph } from './fixtures.ts';

const sriovQueryPart = 'sriov-network-operator';

function sriov(answer: { matches: boolean } | { error: string }): RiskEvaluator & { calls: string[] } {
  const calls: string[] = [];
  const evaluate = (promql: string) => {
    calls.push(promql);
    return Promise.resolve(
      promql.includes(sriovQueryPart) ? answer : { error: `unexpected query ${promql}` },
    );
  };
  return Object.assign(evaluate, { calls });
}

const stops = (hops: readonly { to: string }[]): string[] => hops.map((h) => h.to);

describe('the recommended update path', () => {
  it('avoids a conditional update whose PromQL risk cannot be evaluated, and says why', async () => {
    const result = await recommendedPath(labGraph(), { from: '4.14.13', to: '4.16.1' });
    assert.equal(result.found, true);
    assert.deepEqual(stops(result.hops), ['4.15.15', '4.16.1']);
    const shortcut = result.avoided.find((e) => e.from === '4.14.13' && e.to === '4.15.20');
    assert.equal(shortcut?.hopsVia, 2);
    assert.equal(shortcut?.recommended.status, 'Unknown');
    assert.equal(shortcut?.recommended.reason, 'EvaluationFailed');
    assert.deepEqual(
      shortcut?.risks.map((r) => [r.name, r.result, r.url]),
      [['SRIOVFailedToConfigureVF', 'EvaluationFailed', 'https://issues.redhat.com/browse/NHE-1171']],
    );
    assert.ok(result.warnings.some((w) => w.startsWith('PromQL risks were not evaluated')));
    const always = result.avoided.find((e) => e.to === '4.16.0');
    assert.equal(always?.recommended.reason, 'OVNKubernetesEgressIPRegression');
  });

  it('takes a conditional update whose risks were evaluated as not applying, preferring the newer stop', async () => {
    const evaluator = sriov({ matches: false });
    const result = await recommendedPath(labGraph(), { from: '4.14.13', to: '4.16.1', evaluator });
    assert.deepEqual(stops(result.hops), ['4.15.20', '4.16.1']);
    const [first, second] = result.hops;
    assert.equal(first?.conditional, true);
    assert.deepEqual(
      first?.risks?.map((r) => r.result),
      ['DoesNotApply'],
    );
    assert.equal(second?.conditional, false);
    assert.ok(result.avoided.every((e) => e.risks.every((r) => r.name !== 'SRIOVFailedToConfigureVF')));
    assert.deepEqual(result.warnings, []);
    assert.equal(new Set(evaluator.calls).size, 1, 'one PromQL query, asked once');
    assert.equal(evaluator.calls.length, 1);
  });

  it('reports an applying PromQL risk as Recommended=False with its name', async () => {
    const result = await recommendedPath(labGraph(), {
      from: '4.14.13',
      to: '4.16.1',
      evaluator: sriov({ matches: true }),
    });
    assert.deepEqual(stops(result.hops), ['4.15.15', '4.16.1']);
    const shortcut = result.avoided.find((e) => e.from === '4.14.13' && e.to === '4.15.20');
    assert.equal(shortcut?.recommended.status, 'False');
    assert.equal(shortcut?.recommended.reason, 'SRIOVFailedToConfigureVF');
  });

  it('marks each hop: patch or minor, channels offering it, image', async () => {
    const result = await recommendedPath(labGraph(), { from: '4.12.40', to: '4.16.1' });
    assert.deepEqual(
      result.hops.map((h) => `${h.from}→${h.to} ${h.kind}${h.minorUpdate ? ' (acks)' : ''}`),
      [
        '4.12.40→4.13.30 minor (acks)',
        '4.13.30→4.14.10 minor (acks)',
        '4.14.10→4.14.13 patch',
        '4.14.13→4.15.15 minor (acks)',
        '4.15.15→4.16.1 minor (acks)',
      ],
    );
    // Without a channel, releases not yet in a stable channel (4.14.25) are passed over.
    assert.ok(result.hops.every((h) => h.channels.some((c) => c.startsWith('stable-'))));
    assert.equal(result.hops[0]?.image, 'quay.io/openshift-release-dev/ocp-release:4.13.30-x86_64');
    assert.ok(result.hops[0]?.channels.includes('eus-4.14'));
  });

  it('prefers stopping on EUS minors over a newer stop on an odd minor (EUS-to-EUS)', async () => {
    const result = await recommendedPath(fixture('eus.json'), { from: '4.12.1', to: '4.14.1' });
    assert.deepEqual(stops(result.hops), ['4.12.5', '4.13.2', '4.14.1']);
    assert.equal(result.eusToEus, true);
  });

  it('keeps to the channel when one is given', async () => {
    const result = await recommendedPath(labGraph(), { from: '4.12.40', to: '4.14.13', channel: 'eus-4.14' });
    assert.equal(result.found, true);
    assert.equal(result.channel, 'eus-4.14');
    assert.ok(result.hops.every((h) => h.channels.includes('eus-4.14')));
    assert.equal(result.eusToEus, true);
    await assert.rejects(
      recommendedPath(labGraph(), { from: '4.14.13', to: '4.16.1', channel: 'stable-4.14' }),
      {
        message: /^4.16.1 is not in channel stable-4.14 \(its channels: candidate-4.16, /,
      },
    );
  });

  it('when the target is unreachable, names the closest release and the conditional updates that would connect it', async () => {
    const result = await recommendedPath(labGraph(), { from: '4.14.13', to: '4.16.0' });
    assert.equal(result.found, false);
    assert.deepEqual(result.hops, []);
    assert.equal(result.unreachable?.closest, '4.15.20');
    assert.equal(result.unreachable?.hopsFromClosest, 1);
    assert.deepEqual(
      result.unreachable?.connectingEdges.map((e) => [e.from, e.to, e.recommended.reason]),
      [['4.15.20', '4.16.0', 'OVNKubernetesEgressIPRegression']],
    );
    assert.match(
      result.unreachable?.message ?? '',
      /recommended updates get as far as 4.15.20, 1 hop short; in the way: 4.15.20 → 4.16.0 \(OVNKubernetesEgressIPRegression\)/,
    );
  });

  it('says so when not even a conditional update leads to the target', async () => {
    const result = await recommendedPath(fixture('eus.json'), { from: '4.12.1', to: '4.14.2' });
    assert.equal(result.found, false);
    assert.equal(result.unreachable?.closest, '4.14.1');
    assert.deepEqual(result.unreachable?.connectingEdges, []);
    assert.match(result.unreachable?.message ?? '', /no update leads to 4.14.2, not even a conditional one/);
  });

  it('evaluates only conditional updates that could lie on a path', async () => {
    const evaluator = sriov({ matches: false });
    const result = await recommendedPath(labGraph(), { from: '4.12.40', to: '4.13.40', evaluator });
    assert.equal(result.found, true);
    assert.deepEqual(evaluator.calls, []);
  });

  it('refuses downgrades, unknown versions and non-versions', async () => {
    const graph = labGraph();
    await assert.rejects(recommendedPath(graph, { from: '4.16.1', to: '4.14.13' }), {
      message: '4.16.1 → 4.14.13 is a downgrade; OpenShift updates only go to newer releases',
    });
    await assert.rejects(recommendedPath(graph, { from: '4.14.13', to: '4.16.9' }), {
      message: '4.16.9 is not in the update graph (4.16 releases in it: 4.16.0, 4.16.1, 4.16.3, 4.16.5)',
    });
    await assert.rejects(
      recommendedPath(graph, { from: '4.14', to: '4.16.1' }),
      /"4.14" is not a semantic version/,
    );
    const same = await recommendedPath(graph, { from: '4.14.13', to: '4.14.13' });
    assert.equal(same.found, true);
    assert.deepEqual(same.hops, []);
  });
});
