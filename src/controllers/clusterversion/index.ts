/**
 * The simulated Cluster Version Operator as a runtime Controller: reconciles ClusterVersion
 * `version` whenever it, a ClusterOperator, or the admin-gates / admin-acks ConfigMap changes.
 */
import { adminAcks, adminGates, clusterVersionName } from '../../api/config/constants.ts';
import { Controller, type WatchedSource } from '../../runtime/controller.ts';
import type { Logger } from '../../runtime/log.ts';
import { ClusterVersionReconciler, types, type ClusterVersionOptions } from './reconcile.ts';

export {
  ClusterVersionReconciler,
  defaultUpdateDurationMs,
  defaultUpdateCheckIntervalMs,
} from './reconcile.ts';
export type { ClusterVersionOptions } from './reconcile.ts';
export { decide, messages as clusterVersionMessages } from './decide.ts';
export type {
  ClusterOperatorObject,
  ClusterVersionObject,
  CvoStatus,
  Decision,
  DecideInput,
  HistoryEntry,
} from './decide.ts';
export type { Recommendation, RecommendationFailure, UpdateQuery, UpdateRecommender } from './updates.ts';

export interface ClusterVersionControllerOptions extends ClusterVersionOptions {
  readonly log?: Logger;
}

const toVersion = (_object: unknown, cluster: string) => [
  { cluster, namespace: '', name: clusterVersionName },
];

function configMapSource(ref: { readonly namespace: string; readonly name: string }): WatchedSource {
  return {
    ...types.configMap,
    namespace: ref.namespace,
    fieldSelector: `metadata.name=${ref.name}`,
    map: toVersion,
  };
}

export function clusterVersionController(options: ClusterVersionControllerOptions = {}): Controller {
  return new Controller({
    name: 'clusterversion',
    for: { ...types.clusterVersion, fieldSelector: `metadata.name=${clusterVersionName}` },
    watches: [
      { ...types.clusterOperator, map: toVersion },
      configMapSource(adminGates),
      configMapSource(adminAcks),
    ],
    reconciler: new ClusterVersionReconciler(options),
    concurrency: 1,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}
