/**
 * The update status a HostedCluster reports (`status.version`): the config.openshift.io/v1
 * Release, UpdateHistory and ConditionalUpdate shapes, as in seed 003 §6.2 and §6.7.
 */
import { Type, type Static } from '@sinclair/typebox';

import {
  ClusterCondition,
  ConditionalUpdate,
  ConditionalUpdateRisk,
  Release,
  UpdateHistory,
} from '../config/cluster-version.ts';
import { Nullable } from '../kind.ts';

// The shapes are config.openshift.io/v1's (HyperShift embeds them), so they are defined once there.
export const ReleaseInfo = Release;
export type ReleaseInfo = Release;
export { UpdateHistory, ClusterCondition, ConditionalUpdateRisk, ConditionalUpdate };

export const ClusterVersionStatus = Type.Object({
  desired: ReleaseInfo,
  history: Type.Optional(
    Type.Array(UpdateHistory, {
      description: 'history contains a list of the most recent versions applied to the cluster.',
    }),
  ),
  observedGeneration: Type.Integer({
    format: 'int64',
    description: 'observedGeneration reports which version of the spec is being synced.',
  }),
  availableUpdates: Nullable(
    Type.Array(ReleaseInfo, {
      description: 'availableUpdates contains updates recommended for this cluster.',
    }),
  ),
  conditionalUpdates: Type.Optional(
    Type.Array(ConditionalUpdate, {
      'x-kubernetes-list-type': 'atomic',
      description:
        'conditionalUpdates contains the list of updates that may be recommended for this cluster if it meets specific required conditions.',
    }),
  ),
});
export type ClusterVersionStatus = Static<typeof ClusterVersionStatus>;
