/** hypershift.openshift.io: HostedCluster, NodePool, HostedControlPlane. */
import type { KindDefinition } from '../kind.ts';
import { hostedClusterKind } from './hosted-cluster.ts';
import { hostedControlPlaneKind } from './hosted-control-plane.ts';
import { nodePoolKind } from './node-pool.ts';

export const kinds: readonly KindDefinition[] = [hostedClusterKind, nodePoolKind, hostedControlPlaneKind];

export * from './constants.ts';
export {
  hostedClusterKind,
  type HostedCluster,
  type HostedClusterSpec,
  type HostedClusterStatus,
} from './hosted-cluster.ts';
export {
  nodePoolKind,
  type NodePool,
  type NodePoolSpec,
  type NodePoolStatus,
  type NodePoolCondition,
  type UpgradeType,
} from './node-pool.ts';
export {
  hostedControlPlaneKind,
  type HostedControlPlane,
  type HostedControlPlaneSpec,
  type HostedControlPlaneStatus,
} from './hosted-control-plane.ts';
export type {
  ClusterVersionStatus,
  ConditionalUpdate,
  ReleaseInfo,
  UpdateHistory,
} from './cluster-version-status.ts';
export type { ClusterConfiguration, IdentityProvider, OAuthSpec } from './cluster-configuration.ts';
export type { PlatformType } from './platform.ts';
export type { ObjectMeta, Resource } from '../kube-types.ts';
