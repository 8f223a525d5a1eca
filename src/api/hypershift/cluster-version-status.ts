/**
 * The update status a HostedCluster reports (`status.version`): the config.openshift.io/v1
 * Release, UpdateHistory and ConditionalUpdate shapes, as in seed 003 §6.2 and §6.7.
 */
import { Type, type Static } from '@sinclair/typebox';

import { Conditions, StringEnum, Timestamp } from '../kind.ts';
import { Nullable } from './common.ts';

export const ReleaseInfo = Type.Object({
  version: Type.String({ description: 'version is a semantic version identifying the update version.' }),
  image: Type.String({ description: 'image is a container image location that contains the update.' }),
  url: Type.Optional(Type.String({ description: 'url contains information about this release.' })),
  channels: Type.Optional(
    Type.Array(Type.String(), {
      description: 'channels is the set of Cincinnati channels to which the release currently belongs.',
      'x-kubernetes-list-type': 'set',
    }),
  ),
});
export type ReleaseInfo = Static<typeof ReleaseInfo>;

export const UpdateStates = ['Completed', 'Partial'] as const;

export const UpdateHistory = Type.Object({
  state: StringEnum(UpdateStates, { description: 'state reflects whether the update was fully applied.' }),
  startedTime: Timestamp({ description: 'startedTime is the time at which the update was started.' }),
  completionTime: Nullable(
    Timestamp({ description: 'completionTime, if set, is when the update was fully applied.' }),
  ),
  version: Type.Optional(
    Type.String({ description: 'version is a semantic version identifying the update version.' }),
  ),
  image: Type.String({ description: 'image is a container image location that contains the update.' }),
  verified: Type.Boolean({
    description:
      'verified indicates whether the provided update was properly verified before it was installed.',
  }),
  acceptedRisks: Type.Optional(
    Type.String({ description: 'acceptedRisks records risks which were accepted to initiate the update.' }),
  ),
});
export type UpdateHistory = Static<typeof UpdateHistory>;

export const ClusterCondition = Type.Object({
  type: StringEnum(['Always', 'PromQL'], { description: 'type represents the cluster-condition type.' }),
  promql: Type.Optional(
    Type.Object({
      promql: Type.String({ description: 'promql is a PromQL query classifying clusters.' }),
    }),
  ),
});

export const ConditionalUpdateRisk = Type.Object({
  url: Type.String({ minLength: 1, description: 'url contains information about this risk.' }),
  name: Type.String({
    minLength: 1,
    description: 'name is the CamelCase reason for not recommending a conditional update.',
  }),
  message: Type.String({
    minLength: 1,
    description: 'message provides additional information about the risk of updating.',
  }),
  matchingRules: Type.Array(ClusterCondition, {
    minItems: 1,
    'x-kubernetes-list-type': 'atomic',
    description:
      'matchingRules is a slice of conditions for deciding which clusters match the risk and which do not.',
  }),
});
export type ConditionalUpdateRisk = Static<typeof ConditionalUpdateRisk>;

export const ConditionalUpdate = Type.Object({
  release: ReleaseInfo,
  risks: Type.Array(ConditionalUpdateRisk, {
    minItems: 1,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    description: 'risks represents the range of issues associated with updating to the target release.',
  }),
  conditions: Type.Optional(
    Conditions({
      description: 'conditions represents the observations of the conditional update’s current status.',
    }),
  ),
});
export type ConditionalUpdate = Static<typeof ConditionalUpdate>;

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
