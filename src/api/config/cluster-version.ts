/**
 * ClusterVersion (config.openshift.io/v1, cluster-scoped, named `version`): the cluster's desired
 * release and the Cluster Version Operator's report of history, recommended and conditional updates.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Condition, StringEnum, Timestamp, kindSchema, type KindDefinition } from '../kind.ts';
import { requireSpec, type KindObject } from '../kube-types.ts';
import {
  architectures,
  capabilities,
  capabilitySets,
  clusterConditionTypes,
  group,
  version,
} from './constants.ts';

/** config/v1 ClusterOperatorStatusCondition: reason and message are optional, unlike metav1.Condition. */
export const ClusterOperatorStatusCondition = Type.Object({
  type: Type.String({ description: 'type specifies the aspect reported by this condition.' }),
  status: Type.String({ description: 'status of the condition, one of True, False, Unknown.' }),
  lastTransitionTime: Timestamp({
    description: 'lastTransitionTime is the time of the last update to the current status property.',
  }),
  reason: Type.Optional(
    Type.String({ description: "reason is the CamelCase reason for the condition's current status." }),
  ),
  message: Type.Optional(
    Type.String({ description: 'message provides additional information about the current condition.' }),
  ),
});
export type ClusterOperatorStatusCondition = Static<typeof ClusterOperatorStatusCondition>;

export const ClusterOperatorStatusConditions = (description: string) =>
  Type.Array(ClusterOperatorStatusCondition, {
    description,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });

const Architecture = (description: string) => StringEnum(architectures, { description });

export const Release = Type.Object(
  {
    architecture: Type.Optional(
      Architecture('architecture is an optional field that indicates the value of the cluster architecture.'),
    ),
    version: Type.String({ description: 'version is a semantic version identifying the update version.' }),
    image: Type.String({ description: 'image is a container image location that contains the update.' }),
    url: Type.Optional(Type.String({ description: 'url contains information about this release.' })),
    channels: Type.Optional(
      Type.Array(Type.String(), {
        description: 'channels is the set of Cincinnati channels to which the release currently belongs.',
        'x-kubernetes-list-type': 'set',
      }),
    ),
  },
  { description: 'Release represents an OpenShift release image and associated metadata.' },
);
export type Release = Static<typeof Release>;

export const Update = Type.Object(
  {
    architecture: Type.Optional(
      Architecture(
        'architecture is an optional field that indicates the desired value of the cluster architecture.',
      ),
    ),
    version: Type.Optional(
      Type.String({ description: 'version is a semantic version identifying the update version.' }),
    ),
    image: Type.Optional(
      Type.String({ description: 'image is a container image location that contains the update.' }),
    ),
    force: Type.Optional(
      Type.Boolean({
        description:
          'force allows an administrator to update to an image that has failed verification or upgradeable checks that are designed to keep your cluster safe.',
      }),
    ),
  },
  {
    description:
      'desiredUpdate is an optional field that indicates the desired value of the cluster version. Setting this value will trigger an upgrade (if the current version does not match the desired version).',
    'x-kubernetes-validations': [
      {
        rule: 'has(self.architecture) && has(self.image) ? (self.architecture == "" || self.image == "") : true',
        message: 'cannot set both Architecture and Image',
      },
      {
        rule: 'has(self.architecture) && self.architecture != "" ? self.version != "" : true',
        message: 'Version must be set if Architecture is set',
      },
    ],
  },
);
export type Update = Static<typeof Update>;

export const ComponentOverride = Type.Object({
  kind: Type.String({ description: 'kind indentifies which object to override.' }),
  group: Type.String({ description: 'group identifies the API group that the kind is in.' }),
  namespace: Type.String({ description: "namespace is the component's namespace." }),
  name: Type.String({ description: "name is the component's name." }),
  unmanaged: Type.Boolean({
    description:
      'unmanaged controls if cluster version operator should stop managing the resources in this cluster.',
  }),
});

export const ClusterVersionSpec = Type.Object(
  {
    clusterID: Type.String({ description: 'clusterID uniquely identifies this cluster.' }),
    desiredUpdate: Type.Optional(Update),
    upstream: Type.Optional(
      Type.String({ description: 'upstream may be used to specify the preferred update server.' }),
    ),
    channel: Type.Optional(
      Type.String({
        description:
          'channel is an identifier for explicitly requesting a non-default set of updates to be applied to this cluster.',
      }),
    ),
    capabilities: Type.Optional(
      Type.Object(
        {
          baselineCapabilitySet: Type.Optional(
            StringEnum(capabilitySets, {
              description: 'baselineCapabilitySet selects an initial set of optional capabilities to enable.',
            }),
          ),
          additionalEnabledCapabilities: Type.Optional(
            Type.Array(StringEnum(capabilities), {
              description:
                'additionalEnabledCapabilities extends the set of managed capabilities beyond the baseline.',
              'x-kubernetes-list-type': 'atomic',
            }),
          ),
        },
        { description: 'capabilities configures the installation of optional, core cluster components.' },
      ),
    ),
    overrides: Type.Optional(
      Type.Array(ComponentOverride, {
        description:
          'overrides is list of overides for components that are managed by cluster version operator.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['kind', 'group', 'namespace', 'name'],
      }),
    ),
  },
  { description: 'spec is the desired state of the cluster version.' },
);
export type ClusterVersionSpec = Static<typeof ClusterVersionSpec>;

export const UpdateHistory = Type.Object({
  state: Type.String({
    description: 'state reflects whether the update was fully applied (Completed or Partial).',
  }),
  startedTime: Timestamp({ description: 'startedTime is the time at which the update was started.' }),
  completionTime: Timestamp({
    nullable: true,
    description: 'completionTime, if set, is when the update was fully applied.',
  }),
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
  type: StringEnum(clusterConditionTypes, { description: 'type represents the cluster-condition type.' }),
  promql: Type.Optional(
    Type.Object(
      { promql: Type.String({ description: 'promql is a PromQL query classifying clusters.' }) },
      { description: 'promql represents a cluster condition based on PromQL.' },
    ),
  ),
});
export type ClusterCondition = Static<typeof ClusterCondition>;

export const ConditionalUpdateRisk = Type.Object({
  url: Type.String({ format: 'uri', minLength: 1, description: 'url contains information about this risk.' }),
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
    description:
      'matchingRules is a slice of conditions for deciding which clusters match the risk and which do not.',
    'x-kubernetes-list-type': 'atomic',
  }),
});
export type ConditionalUpdateRisk = Static<typeof ConditionalUpdateRisk>;

export const ConditionalUpdate = Type.Object({
  release: Release,
  risks: Type.Array(ConditionalUpdateRisk, {
    minItems: 1,
    maxItems: 200,
    description: 'risks represents the range of issues associated with updating to the target release.',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
  }),
  conditions: Type.Optional(
    Type.Array(Condition, {
      description: "conditions represents the observations of the conditional update's current status.",
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    }),
  ),
});
export type ConditionalUpdate = Static<typeof ConditionalUpdate>;

const CapabilityList = (description: string) =>
  Type.Array(StringEnum(capabilities), { description, 'x-kubernetes-list-type': 'atomic' });

export const ClusterVersionStatus = Type.Object(
  {
    desired: Release,
    history: Type.Optional(
      Type.Array(UpdateHistory, {
        description: 'history contains a list of the most recent versions applied to the cluster.',
        'x-kubernetes-list-type': 'atomic',
      }),
    ),
    observedGeneration: Type.Integer({
      format: 'int64',
      description: 'observedGeneration reports which version of the spec is being synced.',
    }),
    versionHash: Type.String({
      description: 'versionHash is a fingerprint of the content that the cluster will be updated with.',
    }),
    capabilities: Type.Optional(
      Type.Object({
        enabledCapabilities: Type.Optional(
          CapabilityList('enabledCapabilities lists all the capabilities that are currently managed.'),
        ),
        knownCapabilities: Type.Optional(
          CapabilityList('knownCapabilities lists all the capabilities known to the current cluster.'),
        ),
      }),
    ),
    conditions: Type.Optional(
      ClusterOperatorStatusConditions('conditions provides information about the cluster version.'),
    ),
    availableUpdates: Type.Array(Release, {
      nullable: true,
      description: 'availableUpdates contains updates recommended for this cluster.',
      'x-kubernetes-list-type': 'atomic',
    }),
    conditionalUpdates: Type.Optional(
      Type.Array(ConditionalUpdate, {
        maxItems: 500,
        description:
          'conditionalUpdates contains the list of updates that may be recommended for this cluster if it meets specific required conditions.',
        'x-kubernetes-list-type': 'atomic',
      }),
    ),
  },
  { description: 'status contains information about the available updates and any in-progress updates.' },
);
export type ClusterVersionStatus = Static<typeof ClusterVersionStatus>;

export const ClusterVersion = requireSpec(
  kindSchema(ClusterVersionSpec, ClusterVersionStatus, {
    description:
      'ClusterVersion is the configuration for the ClusterVersionOperator. This is where parameters related to automatic updates can be set.',
    'x-kubernetes-validations': [
      {
        rule: "has(self.spec.capabilities) && has(self.spec.capabilities.additionalEnabledCapabilities) && self.spec.capabilities.baselineCapabilitySet == 'None' && 'marketplace' in self.spec.capabilities.additionalEnabledCapabilities ? 'OperatorLifecycleManager' in self.spec.capabilities.additionalEnabledCapabilities || (has(self.status) && has(self.status.capabilities) && has(self.status.capabilities.enabledCapabilities) && 'OperatorLifecycleManager' in self.status.capabilities.enabledCapabilities) : true",
        message:
          'the `marketplace` capability requires the `OperatorLifecycleManager` capability, which is neither explicitly or implicitly enabled in this cluster, please enable the `OperatorLifecycleManager` capability',
      },
    ],
  }),
);
export type ClusterVersion = KindObject<ClusterVersionSpec, ClusterVersionStatus>;

export const clusterVersionKind: KindDefinition = {
  group,
  kind: 'ClusterVersion',
  plural: 'clusterversions',
  singular: 'clusterversion',
  scope: 'Cluster',
  versions: [
    {
      name: version,
      schema: ClusterVersion,
      // `oc get clusterversion` as seed 002 prints it: VERSION AVAILABLE PROGRESSING SINCE STATUS.
      printerColumns: [
        { name: 'Version', type: 'string', jsonPath: '.status.history[?(@.state=="Completed")].version' },
        { name: 'Available', type: 'string', jsonPath: '.status.conditions[?(@.type=="Available")].status' },
        {
          name: 'Progressing',
          type: 'string',
          jsonPath: '.status.conditions[?(@.type=="Progressing")].status',
        },
        {
          name: 'Since',
          type: 'date',
          jsonPath: '.status.conditions[?(@.type=="Progressing")].lastTransitionTime',
        },
        { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="Progressing")].message' },
      ],
    },
  ],
};
