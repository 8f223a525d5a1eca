/** Strings of the oadp.openshift.io API (OADP operator's DataProtectionApplication). */

export const group = 'oadp.openshift.io';
export const version = 'v1alpha1';
export const apiVersion = `${group}/${version}`;

/** Where the OADP operator, its DataProtectionApplication and Velero's CRs live by default. */
export const namespace = 'openshift-adp';

export const defaultPlugins = [
  'aws',
  'legacy-aws',
  'gcp',
  'azure',
  'csi',
  'vsm',
  'openshift',
  'kubevirt',
  'hypershift',
] as const;
export type DefaultPlugin = (typeof defaultPlugins)[number];

export const uploaderTypes = ['restic', 'kopia'] as const;
export const logLevels = ['trace', 'debug', 'info', 'warning', 'error', 'fatal', 'panic'] as const;
export const logFormats = ['text', 'json'] as const;
export const imagePullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;

export const conditionTypes = { reconciled: 'Reconciled' } as const;
export const conditionReasons = { complete: 'Complete', error: 'Error' } as const;
export const conditionMessages = { reconcileComplete: 'Reconcile complete' } as const;

export const labels = {
  /** Put by the operator on the objects it manages. */
  operator: 'openshift.io/oadp',
} as const;
