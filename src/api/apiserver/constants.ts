/** Strings of the apiserver.openshift.io API (APIRequestCount) and of seed 001's API-removal checks. */

export const group = 'apiserver.openshift.io';
export const version = 'v1';
export const apiVersion = `${group}/${version}`;

/** spec.numberOfUsersToReport when unset (upstream: "subject to change"). */
export const defaultNumberOfUsersToReport = 10;
export const maxNumberOfUsersToReport = 100;

export const labels = {
  /** Selects APIRequestCounts by the release removing their API; value equals status.removedInRelease. */
  removedInRelease: 'apirequestcounts.apiserver.openshift.io/removedInRelease',
} as const;

/** Seed 001: alerts that fire while APIs removed in a coming release are still requested. */
export const alerts = {
  removedInNextRelease: 'APIRemovedInNextReleaseInUse',
  removedInNextEusRelease: 'APIRemovedInNextEUSReleaseInUse',
} as const;

/**
 * Seed 001: users that request every registered API while walking resources (garbage collection,
 * namespace deletion, policy enforcement); their entries can be ignored when hunting removed APIs.
 */
export const ignorableUsers = [
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'system:serviceaccount:kube-system:namespace-controller',
  'system:kube-controller-manager',
  'system:cluster-policy-controller',
] as const;

/** Instance names are `<resource>.<version>.<group>` (core group: `<resource>.<version>`). */
export function apiRequestCountName(resource: string, apiVersion: string, apiGroup: string): string {
  return apiGroup === '' ? `${resource}.${apiVersion}` : `${resource}.${apiVersion}.${apiGroup}`;
}
