/**
 * The cluster state a freshly installed single-node OpenShift cluster of one release serves, as far
 * as lcm reads it: ClusterVersion, the Node, the core ClusterOperators, the namespaces lcm works in,
 * the OLM Subscriptions/CSVs of the day-2 operators, and the MachineConfigs. Objects are created
 * only when missing, so installing again never disturbs a cluster that has moved on.
 */
import { seedClusterCertificates } from './seed-certificates.ts';
import { randomUUID } from 'node:crypto';

import { isAlreadyExists, isNotFound } from '../client/errors.ts';
import type { KubeClient } from '../client/client.ts';
import type { KubeObject } from '../client/object.ts';
import type { HostFacts, InstalledOperator } from '../host/host.ts';

export interface SimulatedRelease {
  /** The OpenShift release, `x.y.z`. */
  readonly version: string;
  /** The release image; default quay.io/openshift-release-dev/ocp-release:<version>-x86_64. */
  readonly image?: string;
  /** The node's kubelet version; default the Kubernetes minor that ships with the release. */
  readonly kubernetesVersion?: string;
  /** The RHCOS kernel; a simulated one derived from the version by default. */
  readonly kernelVersion?: string;
  /** The update channel; default stable-<x.y>. */
  readonly channel?: string;
}

interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseReleaseVersion(version: string): ParsedVersion {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!match) throw new Error(`release version ${JSON.stringify(version)} is not x.y.z`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function releaseImage(release: SimulatedRelease): string {
  return release.image ?? `quay.io/openshift-release-dev/ocp-release:${release.version}-x86_64`;
}

/** OpenShift 4.y ships Kubernetes 1.(y+13): 4.14 → 1.27, 4.16 → 1.29. */
export function kubeletVersion(release: SimulatedRelease): string {
  if (release.kubernetesVersion !== undefined) return release.kubernetesVersion;
  const { minor, patch } = parseReleaseVersion(release.version);
  return `v1.${minor + 13}.${patch}`;
}

export function kernelVersion(release: SimulatedRelease): string {
  if (release.kernelVersion !== undefined) return release.kernelVersion;
  const { minor, patch } = parseReleaseVersion(release.version);
  return `5.14.0-${minor}.${patch}.lcm.el9.x86_64`;
}

/** Where OLM installs each day-2 operator lcm cares about, when the facts do not say. */
const operatorNamespaces: Readonly<Record<string, string>> = {
  'lifecycle-agent': 'openshift-lifecycle-agent',
  'oadp-operator': 'openshift-adp',
  'redhat-oadp-operator': 'openshift-adp',
  'local-storage-operator': 'openshift-local-storage',
  'lvms-operator': 'openshift-storage',
};

export function operatorNamespace(operator: InstalledOperator): string {
  return (
    operator.namespace ??
    operatorNamespaces[operator.name] ??
    `openshift-${operator.name.replace(/-operator$/, '')}`
  );
}

const coreClusterOperators = [
  'authentication',
  'etcd',
  'kube-apiserver',
  'machine-config',
  'network',
  'operator-lifecycle-manager',
];

export interface ClusterStateSpec {
  readonly nodeName: string;
  readonly clusterId: string;
  readonly release: SimulatedRelease;
  readonly facts: HostFacts;
  /** When the cluster was installed (conditions' and history's timestamps). */
  readonly installedAt: Date;
}

/** An object to create, and the status to write through the status subresource afterwards. */
export interface DesiredObject {
  readonly object: KubeObject;
  readonly status?: Record<string, unknown>;
}

/** The base domain of every lab cluster: `<host>.lab.lcm.io`. */
export const labBaseDomain = 'lab.lcm.io';

export function newClusterId(): string {
  return randomUUID();
}

export function clusterStateObjects(spec: ClusterStateSpec): DesiredObject[] {
  const { release, facts } = spec;
  const at = spec.installedAt.toISOString();
  // The certificates an installed cluster has, so an image-based upgrade has real ones to regenerate.
  const certificates = seedClusterCertificates({
    clusterName: spec.nodeName,
    baseDomain: labBaseDomain,
    hostname: spec.nodeName,
    nodeIP: facts.ipStack === 'ipv6' ? 'fd2e:6f44:5dd8::10' : '192.168.126.10',
    now: spec.installedAt,
  });
  const { major, minor } = parseReleaseVersion(release.version);
  const image = releaseImage(release);
  const condition = (type: string, status: string, message?: string) => ({
    type,
    status,
    lastTransitionTime: at,
    ...(message !== undefined ? { message } : {}),
  });
  const namespaces = new Set([
    'openshift-config',
    'openshift-cluster-version',
    'openshift-marketplace',
    'openshift-lifecycle-agent',
    'openshift-adp',
    ...facts.operators.map(operatorNamespace),
    ...certificates.map((c) => c.metadata?.namespace ?? '').filter((ns) => ns !== '' && ns !== 'default'),
  ]);
  const objects: DesiredObject[] = [...namespaces].sort().map((name) => ({
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  }));

  objects.push({
    object: {
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterVersion',
      metadata: { name: 'version' },
      spec: { clusterID: spec.clusterId, channel: release.channel ?? `stable-${major}.${minor}` },
    },
    status: {
      desired: { version: release.version, image },
      history: [
        {
          state: 'Completed',
          startedTime: at,
          completionTime: at,
          version: release.version,
          image,
          verified: false,
        },
      ],
      observedGeneration: 1,
      versionHash: `lcm-${release.version}`,
      availableUpdates: null,
      conditions: [
        condition('Available', 'True', `Done applying ${release.version}`),
        condition('Failing', 'False'),
        condition('Progressing', 'False', `Cluster version is ${release.version}`),
        condition('RetrievedUpdates', 'False', 'Unable to retrieve available updates: lab cluster'),
      ],
    },
  });

  for (const name of coreClusterOperators) {
    objects.push({
      object: {
        apiVersion: 'config.openshift.io/v1',
        kind: 'ClusterOperator',
        metadata: { name },
        spec: {},
      },
      status: {
        conditions: [
          condition('Available', 'True'),
          condition('Progressing', 'False'),
          condition('Degraded', 'False'),
          condition('Upgradeable', 'True'),
        ],
        versions: [{ name: 'operator', version: release.version }],
      },
    });
  }

  objects.push(nodeObject(spec));

  for (const operator of facts.operators) {
    const namespace = operatorNamespace(operator);
    const csv = `${operator.name}.v${operator.version}`;
    objects.push({
      object: {
        apiVersion: 'operators.coreos.com/v1alpha1',
        kind: 'Subscription',
        metadata: { name: operator.name, namespace },
        spec: {
          source: 'redhat-operators',
          sourceNamespace: 'openshift-marketplace',
          name: operator.name,
          channel: 'stable',
          installPlanApproval: 'Automatic',
        },
      },
      status: { installedCSV: csv, currentCSV: csv, state: 'AtLatestKnown', lastUpdated: at },
    });
    objects.push({
      object: {
        apiVersion: 'operators.coreos.com/v1alpha1',
        kind: 'ClusterServiceVersion',
        metadata: { name: csv, namespace },
        spec: {
          displayName: operator.name,
          version: operator.version,
          install: { strategy: 'deployment' },
        },
      },
      status: { phase: 'Succeeded', reason: 'InstallSucceeded', message: 'install strategy completed' },
    });
  }

  objects.push(...certificates.map((object) => ({ object })));

  for (const name of facts.machineConfigs) {
    objects.push({
      object: {
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: {
          name,
          labels: { 'machineconfiguration.openshift.io/role': name.includes('worker') ? 'worker' : 'master' },
        },
        spec: { config: { ignition: { version: '3.2.0' } } },
      },
    });
  }
  return objects;
}

function nodeObject(spec: ClusterStateSpec): DesiredObject {
  const { facts, release } = spec;
  const at = spec.installedAt.toISOString();
  const addresses: { type: string; address: string }[] = [];
  if (facts.ipStack !== 'ipv6') addresses.push({ type: 'InternalIP', address: '192.168.126.10' });
  if (facts.ipStack !== 'ipv4') addresses.push({ type: 'InternalIP', address: 'fd2e:6f44:5dd8::10' });
  addresses.push({ type: 'Hostname', address: spec.nodeName });
  const reserved = facts.reservedCpus === null ? 0 : cpuSetSize(facts.reservedCpus);
  const resources = (cpu: number) => ({ cpu: String(cpu), memory: '32734816Ki', pods: '250' });
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: spec.nodeName,
        labels: {
          'kubernetes.io/hostname': spec.nodeName,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node-role.kubernetes.io/master': '',
          'node-role.kubernetes.io/control-plane': '',
          'node-role.kubernetes.io/worker': '',
          'node.openshift.io/os_id': 'rhcos',
        },
      },
      spec: {},
    },
    status: {
      capacity: resources(facts.cpuCores),
      allocatable: resources(Math.max(0, facts.cpuCores - reserved)),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: at,
          lastTransitionTime: at,
        },
      ],
      addresses,
      nodeInfo: {
        kubeletVersion: kubeletVersion(release),
        kernelVersion: kernelVersion(release),
        osImage: `Red Hat Enterprise Linux CoreOS ${release.version} (lcm simulated host)`,
        containerRuntimeVersion: `cri-o://${kubeletVersion(release).replace(/^v/, '')}`,
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: spec.clusterId.replace(/-/g, ''),
        systemUUID: spec.clusterId,
        bootID: spec.clusterId,
      },
    },
  };
}

/** The number of CPUs in a cpuset list such as `0-1,52-53`. */
export function cpuSetSize(cpuSet: string): number {
  let count = 0;
  for (const part of cpuSet.split(',')) {
    const range = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!range) throw new Error(`reserved CPU set ${JSON.stringify(cpuSet)} is not a cpuset list like 0-1,4`);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    count += Math.max(0, last - first + 1);
  }
  return count;
}

/** Creates each object that is missing and writes its status once; existing objects stay as they are. */
export async function installClusterState(
  client: KubeClient,
  objects: readonly DesiredObject[],
): Promise<void> {
  for (const { object, status } of objects) {
    const namespace = object.metadata.namespace;
    const options = namespace === undefined ? {} : { namespace };
    let current: KubeObject | undefined;
    try {
      current = await client.get(object, object.metadata.name, options);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (current === undefined) {
      try {
        current = await client.create(object);
      } catch (error) {
        if (!isAlreadyExists(error)) throw withContext(error, object);
        current = await client.get(object, object.metadata.name, options);
      }
    }
    if (status !== undefined && !hasStatus(current)) {
      try {
        await client.updateStatus({ ...current, status });
      } catch (error) {
        throw withContext(error, object);
      }
    }
  }
}

function hasStatus(object: KubeObject): boolean {
  const { status } = object;
  return typeof status === 'object' && status !== null && Object.keys(status).length > 0;
}

function withContext(error: unknown, object: KubeObject): Error {
  const what = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
  const detail = error instanceof Error ? error.message : String(error);
  return new Error(`installing the simulated cluster state: ${what}: ${detail}`, { cause: error });
}
