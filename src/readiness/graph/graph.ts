/**
 * A validated update graph: releases (nodes), recommended updates (edges) and conditional updates
 * with their risks. Built by parseGraph; every index and version in it refers to an existing node.
 */
import type { ConditionalUpdateRisk, Release } from '../../api/config/cluster-version.ts';

export interface GraphNode {
  readonly version: string;
  readonly payload: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** From the channels metadata, sorted (as the CVO sorts Release.channels). */
  readonly channels: readonly string[];
}

export interface VersionPair {
  readonly from: string;
  readonly to: string;
}

/** One `conditionalEdges` entry: every edge in it shares every risk. */
export interface ConditionalEdgeGroup {
  readonly edges: readonly VersionPair[];
  readonly risks: readonly ConditionalUpdateRisk[];
}

export interface UpdateGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly (readonly [number, number])[];
  readonly conditionalEdges: readonly ConditionalEdgeGroup[];
  /**
   * Conditional updates the CVO drops because a risk kept no matching rule it understands. They are
   * gone entirely: an unconditional edge to the same release does not bring them back.
   */
  readonly droppedEdges: readonly VersionPair[];
  /** What was pruned or dropped while parsing, each naming its location. */
  readonly warnings: readonly string[];
}

/** An update the graph offers: unconditional, or conditional with the risks to evaluate first. */
export interface UpdateEdge {
  readonly from: number;
  readonly to: number;
  readonly risks?: readonly ConditionalUpdateRisk[];
}

const indexCache = new WeakMap<UpdateGraph, ReadonlyMap<string, number>>();
const edgeCache = new WeakMap<UpdateGraph, readonly (readonly UpdateEdge[])[]>();

export function indexOfVersion(graph: UpdateGraph, version: string): number | undefined {
  let index = indexCache.get(graph);
  if (index === undefined) {
    index = new Map(graph.nodes.map((node, i) => [node.version, i]));
    indexCache.set(graph, index);
  }
  return index.get(version);
}

export function nodeOf(graph: UpdateGraph, version: string): GraphNode | undefined {
  const i = indexOfVersion(graph, version);
  return i === undefined ? undefined : graph.nodes[i];
}

function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * Outgoing updates per node index. An update listed both unconditionally and conditionally counts
 * as conditional (the CVO prefers the conditional entry, so its risks are not bypassed).
 */
export function outgoingUpdates(graph: UpdateGraph): readonly (readonly UpdateEdge[])[] {
  const cached = edgeCache.get(graph);
  if (cached !== undefined) return cached;
  const conditional = new Map<string, readonly ConditionalUpdateRisk[]>();
  for (const group of graph.conditionalEdges) {
    for (const edge of group.edges) conditional.set(pairKey(edge.from, edge.to), group.risks);
  }
  const dropped = new Set(graph.droppedEdges.map((e) => pairKey(e.from, e.to)));
  const out: UpdateEdge[][] = graph.nodes.map(() => []);
  for (const [from, to] of graph.edges) {
    const key = pairKey(graph.nodes[from]?.version ?? '', graph.nodes[to]?.version ?? '');
    if (!conditional.has(key) && !dropped.has(key)) out[from]?.push({ from, to });
  }
  for (const group of graph.conditionalEdges) {
    for (const edge of group.edges) {
      const from = indexOfVersion(graph, edge.from);
      const to = indexOfVersion(graph, edge.to);
      if (from !== undefined && to !== undefined) out[from]?.push({ from, to, risks: group.risks });
    }
  }
  edgeCache.set(graph, out);
  return out;
}

/** A node as ClusterVersion.status lists it (the CVO's convertRetrievedUpdateToRelease). */
export function releaseOf(node: GraphNode): Release {
  const url = node.metadata.url;
  return {
    version: node.version,
    image: node.payload,
    ...(url !== undefined ? { url } : {}),
    ...(node.channels.length > 0 ? { channels: [...node.channels] } : {}),
  };
}
