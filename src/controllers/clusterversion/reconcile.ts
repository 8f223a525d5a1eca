/**
 * Effects of the simulated Cluster Version Operator: read ClusterVersion `version`, the
 * ClusterOperators and the two admin ConfigMaps, ask the update recommender (at most once per
 * interval for the same question), let decide() compute, then write the ClusterOperators' and the
 * ClusterVersion's status through the status subresource — each only when it changed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClusterOperatorStatus } from '../../api/config/cluster-operator.ts';
import { adminAcks, adminGates, apiVersion, clusterVersionName } from '../../api/config/constants.ts';
import type { KubeClient } from '../../client/client.ts';
import { isNotFound } from '../../client/errors.ts';
import type { KubeObject } from '../../client/object.ts';
import { realClock, type Clock } from '../../runtime/clock.ts';
import type { ReconcileContext, Reconciler, Request, Result } from '../../runtime/controller.ts';
import { decide, type CvoStatus } from './decide.ts';
import {
  askRecommender,
  isQuery,
  updateQuery,
  type UpdateRecommender,
  withoutRecommender,
  type UpdatesObservation,
} from './updates.ts';
import type { ConfigMapData } from './upgradeable.ts';
import { currentVersion } from './versions.ts';

export const types = {
  clusterVersion: { apiVersion, kind: 'ClusterVersion' },
  clusterOperator: { apiVersion, kind: 'ClusterOperator' },
  configMap: { apiVersion: 'v1', kind: 'ConfigMap' },
} as const;

type ServedClusterVersion = KubeObject<
  NonNullable<Parameters<typeof decide>[0]['clusterVersion']['spec']>,
  Partial<CvoStatus>
>;
type ServedClusterOperator = KubeObject<unknown, ClusterOperatorStatus>;
type ServedConfigMap = KubeObject & { data?: Record<string, string> };

/** The lab's default: a whole standard update in ten seconds. */
export const defaultUpdateDurationMs = 10_000;
/** Upstream asks the update service every few minutes; the lab's graph changes rarely too. */
export const defaultUpdateCheckIntervalMs = 60_000;

export interface ClusterVersionOptions {
  /** The update-graph client; without one, RetrievedUpdates=False and no updates are listed. */
  readonly recommender?: UpdateRecommender;
  readonly clock?: Clock;
  /** How long an accepted update takes to complete (default 10 s). */
  readonly updateDurationMs?: number;
  /** How long a recommender answer is reused for the same question (default 60 s). */
  readonly updateCheckIntervalMs?: number;
}

interface CachedAnswer {
  readonly question: string;
  readonly at: number;
  readonly observation: UpdatesObservation;
}

export class ClusterVersionReconciler implements Reconciler {
  private readonly clock: Clock;
  /** Per cluster; only a cache — losing it costs one more question to the update service. */
  private readonly answers = new Map<string, CachedAnswer>();

  constructor(private readonly options: ClusterVersionOptions = {}) {
    this.clock = options.clock ?? realClock;
  }

  async reconcile(request: Request, { client, signal, log }: ReconcileContext): Promise<Result | void> {
    if (request.name !== clusterVersionName) return;
    let clusterVersion: ServedClusterVersion;
    try {
      clusterVersion = await client.get<ServedClusterVersion>(types.clusterVersion, clusterVersionName, {
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const [operators, gates, acks] = await Promise.all([
      client.list<ServedClusterOperator>(types.clusterOperator, { signal }),
      this.configMapData(client, adminGates, signal),
      this.configMapData(client, adminAcks, signal),
    ]);
    const updates = await this.updates(request.cluster, clusterVersion);
    const decision = decide({
      clusterVersion,
      clusterOperators: operators.items,
      adminGates: gates,
      adminAcks: acks,
      updates,
      now: this.clock.now(),
      updateDurationMs: this.options.updateDurationMs ?? defaultUpdateDurationMs,
    });

    // Operators first: a kill before the ClusterVersion write leaves the update Partial, and the
    // next reconcile recomputes the same operator versions.
    for (const { name, status } of decision.operators) {
      const operator = operators.items.find((co) => co.metadata.name === name);
      if (operator === undefined || isDeepStrictEqual(operator.status, status)) continue;
      await client.updateStatus({ ...operator, status }, { signal });
      log.info('cluster operator moved to the new version', {
        clusterOperator: name,
        versions: status.versions,
      });
    }
    if (!isDeepStrictEqual(clusterVersion.status, decision.status)) {
      await client.updateStatus({ ...clusterVersion, status: decision.status }, { signal });
      for (const event of decision.events) log.info(`update ${event.kind}`, { ...event });
    }
    // The CVO polls its update service: with a recommender, come back when the answer goes stale
    // even if nothing in the cluster changes (a PromQL risk may start or stop applying).
    const poll =
      this.options.recommender !== undefined
        ? (this.options.updateCheckIntervalMs ?? defaultUpdateCheckIntervalMs)
        : undefined;
    const after = [decision.requeueAfterMs, poll].filter((ms): ms is number => ms !== undefined);
    return after.length > 0 ? { requeueAfterMs: Math.min(...after) } : undefined;
  }

  private async configMapData(
    client: KubeClient,
    ref: { readonly namespace: string; readonly name: string },
    signal: AbortSignal,
  ): Promise<ConfigMapData | undefined> {
    try {
      const configMap = await client.get<ServedConfigMap>(types.configMap, ref.name, {
        namespace: ref.namespace,
        signal,
      });
      return configMap.data ?? {};
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async updates(cluster: string, clusterVersion: ServedClusterVersion): Promise<UpdatesObservation> {
    const { recommender } = this.options;
    const channel = clusterVersion.spec?.channel;
    if (recommender === undefined) return withoutRecommender(channel);
    const status = clusterVersion.status;
    const query = updateQuery({
      // Upstream asks about the release the operator runs: the desired one.
      currentVersion: status?.desired?.version || currentVersion(status?.history),
      channel,
      upstream: clusterVersion.spec?.upstream,
    });
    if (!isQuery(query)) return query;
    const question = JSON.stringify(query);
    const now = this.clock.now().getTime();
    const cached = this.answers.get(cluster);
    const interval = this.options.updateCheckIntervalMs ?? defaultUpdateCheckIntervalMs;
    if (cached !== undefined && cached.question === question && now - cached.at < interval) {
      return cached.observation;
    }
    const observation = await askRecommender(recommender, query);
    this.answers.set(cluster, { question, at: now, observation });
    return observation;
  }
}
