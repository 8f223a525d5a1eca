/** ManagedCluster: a cluster registered with the hub (RHACM / multicluster engine). */
import { Type, type Static } from '@sinclair/typebox';

import {
  Conditions,
  MapOf,
  Quantity,
  StringEnum,
  kindSchema,
  type KindDefinition,
  type PrinterColumn,
} from '../kind.ts';
import type { Resource } from '../kube-types.ts';
import { TaintEffects, group, version } from './constants.ts';

export const ClientConfig = Type.Object({
  url: Type.String({ description: 'URL is the URL of apiserver endpoint of the managed cluster.' }),
  caBundle: Type.Optional(
    Type.String({
      format: 'byte',
      description: 'CABundle is the ca bundle to connect to apiserver of the managed cluster.',
    }),
  ),
});

export const ManagedClusterTaint = Type.Object({
  key: Type.String({
    maxLength: 316,
    pattern:
      '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    description: 'Key is the taint key applied to a cluster.',
  }),
  value: Type.Optional(
    Type.String({ maxLength: 1024, description: 'Value is the taint value corresponding to the taint key.' }),
  ),
  effect: StringEnum(TaintEffects, {
    description: 'Effect indicates the effect of the taint on placements that do not tolerate the taint.',
  }),
  timeAdded: Type.Optional(
    Type.Unsafe<string | null>({
      type: 'string',
      format: 'date-time',
      nullable: true,
      description: 'TimeAdded represents the time at which the taint was added.',
    }),
  ),
});

export const ManagedClusterSpec = Type.Object({
  managedClusterClientConfigs: Type.Optional(
    Type.Array(ClientConfig, {
      description:
        'ManagedClusterClientConfigs represents a list of the apiserver address of the managed cluster.',
    }),
  ),
  hubAcceptsClient: Type.Optional(
    Type.Boolean({
      description:
        'hubAcceptsClient represents that hub accepts the joining of Klusterlet agent on the managed cluster with the hub.',
    }),
  ),
  leaseDurationSeconds: Type.Optional(
    Type.Integer({
      format: 'int32',
      default: 60,
      description:
        'LeaseDurationSeconds is used to coordinate the lease update time of Klusterlet agents on the managed cluster.',
    }),
  ),
  taints: Type.Optional(
    Type.Array(ManagedClusterTaint, {
      description:
        'Taints is a property of managed cluster that allow the cluster to be repelled when scheduling.',
    }),
  ),
});
export type ManagedClusterSpec = Static<typeof ManagedClusterSpec>;

const ResourceList = MapOf(Quantity());

export const ManagedClusterStatus = Type.Object({
  conditions: Type.Optional(
    Conditions({
      description: 'Conditions contains the different condition statuses for this managed cluster.',
    }),
  ),
  capacity: Type.Optional(ResourceList),
  allocatable: Type.Optional(ResourceList),
  version: Type.Optional(
    Type.Object({
      kubernetes: Type.Optional(
        Type.String({ description: 'Kubernetes is the kubernetes version of managed cluster.' }),
      ),
    }),
  ),
  clusterClaims: Type.Optional(
    Type.Array(
      Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
        value: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
      }),
      { description: 'ClusterClaims represents cluster information that a managed cluster claims.' },
    ),
  ),
});
export type ManagedClusterStatus = Static<typeof ManagedClusterStatus>;

export const ManagedClusterSchema = kindSchema(ManagedClusterSpec, ManagedClusterStatus, {
  description: 'ManagedCluster represents the desired state and current status of a managed cluster.',
});

export type ManagedCluster = Resource<ManagedClusterSpec, ManagedClusterStatus>;

const printerColumns: readonly PrinterColumn[] = [
  { name: 'Hub Accepted', type: 'boolean', jsonPath: '.spec.hubAcceptsClient' },
  { name: 'Managed Cluster URLs', type: 'string', jsonPath: '.spec.managedClusterClientConfigs[*].url' },
  {
    name: 'Joined',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="ManagedClusterJoined")].status',
  },
  {
    name: 'Available',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="ManagedClusterConditionAvailable")].status',
  },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export const managedClusterKind: KindDefinition = {
  group,
  kind: 'ManagedCluster',
  plural: 'managedclusters',
  singular: 'managedcluster',
  shortNames: ['mcl', 'mcls'],
  scope: 'Cluster',
  versions: [{ name: version, schema: ManagedClusterSchema, printerColumns }],
};
