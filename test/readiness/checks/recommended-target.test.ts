import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recommendedTargetCheck } from '../../../src/readiness/checks/recommended-target.ts';
import type { Recommender } from '../../../src/readiness/report/context.ts';
import { clusterVersion, context, severitiesOf } from './fixtures.ts';

const release = (version: string) => ({ version, image: `quay.io/ocp@sha256:${version}` });
const retrieved = { type: 'RetrievedUpdates', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' };
const risk = {
  name: 'OVNKubeRestart',
  message: 'OVN may restart on clusters with many egress IPs.',
  url: 'https://issues.redhat.com/browse/OCPBUGS-1',
  matchingRules: [{ type: 'PromQL', promql: { promql: 'max(cluster_egress_ips) > bool 100' } }],
};

function cv(extra: Record<string, unknown> = {}) {
  return clusterVersion(
    {
      availableUpdates: [release('4.13.15'), release('4.14.2')],
      conditionalUpdates: [
        {
          release: release('4.14.3'),
          risks: [risk],
          conditions: [
            {
              type: 'Recommended',
              status: 'False',
              reason: 'OVNKubeRestart',
              message: 'applies',
              lastTransitionTime: '2025-01-01T00:00:00Z',
            },
          ],
        },
      ],
      conditions: [retrieved],
      ...extra,
    },
    { channel: 'stable-4.14' },
  );
}

describe('UPD-6 recommended target', () => {
  it('a recommended target passes', async () => {
    assert.deepEqual(await recommendedTargetCheck.run(context([cv()], { targetVersion: '4.14.2' })), []);
  });

  it('a conditional target is a warning listing its risks', async () => {
    const findings = await recommendedTargetCheck.run(context([cv()]));
    assert.deepEqual(severitiesOf(findings), ['warning']);
    assert.match(findings[0]?.title ?? '', /4\.14\.3 is a conditional update/);
    assert.deepEqual(findings[0]?.evidence.details, [
      'OVNKubeRestart: OVN may restart on clusters with many egress IPs. (https://issues.redhat.com/browse/OCPBUGS-1)',
    ]);
  });

  it('with a risk evaluator the PromQL decides: a risk that does not apply leaves nothing to report', async () => {
    const quiet = await recommendedTargetCheck.run(
      context([cv()], { riskEvaluator: () => Promise.resolve({ matches: false }) }),
    );
    assert.deepEqual(quiet, []);
    const failing = await recommendedTargetCheck.run(
      context([cv()], { riskEvaluator: () => Promise.resolve({ error: 'no data' }) }),
    );
    assert.deepEqual(severitiesOf(failing), ['warning']);
    assert.match(failing[0]?.evidence.details?.[0] ?? '', /EvaluationFailed: no data/);
  });

  it('a target outside the recommendations is a warning naming what is recommended', async () => {
    const findings = await recommendedTargetCheck.run(context([cv()], { targetVersion: '4.14.9' }));
    assert.deepEqual(severitiesOf(findings), ['warning']);
    assert.match(findings[0]?.evidence.details?.[0] ?? '', /channel stable-4\.14: 4\.13\.15, 4\.14\.2/);
  });

  it('a minor-only --to matches any release of that minor', async () => {
    assert.deepEqual(await recommendedTargetCheck.run(context([cv()], { targetVersion: '4.14' })), []);
  });

  it('without retrieved updates and without a graph it is info "not checked"', async () => {
    const findings = await recommendedTargetCheck.run(context([clusterVersion({ availableUpdates: null })]));
    assert.deepEqual(severitiesOf(findings), ['info']);
    assert.match(findings[0]?.title ?? '', /not checked: .*--graph/);
  });

  it('a graph recommender answers when ClusterVersion does not list the target', async () => {
    const recommender = (answer: Awaited<ReturnType<Recommender['recommend']>>): Recommender => ({
      source: 'graph.json',
      recommend: () => Promise.resolve(answer),
    });
    const cluster = [clusterVersion({ availableUpdates: null })];
    assert.deepEqual(
      await recommendedTargetCheck.run(
        context(cluster, { recommender: recommender({ kind: 'recommended' }) }),
      ),
      [],
    );
    const no = await recommendedTargetCheck.run(
      context(cluster, { recommender: recommender({ kind: 'not-recommended', reason: 'via 4.13.20' }) }),
    );
    assert.deepEqual(severitiesOf(no), ['warning']);
    assert.equal(no[0]?.evidence.details?.[0], 'via 4.13.20');
  });
});
