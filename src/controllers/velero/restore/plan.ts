/**
 * What a Restore does with a backup's items, pure: Velero's restore filters (resources with the
 * non-restorable ones always excluded, namespaces, label selectors, includeClusterResources),
 * namespace mapping, the cleaning of each object, and the order — cluster-scoped objects first,
 * then namespaces, then namespaced objects; inside each group ascending `lca.openshift.io/apply-wave`
 * with unannotated objects last (IBU-15), then Velero's restore priorities.
 */
import type { KubeObject } from '../../../client/object.ts';
import type { RestoreSpec } from '../../../api/velero/restore.ts';
import { annotations as lcaAnnotations } from '../../../api/lca/constants.ts';
import {
  addRestoreLabels,
  includesEverything,
  includesExcludes,
  matchesSelectors,
  namespacesResource,
  nonRestorableResources,
  persistentVolumeClaimsResource,
  persistentVolumesResource,
  resetMetadataAndStatus,
  resolveNames,
  shouldInclude,
  type ApiResource,
} from '../select.ts';
import type { ArchiveItem } from '../tarball.ts';

/** Velero server's defaultRestorePriorities (high); everything else follows alphabetically. */
export const restorePriorities: readonly string[] = [
  'customresourcedefinitions',
  'namespaces',
  'storageclasses',
  'volumesnapshotclass.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'datauploads.velero.io',
  'persistentvolumes',
  'persistentvolumeclaims',
  'clusterroles',
  'roles',
  'serviceaccounts',
  'clusterrolebindings',
  'rolebindings',
  'secrets',
  'configmaps',
  'limitranges',
  'priorityclasses',
  'pods',
  'replicasets.apps',
  'clusterclasses.cluster.x-k8s.io',
  'endpoints',
  'services',
];

export type RestoreGroup = 'cluster' | 'namespaces' | 'namespaced';

export interface PlannedItem {
  readonly group: RestoreGroup;
  readonly groupResource: string;
  /** Target namespace ('' for cluster-scoped objects). */
  readonly namespace: string;
  readonly name: string;
  /** Ready to create: cleaned, labelled, mapped. */
  readonly object: KubeObject;
  readonly wave: number | undefined;
}

export interface RestorePlan {
  readonly items: readonly PlannedItem[];
  /** Target namespaces the namespaced items need but the backup holds no object for. */
  readonly bareNamespaces: readonly string[];
  /** Items left out on purpose, with why (for the restore log). */
  readonly skipped: readonly { readonly item: string; readonly reason: string }[];
}

export interface RestorePlanInput {
  readonly restoreName: string;
  readonly backupName: string;
  readonly spec: RestoreSpec;
  readonly items: readonly ArchiveItem[];
  /** Discovery, to resolve the resource names users write (`cm`, `deploy`). */
  readonly catalog: readonly ApiResource[];
}

/** The numeric apply-wave of an object, undefined when absent or not a number. */
export function applyWave(object: KubeObject): number | undefined {
  const raw = object.metadata.annotations?.[lcaAnnotations.applyWave];
  if (raw === undefined || raw.trim() === '') return undefined;
  const wave = Number(raw);
  return Number.isFinite(wave) ? wave : undefined;
}

function priorityOf(groupResource: string): number {
  const resource = groupResource.split('.')[0] ?? groupResource;
  const index = restorePriorities.findIndex(
    (p) => p === groupResource || (!p.includes('.') && p === resource),
  );
  return index < 0 ? restorePriorities.length : index;
}

const groupRank: Record<RestoreGroup, number> = { cluster: 0, namespaces: 1, namespaced: 2 };

export function compareItems(a: PlannedItem, b: PlannedItem): number {
  const wave = (w: number | undefined): number => w ?? Number.POSITIVE_INFINITY;
  return (
    groupRank[a.group] - groupRank[b.group] ||
    (wave(a.wave) === wave(b.wave) ? 0 : wave(a.wave) < wave(b.wave) ? -1 : 1) ||
    priorityOf(a.groupResource) - priorityOf(b.groupResource) ||
    a.groupResource.localeCompare(b.groupResource) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}

/** Per-kind cleaning Velero's restore item actions do, for the kinds the lab has. */
function kindSpecific(groupResource: string, object: KubeObject, spec: RestoreSpec): KubeObject {
  const copy = structuredClone(object);
  const body = copy.spec as Record<string, unknown> | undefined;
  if (groupResource === 'services' && body !== undefined) {
    // A cluster IP belongs to the cluster that assigned it; headless services keep "None".
    if (body.clusterIP !== 'None') {
      delete body.clusterIP;
      delete body.clusterIPs;
    }
    if (spec.preserveNodePorts !== true && Array.isArray(body.ports))
      for (const port of body.ports as Record<string, unknown>[]) delete port.nodePort;
  }
  if (groupResource === persistentVolumesResource && body !== undefined) {
    const claimRef = body.claimRef as Record<string, unknown> | undefined;
    if (claimRef !== undefined) {
      delete claimRef.uid;
      delete claimRef.resourceVersion;
    }
  }
  if (groupResource === persistentVolumeClaimsResource) {
    const notes = copy.metadata.annotations;
    if (notes !== undefined) {
      delete notes['pv.kubernetes.io/bind-completed'];
      delete notes['pv.kubernetes.io/bound-by-controller'];
    }
  }
  return copy;
}

function describe(item: ArchiveItem): string {
  return item.namespace === ''
    ? `${item.groupResource}/${item.name}`
    : `${item.groupResource}/${item.namespace}/${item.name}`;
}

export function planRestore(input: RestorePlanInput): RestorePlan {
  const { spec, catalog } = input;
  const resources = includesExcludes(resolveNames(catalog, spec.includedResources), [
    ...resolveNames(catalog, spec.excludedResources),
    ...nonRestorableResources,
  ]);
  const namespaces = includesExcludes(spec.includedNamespaces, spec.excludedNamespaces);
  const mapping = spec.namespaceMapping ?? {};
  const target = (ns: string): string => mapping[ns] ?? ns;
  const cluster = spec.includeClusterResources;
  const skipped: { item: string; reason: string }[] = [];

  const clusterTypeAllowed = (): boolean => {
    if (cluster === false) return false;
    // Auto: cluster-scoped objects come back with a whole-cluster restore only.
    if (cluster == null && !includesEverything(namespaces)) return false;
    return true;
  };

  const taken: ArchiveItem[] = [];
  const pending: ArchiveItem[] = [];
  for (const item of input.items) {
    const { groupResource, namespace, object } = item;
    if (!shouldInclude(resources, groupResource)) continue;
    if (groupResource === persistentVolumesResource && spec.restorePVs === false) {
      skipped.push({ item: describe(item), reason: 'restorePVs is false' });
      continue;
    }
    if (groupResource === namespacesResource) {
      pending.push(item);
      continue;
    }
    if (namespace === '') {
      if (!clusterTypeAllowed()) {
        pending.push(item);
        continue;
      }
    } else if (!shouldInclude(namespaces, namespace)) continue;
    if (!matchesSelectors(spec.labelSelector, spec.orLabelSelectors, object.metadata.labels)) continue;
    taken.push(item);
  }

  // A restored claim brings its volume back even when cluster-scoped types are not restored whole.
  const claimedVolumes = new Set(
    taken
      .filter((i) => i.groupResource === persistentVolumeClaimsResource)
      .map((i) => (i.object.spec as { volumeName?: unknown } | undefined)?.volumeName)
      .filter((v): v is string => typeof v === 'string' && v !== ''),
  );
  const targetNamespaces = new Set(taken.filter((i) => i.namespace !== '').map((i) => target(i.namespace)));
  for (const item of pending) {
    if (item.groupResource === namespacesResource) {
      if (!shouldInclude(namespaces, item.name)) continue;
      const selected = matchesSelectors(
        spec.labelSelector,
        spec.orLabelSelectors,
        item.object.metadata.labels,
      );
      if (selected || targetNamespaces.has(target(item.name))) taken.push(item);
    } else if (
      item.groupResource === persistentVolumesResource &&
      cluster !== false &&
      claimedVolumes.has(item.name)
    )
      taken.push(item);
  }

  const planned: PlannedItem[] = taken.map((item) => {
    const isNamespace = item.groupResource === namespacesResource;
    const namespace = item.namespace === '' ? '' : target(item.namespace);
    const name = isNamespace ? target(item.name) : item.name;
    let object = addRestoreLabels(
      resetMetadataAndStatus(kindSpecific(item.groupResource, item.object, spec)),
      input.restoreName,
      input.backupName,
    );
    object = {
      ...object,
      metadata: { ...object.metadata, name, ...(namespace !== '' ? { namespace } : {}) },
    };
    if (namespace === '') delete object.metadata.namespace;
    return {
      group: isNamespace ? 'namespaces' : namespace === '' ? 'cluster' : 'namespaced',
      groupResource: item.groupResource,
      namespace,
      name,
      object,
      wave: applyWave(item.object),
    };
  });
  planned.sort(compareItems);

  const withObject = new Set(planned.filter((p) => p.group === 'namespaces').map((p) => p.name));
  return {
    items: planned,
    bareNamespaces: [...targetNamespaces].filter((n) => !withObject.has(n)).sort(),
    skipped,
  };
}
