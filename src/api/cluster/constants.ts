/**
 * Strings of the open-cluster-management cluster API groups: cluster.open-cluster-management.io
 * (ManagedCluster) and the view/action groups TALM uses to read and act on managed clusters.
 */

export const group = 'cluster.open-cluster-management.io';
export const version = 'v1';
export const viewGroup = 'view.open-cluster-management.io';
export const actionGroup = 'action.open-cluster-management.io';
export const viewActionVersion = 'v1beta1';

export const ManagedClusterCondition = {
  Joined: 'ManagedClusterJoined',
  HubAccepted: 'HubAcceptedManagedCluster',
  HubDenied: 'HubDeniedManagedCluster',
  Available: 'ManagedClusterConditionAvailable',
  ClockSynced: 'ManagedClusterConditionClockSynced',
  Deleting: 'Deleting',
} as const;

export const TaintEffects = ['NoSelect', 'PreferNoSelect', 'NoSelectIfNew'] as const;

export const Taint = {
  Unavailable: 'cluster.open-cluster-management.io/unavailable',
  Unreachable: 'cluster.open-cluster-management.io/unreachable',
} as const;

export const Label = {
  ClusterName: 'open-cluster-management.io/cluster-name',
  /** Claims-derived labels set on ManagedClusters by the hub. */
  ClusterID: 'clusterID',
  OpenShiftVersion: 'openshiftVersion',
  LocalCluster: 'local-cluster',
} as const;

export const Finalizer = {
  ApiResourceCleanup: 'cluster.open-cluster-management.io/api-resource-cleanup',
} as const;

export const ViewCondition = { Processing: 'Processing' } as const;
export const ViewReason = {
  ResourceNameInvalid: 'ResourceNameInvalid',
  ResourceTypeInvalid: 'ResourceTypeInvalid',
  ResourceGVKInvalid: 'ResourceGVKInvalid',
  GetResourceFailed: 'GetResourceFailed',
  GetResourceProcessing: 'GetResourceProcessing',
} as const;

export const ActionTypes = ['Create', 'Delete', 'Update'] as const;
export const ActionCondition = { Completed: 'Completed' } as const;
export const ActionReason = {
  CreateResourceFailed: 'CreateResourceFailed',
  UpdateResourceFailed: 'UpdateResourceFailed',
  DeleteResourceFailed: 'DeleteResourceFailed',
  ActionTypeInvalid: 'ActionTypeInvalid',
} as const;
