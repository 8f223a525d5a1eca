/**
 * UPD-8: per MachineConfigPool, can the update drain `maxUnavailable` nodes at a time? Seed 001:
 * keep maxUnavailable at 1 (never 3 on the control-plane pool), have no unavailable nodes — they
 * count against maxUnavailable — and keep enough spare capacity for the pods of the drained nodes.
 */
import { defaultMaxUnavailable, labels as mcoLabels } from '../../api/machineconfiguration/constants.ts';
import type { Check } from '../report/context.ts';
import type { Finding } from '../report/types.ts';
import { scaledValue } from './support/int-or-percent.ts';
import {
  isTrue,
  ref,
  types,
  type Container,
  type MachineConfigPool,
  type Node,
  type Pod,
} from './support/kinds.ts';
import { selects } from './support/label-selector.ts';
import { formatCpu, formatMemory, parseQuantity } from './support/quantity.ts';

export const nodeCapacityId = 'UPD-8/node-capacity';

/** Below this share of the spare capacity left, the pods fit but with little room: a warning. */
const headroomWarning = 0.8;

interface Usage {
  cpu: number;
  memory: number;
}

const mirrorAnnotation = 'kubernetes.io/config.mirror';

/** Pods a drain moves elsewhere: not DaemonSet pods, not static (mirror) pods, not finished ones. */
function movable(pod: Pod): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  if (pod.metadata.annotations?.[mirrorAnnotation] !== undefined) return false;
  return !(pod.metadata.ownerReferences ?? []).some((o) => o.controller === true && o.kind === 'DaemonSet');
}

function request(containers: readonly Container[] | undefined, name: 'cpu' | 'memory'): number[] {
  return (containers ?? []).map((c) => parseQuantity(c.resources?.requests?.[name]) ?? 0);
}

/** The scheduler's effective request: app containers and sidecars summed, at least each init container's. */
export function podRequest(pod: Pod): Usage {
  const of = (name: 'cpu' | 'memory'): number => {
    const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
    const plain = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always');
    const running = [...request(pod.spec?.containers, name), ...request(sidecars, name)].reduce(
      (a, b) => a + b,
      0,
    );
    const init = Math.max(0, ...request(plain, name));
    return Math.max(running, init) + (parseQuantity(pod.spec?.overhead?.[name]) ?? 0);
  };
  return { cpu: of('cpu'), memory: of('memory') };
}

function allocatable(node: Node): Usage | undefined {
  const cpu = parseQuantity(node.status?.allocatable?.cpu);
  const memory = parseQuantity(node.status?.allocatable?.memory);
  return cpu === undefined || memory === undefined ? undefined : { cpu, memory };
}

function isControlPlane(pool: MachineConfigPool): boolean {
  const selector = pool.spec?.nodeSelector?.matchLabels ?? {};
  return (
    pool.metadata.name === 'master' ||
    `${mcoLabels.nodeRolePrefix}master` in selector ||
    `${mcoLabels.nodeRolePrefix}control-plane` in selector
  );
}

function unavailableReason(node: Node): string | undefined {
  if (!isTrue(node.status?.conditions, 'Ready')) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    return ready === undefined
      ? 'no Ready condition'
      : `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`;
  }
  if (node.spec?.unschedulable === true) return 'cordoned (unschedulable)';
  return undefined;
}

interface PoolView {
  readonly pool: MachineConfigPool;
  readonly nodes: readonly Node[];
  readonly maxUnavailable: number;
  readonly usage: ReadonlyMap<string, Usage>;
}

function maxUnavailableFindings({ pool, nodes, maxUnavailable }: PoolView): Finding[] {
  if (!isControlPlane(pool) || maxUnavailable <= 1) return [];
  const name = pool.metadata.name;
  const quorum = Math.floor(nodes.length / 2) + 1;
  const losesQuorum = nodes.length - maxUnavailable < quorum;
  const severe = maxUnavailable >= 3 || losesQuorum;
  return [
    {
      check: nodeCapacityId,
      severity: severe ? 'blocker' : 'warning',
      title: `control-plane pool ${name} has maxUnavailable ${maxUnavailable}: update its nodes one at a time`,
      evidence: {
        objects: [`MachineConfigPool/${name}`],
        counts: { nodes: nodes.length, maxUnavailable },
        details: [
          'Seed 001: keep the default of 1 on the control-plane pool and never set it to 3.',
          ...(losesQuorum
            ? [
                `Draining ${maxUnavailable} of ${nodes.length} control-plane nodes leaves fewer than the ${quorum} etcd members a quorum needs.`,
              ]
            : []),
        ],
      },
      fix: `kubectl patch mcp ${name} --type=merge --patch '{"spec":{"maxUnavailable":1}}'`,
    },
  ];
}

function unavailableFindings({ pool, nodes, maxUnavailable }: PoolView): Finding[] {
  const down = nodes.flatMap((n) => {
    const reason = unavailableReason(n);
    return reason === undefined ? [] : [{ node: n, reason }];
  });
  if (down.length === 0) return [];
  const name = pool.metadata.name;
  const stuck = down.length >= maxUnavailable;
  return [
    {
      check: nodeCapacityId,
      severity: stuck ? 'blocker' : 'warning',
      title: stuck
        ? `pool ${name} cannot update any node: ${down.length} node(s) already unavailable, maxUnavailable is ${maxUnavailable}`
        : `pool ${name} has ${down.length} unavailable node(s); they count against its maxUnavailable of ${maxUnavailable}`,
      evidence: {
        objects: down.map((d) => ref('Node', d.node)),
        details: down.map((d) => `${d.node.metadata.name}: ${d.reason}`),
      },
      fix: `Bring the nodes back to Ready and schedulable (kubectl describe node <name>; kubectl uncordon <name>) before the update.`,
    },
  ];
}

function capacityFindings({ pool, nodes, maxUnavailable, usage }: PoolView): Finding[] {
  const name = pool.metadata.name;
  const available = nodes.filter((n) => unavailableReason(n) === undefined);
  if (nodes.length < 2 || available.length === 0) return [];
  const sized = available.flatMap((n) => {
    const alloc = allocatable(n);
    return alloc === undefined
      ? []
      : [{ node: n, alloc, used: usage.get(n.metadata.name) ?? { cpu: 0, memory: 0 } }];
  });
  if (sized.length < available.length) return [];
  const load = (s: (typeof sized)[number]): number =>
    Math.max(
      s.alloc.cpu > 0 ? s.used.cpu / s.alloc.cpu : 0,
      s.alloc.memory > 0 ? s.used.memory / s.alloc.memory : 0,
    );
  const busiestFirst = [...sized].sort(
    (a, b) => load(b) - load(a) || a.node.metadata.name.localeCompare(b.node.metadata.name),
  );
  const drained = busiestFirst.slice(0, maxUnavailable);
  const rest = busiestFirst.slice(maxUnavailable);
  const need = drained.reduce((a, s) => ({ cpu: a.cpu + s.used.cpu, memory: a.memory + s.used.memory }), {
    cpu: 0,
    memory: 0,
  });
  if (need.cpu === 0 && need.memory === 0) return [];
  const spare = rest.reduce(
    (a, s) => ({
      cpu: a.cpu + Math.max(0, s.alloc.cpu - s.used.cpu),
      memory: a.memory + Math.max(0, s.alloc.memory - s.used.memory),
    }),
    { cpu: 0, memory: 0 },
  );
  const counts = {
    nodes: nodes.length,
    maxUnavailable,
    neededCpuMillicores: Math.round(need.cpu * 1000),
    spareCpuMillicores: Math.round(spare.cpu * 1000),
    neededMemoryBytes: Math.round(need.memory),
    spareMemoryBytes: Math.round(spare.memory),
  };
  const numbers = `the pods on the ${drained.length} busiest node(s) request ${formatCpu(need.cpu)} CPU and ${formatMemory(need.memory)} memory; the other ${rest.length} schedulable node(s) of the pool have ${formatCpu(spare.cpu)} CPU and ${formatMemory(spare.memory)} memory to spare`;
  const drainedNames = drained.map((s) => s.node.metadata.name).join(', ');
  const objects = [`MachineConfigPool/${name}`, ...drained.map((s) => ref('Node', s.node))];
  const fix = `Add nodes to pool ${name}, lower the requests or replicas of its workloads, or keep maxUnavailable at 1 (kubectl patch mcp ${name} --type=merge --patch '{"spec":{"maxUnavailable":1}}').`;
  if (need.cpu > spare.cpu || need.memory > spare.memory) {
    return [
      {
        check: nodeCapacityId,
        severity: 'blocker',
        title: `pool ${name}: draining ${maxUnavailable} node(s) at a time leaves no room for their pods`,
        evidence: {
          objects,
          counts,
          details: [
            `${numbers}.`,
            `Busiest: ${drainedNames}. The evicted pods would stay Pending until their node returns.`,
          ],
        },
        fix,
      },
    ];
  }
  if (need.cpu > headroomWarning * spare.cpu || need.memory > headroomWarning * spare.memory) {
    return [
      {
        check: nodeCapacityId,
        severity: 'warning',
        title: `pool ${name}: little spare capacity for draining ${maxUnavailable} node(s) at a time`,
        evidence: { objects, counts, details: [`${numbers}.`, `Busiest: ${drainedNames}.`] },
        fix,
      },
    ];
  }
  return [];
}

export const nodeCapacityCheck: Check = {
  id: nodeCapacityId,
  title: 'Spare node capacity and maxUnavailable per MachineConfigPool',
  async run(ctx) {
    const [pools, nodes, pods] = await Promise.all([
      ctx.client.list<MachineConfigPool>(types.machineConfigPool),
      ctx.client.list<Node>(types.node),
      ctx.client.list<Pod>(types.pod),
    ]);
    const usage = new Map<string, Usage>();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (node === undefined || node === '' || !movable(pod)) continue;
      const r = podRequest(pod);
      const u = usage.get(node) ?? { cpu: 0, memory: 0 };
      usage.set(node, { cpu: u.cpu + r.cpu, memory: u.memory + r.memory });
    }
    const findings: Finding[] = [];
    for (const pool of [...pools].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
      const poolNodes = nodes.filter((n) => selects(pool.spec?.nodeSelector, n.metadata.labels));
      if (poolNodes.length === 0) continue;
      // The MCO rounds a percentage down and never goes below one node at a time.
      const raw = pool.spec?.maxUnavailable ?? defaultMaxUnavailable;
      const resolved = scaledValue(
        raw,
        poolNodes.length,
        false,
        `MachineConfigPool/${pool.metadata.name} spec.maxUnavailable`,
      );
      const view: PoolView = { pool, nodes: poolNodes, maxUnavailable: Math.max(1, resolved), usage };
      findings.push(...maxUnavailableFindings(view), ...unavailableFindings(view), ...capacityFindings(view));
    }
    return findings;
  },
};
