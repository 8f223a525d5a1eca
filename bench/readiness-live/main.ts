/**
 * `lcm readiness` on a big cluster: fills an API server (the lab's own, in a child process, memory or
 * etcd backend) with 10,000 objects — nodes in two MachineConfigPools, Deployments with ReplicaSets
 * and pods, PodDisruptionBudgets, ClusterOperators, APIRequestCounts and ConfigMaps — and times the
 * whole live report. Goal (issue 5): under 5 s.
 *
 *   node --import tsx bench/readiness-live/main.ts [--backend memory|etcd] [--objects 10000] [--runs 3]
 */
import { writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runReadiness } from '../../src/cli/commands/readiness.ts';
import { KubeClient } from '../../src/client/client.ts';
import { kubeconfigFor } from '../../src/client/kubeconfig.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { installCrds } from '../../src/lab/crds.ts';
import { allRemovals } from '../../src/api/removals/index.ts';
import type { ReadinessReport } from '../../src/readiness/report/types.ts';
import { startServerChild, type ServerChild } from '../apiserver/server-child.ts';

const { values: flags } = parseArgs({
  options: {
    backend: { type: 'string', default: 'memory' },
    objects: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
  },
});
const backend = flags.backend;
if (backend !== 'memory' && backend !== 'etcd')
  throw new Error(`--backend must be memory or etcd, not "${backend}"`);
const totalObjects = Number(flags.objects);
const runs = Number(flags.runs);
if (!Number.isInteger(totalObjects) || totalObjects < 2000)
  throw new Error('--objects must be an integer ≥ 2000');

const goalMs = 5000;
const concurrency = 32;

// --- the API server, in its own process -------------------------------------------------------

const startServer = (): Promise<ServerChild> => startServerChild(backend);

// --- the cluster's objects -----------------------------------------------------------------------

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** uid of each created object, by `Kind/namespace/name`: owner references need them. */
type Uids = Map<string, string>;

const keyOf = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** Creates, then writes status where the kind has a status subresource (create ignores it there). */
async function createAll(client: KubeClient, objects: readonly KubeObject[], uids: Uids): Promise<void> {
  await inParallel(objects, async (object) => {
    const created = await client.create(object);
    uids.set(
      keyOf(created.kind, created.metadata.namespace ?? '', created.metadata.name),
      created.metadata.uid ?? '',
    );
    if (object.status !== undefined) await client.updateStatus({ ...created, status: object.status });
  });
}

const owner = (uids: Uids, kind: string, namespace: string, name: string) => ({
  apiVersion: 'apps/v1',
  kind,
  name,
  uid: uids.get(keyOf(kind, namespace, name)) ?? '',
  controller: true,
});

/** Waves created in order; a later wave may refer to the uids of earlier ones. */
type Wave = (uids: Uids) => KubeObject[];

function plan(total: number): Wave[] {
  const namespaces = 20;
  const workers = 47;
  const masters = 3;
  const deployments = Math.round(total * 0.05);
  const podsPerDeployment = 6;
  const operators = 30;
  const requestCounts = 200;
  const ns = (i: number): string => `app-${i % namespaces}`;
  const waves: Wave[] = [];
  const namespaceObjects: KubeObject[] = Array.from({ length: namespaces }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: `app-${i}` },
  }));
  for (const name of ['openshift-config', 'openshift-config-managed'])
    namespaceObjects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  waves.push(() => namespaceObjects);

  const cluster: KubeObject[] = [];
  const node = (name: string, role: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { [`node-role.kubernetes.io/${role}`]: '', 'kubernetes.io/arch': 'amd64' },
    },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      allocatable: { cpu: '16', memory: '64Gi', pods: '250' },
      nodeInfo: { architecture: 'amd64' },
    },
  });
  for (let i = 0; i < masters; i++) cluster.push(node(`master-${i}`, 'master'));
  for (let i = 0; i < workers; i++) cluster.push(node(`worker-${i}`, 'worker'));
  for (const role of ['master', 'worker'])
    cluster.push({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: { name: role },
      spec: { nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${role}`]: '' } }, maxUnavailable: 1 },
    });
  cluster.push({
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterVersion',
    metadata: { name: 'version' },
    spec: { clusterID: '5f1b2c3d-0000-4000-8000-000000000001', channel: 'stable-4.14' },
    status: {
      desired: { version: '4.13.12', image: 'quay.io/ocp@sha256:13' },
      history: [
        {
          state: 'Completed',
          version: '4.13.12',
          image: 'quay.io/ocp@sha256:13',
          startedTime: '2025-05-01T00:00:00Z',
          completionTime: '2025-05-01T01:00:00Z',
          verified: true,
        },
      ],
      observedGeneration: 1,
      versionHash: 'abc',
      availableUpdates: [{ version: '4.14.3', image: 'quay.io/ocp@sha256:14' }],
      conditions: [{ type: 'RetrievedUpdates', status: 'True', lastTransitionTime: '2025-05-01T00:00:00Z' }],
    },
  });
  for (let i = 0; i < operators; i++)
    cluster.push({
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterOperator',
      metadata: { name: `operator-${i}` },
      spec: {},
      status: {
        conditions: [
          {
            type: 'Upgradeable',
            status: i === 0 ? 'False' : 'True',
            reason: i === 0 ? 'BenchReason' : 'AsExpected',
            lastTransitionTime: '2025-05-01T00:00:00Z',
          },
        ],
      },
    });
  const removedNames = allRemovals()
    .filter((r) => r.removedInRelease === '1.27' || r.removedInRelease === '1.25')
    .map((r) => (r.group === '' ? `${r.resource}.${r.version}` : `${r.resource}.${r.version}.${r.group}`));
  for (let i = 0; i < requestCounts; i++) {
    const removedName = i % 10 === 0 ? removedNames[i / 10] : undefined;
    const removed = removedName !== undefined;
    const users = [
      {
        username: `system:serviceaccount:app-${i % namespaces}:client`,
        userAgent: 'client/1.0',
        requestCount: 5,
        byVerb: [{ verb: 'list', requestCount: 5 }],
      },
    ];
    const hour = { requestCount: 5, byNode: [{ nodeName: 'master-0', requestCount: 5, byUser: users }] };
    cluster.push({
      apiVersion: 'apiserver.openshift.io/v1',
      kind: 'APIRequestCount',
      metadata: { name: removedName ?? `widgets${i}.v1.bench.example.com` },
      spec: { numberOfUsersToReport: 10 },
      status: {
        ...(removed ? { removedInRelease: '1.27' } : {}),
        requestCount: 5,
        currentHour: hour,
        last24h: [hour],
      },
    });
  }
  cluster.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'admin-gates', namespace: 'openshift-config-managed' },
    data: { 'ack-4.13-kube-1.27-api-removals-in-4.14': 'Kubernetes 1.27 removes several APIs.' },
  });
  cluster.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'admin-acks', namespace: 'openshift-config' },
    data: {},
  });
  waves.push(() => cluster);

  const apps: KubeObject[] = [];
  for (let d = 0; d < deployments; d++) {
    const labels = { app: `app-${d}` };
    const template = {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'registry.example/app:1',
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
      },
    };
    apps.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${d}`, namespace: ns(d) },
      spec: { replicas: podsPerDeployment, selector: { matchLabels: labels }, template },
    });
    apps.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: `app-${d}`, namespace: ns(d) },
      // Every 50th budget forbids eviction: the report has real blockers to find.
      spec: { maxUnavailable: d % 50 === 0 ? 0 : 1, selector: { matchLabels: labels } },
    });
  }
  waves.push(() => apps);
  const rsName = (d: number): string => `app-${d}-5d8f`;
  waves.push((uids) =>
    Array.from({ length: deployments }, (_, d) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName(d),
        namespace: ns(d),
        ownerReferences: [owner(uids, 'Deployment', ns(d), `app-${d}`)],
      },
      spec: {
        replicas: podsPerDeployment,
        selector: { matchLabels: { app: `app-${d}` } },
        template: (apps[2 * d]?.spec as { template: unknown }).template,
      },
    })),
  );

  waves.push((uids) => {
    const pods: KubeObject[] = [];
    for (let d = 0; d < deployments; d++) {
      for (let p = 0; p < podsPerDeployment; p++) {
        pods.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${rsName(d)}-${p}`,
            namespace: ns(d),
            labels: { app: `app-${d}` },
            ownerReferences: [owner(uids, 'ReplicaSet', ns(d), rsName(d))],
          },
          spec: {
            nodeName: `worker-${(d * podsPerDeployment + p) % workers}`,
            containers: [
              {
                name: 'main',
                image: 'registry.example/app:1',
                resources: { requests: { cpu: '100m', memory: '128Mi' } },
              },
            ],
          },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        });
      }
    }
    return pods;
  });

  const sofar =
    namespaceObjects.length + cluster.length + apps.length + deployments * (1 + podsPerDeployment);
  const configMaps: KubeObject[] = Array.from({ length: Math.max(0, total - sofar) }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `settings-${i}`, namespace: ns(i) },
    data: { 'app.properties': `feature.${i}=on\nlevel=info\n` },
  }));
  waves.push(() => configMaps);
  return waves;
}

// --- main --------------------------------------------------------------------------------------

const server = await startServer();
const dir = mkdtempSync(path.join(os.tmpdir(), 'lcm-bench-readiness-'));
try {
  await installCrds(server.url, ['hub']);
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigFor([{ name: 'bench', server: server.url }], 'bench'));
  const client = await KubeClient.fromKubeconfig(kubeconfig);
  const uids: Uids = new Map();
  const counts: Record<string, number> = {};
  const created = performance.now();
  for (const wave of plan(totalObjects)) {
    const objects = wave(uids);
    for (const object of objects) counts[object.kind] = (counts[object.kind] ?? 0) + 1;
    await createAll(client, objects, uids);
  }
  client.close();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `backend ${backend}: created ${total} objects in ${((performance.now() - created) / 1000).toFixed(1)} s (${Object.entries(
      counts,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
  );

  const times: number[] = [];
  let last: ReadinessReport | undefined;
  for (let run = 1; run <= runs; run++) {
    let out = '';
    const started = performance.now();
    const code = await runReadiness(
      { to: '4.14.3', kubeconfig, checkTimeout: '30', output: 'json' },
      { out: (text) => (out += text), err: (text) => void process.stderr.write(text) },
    );
    const ms = performance.now() - started;
    times.push(ms);
    last = JSON.parse(out) as ReadinessReport;
    console.log(`run ${run}: live readiness report in ${ms.toFixed(0)} ms (exit ${code})`);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
  const errors =
    last?.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: ${c.error ?? ''}`) ?? [];
  console.log(
    `by check: ${last?.checks.map((c) => `${c.id}=${c.findings.length}`).join(' ')}\nreport: ${last?.summary.blockers} blockers, ${last?.summary.warnings} warnings, ${last?.summary.infos} info; checks in error: ${errors.length === 0 ? 'none' : errors.join('; ')}`,
  );
  console.log(
    `READINESS LIVE REPORT over ${total} objects: median ${median.toFixed(0)} ms (goal < ${goalMs} ms) — ${median < goalMs ? 'MET' : 'MISSED'}`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
