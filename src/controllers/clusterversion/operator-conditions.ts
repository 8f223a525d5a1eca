/**
 * config/v1 ClusterOperatorStatusConditions (reason and message optional, no observedGeneration),
 * set the way openshift's resourcemerge does: `lastTransitionTime` moves only when status changes.
 */
import type { ClusterOperatorStatusCondition } from '../../api/config/cluster-version.ts';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface OperatorConditionUpdate {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason?: string;
  readonly message?: string;
}

/** Kubernetes serialises metav1.Time at second precision. */
export function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

export function findCondition(
  conditions: readonly ClusterOperatorStatusCondition[] | undefined,
  type: string,
): ClusterOperatorStatusCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A copy with `update` applied in place (appended when new); empty reason/message are left out. */
export function setCondition(
  conditions: readonly ClusterOperatorStatusCondition[] | undefined,
  update: OperatorConditionUpdate,
  now: Date,
): ClusterOperatorStatusCondition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const existing = index < 0 ? undefined : list[index];
  const next: ClusterOperatorStatusCondition = {
    type: update.type,
    status: update.status,
    lastTransitionTime:
      existing !== undefined && existing.status === update.status
        ? existing.lastTransitionTime
        : timestamp(now),
    ...(update.reason !== undefined && update.reason !== '' ? { reason: update.reason } : {}),
    ...(update.message !== undefined && update.message !== '' ? { message: update.message } : {}),
  };
  if (index < 0) list.push(next);
  else list[index] = next;
  return list;
}

export function removeCondition(
  conditions: readonly ClusterOperatorStatusCondition[] | undefined,
  type: string,
): ClusterOperatorStatusCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
