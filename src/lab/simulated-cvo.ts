/**
 * The lab's simulated cluster version operator process: on the hub and the spoke clusters (never
 * on a real cluster, whose own CVO owns ClusterVersion, nor on the simulated single-node hosts,
 * whose ClusterVersion follows their booted stateroot) it keeps ClusterVersion, ClusterOperators
 * and the admin gates the way the CVO does, with updates recommended from the lab's update graph
 * and PromQL risks evaluated by the lab's Prometheus.
 */
import { fileURLToPath } from 'node:url';
import { ClusterSet } from '../client/cluster-set.ts';
import { clusterVersionController, type UpdateRecommender } from '../controllers/clusterversion/index.ts';
import {
  loadGraph,
  memoizeEvaluator,
  updateRecommendations,
  type RiskEvaluator,
} from '../readiness/graph/index.ts';
import { PrometheusClient } from '../readiness/prometheus/client.ts';
import type { Logger } from '../runtime/log.ts';
import { Manager } from '../runtime/manager.ts';
import { bootstrapClusterVersion } from './cluster-version.ts';
import { spokeRelease } from './state.ts';

export const labUpdateGraph = fileURLToPath(new URL('./update-graph.json', import.meta.url));

/** The channel the lab's clusters start in: the seed's 4.13 → 4.14 update is in it. */
export const labChannel = 'stable-4.14';

export interface SimulatedCvoOptions {
  readonly kubeconfig: string;
  readonly contexts: readonly string[];
  /** A Cincinnati graph file or URL; default the lab's. */
  readonly graph?: string;
  /** Where PromQL risks are evaluated; without it they cannot be (EvaluationFailed). */
  readonly prometheusUrl?: string;
  readonly log: Logger;
}

/** Answers the CVO's question from the graph, read anew each time (as the CVO polls its upstream). */
export function cvoRecommenderFromGraph(graph: string, prometheusUrl: string | undefined): UpdateRecommender {
  const client = prometheusUrl === undefined ? undefined : new PrometheusClient(prometheusUrl);
  return async ({ currentVersion, channel, upstream }) => {
    if (channel === undefined) return { error: 'no channel', reason: 'NoChannel' };
    try {
      const evaluator: RiskEvaluator = memoizeEvaluator(async (promql) =>
        client === undefined
          ? { error: 'no Prometheus in the lab (install Debian prometheus)' }
          : client.evaluateRisk(promql),
      );
      return await updateRecommendations(
        await loadGraph(upstream ?? graph, { channel, version: currentVersion }),
        channel,
        currentVersion,
        { evaluator },
      );
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** Bootstraps each cluster's ClusterVersion (when missing) and runs the controller until stopped. */
export async function startSimulatedCvo(options: SimulatedCvoOptions): Promise<Manager> {
  const clusters = await ClusterSet.fromKubeconfig(options.kubeconfig, { contexts: options.contexts });
  for (const { client } of clusters.clusters())
    await bootstrapClusterVersion(client, { version: spokeRelease, channel: labChannel });
  const manager = new Manager({ clusters, log: options.log });
  manager.add(
    clusterVersionController({
      recommender: cvoRecommenderFromGraph(options.graph ?? labUpdateGraph, options.prometheusUrl),
      // The real CVO re-evaluates hourly-ish; the lab's Prometheus scrapes every 2 s, so a risk
      // that starts (or stops) applying shows up while one watches.
      updateCheckIntervalMs: 10_000,
      log: options.log,
    }),
  );
  await manager.start();
  return manager;
}
