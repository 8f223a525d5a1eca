/**
 * UPD-8: PodDisruptionBudgets (policy/v1) that would stall the node drains of an update, computed
 * the way the disruption controller does (expected pods from the owning controllers' scale, healthy =
 * Ready), and the two cases seed 001 names: HA workloads left unprotected, and single-replica
 * workloads "protected" so that they can never be drained.
 */
import type { Check } from '../report/context.ts';
import type { Finding } from '../report/types.ts';
import { isPercent, scaledValue } from './support/int-or-percent.ts';
import { isTrue, ref, types, type Pod, type PodDisruptionBudget, type Workload } from './support/kinds.ts';
import { describeSelector, selects } from './support/label-selector.ts';

export const podDisruptionBudgetsId = 'UPD-8/pod-disruption-budgets';

const stall =
  'a node drain evicts pods through the Eviction API, which refuses (429) while the budget allows no disruption, so the drain — and the pool update — waits until it times out';

interface Workloads {
  readonly replicaSets: ReadonlyMap<string, Workload>;
  readonly deployments: ReadonlyMap<string, Workload>;
  readonly statefulSets: ReadonlyMap<string, Workload>;
}

const byUid = (items: readonly Workload[]): Map<string, Workload> =>
  new Map(items.map((w) => [w.metadata.uid ?? `${w.metadata.namespace}/${w.metadata.name}`, w]));

function controllerOf(pod: Pod) {
  return pod.metadata.ownerReferences?.find((o) => o.controller === true);
}

/**
 * The disruption controller's expected count for percentages and maxUnavailable: the sum of the
 * scale of each distinct controller owning a selected pod. Undefined when a pod has no controller
 * (the controller then refuses to compute and allows no disruption at all).
 */
function expectedFromControllers(pods: readonly Pod[], workloads: Workloads): number | undefined {
  const scales = new Map<string, number>();
  for (const pod of pods) {
    const owner = controllerOf(pod);
    if (owner === undefined) return undefined;
    let scale: number | undefined;
    let key = owner.uid;
    if (owner.kind === 'ReplicaSet') {
      const rs = workloads.replicaSets.get(owner.uid);
      const deploymentRef = rs?.metadata.ownerReferences?.find(
        (o) => o.controller === true && o.kind === 'Deployment',
      );
      const deployment = deploymentRef && workloads.deployments.get(deploymentRef.uid);
      if (deployment !== undefined && deploymentRef !== undefined) {
        key = deploymentRef.uid;
        scale = deployment.spec?.replicas ?? 1;
      } else scale = rs?.spec?.replicas ?? 1;
    } else if (owner.kind === 'StatefulSet') {
      scale = workloads.statefulSets.get(owner.uid)?.spec?.replicas ?? 1;
    }
    // Other owners (a Job, an operator's custom resource) are counted by their pods.
    if (scale === undefined) scales.set(`${owner.uid}/${pod.metadata.name}`, 1);
    else scales.set(key, scale);
  }
  return [...scales.values()].reduce((a, b) => a + b, 0);
}

function isActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

function isHealthy(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp === undefined && isTrue(pod.status?.conditions, 'Ready');
}

function budgetText(pdb: PodDisruptionBudget): string {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined) return `maxUnavailable ${JSON.stringify(spec.maxUnavailable)}`;
  if (spec.minAvailable !== undefined) return `minAvailable ${JSON.stringify(spec.minAvailable)}`;
  return 'neither minAvailable nor maxUnavailable';
}

function examine(pdb: PodDisruptionBudget, pods: readonly Pod[], workloads: Workloads): Finding | undefined {
  const name = ref('PodDisruptionBudget', pdb);
  const ns = pdb.metadata.namespace ?? 'default';
  const spec = pdb.spec ?? {};
  const deletePdb = `kubectl -n ${ns} delete pdb ${pdb.metadata.name}`;
  const selected = pods.filter((p) => isActive(p) && selects(spec.selector, p.metadata.labels));
  if (selected.length === 0) {
    return {
      check: podDisruptionBudgetsId,
      severity: 'warning',
      title: `${name} selects no pods (selector ${describeSelector(spec.selector)})`,
      evidence: {
        objects: [name],
        details: ['It protects nothing: a wrong selector, or a workload that is gone.'],
      },
      fix: `Fix spec.selector to match the workload's pod labels, or remove it: ${deletePdb}`,
    };
  }
  const healthy = selected.filter(isHealthy).length;
  const usesScale =
    spec.maxUnavailable !== undefined || (spec.minAvailable !== undefined && isPercent(spec.minAvailable));
  const fromControllers = usesScale ? expectedFromControllers(selected, workloads) : selected.length;
  const podRefs = selected.map((p) => ref('Pod', p));
  // maxUnavailable 0 forbids every eviction whatever the expected count is.
  const zeroBudget = spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.maxUnavailable === '0';
  if (fromControllers === undefined && !zeroBudget) {
    const bare = selected.filter((p) => controllerOf(p) === undefined).map((p) => ref('Pod', p));
    return {
      check: podDisruptionBudgetsId,
      severity: 'blocker',
      title: `${name} (${budgetText(pdb)}) selects pods without a controller, so it allows no disruption`,
      evidence: {
        objects: [name, ...bare],
        details: [
          "With maxUnavailable or a percentage the disruption controller needs each pod's controller scale; for a bare pod it gives up and allows 0 disruptions.",
          `Why the drain would stall: ${stall}.`,
        ],
      },
      fix: `Use an integer minAvailable, run the pods under a Deployment or StatefulSet, or remove the budget: ${deletePdb}`,
    };
  }
  const expected = fromControllers ?? selected.length;
  let desired = 0;
  if (spec.maxUnavailable !== undefined)
    desired = expected - scaledValue(spec.maxUnavailable, expected, true, `${name} spec.maxUnavailable`);
  else if (spec.minAvailable !== undefined)
    desired = scaledValue(spec.minAvailable, expected, true, `${name} spec.minAvailable`);
  const allowed = Math.max(0, healthy - desired);
  const counts = {
    expectedPods: expected,
    healthyPods: healthy,
    desiredHealthy: desired,
    disruptionsAllowed: allowed,
  };

  if (desired >= expected) {
    if (expected <= 1) {
      return {
        check: podDisruptionBudgetsId,
        severity: 'warning',
        title: `${name} (${budgetText(pdb)}) protects a single-replica workload, which can then never be drained`,
        evidence: {
          objects: [name, ...podRefs],
          counts,
          details: [
            'Seed 001: a workload that is not highly available should not be protected by a PodDisruptionBudget, or needs another way to be drained (a periodic restart, a guaranteed end).',
            `Why the drain would stall: ${stall}.`,
          ],
        },
        fix: `Remove the budget (${deletePdb}) or run at least 2 replicas with maxUnavailable 1; otherwise plan to delete the pod by hand during the update.`,
      };
    }
    return {
      check: podDisruptionBudgetsId,
      severity: 'blocker',
      title: `${name} (${budgetText(pdb)}) forbids every eviction of its ${expected} pods`,
      evidence: {
        objects: [name, ...podRefs],
        counts,
        details: [
          `${desired} of ${expected} pods must stay healthy, so 0 may be disrupted. Why the drain would stall: ${stall}.`,
        ],
      },
      fix: `kubectl -n ${ns} patch pdb ${pdb.metadata.name} --type=merge --patch '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
    };
  }
  if (allowed === 0) {
    return {
      check: podDisruptionBudgetsId,
      severity: 'warning',
      title: `${name} allows no disruption right now: ${healthy} of ${expected} pods healthy, ${desired} required`,
      evidence: {
        objects: [name, ...selected.filter((p) => !isHealthy(p)).map((p) => ref('Pod', p))],
        counts,
        details: [`Why the drain would stall: ${stall}.`],
      },
      fix: `Bring the unhealthy pods back to Ready before the update (kubectl -n ${ns} get pods -l '${describeSelector(spec.selector)}').`,
    };
  }
  return undefined;
}

/** Pods matched by more than one budget cannot be evicted at all (the Eviction API answers 500). */
function overlapping(
  budgets: readonly PodDisruptionBudget[],
  podsByNamespace: ReadonlyMap<string, Pod[]>,
): Finding[] {
  const byPod = new Map<string, { pod: Pod; budgets: string[] }>();
  for (const pdb of budgets) {
    for (const pod of podsByNamespace.get(pdb.metadata.namespace ?? '') ?? []) {
      if (!isActive(pod) || !selects(pdb.spec?.selector, pod.metadata.labels)) continue;
      const key = ref('Pod', pod);
      const entry = byPod.get(key) ?? { pod, budgets: [] };
      entry.budgets.push(ref('PodDisruptionBudget', pdb));
      byPod.set(key, entry);
    }
  }
  const groups = new Map<string, string[]>();
  for (const [pod, entry] of byPod) {
    if (entry.budgets.length < 2) continue;
    const key = entry.budgets.sort().join(' ');
    groups.set(key, [...(groups.get(key) ?? []), pod]);
  }
  return [...groups].map(([key, podRefs]) => ({
    check: podDisruptionBudgetsId,
    severity: 'blocker',
    title: `${podRefs.length} pod(s) are selected by more than one PodDisruptionBudget: ${key.split(' ').join(', ')}`,
    evidence: {
      objects: [...key.split(' '), ...podRefs],
      details: [
        'The Eviction API refuses to evict a pod that more than one budget selects ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"), so the drain of its node never finishes.',
      ],
    },
    fix: 'Narrow the selectors so that each pod is selected by exactly one PodDisruptionBudget, or delete the redundant one.',
  }));
}

function unprotected(
  workloads: readonly { kind: string; item: Workload }[],
  budgetsByNamespace: ReadonlyMap<string, PodDisruptionBudget[]>,
): Finding[] {
  const bare = workloads.filter(({ item }) => {
    if ((item.spec?.replicas ?? 1) < 2) return false;
    const labels = item.spec?.template?.metadata?.labels;
    return !(budgetsByNamespace.get(item.metadata.namespace ?? '') ?? []).some((b) =>
      selects(b.spec?.selector, labels),
    );
  });
  if (bare.length === 0) return [];
  return [
    {
      check: podDisruptionBudgetsId,
      severity: 'info',
      title: `${bare.length} highly available workload(s) have no PodDisruptionBudget`,
      evidence: {
        objects: bare.map(({ kind, item }) => ref(kind, item)),
        details: [
          'Unprotected: a drain may evict all their replicas at once if they share nodes being updated together.',
        ],
      },
      fix: "For each: kubectl -n <namespace> create poddisruptionbudget <name> --selector=<the pod template's labels> --max-unavailable=1",
    },
  ];
}

function groupBy<T extends { metadata: { namespace?: string } }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const ns = item.metadata.namespace ?? '';
    const list = map.get(ns);
    if (list === undefined) map.set(ns, [item]);
    else list.push(item);
  }
  return map;
}

export const podDisruptionBudgetsCheck: Check = {
  id: podDisruptionBudgetsId,
  title: 'PodDisruptionBudgets that would stall node drains, and unprotected HA workloads',
  async run(ctx) {
    const [budgets, pods, deployments, statefulSets, replicaSets] = await Promise.all([
      ctx.client.list<PodDisruptionBudget>(types.podDisruptionBudget),
      ctx.client.list<Pod>(types.pod),
      ctx.client.list<Workload>(types.deployment),
      ctx.client.list<Workload>(types.statefulSet),
      ctx.client.list<Workload>(types.replicaSet),
    ]);
    const workloads: Workloads = {
      replicaSets: byUid(replicaSets),
      deployments: byUid(deployments),
      statefulSets: byUid(statefulSets),
    };
    const podsByNamespace = groupBy(pods);
    const budgetsByNamespace = groupBy(budgets);
    const findings: Finding[] = [];
    const sorted = [...budgets].sort((a, b) => ref('', a).localeCompare(ref('', b)));
    for (const pdb of sorted) {
      const finding = examine(pdb, podsByNamespace.get(pdb.metadata.namespace ?? '') ?? [], workloads);
      if (finding !== undefined) findings.push(finding);
    }
    findings.push(...overlapping(sorted, podsByNamespace));
    findings.push(
      ...unprotected(
        [
          ...deployments.map((item) => ({ kind: 'Deployment', item })),
          ...statefulSets.map((item) => ({ kind: 'StatefulSet', item })),
        ],
        budgetsByNamespace,
      ),
    );
    return findings;
  },
};
