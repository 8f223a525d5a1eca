import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graphRecommender } from '../../../src/readiness/checks/support/graph-recommender.ts';
import { parseGraph } from '../../../src/readiness/graph/parse.ts';

const channels = { 'io.openshift.upgrades.graph.release.channels': 'stable-4.13,stable-4.14' };
const node = (version: string) => ({
  version,
  payload: `quay.io/ocp@sha256:${version.replace(/\./g, '')}`,
  metadata: channels,
});

const graph = parseGraph(
  {
    version: 1,
    nodes: [node('4.13.10'), node('4.13.12'), node('4.14.2'), node('4.14.3')],
    // 4.13.10 → 4.13.12 → 4.14.2 recommended; 4.13.12 → 4.14.3 only conditionally.
    edges: [
      [0, 1],
      [1, 2],
    ],
    conditionalEdges: [
      {
        edges: [{ from: '4.13.12', to: '4.14.3' }],
        risks: [
          {
            name: 'EgressRisk',
            url: 'https://issues.example/1',
            message: 'Egress may break.',
            matchingRules: [{ type: 'PromQL', promql: { promql: 'vector(1)' } }],
          },
        ],
      },
    ],
  },
  'graph.json',
);

describe('the update graph as a recommender', () => {
  it('a direct recommended edge is recommended', async () => {
    assert.deepEqual(await graphRecommender(graph, 'graph.json').recommend('4.13.12', '4.14.2'), {
      kind: 'recommended',
    });
  });

  it('a conditional edge whose risk applies (or cannot be evaluated) is conditional, with the verdict', async () => {
    const applies = await graphRecommender(graph, 'graph.json', () =>
      Promise.resolve({ matches: true }),
    ).recommend('4.13.12', '4.14.3');
    assert.equal(applies.kind, 'conditional');
    assert.deepEqual(applies.kind === 'conditional' ? applies.risks.map((r) => [r.name, r.verdict]) : [], [
      ['EgressRisk', 'Applies'],
    ]);
    const unevaluated = await graphRecommender(graph, 'graph.json').recommend('4.13.12', '4.14.3');
    assert.equal(unevaluated.kind, 'conditional');
  });

  it('a conditional edge whose risk does not apply is recommended', async () => {
    const answer = await graphRecommender(graph, 'graph.json', () =>
      Promise.resolve({ matches: false }),
    ).recommend('4.13.12', '4.14.3');
    assert.deepEqual(answer, { kind: 'recommended' });
  });

  it('a target reached only through other releases is not recommended, naming the path', async () => {
    const answer = await graphRecommender(graph, 'graph.json').recommend('4.13.10', '4.14.2');
    assert.deepEqual(answer, {
      kind: 'not-recommended',
      reason: 'there is no direct recommended update; the recommended path is 4.13.10 → 4.13.12 → 4.14.2',
    });
  });
});
