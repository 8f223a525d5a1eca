/**
 * Puts a lab cluster where the simulated Cluster Version Operator can work on it: ClusterVersion
 * `version` at one release (Completed in history, Available, not Progressing), a handful of
 * ClusterOperators at that release, the `admin-gates` ConfigMap the release ships and an empty
 * `admin-acks` for administrators to fill (seed 001, 2.1.2.4). Objects are created only when
 * missing, so bootstrapping again never disturbs a cluster that has moved on.
 */
import {
  adminAcks,
  adminGates,
  apiVersion,
  clusterVersionName,
  kube127ApiRemovalsAck,
} from '../api/config/constants.ts';
import type { KubeClient } from '../client/client.ts';
import type { KubeObject } from '../client/object.ts';
import {
  installClusterState,
  newClusterId,
  parseReleaseVersion,
  releaseImage,
  type DesiredObject,
} from './sim-cluster-state.ts';

export interface ClusterOperatorSeed {
  readonly name: string;
  /** Upgradeable=False with this reason and message (default Upgradeable=True). */
  readonly notUpgradeable?: { readonly reason: string; readonly message: string };
}

export interface ClusterVersionBootstrap {
  /** The installed release, `x.y.z`. */
  readonly version: string;
  /** Default quay.io/openshift-release-dev/ocp-release:<version>-x86_64. */
  readonly image?: string;
  /** Default stable-<x.y>. */
  readonly channel?: string;
  /** spec.upstream, the update service URL (default: none, the recommender's own default). */
  readonly upstream?: string;
  /** Default a new random (version 4) UUID. */
  readonly clusterId?: string;
  /** Names or seeds; default {@link defaultClusterOperators}. */
  readonly clusterOperators?: readonly (string | ClusterOperatorSeed)[];
  /** The admin-gates data; default {@link labAdminGates}. */
  readonly adminGates?: Readonly<Record<string, string>>;
  /** When the release was installed (history and conditions); default now. */
  readonly installedAt?: Date;
}

export const defaultClusterOperators = [
  'authentication',
  'etcd',
  'ingress',
  'kube-apiserver',
  'machine-config',
] as const;

/** The gate for 4.14 → 4.15 in the lab (4.15 ships Kubernetes 1.28). */
export const kube128ApiRemovalsAck = 'ack-4.14-kube-1.28-api-removals-in-4.15';

/**
 * The gates the lab's releases ship: seed 001's 4.13 → 4.14 acknowledgement, worded as the
 * release's admin-gates ConfigMap words its gates, and the lab's own 4.14 → 4.15 one (upstream
 * 4.15 shipped no API-removal gate: Kubernetes 1.28 removed no API).
 */
export const labAdminGates: Readonly<Record<string, string>> = {
  [kube127ApiRemovalsAck]:
    'Kubernetes 1.27 and therefore OpenShift 4.14 remove several APIs which require admin consideration. Please see the knowledge article https://access.redhat.com/articles/6958394 for details and instructions.',
  [kube128ApiRemovalsAck]:
    'Lab gate for OpenShift 4.15 (Kubernetes 1.28): evaluate the cluster for APIs removed in the next release (oc get apirequestcounts) and migrate their users before acknowledging.',
};

function timestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/** The objects (with the status each is given once) of a cluster at `options.version`. */
export function clusterVersionObjects(options: ClusterVersionBootstrap): DesiredObject[] {
  const { major, minor } = parseReleaseVersion(options.version);
  const image = releaseImage({
    version: options.version,
    ...(options.image !== undefined ? { image: options.image } : {}),
  });
  const at = timestamp(options.installedAt ?? new Date());
  const condition = (type: string, status: string, reason?: string, message?: string) => ({
    type,
    status,
    lastTransitionTime: at,
    ...(reason !== undefined ? { reason } : {}),
    ...(message !== undefined ? { message } : {}),
  });
  const objects: DesiredObject[] = [adminGates.namespace, adminAcks.namespace].map((name) => ({
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  }));
  objects.push({
    object: {
      apiVersion,
      kind: 'ClusterVersion',
      metadata: { name: clusterVersionName },
      spec: {
        clusterID: options.clusterId ?? newClusterId(),
        channel: options.channel ?? `stable-${major}.${minor}`,
        ...(options.upstream !== undefined ? { upstream: options.upstream } : {}),
      },
    },
    status: {
      desired: { version: options.version, image },
      history: [
        {
          state: 'Completed',
          startedTime: at,
          completionTime: at,
          version: options.version,
          image,
          verified: false,
        },
      ],
      observedGeneration: 1,
      versionHash: '',
      availableUpdates: null,
      conditions: [
        condition('Available', 'True', undefined, `Done applying ${options.version}`),
        condition('Failing', 'False'),
        condition('Progressing', 'False', undefined, `Cluster version is ${options.version}`),
      ],
    },
  });
  for (const seed of options.clusterOperators ?? defaultClusterOperators) {
    const { name, notUpgradeable } =
      typeof seed === 'string' ? { name: seed, notUpgradeable: undefined } : seed;
    objects.push({
      object: { apiVersion, kind: 'ClusterOperator', metadata: { name }, spec: {} },
      status: {
        conditions: [
          condition('Available', 'True', 'AsExpected'),
          condition('Progressing', 'False', 'AsExpected'),
          condition('Degraded', 'False', 'AsExpected'),
          notUpgradeable === undefined
            ? condition('Upgradeable', 'True', 'AsExpected')
            : condition('Upgradeable', 'False', notUpgradeable.reason, notUpgradeable.message),
        ],
        versions: [{ name: 'operator', version: options.version }],
      },
    });
  }
  const configMap = (
    ref: { namespace: string; name: string },
    data?: Readonly<Record<string, string>>,
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ref.name, namespace: ref.namespace },
    ...(data !== undefined ? { data: { ...data } } : {}),
  });
  objects.push({ object: configMap(adminGates, options.adminGates ?? labAdminGates) });
  objects.push({ object: configMap(adminAcks) });
  return objects;
}

/** Creates what is missing of {@link clusterVersionObjects} and returns the ClusterVersion. */
export async function bootstrapClusterVersion(
  client: KubeClient,
  options: ClusterVersionBootstrap,
): Promise<KubeObject> {
  await installClusterState(client, clusterVersionObjects(options));
  return client.get({ apiVersion, kind: 'ClusterVersion' }, clusterVersionName);
}
