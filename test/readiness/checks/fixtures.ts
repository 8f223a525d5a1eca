/** In-memory clusters for the readiness checks: a ClusterReader over a list of objects, and builders. */
import type { KubeObject, OwnerReference, TypeRef } from '../../../src/client/object.ts';
import { NotServedError, type ClusterReader } from '../../../src/readiness/report/cluster-reader.ts';
import type { ReadinessContext } from '../../../src/readiness/report/context.ts';
import type { Finding } from '../../../src/readiness/report/types.ts';

export interface MemoryReader extends ClusterReader {
  /** How many list calls each kind got (to pin down "one list per kind"). */
  readonly listCalls: Map<string, number>;
}

export function memoryReader(
  objects: readonly KubeObject[],
  notServed: readonly string[] = [],
): MemoryReader {
  const listCalls = new Map<string, number>();
  const served = (type: TypeRef): void => {
    if (notServed.includes(type.kind)) throw new NotServedError(type);
  };
  const ofType = (type: TypeRef): KubeObject[] =>
    objects.filter((o) => o.apiVersion === type.apiVersion && o.kind === type.kind);
  return {
    server: 'https://memory.test:6443',
    listCalls,
    list<T extends KubeObject>(type: TypeRef, namespace?: string): Promise<readonly T[]> {
      listCalls.set(type.kind, (listCalls.get(type.kind) ?? 0) + 1);
      served(type);
      return Promise.resolve(
        ofType(type).filter((o) => namespace === undefined || o.metadata.namespace === namespace) as T[],
      );
    },
    get<T extends KubeObject>(type: TypeRef, name: string, namespace?: string): Promise<T | undefined> {
      served(type);
      return Promise.resolve(
        ofType(type).find(
          (o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
        ) as T | undefined,
      );
    },
  };
}

export const now = new Date('2025-06-01T12:00:00Z');

export function context(
  objects: readonly KubeObject[],
  overrides: Partial<ReadinessContext> = {},
): ReadinessContext {
  return {
    client: memoryReader(objects),
    currentVersion: '4.13.12',
    targetVersion: '4.14.3',
    targetKube: '1.27',
    clock: { now: () => now },
    ...overrides,
  };
}

export const severitiesOf = (findings: readonly Finding[]): string[] => findings.map((f) => f.severity);

let uid = 0;
const nextUid = (): string => `uid-${++uid}`;

export function configMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, uid: nextUid() }, data };
}

export interface NodeOptions {
  readonly labels?: Record<string, string>;
  readonly ready?: boolean;
  readonly unschedulable?: boolean;
  readonly cpu?: string;
  readonly memory?: string;
  readonly arch?: string;
}

export function node(name: string, options: NodeOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: nextUid(), labels: options.labels ?? {} },
    spec: options.unschedulable === true ? { unschedulable: true } : {},
    status: {
      conditions: [
        { type: 'Ready', status: options.ready === false ? 'False' : 'True', reason: 'KubeletReady' },
      ],
      allocatable: { cpu: options.cpu ?? '4', memory: options.memory ?? '16Gi' },
      nodeInfo: { architecture: options.arch ?? 'amd64' },
    },
  };
}

export interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly ready?: boolean;
  readonly nodeName?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly owner?: OwnerReference;
  readonly phase?: string;
}

export function pod(namespace: string, name: string, options: PodOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: nextUid(),
      labels: options.labels ?? {},
      ...(options.owner !== undefined ? { ownerReferences: [options.owner] } : {}),
    },
    spec: {
      ...(options.nodeName !== undefined ? { nodeName: options.nodeName } : {}),
      containers: [
        {
          name: 'main',
          resources: {
            requests: {
              ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
              ...(options.memory !== undefined ? { memory: options.memory } : {}),
            },
          },
        },
      ],
    },
    status: {
      phase: options.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  };
}

export function ownerRef(object: KubeObject): OwnerReference {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    uid: object.metadata.uid ?? '',
    controller: true,
  };
}

export function workload(
  kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet',
  namespace: string,
  name: string,
  replicas: number,
  labels: Record<string, string>,
  owner?: OwnerReference,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name,
      namespace,
      uid: nextUid(),
      ...(owner !== undefined ? { ownerReferences: [owner] } : {}),
    },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels } } },
  };
}

export function pdb(
  namespace: string,
  name: string,
  budget: { minAvailable?: number | string; maxUnavailable?: number | string },
  matchLabels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace, uid: nextUid() },
    spec: { ...budget, selector: { matchLabels } },
  };
}

export function clusterVersion(
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterVersion',
    metadata: { name: 'version', uid: nextUid() },
    spec: { clusterID: 'c0ffee', ...spec },
    status: { desired: { version: '4.13.12', image: 'quay.io/x@sha256:1' }, ...status },
  };
}

export function clusterOperator(
  name: string,
  upgradeable?: { status: string; reason?: string; message?: string },
): KubeObject {
  return {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterOperator',
    metadata: { name, uid: nextUid() },
    spec: {},
    status: {
      conditions:
        upgradeable === undefined
          ? []
          : [{ type: 'Upgradeable', lastTransitionTime: '2025-06-01T00:00:00Z', ...upgradeable }],
    },
  };
}

export function machineConfigPool(
  name: string,
  nodeRole: string,
  maxUnavailable?: number | string,
): KubeObject {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name, uid: nextUid() },
    spec: {
      nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${nodeRole}`]: '' } },
      ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
    },
  };
}

export interface UserRequests {
  readonly username: string;
  readonly userAgent?: string;
  readonly verbs: Record<string, number>;
}

export function apiRequestCount(
  name: string,
  removedInRelease: string | undefined,
  users: readonly UserRequests[],
): KubeObject {
  const byUser = users.map((u) => ({
    username: u.username,
    userAgent: u.userAgent ?? 'agent/1.0',
    requestCount: Object.values(u.verbs).reduce((a, b) => a + b, 0),
    byVerb: Object.entries(u.verbs).map(([verb, requestCount]) => ({ verb, requestCount })),
  }));
  const total = byUser.reduce((a, u) => a + u.requestCount, 0);
  const hour = { requestCount: total, byNode: [{ nodeName: 'master-0', requestCount: total, byUser }] };
  return {
    apiVersion: 'apiserver.openshift.io/v1',
    kind: 'APIRequestCount',
    metadata: { name, uid: nextUid() },
    spec: { numberOfUsersToReport: 10 },
    status: {
      ...(removedInRelease !== undefined ? { removedInRelease } : {}),
      requestCount: total,
      currentHour: hour,
      last24h: [hour],
    },
  };
}
