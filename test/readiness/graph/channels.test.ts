import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelView, graphChannels, parseChannel } from '../../../src/readiness/graph/channels.ts';
import { fixture, labGraph } from './fixtures.ts';

describe('update channels', () => {
  it('accepts stable, fast, candidate and even-minor eus channels', () => {
    assert.deepEqual(parseChannel('stable-4.14'), { name: 'stable-4.14', kind: 'stable', minor: '4.14' });
    assert.equal(parseChannel('eus-4.16').kind, 'eus');
    assert.throws(() => parseChannel('eus-4.15'), /only for even minors \(eus-4.14, eus-4.16\)/);
    assert.throws(() => parseChannel('stabel-4.14'), /"stabel-4.14" is not one of stable-<major>.<minor>/);
  });

  it('a channel view keeps the releases listing the channel and the updates between them', () => {
    const graph = fixture('small.json');
    const stable = channelView(graph, 'stable-4.14');
    assert.deepEqual(
      stable.nodes.map((n) => n.version),
      ['4.14.1', '4.14.5', '4.14.10', '4.14.12'],
    );
    // 4.14.8 (fast only) and 4.15.2 (4.15 channels only) and the updates to them are gone.
    assert.deepEqual(
      stable.edges.map(([a, b]) => `${stable.nodes[a]?.version}→${stable.nodes[b]?.version}`),
      ['4.14.1→4.14.5', '4.14.1→4.14.10', '4.14.5→4.14.10'],
    );
    const fast = channelView(graph, 'fast-4.14');
    assert.ok(fast.nodes.some((n) => n.version === '4.14.8'));
    const next = channelView(graph, 'stable-4.15');
    assert.ok(next.nodes.some((n) => n.version === '4.15.2'));
    assert.equal(channelView(graph, 'candidate-4.99').nodes.length, 0);
  });

  it('drops conditional edges with an end outside the channel', () => {
    const lab = labGraph();
    const view = channelView(lab, 'stable-4.14');
    const edges = view.conditionalEdges.flatMap((g) => g.edges.map((e) => `${e.from}→${e.to}`));
    assert.deepEqual(edges.sort(), [
      '4.13.40→4.14.13',
      '4.13.40→4.14.20',
      '4.14.10→4.14.20',
      '4.14.13→4.14.20',
    ]);
  });

  it('lists the channels the graph knows', () => {
    const channels = graphChannels(labGraph());
    for (const c of ['stable-4.14', 'fast-4.16', 'candidate-4.12', 'eus-4.14', 'eus-4.16'])
      assert.ok(channels.includes(c), c);
  });
});
