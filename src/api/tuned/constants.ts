/** Strings of the tuned.openshift.io API group (Node Tuning Operator). */

export const group = 'tuned.openshift.io';
export const version = 'v1';

/** The operator's namespace, where Tuned and Profile objects live (seed 003 §4.2). */
export const OperatorNamespace = 'openshift-cluster-node-tuning-operator';

/** Tuned objects the operator owns. */
export const TunedDefaultName = 'default';
export const TunedRenderedName = 'rendered';
/** The profile applied when no custom profile matches (seed 003 §4.2). */
export const DefaultProfileName = 'openshift-node';

export const TunedCondition = {
  Valid: 'Valid',
} as const;

export const ProfileCondition = {
  Applied: 'Applied',
  Degraded: 'Degraded',
} as const;

export const Annotation = {
  Bootcmdline: 'tuned.openshift.io/bootcmdline',
  BootcmdlineDeps: 'tuned.openshift.io/bootcmdline-deps',
  Deferred: 'tuned.openshift.io/deferred',
} as const;

export const ManagementStates = ['Managed', 'Unmanaged', 'Force', 'Removed'] as const;
