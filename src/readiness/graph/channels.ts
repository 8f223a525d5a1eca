/**
 * Update channels: `stable-4.y`, `fast-4.y`, `candidate-4.y` and `eus-4.y` (even minors only). A
 * channel's view of the graph keeps the releases listing it, as the update service's channel
 * filter does, and only the updates between them.
 */
import type { UpdateGraph } from './graph.ts';

export const channelKinds = ['stable', 'fast', 'candidate', 'eus'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export interface Channel {
  readonly name: string;
  readonly kind: ChannelKind;
  /** `4.14` for `stable-4.14`. */
  readonly minor: string;
}

const channelPattern = /^(stable|fast|candidate|eus)-(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** Throws for names that are not `<stable|fast|candidate|eus>-<major>.<minor>`, and for odd EUS minors. */
export function parseChannel(name: string): Channel {
  const match = channelPattern.exec(name);
  if (match === null)
    throw new Error(
      `channel ${JSON.stringify(name)} is not one of stable-<major>.<minor>, fast-…, candidate-…, eus-… (e.g. stable-4.14)`,
    );
  const [, kind = '', major = '', minor = ''] = match;
  if (kind === 'eus' && Number(minor) % 2 !== 0)
    throw new Error(
      `channel ${name}: Extended Update Support channels exist only for even minors (eus-${major}.${Number(minor) - 1}, eus-${major}.${Number(minor) + 1})`,
    );
  return { name, kind: kind as ChannelKind, minor: `${major}.${minor}` };
}

/** Every channel some release lists, sorted. */
export function graphChannels(graph: UpdateGraph): string[] {
  return [...new Set(graph.nodes.flatMap((node) => node.channels))].sort();
}

const viewCache = new WeakMap<UpdateGraph, Map<string, UpdateGraph>>();

export function channelView(graph: UpdateGraph, channel: string): UpdateGraph {
  parseChannel(channel);
  let views = viewCache.get(graph);
  if (views === undefined) {
    views = new Map();
    viewCache.set(graph, views);
  }
  const cached = views.get(channel);
  if (cached !== undefined) return cached;

  const newIndex = new Map<number, number>();
  const nodes = graph.nodes.filter((node, i) => {
    if (!node.channels.includes(channel)) return false;
    newIndex.set(i, newIndex.size);
    return true;
  });
  const kept = new Set(nodes.map((node) => node.version));
  const inChannel = (edge: { from: string; to: string }): boolean => kept.has(edge.from) && kept.has(edge.to);
  const edges: (readonly [number, number])[] = [];
  for (const [from, to] of graph.edges) {
    const a = newIndex.get(from);
    const b = newIndex.get(to);
    if (a !== undefined && b !== undefined) edges.push([a, b]);
  }
  const view: UpdateGraph = {
    nodes,
    edges,
    conditionalEdges: graph.conditionalEdges
      .map((group) => ({ edges: group.edges.filter(inChannel), risks: group.risks }))
      .filter((group) => group.edges.length > 0),
    droppedEdges: graph.droppedEdges.filter(inChannel),
    warnings: graph.warnings,
  };
  views.set(channel, view);
  return view;
}
