import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outgoingUpdates } from '../../../src/readiness/graph/graph.ts';
import { GraphError, parseGraph } from '../../../src/readiness/graph/parse.ts';
import { fixture, fixturePath, labGraph, readJson } from './fixtures.ts';

function problemsOf(document: unknown): string[] {
  try {
    parseGraph(document, 'test.json');
  } catch (error) {
    assert.ok(error instanceof GraphError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail('the graph was accepted');
}

const node = (version: string) => ({ version, payload: `quay.io/ocp-release:${version}`, metadata: {} });

describe('parsing a Cincinnati graph', () => {
  it('reads the lab graph: releases, channels sorted, conditional edges with risks', () => {
    const graph = labGraph();
    assert.equal(graph.warnings.length, 0);
    const current = graph.nodes.find((n) => n.version === '4.14.13');
    assert.deepEqual(current?.channels.slice(0, 3), ['candidate-4.14', 'candidate-4.15', 'eus-4.14']);
    assert.ok(graph.nodes.some((n) => n.version === '4.16.1'));
    const types = graph.conditionalEdges.flatMap((g) =>
      g.risks.flatMap((r) => r.matchingRules.map((m) => m.type)),
    );
    assert.deepEqual([...new Set(types)].sort(), ['Always', 'PromQL']);
  });

  it('names the edge whose index is out of range', () => {
    assert.deepEqual(problemsOf(readJson(fixturePath('bad-edge-index.json'))), [
      'edges[1]: index 7 is out of range (3 nodes)',
    ]);
  });

  it('names the conditional edge endpoint with an unknown version', () => {
    assert.deepEqual(problemsOf(readJson(fixturePath('bad-conditional-version.json'))), [
      'conditionalEdges[0].edges[1].to: unknown version 4.14.99 (no node has it)',
    ]);
  });

  it('refuses duplicate and non-semver versions', () => {
    assert.deepEqual(problemsOf(readJson(fixturePath('duplicate-version.json'))), [
      'nodes[3].version: duplicate version 4.14.1 (also nodes[0])',
    ]);
    assert.deepEqual(problemsOf(readJson(fixturePath('not-semver.json'))), [
      'nodes[1].version: "4.14" is not a semantic version (want MAJOR.MINOR.PATCH, e.g. 4.14.13)',
    ]);
  });

  it('refuses risks without matching rules', () => {
    assert.deepEqual(problemsOf(readJson(fixturePath('risk-without-rules.json'))), [
      'conditionalEdges[0].risks[0].matchingRules: required field is missing',
    ]);
    const empty = {
      nodes: [node('4.14.1'), node('4.14.2')],
      edges: [],
      conditionalEdges: [
        {
          edges: [{ from: '4.14.1', to: '4.14.2' }],
          risks: [{ url: 'u', name: 'R', message: 'm', matchingRules: [] }],
        },
      ],
    };
    assert.deepEqual(problemsOf(empty), [
      'conditionalEdges[0].risks[0].matchingRules: Expected array length to be greater or equal to 1, got []',
    ]);
  });

  it('reports shape errors with their paths, and the source in the message', () => {
    const document = { nodes: [{ version: '4.14.1' }, { version: 4, payload: 'p' }], edges: [[0], [0, 1.5]] };
    assert.deepEqual(problemsOf(document), [
      'nodes[0].payload: required field is missing',
      'nodes[1].version: Expected string, got 4',
      'edges[0]: Expected tuple to have 2 elements, got [0]',
      'edges[1][1]: Expected integer, got 1.5',
    ]);
    assert.throws(() => parseGraph([], 'graph.json'), {
      message: 'invalid update graph graph.json:\n  (document): Expected object, got []',
    });
  });

  it('refuses self, backward and duplicate updates, and duplicate conditional edges and risk names', () => {
    const document = {
      nodes: [node('4.14.1'), node('4.14.2'), node('4.14.3')],
      edges: [
        [0, 0],
        [2, 1],
        [0, 1],
        [0, 1],
      ],
      conditionalEdges: [
        {
          edges: [{ from: '4.14.1', to: '4.14.3' }],
          risks: [
            { url: 'u', name: 'R', message: 'm', matchingRules: [{ type: 'Always' }] },
            { url: 'u', name: 'R', message: 'm', matchingRules: [{ type: 'Always' }] },
          ],
        },
        {
          edges: [{ from: '4.14.1', to: '4.14.3' }],
          risks: [{ url: 'u', name: 'S', message: 'm', matchingRules: [{ type: 'Always' }] }],
        },
      ],
    };
    assert.deepEqual(problemsOf(document), [
      'edges[0]: [0, 0] is an update from 4.14.1 to itself',
      'edges[1]: 4.14.3 → 4.14.2 is not an update to a newer release (OpenShift does not downgrade)',
      'edges[3]: duplicate of edges[2] (4.14.1 → 4.14.2)',
      'conditionalEdges[0].risks[1].name: duplicate risk name "R" (also conditionalEdges[0].risks[0])',
      "conditionalEdges[1].edges[0]: duplicate conditional edge 4.14.1 → 4.14.3 (also conditionalEdges[0].edges[0]); list all of an edge's risks in one entry",
    ]);
  });

  it('prunes matching rules the CVO does not understand, and drops updates left without any', () => {
    const graph = fixture('unknown-rule-type.json');
    assert.deepEqual(graph.warnings, [
      'conditionalEdges[0].risks[0].matchingRules[0]: Skipping unrecognized cluster condition type "ClusterVersionCapability"',
      'conditionalEdges[1].risks[0].matchingRules[0]: Skipping unrecognized cluster condition type "ClusterVersionCapability"',
      'conditionalEdges[1].risks[0]: no matching rule left that the CVO understands; it drops these conditional updates: 4.14.1 → 4.14.10',
    ]);
    assert.deepEqual(graph.conditionalEdges[0]?.risks[0]?.matchingRules, [
      { type: 'PromQL', promql: { promql: 'mixed' } },
    ]);
    // 4.14.1 → 4.14.10 is gone entirely, though an unconditional edge lists it too.
    const targets = (outgoingUpdates(graph)[0] ?? []).map((e) => graph.nodes[e.to]?.version);
    assert.deepEqual(targets, ['4.14.5']);
  });

  it('prunes PromQL rules without a query and Always rules with one, with the CVO messages', () => {
    const graph = parseGraph({
      nodes: [node('4.14.1'), node('4.14.2')],
      edges: [],
      conditionalEdges: [
        {
          edges: [{ from: '4.14.1', to: '4.14.2' }],
          risks: [
            {
              url: 'u',
              name: 'R',
              message: 'm',
              matchingRules: [
                { type: 'PromQL' },
                { type: 'PromQL', promql: { promql: '' } },
                { type: 'Always', promql: { promql: 'x' } },
                { type: 'Always' },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(
      graph.warnings.map((w) => w.replace(/^.*?: /, '')),
      [
        "the 'promql' property is required for 'type: PromQL' conditions",
        "the 'promql.promql' query string must be non-empty for 'type: PromQL' conditions",
        "the 'promql' property is not valid for 'type: Always' conditions",
      ],
    );
    assert.deepEqual(graph.conditionalEdges[0]?.risks[0]?.matchingRules, [{ type: 'Always' }]);
  });
});
