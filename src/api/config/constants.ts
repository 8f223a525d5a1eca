/**
 * Strings of the config.openshift.io API (ClusterVersion, ClusterOperator, FeatureGate) and of the
 * update-readiness flow of seed 001 (admin acknowledgements, update gates).
 */

export const group = 'config.openshift.io';
export const version = 'v1';
export const apiVersion = `${group}/${version}`;

/** The singleton ClusterVersion and FeatureGate names. */
export const clusterVersionName = 'version';
export const featureGateName = 'cluster';

/** Condition types of ClusterVersion and ClusterOperator (`Failing` is the CVO's own). */
export const conditionTypes = {
  available: 'Available',
  progressing: 'Progressing',
  degraded: 'Degraded',
  upgradeable: 'Upgradeable',
  failing: 'Failing',
  retrievedUpdates: 'RetrievedUpdates',
  releaseAccepted: 'ReleaseAccepted',
  implicitlyEnabledCapabilities: 'ImplicitlyEnabledCapabilities',
  evaluationConditionsDetected: 'EvaluationConditionsDetected',
  /** On a conditional update: whether its risks apply to this cluster. */
  recommended: 'Recommended',
} as const;

export const updateStates = ['Completed', 'Partial'] as const;
export type UpdateState = (typeof updateStates)[number];

export const architectures = ['Multi', ''] as const;

export const clusterConditionTypes = ['Always', 'PromQL'] as const;

export const capabilities = [
  'openshift-samples',
  'baremetal',
  'marketplace',
  'Console',
  'Insights',
  'Storage',
  'CSISnapshot',
  'NodeTuning',
  'MachineAPI',
  'Build',
  'DeploymentConfig',
  'ImageRegistry',
  'OperatorLifecycleManager',
  'CloudCredential',
  'Ingress',
  'CloudControllerManager',
] as const;

export const capabilitySets = [
  'None',
  'v4.11',
  'v4.12',
  'v4.13',
  'v4.14',
  'v4.15',
  'v4.16',
  'v4.17',
  'v4.18',
  'vCurrent',
] as const;

/** FeatureGate.spec.featureSet ('' is the default set). */
export const featureSets = [
  'CustomNoUpgrade',
  'DevPreviewNoUpgrade',
  'TechPreviewNoUpgrade',
  'OKD',
  '',
] as const;
export type FeatureSet = (typeof featureSets)[number];

/** Seed 001: administrators acknowledge API removals in this ConfigMap before a minor update. */
export const adminAcks = { namespace: 'openshift-config', name: 'admin-acks' } as const;
/** The gates the CVO requires acknowledging, keyed like admin-acks, with the reason as value. */
export const adminGates = { namespace: 'openshift-config-managed', name: 'admin-gates' } as const;
/** Seed 001's acknowledgement for the 4.13 → 4.14 update. */
export const kube127ApiRemovalsAck = 'ack-4.13-kube-1.27-api-removals-in-4.14';

/** Name of the ClusterOperator version entry that the printer column shows. */
export const operatorVersionName = 'operator';
