/**
 * The simulated rollout of an accepted release: over `durationMs` from the history entry's
 * startedTime, the ClusterOperators move to the new version one after the other in run-level
 * order (etcd and the API server first, machine-config last), then the update completes. Progress is
 * a function of the clock and the history alone, so a restarted controller resumes where it was.
 */
import type { ClusterOperatorStatus } from '../../api/config/cluster-operator.ts';
import { operatorVersionName } from '../../api/config/constants.ts';

/** How many manifests the simulated payload applies (the "N of M done" in Progressing). */
export const simulatedManifests = 863;

/** Manifest run levels of the release payload (0000_<level>_…) for the operators labs create. */
const runLevels: Readonly<Record<string, number>> = {
  etcd: 12,
  'kube-apiserver': 20,
  'kube-controller-manager': 25,
  'kube-scheduler': 25,
  'openshift-apiserver': 30,
  'machine-api': 30,
  'cloud-credential': 40,
  authentication: 50,
  'openshift-controller-manager': 50,
  'operator-lifecycle-manager': 50,
  ingress: 50,
  'image-registry': 50,
  monitoring: 50,
  console: 50,
  'node-tuning': 50,
  network: 70,
  dns: 70,
  'machine-config': 80,
};
const defaultRunLevel = 50;

export function rolloutOrder(names: readonly string[]): string[] {
  const level = (name: string): number => runLevels[name] ?? defaultRunLevel;
  return [...names].sort((a, b) => level(a) - level(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export interface Rollout {
  /** 0…1 of the way through. */
  readonly fraction: number;
  readonly done: boolean;
  /** Operators (in rollout order) whose turn has come. */
  readonly updatedOperators: readonly string[];
  /** When the next operator turn or the completion falls due; undefined once done. */
  readonly nextStepAt?: number;
}

/** Operator i of n takes the new version at (i+1)/(n+1) of the way; the update ends at 1. */
export function rollout(
  startedAt: number,
  now: number,
  durationMs: number,
  operators: readonly string[],
): Rollout {
  const order = rolloutOrder(operators);
  const elapsed = Math.max(0, now - startedAt);
  const fraction = durationMs <= 0 ? 1 : Math.min(1, elapsed / durationMs);
  const stepAt = (i: number): number => startedAt + (durationMs * (i + 1)) / (order.length + 1);
  const updatedOperators = order.filter((_, i) => fraction >= 1 || stepAt(i) <= now);
  if (fraction >= 1) return { fraction: 1, done: true, updatedOperators };
  const nextStepAt = [...order.map((_, i) => stepAt(i)), startedAt + durationMs].find((at) => at > now);
  return { fraction, done: false, updatedOperators, ...(nextStepAt !== undefined ? { nextStepAt } : {}) };
}

export function progressMessage(version: string, fraction: number): string {
  const done = Math.floor(fraction * simulatedManifests);
  if (done <= 0) return `Working towards ${version}`;
  return `Working towards ${version}: ${done} of ${simulatedManifests} done (${Math.trunc((done / simulatedManifests) * 100)}% complete)`;
}

/**
 * The operator's status at `version`: its `operator` entry, and operand entries that carried the
 * operator's previous version, move; undefined when nothing changes.
 */
export function bumpOperatorVersions(
  status: ClusterOperatorStatus | undefined,
  version: string,
): ClusterOperatorStatus | undefined {
  const versions = status?.versions ?? [];
  const previous = versions.find((v) => v.name === operatorVersionName)?.version;
  if (previous === version) return undefined;
  const next = versions.map((v) =>
    v.name === operatorVersionName || (previous !== undefined && v.version === previous)
      ? { ...v, version }
      : v,
  );
  if (previous === undefined) next.push({ name: operatorVersionName, version });
  return { ...status, versions: next };
}
