/**
 * Which objects a Backup takes and a Restore brings back — Velero's include/exclude rules, pure:
 * namespace and resource filters (with `*` globs and names resolved through discovery), the old
 * (`includedResources` + `includeClusterResources`) and new (scoped) resource filters, label
 * selectors, and the object cleaning a restore does before it creates anything.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../client/object.ts';
import type { BackupSpec } from '../../api/velero/backup.ts';
import type { LabelSelector } from '../../api/kube-types.ts';
import { labels as veleroLabels } from '../../api/velero/constants.ts';

/** One served resource type at its preferred version, as discovery lists it. */
export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Plural: `configmaps`. */
  readonly resource: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** `resource.group`, or `resource` for the core group — the names Velero filters and archives by. */
export function groupResourceOf(r: { readonly group: string; readonly resource: string }): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

export const namespacesResource = 'namespaces';
export const persistentVolumesResource = 'persistentvolumes';
export const persistentVolumeClaimsResource = 'persistentvolumeclaims';
export const crdResource = 'customresourcedefinitions.apiextensions.k8s.io';

/**
 * Never backed up: Velero restores none of them (restore_controller's nonRestorableResources), so
 * lcm does not archive them either, plus the CSI snapshot kinds Velero's backup controller skips.
 */
export const excludedFromBackup: readonly string[] = [
  'nodes',
  'events',
  'events.events.k8s.io',
  'backups.velero.io',
  'restores.velero.io',
  'resticrepositories.velero.io',
  'backuprepositories.velero.io',
  'csinodes.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
];

/** Velero's nonRestorableResources: always added to a Restore's excludedResources. */
export const nonRestorableResources: readonly string[] = [
  'nodes',
  'events',
  'events.events.k8s.io',
  'backups.velero.io',
  'restores.velero.io',
  'resticrepositories.velero.io',
  'csinodes.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'backuprepositories.velero.io',
];

// ---------------------------------------------------------------------------------------------
// Globs and include/exclude lists

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function globMatch(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => p === value || globToRegExp(p).test(value));
}

/** Velero's IncludesExcludes: excluded wins; an empty include list (or `*`) includes everything. */
export interface IncludesExcludes {
  readonly includes: readonly string[];
  readonly excludes: readonly string[];
}

export function includesExcludes(
  includes: readonly string[] | null | undefined,
  excludes: readonly string[] | null | undefined,
): IncludesExcludes {
  return { includes: includes ?? [], excludes: excludes ?? [] };
}

export function shouldInclude(ie: IncludesExcludes, value: string): boolean {
  if (globMatch(ie.excludes, value)) return false;
  return ie.includes.length === 0 || ie.includes.includes('*') || globMatch(ie.includes, value);
}

export function includesEverything(ie: IncludesExcludes): boolean {
  return (
    ie.excludes.length === 0 &&
    (ie.includes.length === 0 || (ie.includes.length === 1 && ie.includes[0] === '*'))
  );
}

/** collections.ValidateIncludesExcludes, with upstream's wording. */
export function validateIncludesExcludes(
  includes: readonly string[] | null | undefined,
  excludes: readonly string[] | null | undefined,
): string[] {
  const inc = new Set(includes ?? []);
  const exc = new Set(excludes ?? []);
  const errors: string[] = [];
  if (inc.size > 1 && inc.has('*'))
    errors.push("includes list must either contain '*' only, or a non-empty list of items");
  if (exc.has('*')) errors.push("excludes list cannot contain '*'");
  for (const item of [...exc].sort())
    if (inc.has(item)) errors.push(`excludes list cannot contain an item in the includes list: ${item}`);
  return errors;
}

/** collections.ValidateScopedIncludesExcludes: `*` may be excluded, but then nothing included. */
export function validateScopedIncludesExcludes(
  includes: readonly string[] | null | undefined,
  excludes: readonly string[] | null | undefined,
): string[] {
  const inc = new Set(includes ?? []);
  const exc = new Set(excludes ?? []);
  const errors: string[] = [];
  if (inc.size > 1 && inc.has('*'))
    errors.push("includes list must either contain '*' only, or a non-empty list of items");
  if (exc.size > 1 && exc.has('*'))
    errors.push("excludes list must either contain '*' only, or a non-empty list of items");
  if (inc.size > 0 && exc.has('*')) errors.push("when exclude is '*', include cannot have value");
  for (const item of [...exc].sort())
    if (inc.has(item)) errors.push(`excludes list cannot contain an item in the includes list: ${item}`);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Resource names

/**
 * The discovered resource a user's name means — plural, singular, short name or kind, optionally
 * `.group`-qualified (`deployments.apps`, `deploy`, `cm`) — the core group winning ties as in
 * client-go's RESTMapper. Undefined when nothing serves it.
 */
export function resolveResource(catalog: readonly ApiResource[], name: string): ApiResource | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const resource = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const candidates = catalog.filter(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.resource === resource ||
        r.singular === resource ||
        r.kind.toLowerCase() === resource ||
        r.shortNames.includes(resource)),
  );
  return candidates.find((r) => r.group === '') ?? candidates[0];
}

/** Velero maps each filter entry to `resource.group`; names it cannot resolve are kept as written. */
export function resolveNames(
  catalog: readonly ApiResource[],
  names: readonly string[] | null | undefined,
): string[] {
  return (names ?? []).map((n) => {
    if (n === '*') return n;
    const found = resolveResource(catalog, n);
    return found === undefined ? n : groupResourceOf(found);
  });
}

// ---------------------------------------------------------------------------------------------
// Label selectors

const selectorOperators = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export function validateLabelSelector(selector: LabelSelector | null | undefined): string[] {
  const errors: string[] = [];
  for (const expression of selector?.matchExpressions ?? []) {
    if (!selectorOperators.has(expression.operator))
      errors.push(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    else if ((expression.operator === 'In' || expression.operator === 'NotIn') && !expression.values?.length)
      errors.push(`for 'in', 'notin' operators, values set can't be empty`);
  }
  return errors;
}

export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const set = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (set[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(set, key);
    const value = set[key];
    if (operator === 'In' && !(present && values.includes(value as string))) return false;
    if (operator === 'NotIn' && present && values.includes(value as string)) return false;
    if (operator === 'Exists' && !present) return false;
    if (operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

/** `labelSelector` or any of `orLabelSelectors`; no selector at all matches everything. */
export function matchesSelectors(
  labelSelector: LabelSelector | null | undefined,
  orLabelSelectors: readonly LabelSelector[] | null | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (labelSelector != null) return matchesLabelSelector(labelSelector, labels);
  if (orLabelSelectors != null && orLabelSelectors.length > 0)
    return orLabelSelectors.some((s) => matchesLabelSelector(s, labels));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Backup

/** The filter errors Velero's backup controller reports as validationErrors. */
export function validateBackupFilters(spec: BackupSpec): string[] {
  const errors: string[] = [];
  const old = usesOldResourceFilters(spec);
  const scoped =
    (spec.includedClusterScopedResources?.length ?? 0) > 0 ||
    (spec.excludedClusterScopedResources?.length ?? 0) > 0 ||
    (spec.includedNamespaceScopedResources?.length ?? 0) > 0 ||
    (spec.excludedNamespaceScopedResources?.length ?? 0) > 0;
  if (old && scoped)
    errors.push(
      'include-resources, exclude-resources and include-cluster-resources are old filter parameters.\n' +
        'include-cluster-scoped-resources, exclude-cluster-scoped-resources, include-namespace-scoped-resources and exclude-namespace-scoped-resources are new filter parameters.\n' +
        'They cannot be used together',
    );
  if (old) {
    for (const e of validateIncludesExcludes(spec.includedResources, spec.excludedResources))
      errors.push(`Invalid included/excluded resource lists: ${e}`);
  } else {
    for (const e of validateScopedIncludesExcludes(
      spec.includedClusterScopedResources,
      spec.excludedClusterScopedResources,
    ))
      errors.push(`Invalid cluster-scoped included/excluded resource lists: ${e}`);
    for (const e of validateScopedIncludesExcludes(
      spec.includedNamespaceScopedResources,
      spec.excludedNamespaceScopedResources,
    ))
      errors.push(`Invalid namespace-scoped included/excluded resource lists: ${e}`);
  }
  for (const e of validateIncludesExcludes(spec.includedNamespaces, spec.excludedNamespaces))
    errors.push(`Invalid included/excluded namespace lists: ${e}`);
  if (spec.labelSelector != null && spec.orLabelSelectors != null)
    errors.push(
      'encountered labelSelector as well as orLabelSelectors in backup spec, only one can be specified',
    );
  for (const selector of [spec.labelSelector, ...(spec.orLabelSelectors ?? [])])
    for (const e of validateLabelSelector(selector)) errors.push(`Invalid label selector: ${e}`);
  return errors;
}

/** collections.UseOldResourceFilters. */
export function usesOldResourceFilters(spec: BackupSpec): boolean {
  return (
    spec.includeClusterResources != null ||
    (spec.includedResources?.length ?? 0) > 0 ||
    (spec.excludedResources?.length ?? 0) > 0
  );
}

/** A Backup's filters resolved against discovery: what to list and what to keep. */
export interface BackupPlan {
  readonly namespaces: IncludesExcludes;
  /** Resource types to list, namespaces excluded (they are chosen by backupNamespaces). */
  readonly resources: readonly ApiResource[];
  readonly includeNamespaceObjects: boolean;
  /** A PVC's PersistentVolume is added (Velero's PVC backup action). */
  readonly followVolumes: boolean;
  /** A custom resource's CRD is added (Velero's backupCRD). */
  readonly followCrds: boolean;
  readonly labelSelector: LabelSelector | undefined;
  readonly orLabelSelectors: readonly LabelSelector[] | undefined;
}

interface ResourceDecision {
  include(r: ApiResource): boolean;
  /** For items pulled in by another item (PV of a PVC, CRD of a CR). */
  exclude(r: ApiResource): boolean;
}

function globalFilter(
  spec: BackupSpec,
  catalog: readonly ApiResource[],
  ns: IncludesExcludes,
): ResourceDecision {
  const filter = includesExcludes(
    resolveNames(catalog, spec.includedResources),
    resolveNames(catalog, spec.excludedResources),
  );
  const cluster = spec.includeClusterResources;
  return {
    include: (r) => {
      const name = groupResourceOf(r);
      if (!r.namespaced && cluster === false) return false;
      // Auto mode: cluster-scoped types are taken whole only by a whole-cluster backup.
      if (name !== namespacesResource && !r.namespaced && cluster == null && !includesEverything(ns))
        return false;
      return shouldInclude(filter, name);
    },
    exclude: (r) => {
      const name = groupResourceOf(r);
      if (globMatch(filter.excludes, name)) return true;
      if (!r.namespaced) {
        if (cluster === false) return true;
        if (cluster == null && !shouldInclude(filter, name)) return true;
      }
      return false;
    },
  };
}

function scopedFilter(
  spec: BackupSpec,
  catalog: readonly ApiResource[],
  ns: IncludesExcludes,
): ResourceDecision {
  const scoped = (names: readonly string[] | null | undefined, namespaced: boolean): string[] =>
    (names ?? []).flatMap((n) => {
      if (n === '*') return [n];
      const found = resolveResource(catalog, n);
      if (found === undefined) return [n];
      return found.namespaced === namespaced ? [groupResourceOf(found)] : [];
    });
  const nsScoped = includesExcludes(
    scoped(spec.includedNamespaceScopedResources, true),
    scoped(spec.excludedNamespaceScopedResources, true),
  );
  const clusterScoped = includesExcludes(
    scoped(spec.includedClusterScopedResources, false),
    scoped(spec.excludedClusterScopedResources, false),
  );
  return {
    include: (r) => {
      const name = groupResourceOf(r);
      if (r.namespaced) {
        if (nsScoped.excludes.includes('*') || globMatch(nsScoped.excludes, name)) return false;
        return (
          nsScoped.includes.length === 0 ||
          nsScoped.includes.includes('*') ||
          globMatch(nsScoped.includes, name)
        );
      }
      if (clusterScoped.excludes.includes('*') || globMatch(clusterScoped.excludes, name)) return false;
      if (
        clusterScoped.includes.length === 0 &&
        clusterScoped.excludes.length === 0 &&
        includesEverything(ns) &&
        includesEverything(nsScoped)
      )
        return true;
      return (
        clusterScoped.includes.includes('*') ||
        globMatch(clusterScoped.includes, name) ||
        name === namespacesResource
      );
    },
    exclude: (r) => globMatch(r.namespaced ? nsScoped.excludes : clusterScoped.excludes, groupResourceOf(r)),
  };
}

export function planBackup(spec: BackupSpec, catalog: readonly ApiResource[]): BackupPlan {
  const namespaces = includesExcludes(spec.includedNamespaces, spec.excludedNamespaces);
  const decision = usesOldResourceFilters(spec)
    ? globalFilter(spec, catalog, namespaces)
    : scopedFilter(spec, catalog, namespaces);
  const backupable = catalog.filter(
    (r) =>
      r.verbs.includes('list') &&
      r.verbs.includes('create') &&
      !excludedFromBackup.includes(groupResourceOf(r)),
  );
  const byName = (name: string): ApiResource | undefined =>
    backupable.find((r) => groupResourceOf(r) === name);
  const pv = byName(persistentVolumesResource);
  const crd = byName(crdResource);
  const namespaceType = byName(namespacesResource);
  return {
    namespaces,
    resources: backupable.filter((r) => groupResourceOf(r) !== namespacesResource && decision.include(r)),
    includeNamespaceObjects: namespaceType !== undefined && decision.include(namespaceType),
    followVolumes: pv !== undefined && !decision.exclude(pv),
    followCrds: crd !== undefined && !decision.exclude(crd),
    labelSelector: spec.labelSelector ?? undefined,
    orLabelSelectors: spec.orLabelSelectors ?? undefined,
  };
}

export interface BackupItem {
  readonly resource: ApiResource;
  readonly object: KubeObject;
}

function excludedByLabel(object: KubeObject): boolean {
  return object.metadata.labels?.[veleroLabels.excludeFromBackup] === 'true';
}

/** The listed objects a plan keeps (namespaced items by namespace filter and selectors). */
export function selectItems(plan: BackupPlan, listed: readonly BackupItem[]): BackupItem[] {
  return listed.filter(({ resource, object }) => {
    if (excludedByLabel(object)) return false;
    if (resource.namespaced && !shouldInclude(plan.namespaces, object.metadata.namespace ?? '')) return false;
    return matchesSelectors(plan.labelSelector, plan.orLabelSelectors, object.metadata.labels);
  });
}

/**
 * Velero's nsTracker: a Namespace object is taken when its labels match the selectors, when the
 * namespace filter names it (unless selectors narrow a whole-cluster filter), or when an item
 * in it is taken. Only Active namespaces count.
 */
export function backupNamespaces(
  plan: BackupPlan,
  namespaces: readonly KubeObject[],
  items: readonly BackupItem[],
): KubeObject[] {
  if (!plan.includeNamespaceObjects) return [];
  const withItems = new Set(items.map((i) => i.object.metadata.namespace).filter((n) => n !== undefined));
  const selectors = plan.labelSelector !== undefined || (plan.orLabelSelectors?.length ?? 0) > 0;
  return namespaces.filter((ns) => {
    const name = ns.metadata.name;
    if (excludedByLabel(ns)) return false;
    if (withItems.has(name)) return true;
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    if (phase !== undefined && phase !== 'Active') return false;
    if (selectors && matchesSelectors(plan.labelSelector, plan.orLabelSelectors, ns.metadata.labels))
      return true;
    if (includesEverything(plan.namespaces) && selectors) return false;
    return shouldInclude(plan.namespaces, name);
  });
}

/** Cluster-scoped objects the taken items pull in: their PersistentVolumes and CRDs, by name. */
export function relatedObjects(
  plan: BackupPlan,
  items: readonly BackupItem[],
): { readonly persistentVolumes: string[]; readonly crds: string[] } {
  const volumes = new Set<string>();
  const crds = new Set<string>();
  for (const { resource, object } of items) {
    const name = groupResourceOf(resource);
    const volumeName = (object.spec as { volumeName?: unknown } | undefined)?.volumeName;
    if (
      plan.followVolumes &&
      name === persistentVolumeClaimsResource &&
      typeof volumeName === 'string' &&
      volumeName !== ''
    )
      volumes.add(volumeName);
    if (plan.followCrds && resource.group !== '' && resource.group.includes('.')) crds.add(name);
  }
  const taken = new Set(items.map((i) => `${groupResourceOf(i.resource)}/${i.object.metadata.name}`));
  return {
    persistentVolumes: [...volumes].filter((v) => !taken.has(`${persistentVolumesResource}/${v}`)).sort(),
    crds: [...crds].filter((c) => !taken.has(`${crdResource}/${c}`)).sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// Restore cleaning

const droppedMetadata = [
  'generateName',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'managedFields',
] as const;

/**
 * Velero's resetMetadataAndStatus: server-assigned metadata and owner references go (an owner's
 * uid means nothing in the target cluster, and the garbage collector would delete the orphan),
 * as does status. A copy is returned.
 */
export function resetMetadataAndStatus(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  const metadata = copy.metadata as unknown as Record<string, unknown>;
  for (const key of droppedMetadata) delete metadata[key];
  delete copy.status;
  return copy;
}

/** addRestoreLabels: velero.io/backup-name and velero.io/restore-name, shortened as Velero does. */
export function addRestoreLabels(object: KubeObject, restoreName: string, backupName: string): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: {
        ...object.metadata.labels,
        [veleroLabels.backupName]: validLabelValue(backupName),
        [veleroLabels.restoreName]: validLabelValue(restoreName),
      },
    },
  };
}

/** label.GetValidName: names over 63 characters become 57 of them plus 6 hex digits of their SHA-256. */
export function validLabelValue(name: string): string {
  if (name.length <= 63) return name;
  return `${name.slice(0, 57)}${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
}
