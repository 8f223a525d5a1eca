/**
 * Strategic-merge metadata of the built-in kinds: the `patchStrategy` / `patchMergeKey` struct tags
 * of kubernetes/api (core/v1, apps/v1, batch/v1, policy/v1, admissionregistration/v1) and of
 * apimachinery's ObjectMeta, for the fields kubectl's patches touch. Fields not listed behave as
 * untagged fields do upstream: maps merge, lists are replaced whole.
 */

/** `merge,retainKeys` is how upstream tags PodSpec.volumes and PodSpec.resourceClaims. */
export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface ListMergeMeta {
  readonly strategy: PatchStrategy;
  /** The item field that identifies a list element; absent for lists of primitives merged as sets. */
  readonly mergeKey?: string;
}

export interface PatchMeta {
  /** Metadata of the field at `path`: field names from the object's root, list indices left out. */
  lookup(path: readonly string[]): ListMergeMeta | undefined;
}

type Entry = readonly [path: readonly string[], meta: ListMergeMeta];

const merge = (mergeKey?: string): ListMergeMeta =>
  mergeKey === undefined ? { strategy: 'merge' } : { strategy: 'merge', mergeKey };
const mergeRetainingKeys = (mergeKey: string): ListMergeMeta => ({
  strategy: 'merge,retainKeys',
  mergeKey,
});
// Untagged lists already replace; naming them documents that kubectl treats them as atomic.
const atomic: ListMergeMeta = { strategy: 'replace' };

function at(prefix: readonly string[], fields: Record<string, ListMergeMeta>): Entry[] {
  return Object.entries(fields).map(([field, meta]) => [[...prefix, field], meta] as const);
}

function objectMetaAt(prefix: readonly string[]): Entry[] {
  return at(prefix, { finalizers: merge(), ownerReferences: merge('uid') });
}

const containerLists = ['containers', 'initContainers', 'ephemeralContainers'] as const;

function podSpecAt(prefix: readonly string[]): Entry[] {
  return [
    ...at(prefix, {
      volumes: mergeRetainingKeys('name'),
      initContainers: merge('name'),
      containers: merge('name'),
      ephemeralContainers: merge('name'),
      imagePullSecrets: merge('name'),
      hostAliases: merge('ip'),
      topologySpreadConstraints: merge('topologyKey'),
      schedulingGates: merge('name'),
      resourceClaims: mergeRetainingKeys('name'),
      tolerations: atomic,
    }),
    ...containerLists.flatMap((list) =>
      at([...prefix, list], {
        ports: merge('containerPort'),
        env: merge('name'),
        envFrom: atomic,
        volumeMounts: merge('mountPath'),
        volumeDevices: merge('devicePath'),
      }),
    ),
  ];
}

function podTemplateAt(prefix: readonly string[]): Entry[] {
  return [...objectMetaAt([...prefix, 'metadata']), ...podSpecAt([...prefix, 'spec'])];
}

const webhookConfiguration: Entry[] = [
  ...at([], { webhooks: merge('name') }),
  ...at(['webhooks'], { matchConditions: merge('name') }),
];

/** Keyed by `group/Kind`; the core group is the empty string. */
const kindEntries: Readonly<Record<string, readonly Entry[]>> = {
  '/Pod': [...podSpecAt(['spec']), ...at(['status'], { podIPs: merge('ip'), hostIPs: merge('ip') })],
  '/PodTemplate': podTemplateAt(['template']),
  '/ReplicationController': podTemplateAt(['spec', 'template']),
  '/Service': at(['spec'], { ports: merge('port') }),
  '/Node': [
    ...at(['spec'], { podCIDRs: merge(), taints: atomic }),
    ...at(['status'], { addresses: merge('type') }),
  ],
  '/ServiceAccount': at([], { secrets: merge('name') }),
  'apps/Deployment': [
    ...podTemplateAt(['spec', 'template']),
    ...at(['spec'], { strategy: { strategy: 'retainKeys' } }),
  ],
  'apps/StatefulSet': podTemplateAt(['spec', 'template']),
  'apps/ReplicaSet': podTemplateAt(['spec', 'template']),
  'apps/DaemonSet': podTemplateAt(['spec', 'template']),
  'batch/Job': podTemplateAt(['spec', 'template']),
  'batch/CronJob': [
    ...objectMetaAt(['spec', 'jobTemplate', 'metadata']),
    ...podTemplateAt(['spec', 'jobTemplate', 'spec', 'template']),
  ],
  'policy/PodDisruptionBudget': at(['spec'], { selector: atomic }),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookConfiguration,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookConfiguration,
};

/** Every built-in kind has ObjectMeta, and its status conditions (where tagged) merge by type. */
const commonEntries: readonly Entry[] = [
  ...objectMetaAt(['metadata']),
  ...at(['status'], { conditions: merge('type') }),
];

/** API groups served from Go types; anything else is a custom resource without patch metadata. */
const builtinGroups = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
]);

const pathKey = (path: readonly string[]): string => JSON.stringify(path);

class TablePatchMeta implements PatchMeta {
  private readonly fields: ReadonlyMap<string, ListMergeMeta>;

  constructor(entries: readonly Entry[]) {
    this.fields = new Map(entries.map(([path, meta]) => [pathKey(path), meta]));
  }

  lookup(path: readonly string[]): ListMergeMeta | undefined {
    return this.fields.get(pathKey(path));
  }
}

const cache = new Map<string, PatchMeta>();

/** Patch metadata for a built-in kind, or undefined for a custom resource (which has none). */
export function builtinPatchMeta(apiVersion: string, kind: string): PatchMeta | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  if (!builtinGroups.has(group)) return undefined;
  const key = `${group}/${kind}`;
  let meta = cache.get(key);
  if (meta === undefined) {
    meta = new TablePatchMeta([...commonEntries, ...(kindEntries[key] ?? [])]);
    cache.set(key, meta);
  }
  return meta;
}
