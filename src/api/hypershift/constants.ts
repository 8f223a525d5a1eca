/**
 * Strings of the hypershift.openshift.io API group: versions, condition types and reasons,
 * annotations, labels, finalizers and the well-known ConfigMaps seed 003 names.
 */

export const group = 'hypershift.openshift.io';
/** v1beta1 is stored; v1alpha1 is still served because seed 003's examples use both. */
export const storageVersion = 'v1beta1';
export const servedVersions = ['v1beta1', 'v1alpha1'] as const;

// ---- HostedCluster conditions (upstream hostedcluster_conditions.go) ---------------------------

export const HostedClusterCondition = {
  Available: 'Available',
  Progressing: 'Progressing',
  Degraded: 'Degraded',
  InfrastructureReady: 'InfrastructureReady',
  KubeAPIServerAvailable: 'KubeAPIServerAvailable',
  EtcdAvailable: 'EtcdAvailable',
  ValidHostedControlPlaneConfiguration: 'ValidHostedControlPlaneConfiguration',
  CloudResourcesDestroyed: 'CloudResourcesDestroyed',
  HostedClusterDestroyed: 'HostedClusterDestroyed',
  ExternalDNSReachable: 'ExternalDNSReachable',
  ValidReleaseInfo: 'ValidReleaseInfo',
  ClusterVersionSucceeding: 'ClusterVersionSucceeding',
  ClusterVersionUpgradeable: 'ClusterVersionUpgradeable',
  ClusterVersionFailing: 'ClusterVersionFailing',
  ClusterVersionProgressing: 'ClusterVersionProgressing',
  ClusterVersionAvailable: 'ClusterVersionAvailable',
  ClusterVersionReleaseAccepted: 'ClusterVersionReleaseAccepted',
  ClusterVersionRetrievedUpdates: 'ClusterVersionRetrievedUpdates',
  UnmanagedEtcdAvailable: 'UnmanagedEtcdAvailable',
  IgnitionEndpointAvailable: 'IgnitionEndpointAvailable',
  IgnitionServerValidReleaseInfo: 'IgnitionServerValidReleaseInfo',
  ValidConfiguration: 'ValidConfiguration',
  SupportedHostedCluster: 'SupportedHostedCluster',
  ValidOIDCConfiguration: 'ValidOIDCConfiguration',
  ValidProxyConfiguration: 'ValidProxyConfiguration',
  ValidIDPConfiguration: 'ValidIDPConfiguration',
  ValidReleaseImage: 'ValidReleaseImage',
  ValidKubeVirtInfraNetworkMTU: 'ValidKubeVirtInfraNetworkMTU',
  KubeVirtNodesLiveMigratable: 'KubeVirtNodesLiveMigratable',
  ValidAWSIdentityProvider: 'ValidAWSIdentityProvider',
  ValidAWSKMSConfig: 'ValidAWSKMSConfig',
  ValidAzureKMSConfig: 'ValidAzureKMSConfig',
  AWSDefaultSecurityGroupCreated: 'AWSDefaultSecurityGroupCreated',
  AWSDefaultSecurityGroupDeleted: 'AWSDefaultSecurityGroupDeleted',
  PlatformCredentialsFound: 'PlatformCredentialsFound',
  ReconciliationActive: 'ReconciliationActive',
  ReconciliationSucceeded: 'ReconciliationSucceeded',
  EtcdRecoveryActive: 'EtcdRecoveryActive',
  ClusterSizeComputed: 'ClusterSizeComputed',
  ClusterSizeTransitionPending: 'ClusterSizeTransitionPending',
  ClusterSizeTransitionRequired: 'ClusterSizeTransitionRequired',
  HostedClusterRestoredFromBackup: 'HostedClusterRestoredFromBackup',
  DataPlaneConnectionAvailable: 'DataPlaneConnectionAvailable',
} as const;
export type HostedClusterConditionType = (typeof HostedClusterCondition)[keyof typeof HostedClusterCondition];

/** Condition reasons shared by HostedCluster, HostedControlPlane and NodePool. */
export const Reason = {
  StatusUnknown: 'StatusUnknown',
  AsExpected: 'AsExpected',
  NotFound: 'NotFound',
  WaitingForAvailable: 'WaitingForAvailable',
  SecretNotFound: 'SecretNotFound',
  WaitingForGracePeriod: 'WaitingForGracePeriod',
  Blocked: 'Blocked',
  InfraStatusFailure: 'InfraStatusFailure',
  WaitingOnInfrastructureReady: 'WaitingOnInfrastructureReady',
  EtcdQuorumAvailable: 'QuorumAvailable',
  EtcdWaitingForQuorum: 'EtcdWaitingForQuorum',
  EtcdStatefulSetNotFound: 'StatefulSetNotFound',
  EtcdRecoveryJobFailed: 'EtcdRecoveryJobFailed',
  UnmanagedEtcdMisconfigured: 'UnmanagedEtcdMisconfigured',
  UnmanagedEtcdAsExpected: 'UnmanagedEtcdAsExpected',
  FromClusterVersion: 'FromClusterVersion',
  InvalidConfiguration: 'InvalidConfiguration',
  KubeconfigWaitingForCreate: 'KubeconfigWaitingForCreate',
  UnsupportedHostedCluster: 'UnsupportedHostedCluster',
  InsufficientClusterCapabilities: 'InsufficientClusterCapabilities',
  OIDCConfigurationInvalid: 'OIDCConfigurationInvalid',
  ProxyCABundleInvalid: 'ProxyCABundleInvalid',
  PlatformCredentialsNotFound: 'PlatformCredentialsNotFound',
  InvalidImage: 'InvalidImage',
  InvalidIdentityProvider: 'InvalidIdentityProvider',
  PayloadArchNotFound: 'PayloadArchNotFound',
  MissingReleaseImages: 'MissingReleaseImages',
  ReconciliationPaused: 'ReconciliationPaused',
  InvalidPausedUntilValue: 'InvalidPausedUntilValue',
  RecoveryFinished: 'RecoveryFinished',
  ReconcileError: 'ReconcileError',
  /** NodePool reasons (nodepool_conditions.go). */
  ValidationFailed: 'ValidationFailed',
  InplaceUpgradeFailed: 'InplaceUpgradeFailed',
  FailedToGet: 'FailedToGet',
  IgnitionEndpointMissing: 'IgnitionEndpointMissing',
  IgnitionCACertMissing: 'IgnitionCACertMissing',
  IgnitionNotReached: 'ignitionNotReached',
  ValidArchPlatform: 'ValidArchPlatform',
  InvalidArchPlatform: 'InvalidArchPlatform',
  UnsupportedSkew: 'UnsupportedSkew',
} as const;

export const AllIsWellMessage = 'All is well';

// ---- NodePool conditions (upstream nodepool_conditions.go) -------------------------------------

export const NodePoolCondition = {
  ValidGeneratedPayload: 'ValidGeneratedPayload',
  ValidPlatformImage: 'ValidPlatformImage',
  ValidReleaseImage: 'ValidReleaseImage',
  ValidMachineConfig: 'ValidMachineConfig',
  ValidTuningConfig: 'ValidTuningConfig',
  SupportedVersionSkew: 'SupportedVersionSkew',
  ValidPlatformConfig: 'ValidPlatformConfig',
  UpdateManagementEnabled: 'UpdateManagementEnabled',
  AutoscalingEnabled: 'AutoscalingEnabled',
  AutorepairEnabled: 'AutorepairEnabled',
  UpdatingVersion: 'UpdatingVersion',
  UpdatingConfig: 'UpdatingConfig',
  UpdatingPlatformMachineTemplate: 'UpdatingPlatformMachineTemplate',
  Ready: 'Ready',
  AllMachinesReady: 'AllMachinesReady',
  AllNodesHealthy: 'AllNodesHealthy',
  ReconciliationActive: 'ReconciliationActive',
  ReachedIgnitionEndpoint: 'ReachedIgnitionEndpoint',
  AWSSecurityGroupAvailable: 'AWSSecurityGroupAvailable',
  ValidMachineTemplate: 'ValidMachineTemplate',
  ClusterNetworkCIDRConflict: 'ClusterNetworkCIDRConflict',
  KubeVirtNodesLiveMigratable: 'KubeVirtNodesLiveMigratable',
} as const;
export type NodePoolConditionType = (typeof NodePoolCondition)[keyof typeof NodePoolCondition];

// ---- HostedControlPlane conditions (the HostedCluster ones it bubbles up) ----------------------

export const HostedControlPlaneCondition = {
  Available: 'Available',
  Degraded: 'Degraded',
  EtcdAvailable: 'EtcdAvailable',
  KubeAPIServerAvailable: 'KubeAPIServerAvailable',
  InfrastructureReady: 'InfrastructureReady',
  ValidHostedControlPlaneConfiguration: 'ValidHostedControlPlaneConfiguration',
  ValidReleaseInfo: 'ValidReleaseInfo',
  ClusterVersionSucceeding: 'ClusterVersionSucceeding',
  ClusterVersionUpgradeable: 'ClusterVersionUpgradeable',
  ClusterVersionFailing: 'ClusterVersionFailing',
  ClusterVersionProgressing: 'ClusterVersionProgressing',
  ClusterVersionAvailable: 'ClusterVersionAvailable',
  ClusterVersionReleaseAccepted: 'ClusterVersionReleaseAccepted',
  ClusterVersionRetrievedUpdates: 'ClusterVersionRetrievedUpdates',
  ReconciliationActive: 'ReconciliationActive',
} as const;

// ---- annotations, labels, finalizers -----------------------------------------------------------

export const Annotation = {
  /** Seed 003 §6.7: forces the control plane to the given release image. */
  ForceUpgradeTo: 'hypershift.openshift.io/force-upgrade-to',
  ReleaseImage: 'hypershift.openshift.io/release-image',
  RestartDate: 'hypershift.openshift.io/restart-date',
  DestroyGracePeriod: 'hypershift.openshift.io/destroy-grace-period',
  DisablePKIReconciliation: 'hypershift.openshift.io/disable-pki-reconciliation',
  ControlPlaneOperatorImage: 'hypershift.openshift.io/control-plane-operator-image',
  ClusterScheduled: 'hypershift.openshift.io/cluster-scheduled',
  Topology: 'hypershift.openshift.io/topology',
  CleanupCloudResources: 'hypershift.openshift.io/cleanup-cloud-resources',
  SkipControlPlaneNamespaceDeletion: 'hypershift.openshift.io/skip-delete-hosted-controlplane-namespace',
  RestoredFromBackup: 'hypershift.openshift.io/restored-from-backup',
  /** On a NodePool: the release version its nodes run. */
  NodePoolReleaseVersion: 'hypershift.openshift.io/release-version',
  IgnitionTokenExpirationTimestamp: 'hypershift.openshift.io/ignition-token-expiration-timestamp',
  /** On a HostedControlPlane: the HostedCluster it belongs to (`namespace/name`). */
  HostedCluster: 'hypershift.openshift.io/cluster',
} as const;

export const Label = {
  /** Marks the `supported-versions` ConfigMap (seed 003 §1.4, §6.3.2). */
  SupportedVersions: 'hypershift.openshift.io/supported-versions',
  HostedControlPlaneNamespace: 'hypershift.openshift.io/hosted-control-plane',
  NodePool: 'hypershift.openshift.io/nodePool',
  NodePoolName: 'hypershift.openshift.io/nodepool-name',
  InfraID: 'hypershift.openshift.io/infra-id',
  HostedCluster: 'hypershift.openshift.io/cluster',
  TunedConfig: 'hypershift.openshift.io/tuned-config',
  MirroredConfig: 'hypershift.openshift.io/mirrored-config',
  /** The role label of a MachineConfig held in a NodePool config ConfigMap (seed 003 §4.1). */
  MachineConfigRole: 'machineconfiguration.openshift.io/role',
} as const;

export const Finalizer = {
  HostedCluster: 'hypershift.openshift.io/finalizer',
  ControlPlaneComponent: 'hypershift.openshift.io/component-finalizer',
} as const;

// ---- well-known objects and keys ---------------------------------------------------------------

/** The operator's namespace, holding `supported-versions` and the dashboard template. */
export const OperatorNamespace = 'hypershift';
/** Where HostedClusters are created when the seed does not say otherwise. */
export const DefaultHostedClusterNamespace = 'clusters';

export const SupportedVersionsConfigMap = {
  name: 'supported-versions',
  namespace: OperatorNamespace,
  /** JSON `{"versions":["4.17","4.16",…]}`. */
  versionsKey: 'supported-versions',
  serverVersionKey: 'server-version',
} as const;

/** Key holding the MachineConfig (and friends) in a `spec.config` ConfigMap. */
export const NodePoolConfigKey = 'config';
/** Key holding the Tuned manifest in a `spec.tuningConfig` ConfigMap. */
export const NodePoolTuningKey = 'tuning';

/** Seed 003 §7.1: metrics sets, chosen through the operator's `METRICS_SET` environment variable. */
export const MetricsSetEnv = 'METRICS_SET';
export const MetricsSets = ['Telemetry', 'SRE', 'All'] as const;
export type MetricsSet = (typeof MetricsSets)[number];
export const DefaultMetricsSet: MetricsSet = 'Telemetry';
/** The ConfigMap (single key `config`) holding the SRE metrics set's relabel configs. */
export const SreMetricSetConfigMap = { name: 'sre-metric-set', key: 'config' } as const;
/** Components an SRE metrics set may configure (seed 003 §7.1.1). */
export const SreMetricSetComponents = [
  'etcd',
  'kubeAPIServer',
  'kubeControllerManager',
  'openshiftAPIServer',
  'openshiftControllerManager',
  'openshiftRouteControllerManager',
  'cvo',
  'olm',
  'catalogOperator',
  'registryOperator',
  'nodeTuningOperator',
  'controlPlaneOperator',
  'hostedClusterConfigOperator',
] as const;

/** Seed 003 §7.2: monitoring dashboards. */
export const MonitoringDashboards = {
  env: 'MONITORING_DASHBOARDS',
  installFlagsConfigMap: { name: 'hypershift-operator-install-flags', namespace: 'local-cluster' },
  installFlag: '--monitoring-dashboards',
  templateConfigMap: { name: 'monitoring-dashboard-template', namespace: OperatorNamespace },
  /** Dashboards are written here as `cp-<hosted cluster namespace>-<hosted cluster name>`. */
  namespace: 'openshift-config-managed',
  placeholders: ['__NAME__', '__NAMESPACE__', '__CONTROL_PLANE_NAMESPACE__', '__CLUSTER_ID__'],
} as const;

/** `spec.pausedUntil` values that pause reconciliation indefinitely (anything else is a date). */
export const PausedIndefinitely = ['true', 'True'] as const;
