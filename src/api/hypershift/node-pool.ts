/**
 * NodePool: a scalable set of worker nodes attached to a HostedCluster (seed 003 ch. 4, 6, 9).
 *
 * Upstream requires clusterName, release, platform and management; seed 003 shows partial NodePools
 * (only `spec.config`, only `spec.tuningConfig`) as manifests, so those stay optional here and the
 * NodePool controller treats a missing `management` as `upgradeType: Replace`.
 */
import { Type, type Static } from '@sinclair/typebox';

import {
  IntOrString,
  StringEnum,
  StringMap,
  Timestamp,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import { Duration, PausedUntil, immutable, localRef, release, rules } from './common.ts';
import { group, servedVersions, storageVersion } from './constants.ts';
import { NodePoolPlatform } from './platform.ts';
import type { Resource } from '../kube-types.ts';

export const UpgradeTypes = ['Replace', 'InPlace'] as const;
export type UpgradeType = (typeof UpgradeTypes)[number];
export const UpgradeStrategies = ['RollingUpdate', 'OnDelete'] as const;
export const Architectures = ['arm64', 'amd64', 'ppc64le', 's390x'] as const;

export const RollingUpdate = Type.Object({
  maxUnavailable: Type.Optional(
    IntOrString({
      description: 'maxUnavailable is the maximum number of nodes that can be unavailable during the update.',
    }),
  ),
  maxSurge: Type.Optional(
    IntOrString({
      description:
        'maxSurge is the maximum number of nodes that can be provisioned above the desired number of nodes.',
    }),
  ),
});

export const ReplaceUpgrade = Type.Object(
  {
    strategy: Type.Optional(
      StringEnum(UpgradeStrategies, {
        description: 'strategy is the node replacement strategy for nodes in the pool.',
      }),
    ),
    rollingUpdate: Type.Optional(RollingUpdate),
  },
  {
    description: 'replace is the configuration for rolling upgrades.',
    default: { strategy: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    ...rules({
      rule: "!has(self.rollingUpdate) || self.strategy == 'RollingUpdate'",
      message: "The 'rollingUpdate' field can only be set when 'strategy' is 'RollingUpdate'",
    }),
  },
);

export const InPlaceUpgrade = Type.Object({
  maxUnavailable: Type.Optional(
    IntOrString({
      description: 'maxUnavailable is the maximum number of nodes that can be unavailable during the update.',
    }),
  ),
});

export const NodePoolManagement = Type.Object(
  {
    upgradeType: StringEnum(UpgradeTypes, {
      description: 'upgradeType specifies the type of strategy for handling upgrades.',
      // Seed 003 §6.5: the update type cannot be changed once the pool exists.
      ...rules(immutable('UpgradeType is immutable')),
    }),
    replace: Type.Optional(ReplaceUpgrade),
    inPlace: Type.Optional(InPlaceUpgrade),
    autoRepair: Type.Optional(
      Type.Boolean({
        description:
          'autoRepair specifies whether health checks should be enabled for machines in the NodePool.',
        default: false,
      }),
    ),
  },
  {
    description:
      'management specifies behavior for managing nodes in the pool, such as upgrade strategies and auto-repair behaviors.',
    ...rules({
      rule: "!has(self.inPlace) || self.upgradeType == 'InPlace'",
      message: "The 'inPlace' field can only be set when 'upgradeType' is 'InPlace'",
    }),
  },
);
export type NodePoolManagement = Static<typeof NodePoolManagement>;

export const NodePoolAutoScaling = Type.Object(
  {
    min: Type.Optional(
      Type.Integer({
        format: 'int32',
        minimum: 0,
        description: 'min is the minimum number of nodes to maintain in the pool.',
      }),
    ),
    max: Type.Integer({
      format: 'int32',
      minimum: 1,
      description: 'max is the maximum number of nodes allowed in the pool.',
    }),
  },
  {
    description: 'autoScaling specifies auto-scaling behavior for the NodePool.',
    ...rules({
      rule: '!has(self.min) || self.max >= self.min',
      message: 'max must be equal or greater than min',
    }),
  },
);

export const Taint = Type.Object({
  key: Type.String({
    description: 'key is the taint key to be applied to a node.',
    ...rules({
      rule: "self.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\\\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$')",
      message: 'key must be a qualified name with an optional subdomain prefix e.g. example.com/MyName',
    }),
  }),
  value: Type.Optional(
    Type.String({
      description: 'value is the taint value corresponding to the taint key.',
      ...rules({
        rule: "self.matches('^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$')",
        message:
          "Value must start and end with alphanumeric characters and can only contain '-', '_', '.' in the middle",
      }),
    }),
  ),
  effect: StringEnum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], {
    description: 'effect is the effect of the taint on pods that do not tolerate the taint.',
  }),
});

export const NodePoolSpec = Type.Object(
  {
    clusterName: Type.Optional(
      Type.String({
        description: 'clusterName is the name of the HostedCluster this NodePool belongs to.',
        ...rules(immutable('ClusterName is immutable'), {
          rule: "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
          message:
            "clusterName must consist of lowercase alphanumeric characters or '-', start and end with an alphanumeric character, and be between 1 and 253 characters",
        }),
      }),
    ),
    release: Type.Optional(release('release specifies the OCP release used for the NodePool.')),
    platform: Type.Optional(NodePoolPlatform),
    replicas: Type.Optional(
      Type.Integer({
        format: 'int32',
        minimum: 0,
        description: 'replicas is the desired number of nodes the pool should maintain.',
      }),
    ),
    management: Type.Optional(NodePoolManagement),
    autoScaling: Type.Optional(NodePoolAutoScaling),
    config: Type.Optional(
      Type.Array(localRef(), {
        description:
          'config is a list of references to ConfigMaps containing serialized MachineConfig resources to be injected into the ignition configurations of nodes in the NodePool.',
      }),
    ),
    nodeDrainTimeout: Type.Optional(
      Duration(
        'nodeDrainTimeout is the maximum amount of time that the controller will spend on draining a node.',
      ),
    ),
    nodeVolumeDetachTimeout: Type.Optional(
      Duration(
        'nodeVolumeDetachTimeout is the maximum amount of time that the controller will spend on detaching volumes from a node.',
      ),
    ),
    nodeLabels: Type.Optional(
      StringMap({ description: 'nodeLabels propagates a list of labels to Nodes, only once on creation.' }),
    ),
    taints: Type.Optional(
      Type.Array(Taint, {
        description: 'taints if specified, propagates a list of taints to Nodes, only once on creation.',
      }),
    ),
    pausedUntil: Type.Optional(
      PausedUntil(
        'pausedUntil is a field that can be used to pause reconciliation on the NodePool controller.',
      ),
    ),
    tuningConfig: Type.Optional(
      Type.Array(localRef(), {
        description:
          'tuningConfig is a list of references to ConfigMaps containing serialized Tuned or PerformanceProfile resources to define the tuning configuration to be applied to nodes in the NodePool.',
      }),
    ),
    arch: Type.Optional(
      StringEnum(Architectures, {
        description: 'arch is the preferred processor architecture for the NodePool.',
        default: 'amd64',
        ...rules(immutable('Arch is immutable')),
      }),
    ),
  },
  {
    description: 'spec is the desired behavior of the NodePool.',
    ...rules(
      { rule: '!has(oldSelf.arch) || has(self.arch)', message: 'Arch is required once set' },
      {
        rule: '!has(self.replicas) || !has(self.autoScaling)',
        message: 'Both replicas or autoScaling should not be set',
      },
    ),
  },
);
export type NodePoolSpec = Static<typeof NodePoolSpec>;

/** NodePool conditions carry an optional severity and may omit reason and message (unlike metav1.Condition). */
export const NodePoolConditionSchema = Type.Object({
  type: Type.String(),
  status: StringEnum(['True', 'False', 'Unknown']),
  severity: Type.Optional(Type.String()),
  lastTransitionTime: Timestamp(),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  observedGeneration: Type.Optional(Type.Integer({ format: 'int64' })),
});
export type NodePoolCondition = Static<typeof NodePoolConditionSchema>;

export const NodePoolStatus = Type.Object({
  replicas: Type.Optional(
    Type.Integer({
      format: 'int32',
      description: 'replicas is the latest observed number of nodes in the pool.',
    }),
  ),
  version: Type.Optional(
    Type.String({
      description: 'version is the semantic version of the latest applied release specified by the NodePool.',
    }),
  ),
  platform: Type.Optional(
    Type.Object(
      {},
      { 'x-kubernetes-preserve-unknown-fields': true, description: 'platform holds the specific statuses' },
    ),
  ),
  conditions: Type.Optional(
    Type.Array(NodePoolConditionSchema, {
      description:
        'conditions represents the latest available observations of the node pool’s current state.',
    }),
  ),
});
export type NodePoolStatus = Static<typeof NodePoolStatus>;

export const NodePoolSchema = kindSchema(NodePoolSpec, NodePoolStatus, {
  description: 'NodePool is a scalable set of worker nodes attached to a HostedCluster.',
});

export type NodePool = Resource<NodePoolSpec, NodePoolStatus>;

const printerColumns: readonly PrinterColumn[] = [
  { name: 'Cluster', type: 'string', jsonPath: '.spec.clusterName', description: 'Cluster' },
  { name: 'Desired Nodes', type: 'integer', jsonPath: '.spec.replicas', description: 'Desired Nodes' },
  { name: 'Current Nodes', type: 'integer', jsonPath: '.status.replicas', description: 'Available Nodes' },
  {
    name: 'Autoscaling',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="AutoscalingEnabled")].status',
    description: 'Autoscaling Enabled',
  },
  {
    name: 'Autorepair',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="AutorepairEnabled")].status',
    description: 'Node Autorepair Enabled',
  },
  { name: 'Version', type: 'string', jsonPath: '.status.version', description: 'Current version' },
  {
    name: 'UpdatingVersion',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="UpdatingVersion")].status',
    description: 'UpdatingVersion in progress',
  },
  {
    name: 'UpdatingConfig',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="UpdatingConfig")].status',
    description: 'UpdatingConfig in progress',
  },
  {
    name: 'Message',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].message',
    description: 'Message',
  },
];

export const nodePoolKind: KindDefinition = {
  group,
  kind: 'NodePool',
  plural: 'nodepools',
  singular: 'nodepool',
  shortNames: ['np', 'nps'],
  scope: 'Namespaced',
  versions: servedVersions.map((name) => ({
    name,
    schema: NodePoolSchema,
    storage: name === storageVersion,
    printerColumns,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  })),
};
