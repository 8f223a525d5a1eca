/**
 * What the CVO publishes in ClusterVersion.status for a cluster at one version in one channel:
 * availableUpdates (recommended) and conditionalUpdates (with risks and a Recommended condition).
 */
import type { ConditionalUpdate, Release } from '../../api/config/cluster-version.ts';
import { channelView } from './channels.ts';
import { indexOfVersion, outgoingUpdates, releaseOf, type UpdateGraph } from './graph.ts';
import { assessRisks, memoizeEvaluator, recommendedCondition, type RiskEvaluator } from './risks.ts';
import { compareVersions } from './version.ts';

export interface EvaluationOptions {
  /** Runs PromQL risks; without it they count as "could not be evaluated". */
  readonly evaluator?: RiskEvaluator;
  /** lastTransitionTime of the conditions written. */
  readonly now?: Date;
}

function newestFirst<T extends { version: string }>(a: T, b: T): number {
  return compareVersions(b.version, a.version);
}

function currentIndex(view: UpdateGraph, channel: string, currentVersion: string): number {
  const index = indexOfVersion(view, currentVersion);
  if (index === undefined)
    // The CVO's VersionNotFound message.
    throw new Error(
      `currently reconciling cluster version ${currentVersion} not found in the "${channel}" channel`,
    );
  return index;
}

/** Unconditional updates from `currentVersion` within `channel`, newest first. */
export function availableUpdates(graph: UpdateGraph, channel: string, currentVersion: string): Release[] {
  const view = channelView(graph, channel);
  const from = currentIndex(view, channel, currentVersion);
  return (outgoingUpdates(view)[from] ?? [])
    .filter((edge) => edge.risks === undefined)
    .flatMap((edge) => {
      const node = view.nodes[edge.to];
      return node === undefined ? [] : [releaseOf(node)];
    })
    .sort(newestFirst);
}

/** Conditional updates from `currentVersion` within `channel`, newest first, each with its Recommended condition. */
export async function conditionalUpdates(
  graph: UpdateGraph,
  channel: string,
  currentVersion: string,
  options: EvaluationOptions = {},
): Promise<ConditionalUpdate[]> {
  const view = channelView(graph, channel);
  const from = currentIndex(view, channel, currentVersion);
  const evaluator = options.evaluator === undefined ? undefined : memoizeEvaluator(options.evaluator);
  const updates: ConditionalUpdate[] = [];
  for (const edge of outgoingUpdates(view)[from] ?? []) {
    const node = view.nodes[edge.to];
    if (edge.risks === undefined || node === undefined) continue;
    const condition = recommendedCondition(await assessRisks(edge.risks, evaluator), options.now);
    updates.push({
      release: releaseOf(node),
      risks: edge.risks.map((risk) => ({ ...risk, matchingRules: [...risk.matchingRules] })),
      conditions: [condition],
    });
  }
  return updates.sort((a, b) => newestFirst(a.release, b.release));
}

export interface UpdateRecommendations {
  readonly availableUpdates: Release[];
  readonly conditionalUpdates: ConditionalUpdate[];
}

/**
 * Both lists as the CVO publishes them: a conditional update whose risks do not apply
 * (Recommended=True) is also listed among availableUpdates.
 */
export async function updateRecommendations(
  graph: UpdateGraph,
  channel: string,
  currentVersion: string,
  options: EvaluationOptions = {},
): Promise<UpdateRecommendations> {
  const available = availableUpdates(graph, channel, currentVersion);
  const conditional = await conditionalUpdates(graph, channel, currentVersion, options);
  for (const update of conditional) {
    const recommended = update.conditions?.some((c) => c.type === 'Recommended' && c.status === 'True');
    if (recommended && !available.some((r) => r.image === update.release.image))
      available.push(update.release);
  }
  return { availableUpdates: available.sort(newestFirst), conditionalUpdates: conditional };
}
