/**
 * The fields of built-in kinds the checks read, typed as the API returns them (everything optional
 * that a server may leave out), with the TypeRef each is listed by.
 */
import type { APIRequestCountSpec, APIRequestCountStatus } from '../../../api/apiserver/api-request-count.ts';
import type { ClusterOperatorStatus } from '../../../api/config/cluster-operator.ts';
import type { ClusterVersionSpec, ClusterVersionStatus } from '../../../api/config/cluster-version.ts';
import type { LabelSelector } from '../../../api/kube-types.ts';
import type {
  MachineConfigPoolSpec,
  MachineConfigPoolStatus,
} from '../../../api/machineconfiguration/machine-config-pool.ts';
import type { KubeObject } from '../../../client/object.ts';

export const types = {
  configMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  node: { apiVersion: 'v1', kind: 'Node' },
  pod: { apiVersion: 'v1', kind: 'Pod' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  statefulSet: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  replicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  podDisruptionBudget: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  clusterVersion: { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion' },
  clusterOperator: { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator' },
  machineConfigPool: { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfigPool' },
  apiRequestCount: { apiVersion: 'apiserver.openshift.io/v1', kind: 'APIRequestCount' },
} as const;

export type IntOrString = number | string;

/** The OpenShift kinds as the client returns them (the api/ schemas give spec and status). */
export type ClusterVersion = KubeObject<ClusterVersionSpec, ClusterVersionStatus>;
export type ClusterOperator = KubeObject<unknown, ClusterOperatorStatus>;
export type MachineConfigPool = KubeObject<MachineConfigPoolSpec, MachineConfigPoolStatus>;
export type APIRequestCount = KubeObject<APIRequestCountSpec, APIRequestCountStatus>;

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export type ResourceList = Readonly<Record<string, string | number>>;

export type Node = KubeObject<
  { unschedulable?: boolean },
  {
    conditions?: NodeCondition[];
    allocatable?: ResourceList;
    capacity?: ResourceList;
    nodeInfo?: { architecture?: string; osImage?: string };
  }
>;

export interface Container {
  readonly name?: string;
  readonly resources?: { readonly requests?: ResourceList; readonly limits?: ResourceList };
}

export type Pod = KubeObject<
  {
    nodeName?: string;
    containers?: Container[];
    initContainers?: (Container & { restartPolicy?: string })[];
    overhead?: ResourceList;
  },
  { phase?: string; conditions?: NodeCondition[] }
>;

export interface PodTemplate {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
}

export type Workload = KubeObject<
  { replicas?: number; selector?: LabelSelector; template?: PodTemplate },
  { replicas?: number; readyReplicas?: number }
>;

export type PodDisruptionBudget = KubeObject<
  { minAvailable?: IntOrString; maxUnavailable?: IntOrString; selector?: LabelSelector | null },
  { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number }
>;

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects: how findings name objects. */
export function ref(kind: string, object: KubeObject): string {
  const ns = object.metadata.namespace;
  return ns === undefined || ns === ''
    ? `${kind}/${object.metadata.name}`
    : `${kind}/${ns}/${object.metadata.name}`;
}

export function isTrue(conditions: readonly NodeCondition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}
