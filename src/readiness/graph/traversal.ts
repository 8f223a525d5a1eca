/** Breadth-first distances over a subset of a graph's updates (the path finder's building blocks). */
import type { UpdateEdge } from './graph.ts';

export type Adjacency = readonly (readonly UpdateEdge[])[];

/** Hops from `start` to every node it reaches, following `edges` forward. */
export function distancesFrom(
  start: number,
  adjacency: Adjacency,
  usable: (e: UpdateEdge) => boolean,
): Map<number, number> {
  const distance = new Map<number, number>([[start, 0]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    const next = (distance.get(node) ?? 0) + 1;
    for (const edge of adjacency[node] ?? []) {
      if (!usable(edge) || distance.has(edge.to)) continue;
      distance.set(edge.to, next);
      queue.push(edge.to);
    }
  }
  return distance;
}

/** Reverses an adjacency list: for each node, the updates that lead to it. */
export function reverse(adjacency: Adjacency): UpdateEdge[][] {
  const incoming: UpdateEdge[][] = adjacency.map(() => []);
  for (const edges of adjacency) for (const edge of edges) incoming[edge.to]?.push(edge);
  return incoming;
}

/** Hops from every node that reaches `target` to it. */
export function distancesTo(
  target: number,
  incoming: Adjacency,
  usable: (e: UpdateEdge) => boolean,
): Map<number, number> {
  const distance = new Map<number, number>([[target, 0]]);
  const queue = [target];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    const next = (distance.get(node) ?? 0) + 1;
    for (const edge of incoming[node] ?? []) {
      if (!usable(edge) || distance.has(edge.from)) continue;
      distance.set(edge.from, next);
      queue.push(edge.from);
    }
  }
  return distance;
}
