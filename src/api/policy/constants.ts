/** Strings of the policy.open-cluster-management.io API group (RHACM governance). */

export const group = 'policy.open-cluster-management.io';
export const version = 'v1';

export const RemediationActions = ['Inform', 'inform', 'Enforce', 'enforce'] as const;
export type RemediationAction = (typeof RemediationActions)[number];

export const ComplianceStates = ['Compliant', 'NonCompliant', 'Pending'] as const;
export type ComplianceState = (typeof ComplianceStates)[number];

export const Label = {
  /** On a replicated policy: the root policy's `namespace.name`. */
  RootPolicy: 'policy.open-cluster-management.io/root-policy',
  ClusterName: 'policy.open-cluster-management.io/cluster-name',
  ClusterNamespace: 'policy.open-cluster-management.io/cluster-namespace',
} as const;
