/**
 * The recommended update path between two releases: recommended updates, plus conditional updates
 * whose risks were evaluated as not applying to this cluster. Reports the conditional updates it
 * stayed away from, and when no path exists, how close the cluster can get and what blocks the rest.
 */
import type { Condition } from '../../api/kind.ts';
import { channelView } from './channels.ts';
import { indexOfVersion, outgoingUpdates, type UpdateEdge, type UpdateGraph } from './graph.ts';
import {
  assessRisks,
  memoizeEvaluator,
  noPrometheusError,
  recommendedCondition,
  type RiskAssessment,
  type RiskEvaluator,
} from './risks.ts';
import { distancesFrom, distancesTo, reverse } from './traversal.ts';
import {
  compareVersions,
  isEusMinor,
  minorOf,
  updateKind,
  versionProblem,
  type UpdateKind,
} from './version.ts';

export interface PathOptions {
  readonly from: string;
  readonly to: string;
  /** Search only this channel's releases; otherwise the whole graph. */
  readonly channel?: string;
  /** Runs PromQL risks; without it they could not be evaluated, so their updates are avoided. */
  readonly evaluator?: RiskEvaluator;
  readonly now?: Date;
}

export interface PathHop {
  readonly from: string;
  readonly to: string;
  readonly kind: UpdateKind;
  /** A minor (or major) update: needs the target's admin-acks and every ClusterOperator Upgradeable=True. */
  readonly minorUpdate: boolean;
  readonly image: string;
  /** Channels listing both releases: the channels in which this update is offered. */
  readonly channels: readonly string[];
  /** Taken through a conditional update whose risks were evaluated as not applying. */
  readonly conditional: boolean;
  readonly risks?: readonly RiskAssessment[];
}

/** A conditional update left out because a risk applies or could not be evaluated. */
export interface BlockedEdge {
  readonly from: string;
  readonly to: string;
  /** The Recommended condition the CVO would write (False or Unknown). */
  readonly recommended: Condition;
  readonly risks: readonly RiskAssessment[];
  /** Hops of the shortest path that would go through this update, if one reaches the target. */
  readonly hopsVia?: number;
}

export interface UnreachableTarget {
  /** The reachable release nearest the target (fewest hops left), else the newest reachable. */
  readonly closest: string;
  /** Hops from `closest` to the target if the blocked updates were taken. */
  readonly hopsFromClosest?: number;
  /** The blocked conditional updates on that remaining stretch. */
  readonly connectingEdges: readonly BlockedEdge[];
  readonly message: string;
}

export interface PathResult {
  readonly from: string;
  readonly to: string;
  readonly channel?: string;
  readonly found: boolean;
  readonly hops: readonly PathHop[];
  /**
   * The path goes from an even (EUS) minor to a later one and stops on each odd minor exactly once,
   * so worker pools can stay paused through it (an EUS-to-EUS update).
   */
  readonly eusToEus: boolean;
  readonly avoided: readonly BlockedEdge[];
  readonly unreachable?: UnreachableTarget;
  readonly warnings: readonly string[];
}

interface Evaluation {
  readonly condition: Condition;
  readonly risks: readonly RiskAssessment[];
}

function locate(view: UpdateGraph, graph: UpdateGraph, version: string, channel: string | undefined): number {
  const problem = versionProblem(version);
  if (problem !== undefined) throw new Error(problem);
  const index = indexOfVersion(view, version);
  if (index !== undefined) return index;
  const inGraph = graph.nodes[indexOfVersion(graph, version) ?? -1];
  if (inGraph === undefined) {
    const minor = minorOf(version);
    const siblings = graph.nodes.filter((n) => minorOf(n.version) === minor).map((n) => n.version);
    throw new Error(
      `${version} is not in the update graph (${minor} releases in it: ${siblings.sort(compareVersions).join(', ') || 'none'})`,
    );
  }
  if (channel === undefined) throw new Error(`${version} is not in the update graph`);
  throw new Error(
    `${version} is not in channel ${channel} (its channels: ${inGraph.channels.join(', ') || 'none'})`,
  );
}

function sharedChannels(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((c) => b.includes(c));
}

/** Stops a path should avoid, in order of weight: releases no stable or eus channel lists yet, odd minors. */
type StopCost = readonly [unpromoted: number, oddMinor: number];

function isPromoted(channels: readonly string[]): boolean {
  return channels.some((c) => c.startsWith('stable-') || c.startsWith('eus-'));
}

function cheaper(a: StopCost, b: StopCost): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * Fewest hops first. Among equally short paths: when no channel was chosen, fewest stops on releases
 * not yet promoted to a stable channel; then fewest stops on odd (non-EUS) minors, so that 4.12 → 4.14
 * crosses 4.13 once and z-stream updates happen on the EUS minors; then the newest release at the
 * first stop where the paths differ.
 */
function chooseNext(
  view: UpdateGraph,
  target: number,
  remaining: ReadonlyMap<number, number>,
  adjacency: readonly (readonly UpdateEdge[])[],
  usable: (edge: UpdateEdge) => boolean,
  weighPromotion: boolean,
): Map<number, UpdateEdge> {
  const costs = new Map<number, StopCost>([[target, [0, 0]]]);
  const next = new Map<number, UpdateEdge>();
  const byDistance = [...remaining.entries()].sort((a, b) => a[1] - b[1]);
  for (const [node, distance] of byDistance) {
    if (node === target) continue;
    let best: { edge: UpdateEdge; cost: StopCost } | undefined;
    for (const edge of adjacency[node] ?? []) {
      const stop = view.nodes[edge.to];
      const after = costs.get(edge.to);
      if (
        !usable(edge) ||
        remaining.get(edge.to) !== distance - 1 ||
        stop === undefined ||
        after === undefined
      )
        continue;
      const intermediate = edge.to !== target;
      const cost: StopCost = [
        after[0] + (intermediate && weighPromotion && !isPromoted(stop.channels) ? 1 : 0),
        after[1] + (intermediate && !isEusMinor(stop.version) ? 1 : 0),
      ];
      const better =
        best === undefined ||
        cheaper(cost, best.cost) < 0 ||
        (cheaper(cost, best.cost) === 0 &&
          compareVersions(stop.version, view.nodes[best.edge.to]?.version ?? '') > 0);
      if (better) best = { edge, cost };
    }
    if (best !== undefined) {
      next.set(node, best.edge);
      costs.set(node, best.cost);
    }
  }
  return next;
}

function isEusToEus(from: string, hops: readonly PathHop[]): boolean {
  const to = hops.at(-1)?.to;
  if (to === undefined || !isEusMinor(from) || !isEusMinor(to) || minorOf(from) === minorOf(to)) return false;
  const stops = new Map<string, number>();
  for (const hop of hops) {
    if (!isEusMinor(hop.to)) stops.set(minorOf(hop.to), (stops.get(minorOf(hop.to)) ?? 0) + 1);
  }
  return [...stops.values()].every((count) => count === 1);
}

export async function recommendedPath(graph: UpdateGraph, options: PathOptions): Promise<PathResult> {
  const { from, to, channel } = options;
  const view = channel === undefined ? graph : channelView(graph, channel);
  const source = locate(view, graph, from, channel);
  const target = locate(view, graph, to, channel);
  if (compareVersions(from, to) > 0)
    throw new Error(`${from} → ${to} is a downgrade; OpenShift updates only go to newer releases`);

  // Graph edges only lead to newer releases (parseGraph refuses others), so releases outside
  // [from, to] can never be on a path.
  const inRange = view.nodes.map(
    (node) => compareVersions(node.version, from) >= 0 && compareVersions(node.version, to) <= 0,
  );
  const adjacency = outgoingUpdates(view).map((edges, i) =>
    inRange[i] ? edges.filter((e) => inRange[e.to]) : [],
  );
  const incoming = reverse(adjacency);
  const any = (): boolean => true;
  const reachable = distancesFrom(source, adjacency, any);
  const leadsToTarget = distancesTo(target, incoming, any);

  // Only conditional updates that could lie on some path are evaluated: each PromQL query costs.
  const evaluator = options.evaluator === undefined ? undefined : memoizeEvaluator(options.evaluator);
  const evaluations = new Map<UpdateEdge, Evaluation>();
  let unevaluatedPromql = false;
  for (const [node] of reachable) {
    for (const edge of adjacency[node] ?? []) {
      if (edge.risks === undefined || !leadsToTarget.has(edge.to)) continue;
      const risks = await assessRisks(edge.risks, evaluator);
      unevaluatedPromql ||= risks.some((r) => r.error?.includes(noPrometheusError) === true);
      evaluations.set(edge, { condition: recommendedCondition(risks, options.now), risks });
    }
  }
  const allowed = (edge: UpdateEdge): boolean =>
    edge.risks === undefined || evaluations.get(edge)?.condition.status === 'True';

  const fromSource = distancesFrom(source, adjacency, allowed);
  const toTarget = distancesTo(target, incoming, allowed);
  const versionOf = (i: number): string => view.nodes[i]?.version ?? '';
  const blocked = (edge: UpdateEdge, hopsVia?: number): BlockedEdge => {
    const evaluation = evaluations.get(edge);
    return {
      from: versionOf(edge.from),
      to: versionOf(edge.to),
      recommended: evaluation?.condition ?? recommendedCondition([], options.now),
      risks: evaluation?.risks ?? [],
      ...(hopsVia === undefined ? {} : { hopsVia }),
    };
  };

  const avoided: BlockedEdge[] = [];
  for (const [edge] of evaluations) {
    const before = fromSource.get(edge.from);
    if (allowed(edge) || before === undefined) continue;
    const after = toTarget.get(edge.to);
    avoided.push(blocked(edge, after === undefined ? undefined : before + 1 + after));
  }
  avoided.sort(
    (a, b) =>
      (a.hopsVia ?? Infinity) - (b.hopsVia ?? Infinity) ||
      compareVersions(a.from, b.from) ||
      compareVersions(a.to, b.to),
  );

  const warnings = [...graph.warnings];
  if (unevaluatedPromql)
    warnings.push(
      'PromQL risks were not evaluated (no Prometheus given): the conditional updates carrying them count as not recommended',
    );
  const scope = { from, to, ...(channel === undefined ? {} : { channel }) };

  if (!toTarget.has(source))
    return {
      ...scope,
      found: false,
      hops: [],
      eusToEus: false,
      unreachable: describeUnreachable(view, fromSource, leadsToTarget, adjacency, allowed, blocked, to),
      avoided,
      warnings,
    };

  const next = chooseNext(view, target, toTarget, adjacency, allowed, channel === undefined);
  const hops: PathHop[] = [];
  for (let node = source; node !== target;) {
    const edge = next.get(node);
    if (edge === undefined) break;
    const a = view.nodes[edge.from];
    const b = view.nodes[edge.to];
    if (a === undefined || b === undefined) break;
    const kind = updateKind(a.version, b.version);
    const risks = evaluations.get(edge)?.risks;
    hops.push({
      from: a.version,
      to: b.version,
      kind,
      minorUpdate: kind !== 'patch',
      image: b.payload,
      channels: sharedChannels(a.channels, b.channels),
      conditional: edge.risks !== undefined,
      ...(risks === undefined ? {} : { risks }),
    });
    node = edge.to;
  }
  return { ...scope, found: true, hops, eusToEus: isEusToEus(from, hops), avoided, warnings };
}

function describeUnreachable(
  view: UpdateGraph,
  fromSource: ReadonlyMap<number, number>,
  leadsToTarget: ReadonlyMap<number, number>,
  adjacency: readonly (readonly UpdateEdge[])[],
  allowed: (edge: UpdateEdge) => boolean,
  blocked: (edge: UpdateEdge) => BlockedEdge,
  to: string,
): UnreachableTarget {
  const versionOf = (i: number): string => view.nodes[i]?.version ?? '';
  const newer = (a: number, b: number): number => compareVersions(versionOf(b), versionOf(a));
  const reachable = [...fromSource.keys()];
  const connected = reachable
    .filter((i) => leadsToTarget.has(i))
    .sort((a, b) => (leadsToTarget.get(a) ?? 0) - (leadsToTarget.get(b) ?? 0) || newer(a, b));
  const closest = connected[0];
  if (closest === undefined) {
    const newest = reachable.sort(newer)[0] ?? -1;
    return {
      closest: versionOf(newest),
      connectingEdges: [],
      message: `no update leads to ${to}, not even a conditional one; the newest release reachable is ${versionOf(newest)}`,
    };
  }
  // Walk the shortest remaining stretch, taking allowed updates where there is a choice, so that
  // only the updates that really block are listed.
  const connectingEdges: BlockedEdge[] = [];
  for (let node = closest; (leadsToTarget.get(node) ?? 0) > 0;) {
    const distance = leadsToTarget.get(node) ?? 0;
    const candidates = (adjacency[node] ?? [])
      .filter((e) => leadsToTarget.get(e.to) === distance - 1)
      .sort((a, b) => Number(allowed(b)) - Number(allowed(a)) || newer(a.to, b.to));
    const edge = candidates[0];
    if (edge === undefined) break;
    if (!allowed(edge)) connectingEdges.push(blocked(edge));
    node = edge.to;
  }
  const hops = leadsToTarget.get(closest) ?? 0;
  const through = connectingEdges
    .map(
      (e) =>
        `${e.from} → ${e.to} (${e.risks
          .filter((r) => r.result !== 'DoesNotApply')
          .map((r) => r.name)
          .join(', ')})`,
    )
    .join(', ');
  return {
    closest: versionOf(closest),
    hopsFromClosest: hops,
    connectingEdges,
    message:
      `${to} is reachable only through conditional updates that are not recommended for this cluster; ` +
      `recommended updates get as far as ${versionOf(closest)}` +
      `${fromSource.get(closest) === 0 ? ' (none leaves it)' : ''}, ${hops} hop${hops === 1 ? '' : 's'} short; ` +
      `in the way: ${through}`,
  };
}
