/**
 * The built-in kinds controllers and users need (issue 2). They are stored and validated for
 * their metadata and a few rules kubectl users hit; Kubernetes' own controllers (scheduler,
 * deployment controller, kubelet) are not part of the server — the lab simulates what it needs.
 */
import { fieldError, type FieldError } from '../field-errors.ts';
import { getPath, isJsonObject, setPath, text, type KubeObject } from '../object.ts';
import { apiRequestCountResourceType } from '../request-count/resource-type.ts';
import { allVerbs, type Column, type ResourceType } from './resource-type.ts';

type BuiltinSpec = Pick<ResourceType, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'> &
  Partial<Omit<ResourceType, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'>>;

const ageColumn: Column = {
  name: 'Age',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o) => o.metadata.creationTimestamp,
};

function column(
  name: string,
  cell: (o: KubeObject) => unknown,
  type: Column['type'] = 'string',
  priority = 0,
): Column {
  return { name, type, description: name, priority, cell };
}

function builtin(spec: BuiltinSpec): ResourceType {
  return {
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    verbs: allVerbs,
    hasStatus: false,
    columns: [ageColumn],
    tracksGeneration: false,
    storageVersion: spec.version,
    nameRule: 'subdomain',
    ...spec,
  };
}

function count(value: unknown): number {
  return isJsonObject(value) ? Object.keys(value).length : 0;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

interface Condition {
  readonly type?: unknown;
  readonly status?: unknown;
}

function conditionsOf(object: KubeObject): Condition[] {
  const value = getPath(object, ['status', 'conditions']);
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function labelsColumn(prefix: string, object: KubeObject): string {
  const roles = Object.keys(object.metadata.labels ?? {})
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .filter((k) => k !== '');
  return roles.length === 0 ? '<none>' : roles.sort().join(',');
}

function defaultIfAbsent(object: KubeObject, path: readonly string[], value: unknown): void {
  if (getPath(object, path) === undefined) setPath(object, path, structuredClone(value));
}

const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const configKeyRe = /^[-._a-zA-Z0-9]+$/;

function validateDataKeys(object: KubeObject, field: string, checkBase64: boolean): FieldError[] {
  const data = object[field];
  if (data === undefined || data === null) return [];
  if (!isJsonObject(data)) return [fieldError.invalid(field, data, 'must be an object of strings')];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!configKeyRe.test(key) || key.length > 253) {
      errors.push(
        fieldError.invalid(
          `${field}[${key}]`,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ),
      );
    }
    if (typeof value !== 'string')
      errors.push(fieldError.invalid(`${field}[${key}]`, value, 'must be a string'));
    else if (checkBase64 && !base64Re.test(value)) {
      errors.push(
        fieldError.invalid(`${field}[${key}]`, '<secret contents redacted>', 'illegal base64 data'),
      );
    }
  }
  return errors;
}

function immutableData(object: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (old?.immutable !== true) return [];
  const errors: FieldError[] = [];
  for (const field of ['data', 'binaryData']) {
    if (JSON.stringify(object[field] ?? {}) !== JSON.stringify(old[field] ?? {})) {
      errors.push(fieldError.forbidden(field, 'field is immutable when `immutable` is set'));
    }
  }
  if (object.immutable !== true)
    errors.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
  return errors;
}

function validateWorkloadSelector(object: KubeObject): FieldError[] {
  const selector = getPath(object, ['spec', 'selector']);
  if (!isJsonObject(selector)) return [fieldError.required('spec.selector')];
  const matchLabels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  const templateLabels = getPath(object, ['spec', 'template', 'metadata', 'labels']);
  const labels = isJsonObject(templateLabels) ? templateLabels : {};
  const mismatch = Object.entries(matchLabels).some(([k, v]) => labels[k] !== v);
  return mismatch
    ? [
        fieldError.invalid(
          'spec.template.metadata.labels',
          labels,
          '`selector` does not match template `labels`',
        ),
      ]
    : [];
}

/** The pod-spec defaults kube-apiserver fills in, which `kubectl describe` prints (8080/TCP, …). */
function defaultContainers(containers: unknown): void {
  if (!Array.isArray(containers)) return;
  for (const container of containers.filter(isJsonObject)) {
    const image = typeof container.image === 'string' ? container.image : '';
    const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
    container.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
    container.terminationMessagePath ??= '/dev/termination-log';
    container.terminationMessagePolicy ??= 'File';
    container.resources ??= {};
    if (Array.isArray(container.ports)) {
      for (const port of container.ports.filter(isJsonObject)) port.protocol ??= 'TCP';
    }
  }
}

export function defaultPodSpec(spec: unknown, restartPolicy = 'Always'): void {
  if (!isJsonObject(spec)) return;
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
  spec.restartPolicy ??= restartPolicy;
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

const workloadScale = {
  specReplicasPath: ['spec', 'replicas'],
  statusReplicasPath: ['status', 'replicas'],
  labelSelectorPath: ['spec', 'selector'],
} as const;

export const builtinResourceTypes: readonly ResourceType[] = [
  builtin({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
    nameRule: 'label',
    columns: [column('Status', (o) => getPath(o, ['status', 'phase'])), ageColumn],
    extraFieldSelectors: { 'status.phase': (o) => text(getPath(o, ['status', 'phase'])) },
    normalize: (o, old) => {
      // The namespace controller's finalizer: contents are removed before the namespace goes.
      if (old === undefined) {
        setPath(o, ['spec', 'finalizers'], ['kubernetes']);
        setPath(o, ['status', 'phase'], 'Active');
      }
    },
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    columns: [column('Data', (o) => count(o.data) + count(o.binaryData), 'integer'), ageColumn],
    validate: (o, old) => [
      ...validateDataKeys(o, 'data', false),
      ...validateDataKeys(o, 'binaryData', true),
      ...immutableData(o, old),
    ],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
    columns: [column('Type', (o) => o.type), column('Data', (o) => count(o.data), 'integer'), ageColumn],
    extraFieldSelectors: { type: (o) => text(o.type) },
    normalize: (o) => {
      // stringData is write-only: merged into data (base64) and never stored.
      if (isJsonObject(o.stringData)) {
        const data = isJsonObject(o.data) ? o.data : {};
        for (const [k, v] of Object.entries(o.stringData)) {
          if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
        }
        o.data = data;
      }
      delete o.stringData;
      if (o.type === undefined || o.type === '') o.type = 'Opaque';
    },
    validate: (o, old) => {
      const errors = [...validateDataKeys(o, 'data', true), ...immutableData(o, old)];
      if (old !== undefined && old.type !== o.type)
        errors.push(fieldError.invalid('type', o.type, 'field is immutable'));
      return errors;
    },
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    columns: [
      column('Last Seen', (o) => o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp, 'date'),
      column('Type', (o) => o.type),
      column('Reason', (o) => o.reason),
      column('Object', (o) => {
        const ref = isJsonObject(o.involvedObject) ? o.involvedObject : {};
        return `${text(ref.kind).toLowerCase()}/${text(ref.name)}`;
      }),
      column('Message', (o) => o.message),
    ],
    extraFieldSelectors: {
      'involvedObject.name': (o) => text(getPath(o, ['involvedObject', 'name'])),
      'involvedObject.kind': (o) => text(getPath(o, ['involvedObject', 'kind'])),
      'involvedObject.uid': (o) => text(getPath(o, ['involvedObject', 'uid'])),
      'involvedObject.namespace': (o) => text(getPath(o, ['involvedObject', 'namespace'])),
      'involvedObject.apiVersion': (o) => text(getPath(o, ['involvedObject', 'apiVersion'])),
      'involvedObject.resourceVersion': (o) => text(getPath(o, ['involvedObject', 'resourceVersion'])),
      'involvedObject.fieldPath': (o) => text(getPath(o, ['involvedObject', 'fieldPath'])),
      source: (o) => text(getPath(o, ['source', 'component'])),
      reason: (o) => text(o.reason),
      type: (o) => text(o.type),
    },
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    hasStatus: true,
    columns: [
      column('Status', (o) => {
        const ready = conditionsOf(o).find((c) => c.type === 'Ready');
        const base = ready?.status === 'True' ? 'Ready' : ready === undefined ? 'Unknown' : 'NotReady';
        return getPath(o, ['spec', 'unschedulable']) === true ? `${base},SchedulingDisabled` : base;
      }),
      column('Roles', (o) => labelsColumn('node-role.kubernetes.io/', o)),
      ageColumn,
      column('Version', (o) => getPath(o, ['status', 'nodeInfo', 'kubeletVersion'])),
    ],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    hasStatus: true,
    columns: [
      column('Ready', (o) => {
        const statuses = getPath(o, ['status', 'containerStatuses']);
        const containers = getPath(o, ['spec', 'containers']);
        const total = Array.isArray(containers) ? containers.length : 0;
        const ready = Array.isArray(statuses)
          ? statuses.filter((s) => isJsonObject(s) && s.ready === true).length
          : 0;
        return `${ready}/${total}`;
      }),
      column('Status', (o) => getPath(o, ['status', 'phase']) ?? 'Pending'),
      column(
        'Restarts',
        (o) => {
          const statuses = getPath(o, ['status', 'containerStatuses']);
          return Array.isArray(statuses)
            ? statuses.reduce((sum: number, s) => sum + (isJsonObject(s) ? num(s.restartCount) : 0), 0)
            : 0;
        },
        'integer',
      ),
      ageColumn,
    ],
    normalize: (o) => defaultPodSpec(o.spec),
    extraFieldSelectors: {
      'spec.nodeName': (o) => text(getPath(o, ['spec', 'nodeName'])),
      'status.phase': (o) => text(getPath(o, ['status', 'phase'])),
    },
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    hasStatus: true,
    columns: [
      column('Type', (o) => getPath(o, ['spec', 'type']) ?? 'ClusterIP'),
      column('Cluster-IP', (o) => getPath(o, ['spec', 'clusterIP']) ?? '<none>'),
      column('External-IP', () => '<none>'),
      column('Port(s)', (o) => {
        const ports = getPath(o, ['spec', 'ports']);
        if (!Array.isArray(ports) || ports.length === 0) return '<none>';
        return ports
          .filter(isJsonObject)
          .map((p) => `${num(p.port)}/${typeof p.protocol === 'string' ? p.protocol : 'TCP'}`)
          .join(',');
      }),
      ageColumn,
    ],
    normalize: (o, old) => {
      defaultIfAbsent(o, ['spec', 'type'], 'ClusterIP');
      if (old === undefined && getPath(o, ['spec', 'clusterIP']) === undefined) {
        // Stable per name so re-creates in the lab look alike; no real service network exists.
        const seed = [...(o.metadata.name ?? '')].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 65000, 7);
        setPath(o, ['spec', 'clusterIP'], `10.96.${Math.floor(seed / 250) % 250}.${(seed % 250) + 2}`);
      }
      const ports = getPath(o, ['spec', 'ports']);
      if (Array.isArray(ports)) {
        for (const port of ports.filter(isJsonObject)) {
          port.protocol ??= 'TCP';
          port.targetPort ??= port.port;
        }
      }
    },
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
    singular: 'endpoints',
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    hasStatus: true,
    columns: [
      column('Capacity', (o) => getPath(o, ['spec', 'capacity', 'storage'])),
      column('Access Modes', (o) => {
        const modes = getPath(o, ['spec', 'accessModes']);
        return Array.isArray(modes) ? modes.join(',') : '';
      }),
      column('Reclaim Policy', (o) => getPath(o, ['spec', 'persistentVolumeReclaimPolicy']) ?? 'Retain'),
      column('Status', (o) => getPath(o, ['status', 'phase']) ?? 'Available'),
      column('Claim', (o) => {
        const ref = getPath(o, ['spec', 'claimRef']);
        return isJsonObject(ref) ? `${text(ref.namespace)}/${text(ref.name)}` : '';
      }),
      column('StorageClass', (o) => getPath(o, ['spec', 'storageClassName']) ?? ''),
      ageColumn,
    ],
  }),
  builtin({
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    hasStatus: true,
    columns: [
      column('Status', (o) => getPath(o, ['status', 'phase']) ?? 'Pending'),
      column('Volume', (o) => getPath(o, ['spec', 'volumeName']) ?? ''),
      column('Capacity', (o) => getPath(o, ['status', 'capacity', 'storage']) ?? ''),
      column('StorageClass', (o) => getPath(o, ['spec', 'storageClassName']) ?? ''),
      ageColumn,
    ],
  }),
  builtin({
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    columns: [
      column('Provisioner', (o) => o.provisioner),
      column('ReclaimPolicy', (o) => o.reclaimPolicy ?? 'Delete'),
      ageColumn,
    ],
  }),
  ...(['deployments', 'statefulsets', 'replicasets', 'daemonsets'] as const).map((resource) =>
    builtin({
      group: 'apps',
      version: 'v1',
      resource,
      kind: {
        deployments: 'Deployment',
        statefulsets: 'StatefulSet',
        replicasets: 'ReplicaSet',
        daemonsets: 'DaemonSet',
      }[resource],
      namespaced: true,
      shortNames: [
        { deployments: 'deploy', statefulsets: 'sts', replicasets: 'rs', daemonsets: 'ds' }[resource],
      ],
      categories: ['all'],
      hasStatus: true,
      tracksGeneration: true,
      ...(resource === 'daemonsets' ? {} : { scale: workloadScale }),
      columns:
        resource === 'deployments'
          ? [
              column(
                'Ready',
                (o) =>
                  `${num(getPath(o, ['status', 'readyReplicas']))}/${num(getPath(o, ['spec', 'replicas']))}`,
              ),
              column('Up-to-date', (o) => num(getPath(o, ['status', 'updatedReplicas'])), 'integer'),
              column('Available', (o) => num(getPath(o, ['status', 'availableReplicas'])), 'integer'),
              ageColumn,
            ]
          : resource === 'daemonsets'
            ? [
                column('Desired', (o) => num(getPath(o, ['status', 'desiredNumberScheduled'])), 'integer'),
                column('Ready', (o) => num(getPath(o, ['status', 'numberReady'])), 'integer'),
                ageColumn,
              ]
            : [
                column(
                  'Ready',
                  (o) =>
                    `${num(getPath(o, ['status', 'readyReplicas']))}/${num(getPath(o, ['spec', 'replicas']))}`,
                ),
                ageColumn,
              ],
      normalize: (o) => {
        defaultPodSpec(getPath(o, ['spec', 'template', 'spec']));
        if (resource !== 'daemonsets') defaultIfAbsent(o, ['spec', 'replicas'], 1);
        defaultIfAbsent(o, ['spec', 'revisionHistoryLimit'], 10);
        if (resource === 'deployments') {
          defaultIfAbsent(o, ['spec', 'progressDeadlineSeconds'], 600);
          defaultIfAbsent(o, ['spec', 'strategy', 'type'], 'RollingUpdate');
          if (getPath(o, ['spec', 'strategy', 'type']) === 'RollingUpdate') {
            defaultIfAbsent(o, ['spec', 'strategy', 'rollingUpdate'], {
              maxUnavailable: '25%',
              maxSurge: '25%',
            });
          }
        }
      },
      validate: (o) => validateWorkloadSelector(o),
    }),
  ),
  builtin({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    normalize: (o) => defaultPodSpec(getPath(o, ['spec', 'template', 'spec']), 'Never'),
    categories: ['all'],
    hasStatus: true,
    tracksGeneration: true,
    columns: [
      column('Status', (o) =>
        conditionsOf(o).some((c) => c.type === 'Complete' && c.status === 'True') ? 'Complete' : 'Running',
      ),
      column(
        'Completions',
        (o) => `${num(getPath(o, ['status', 'succeeded']))}/${num(getPath(o, ['spec', 'completions'])) || 1}`,
      ),
      ageColumn,
    ],
  }),
  builtin({
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    hasStatus: true,
    tracksGeneration: true,
    columns: [
      column('Min Available', (o) => getPath(o, ['spec', 'minAvailable']) ?? 'N/A'),
      column('Max Unavailable', (o) => getPath(o, ['spec', 'maxUnavailable']) ?? 'N/A'),
      column('Allowed Disruptions', (o) => num(getPath(o, ['status', 'disruptionsAllowed'])), 'integer'),
      ageColumn,
    ],
    validate: (o) =>
      getPath(o, ['spec', 'minAvailable']) !== undefined &&
      getPath(o, ['spec', 'maxUnavailable']) !== undefined
        ? [fieldError.invalid('spec', o.spec, 'minAvailable and maxUnavailable cannot be both set')]
        : [],
  }),
  builtin({
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    kind: 'Lease',
    namespaced: true,
    columns: [column('Holder', (o) => getPath(o, ['spec', 'holderIdentity']) ?? ''), ageColumn],
  }),
  ...(
    [
      ['roles', 'Role', true],
      ['rolebindings', 'RoleBinding', true],
      ['clusterroles', 'ClusterRole', false],
      ['clusterrolebindings', 'ClusterRoleBinding', false],
    ] as const
  ).map(([resource, kind, namespaced]) =>
    builtin({
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      resource,
      kind,
      namespaced,
      nameRule: 'path-segment',
    }),
  ),
  // OpenShift's kube-apiserver maintains these itself (request-count/).
  apiRequestCountResourceType,
];
