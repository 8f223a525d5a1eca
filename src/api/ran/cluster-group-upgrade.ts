/**
 * ClusterGroupUpgrade (ran.openshift.io/v1alpha1, short name `cgu`): TALM's rollout of managed
 * policies to a group of clusters in batches, optionally with pre-caching and a backup first.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  Conditions,
  FreeForm,
  StringEnum,
  StringMap,
  Timestamp,
  kindSchema,
  type KindDefinition,
} from '../kind.ts';
import { LabelSelector, type KindObject } from '../kube-types.ts';
import { batchTimeoutActions, defaultTimeoutMinutes, group, version } from './constants.ts';

export const NamespacedCR = Type.Object(
  { name: Type.Optional(Type.String()), namespace: Type.Optional(Type.String()) },
  { description: 'NamespacedCR defines the name and namespace of a custom resource' },
);
export type NamespacedCR = Static<typeof NamespacedCR>;

export const RemediationStrategySpec = Type.Object(
  {
    canaries: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Canaries defines the list of managed clusters that should be remediated first when remediateAction is set to enforce',
      }),
    ),
    // Upstream sets no minimum: 0 means "all clusters in one batch".
    maxConcurrency: Type.Integer(),
    timeout: Type.Optional(Type.Integer({ default: defaultTimeoutMinutes })),
  },
  { description: 'RemediationStrategySpec defines the remediation policy' },
);
export type RemediationStrategySpec = Static<typeof RemediationStrategySpec>;

const clusterLabelActions = {
  addClusterLabels: Type.Optional(
    StringMap({
      description:
        'This field defines a map of key/value pairs that identify the cluster labels to be added or updated to the defined clusters.',
    }),
  ),
  deleteClusterLabels: Type.Optional(
    StringMap({
      description:
        'This field defines a map of key/value pairs that identify the cluster labels to be deleted for the defined clusters.',
    }),
  ),
  removeClusterLabels: Type.Optional(
    Type.Array(Type.String(), {
      description: 'This field defines a list of labels to be removed for the defined clusters.',
    }),
  ),
  addClusterAnnotations: Type.Optional(
    StringMap({
      description:
        'This field defines a map of key/value pairs that identify the cluster annotations to be added or updated to the defined clusters.',
    }),
  ),
  removeClusterAnnotations: Type.Optional(
    Type.Array(Type.String(), {
      description: 'This field defines a list of annotations to be removed for the defined clusters.',
    }),
  ),
};

export const Actions = Type.Object(
  {
    beforeEnable: Type.Optional(
      Type.Object(clusterLabelActions, {
        description: 'BeforeEnable defines the actions to be done before starting upgrade',
      }),
    ),
    afterCompletion: Type.Optional(
      Type.Object(
        {
          ...clusterLabelActions,
          deleteObjects: Type.Optional(
            Type.Boolean({
              default: true,
              description: 'This field defines whether clean up the resources created for upgrade',
            }),
          ),
        },
        { description: 'AfterCompletion defines the actions to be done after upgrade is completed' },
      ),
    ),
  },
  {
    description:
      'Actions defines the actions to be done either before or after the managedPolicies are remediated',
  },
);

export const ClusterGroupUpgradeSpec = Type.Object(
  {
    backup: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'This field determines whether the cluster would be running a backup prior to the upgrade.',
      }),
    ),
    preCaching: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'This field determines whether container image pre-caching will be done on all the clusters matching the selector.',
      }),
    ),
    preCachingConfigRef: Type.Optional({
      ...NamespacedCR,
      description:
        'This field specifies a reference to a pre-caching config custom resource that contains the additional pre-caching configurations.',
    }),
    enable: Type.Optional(
      Type.Boolean({
        default: true,
        description: "This field determines when the CGU starts. While false, the CGU doesn't start.",
      }),
    ),
    clusters: Type.Optional(Type.Array(Type.String())),
    clusterSelector: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'This field holds a label common to multiple clusters that will be updated. Deprecated: Use ClusterLabelSelectors instead',
      }),
    ),
    clusterLabelSelectors: Type.Optional(
      Type.Array(LabelSelector, {
        description:
          'This field holds a list of expressions or labels that will be used to determine what clusters to include in the operation.',
      }),
    ),
    remediationStrategy: RemediationStrategySpec,
    managedPolicies: Type.Optional(Type.Array(Type.String())),
    manifestWorkTemplates: Type.Optional(Type.Array(Type.String())),
    blockingCRs: Type.Optional(
      Type.Array({
        ...NamespacedCR,
        description:
          'BlockingCR defines the Upgrade CRs that block the current CR from running if not completed',
      }),
    ),
    actions: Type.Optional(Actions),
    batchTimeoutAction: Type.Optional(
      StringEnum(batchTimeoutActions, {
        description:
          'The Batch Timeout Action can be specified to control what happens when a batch times out. The default value is `Continue`.',
      }),
    ),
  },
  { description: 'ClusterGroupUpgradeSpec defines the desired state of ClusterGroupUpgrade' },
);
export type ClusterGroupUpgradeSpec = Static<typeof ClusterGroupUpgradeSpec>;

export const ClusterRemediationProgress = Type.Object(
  {
    state: Type.Optional(
      Type.String({ description: 'State should be one of the following: NotStarted, InProgress, Completed' }),
    ),
    manifestWorkIndex: Type.Optional(Type.Integer()),
    policyIndex: Type.Optional(Type.Integer()),
    firstCompliantAt: Type.Optional(Timestamp()),
  },
  { description: 'ClusterRemediationProgress stores the remediation progress of a cluster' },
);
export type ClusterRemediationProgress = Static<typeof ClusterRemediationProgress>;

export const UpgradeStatus = Type.Object(
  {
    startedAt: Type.Optional(Timestamp()),
    completedAt: Type.Optional(Timestamp()),
    currentBatch: Type.Optional(Type.Integer()),
    currentBatchStartedAt: Type.Optional(Timestamp()),
    currentBatchRemediationProgress: Type.Optional(
      Type.Unsafe<Record<string, ClusterRemediationProgress>>({
        type: 'object',
        additionalProperties: ClusterRemediationProgress,
      }),
    ),
  },
  { description: 'UpgradeStatus defines the observed state of the upgrade' },
);
export type UpgradeStatus = Static<typeof UpgradeStatus>;

export const ClusterState = Type.Object(
  {
    name: Type.String(),
    state: Type.String(),
    currentPolicy: Type.Optional(
      Type.Object(
        { name: Type.String(), status: Type.Optional(Type.String()) },
        { description: 'PolicyStatus defines the status of a certain policy' },
      ),
    ),
    currentManifestWork: Type.Optional(
      Type.Object(
        {
          name: Type.String(),
          status: Type.Optional(FreeForm({ description: 'ManifestResourceStatus of the ManifestWork.' })),
        },
        { description: 'ManifestWorkStatus defines the status of a certain ManifestWork' },
      ),
    ),
  },
  { description: 'ClusterState defines the final state of a cluster' },
);
export type ClusterState = Static<typeof ClusterState>;

export const PrecachingSpec = Type.Object(
  {
    platformImage: Type.Optional(Type.String()),
    operatorsIndexes: Type.Optional(Type.Array(Type.String())),
    operatorsPackagesAndChannels: Type.Optional(Type.Array(Type.String())),
    excludePrecachePatterns: Type.Optional(Type.Array(Type.String())),
    spaceRequired: Type.Optional(Type.String()),
    additionalImages: Type.Optional(Type.Array(Type.String())),
  },
  { description: 'PrecachingSpec defines the pre-caching software spec derived from policies' },
);

export const ClusterGroupUpgradeStatus = Type.Object(
  {
    placementBindings: Type.Optional(Type.Array(Type.String())),
    placements: Type.Optional(Type.Array(Type.String())),
    copiedPolicies: Type.Optional(Type.Array(Type.String())),
    conditions: Type.Optional(Conditions()),
    remediationPlan: Type.Optional(Type.Array(Type.Array(Type.String()))),
    managedPoliciesNs: Type.Optional(StringMap()),
    safeResourceNames: Type.Optional(StringMap()),
    managedPoliciesForUpgrade: Type.Optional(
      Type.Array(NamespacedCR, {
        description:
          'Contains the managed policies (and the namespaces) that have NonCompliant clusters that require updating.',
      }),
    ),
    managedPoliciesCompliantBeforeUpgrade: Type.Optional(Type.Array(Type.String())),
    managedPoliciesContent: Type.Optional(StringMap()),
    clusters: Type.Optional(Type.Array(ClusterState)),
    status: Type.Optional(UpgradeStatus),
    precaching: Type.Optional(
      Type.Object(
        {
          spec: Type.Optional(PrecachingSpec),
          status: Type.Optional(StringMap()),
          clusters: Type.Optional(Type.Array(Type.String())),
        },
        { description: 'PrecachingStatus defines the observed pre-caching status' },
      ),
    ),
    backup: Type.Optional(
      Type.Object(
        {
          startedAt: Type.Optional(Timestamp()),
          status: Type.Optional(StringMap()),
          clusters: Type.Optional(Type.Array(Type.String())),
        },
        { description: 'BackupStatus defines the observed backup status' },
      ),
    ),
    computedMaxConcurrency: Type.Optional(Type.Integer()),
  },
  { description: 'ClusterGroupUpgradeStatus defines the observed state of ClusterGroupUpgrade' },
);
export type ClusterGroupUpgradeStatus = Static<typeof ClusterGroupUpgradeStatus>;

export const ClusterGroupUpgrade = kindSchema(ClusterGroupUpgradeSpec, ClusterGroupUpgradeStatus, {
  description: 'ClusterGroupUpgrade is the Schema for the ClusterGroupUpgrades API',
});
export type ClusterGroupUpgrade = KindObject<ClusterGroupUpgradeSpec, ClusterGroupUpgradeStatus>;

export const clusterGroupUpgradeKind: KindDefinition = {
  group,
  kind: 'ClusterGroupUpgrade',
  plural: 'clustergroupupgrades',
  singular: 'clustergroupupgrade',
  shortNames: ['cgu'],
  scope: 'Namespaced',
  versions: [
    {
      name: version,
      schema: ClusterGroupUpgrade,
      printerColumns: [
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'State', type: 'string', jsonPath: '.status.conditions[-1:].reason' },
        { name: 'Details', type: 'string', jsonPath: '.status.conditions[-1:].message' },
      ],
    },
  ],
};
