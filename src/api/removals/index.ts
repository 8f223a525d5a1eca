/**
 * Kubernetes API removals (UPD-2) and the OpenShift ↔ Kubernetes version map, read from the data
 * files beside this module. One source for the API server's APIRequestCount.status.removedInRelease,
 * the readiness report and the offline scan — which is why it lives with the API facts, the layer
 * everything else may import.
 */
import { loadRemovals, loadVersions, removalsFile, DataFileError } from './data-files.ts';

/** One served group/version/resource that a Kubernetes release stops serving. */
export interface ApiRemoval {
  readonly group: string; // '' for the core group
  readonly version: string;
  readonly resource: string; // plural, lower case, as in APIRequestCount names
  readonly kind: string;
  /** Kubernetes minor release that no longer serves it, e.g. '1.27'. */
  readonly removedInRelease: string;
  readonly deprecatedInRelease?: string;
  /** The API to migrate to, as `group/version` (or `version` for core); absent when there is none. */
  readonly replacement?: string;
  /** Field or behaviour changes a migration must handle. */
  readonly notes?: string;
}

export { DataFileError } from './data-files.ts';

/** `1.27`, `1.27.3`, `v1.27.3+abc` → [1, 27]; undefined when it is not a version. */
function minorParts(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The `major.minor` of a version string (`'4.14.13'` → `'4.14'`), or undefined when unparsable. */
export function minorOf(version: string): string | undefined {
  const parts = minorParts(version);
  return parts ? `${parts[0]}.${parts[1]}` : undefined;
}

function requireMinor(version: string, what: string): [number, number] {
  const parts = minorParts(version);
  if (!parts)
    throw new RangeError(`${what} '${version}' is not a version: expected MAJOR.MINOR such as 1.27`);
  return parts;
}

/** Orders two versions by major then minor; patch levels are ignored. */
export function compareMinor(a: string, b: string): number {
  const [am, an] = requireMinor(a, 'version');
  const [bm, bn] = requireMinor(b, 'version');
  return am - bm || an - bn;
}

function freeze(entries: readonly ApiRemoval[]): readonly ApiRemoval[] {
  return Object.freeze(
    [...entries]
      .sort((a, b) => compareMinor(a.removedInRelease, b.removedInRelease))
      .map((e) => Object.freeze({ ...e })),
  );
}

const removals = freeze(loadRemovals());
const versions = loadVersions();

const byName = new Map(removals.map((r) => [`${r.resource}.${r.version}.${r.group}`, r]));
const byApiVersionKind = new Map(removals.map((r) => [`${apiVersionOf(r)} ${r.kind}`, r]));
const kubeByOpenShift = new Map(versions.map((v) => [v.openshift, v.kubernetes]));
const openShiftByKube = new Map(versions.map((v) => [v.kubernetes, v.openshift]));
const eus = new Set(versions.filter((v) => v.eus).map((v) => v.openshift));

// A replacement that the same or an earlier release also removes would send users from one removed
// API to another; refuse such data at load rather than print misleading advice.
removals.forEach((r, i) => {
  if (!r.replacement) return;
  const target = removals.find((t) => apiVersionOf(t) === r.replacement && t.kind === r.kind);
  if (target && compareMinor(target.removedInRelease, r.removedInRelease) <= 0) {
    throw new DataFileError(
      `${removalsFile}: ${r.resource}.${r.version}.${r.group} (entry ${i} by release): replacement ${r.replacement} is itself removed in ${target.removedInRelease}`,
    );
  }
});

/** `group/version`, or just `version` for the core group: the form manifests carry in `apiVersion`. */
export function apiVersionOf(r: Pick<ApiRemoval, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** Lookup by APIRequestCount naming (`<resource>.<version>.<group>`; core group: `<resource>.<version>`). */
export function removalOf(resource: string, version: string, group: string): ApiRemoval | undefined {
  return byName.get(`${resource}.${version}.${group}`);
}

export function allRemovals(): readonly ApiRemoval[] {
  return removals;
}

/** Lookup by what a manifest says: `apiVersion` and `kind` (e.g. `policy/v1beta1`, `PodDisruptionBudget`). */
export function removalOfKind(apiVersion: string, kind: string): ApiRemoval | undefined {
  return byApiVersionKind.get(`${apiVersion} ${kind}`);
}

/** Kubernetes minor of an OpenShift release (`'4.14'` or `'4.14.13'` → `'1.27'`); undefined when unknown. */
export function kubernetesVersionOf(openshiftVersion: string): string | undefined {
  const key = minorOf(openshiftVersion);
  return key === undefined ? undefined : kubeByOpenShift.get(key);
}

/** OpenShift minor built on a Kubernetes minor (`'1.27'` → `'4.14'`); undefined when none is known. */
export function openshiftVersionOf(kubernetesVersion: string): string | undefined {
  const key = minorOf(kubernetesVersion);
  return key === undefined ? undefined : openShiftByKube.get(key);
}

/** OpenShift minors with a known Kubernetes version, oldest first. */
export function knownOpenShiftVersions(): readonly string[] {
  return versions.map((v) => v.openshift);
}

/** Removals a cluster at this Kubernetes minor no longer serves: removed in a release ≤ `kubeMinor`. */
export function removalsBy(kubeMinor: string): ApiRemoval[] {
  requireMinor(kubeMinor, 'Kubernetes version');
  return removals.filter((r) => compareMinor(r.removedInRelease, kubeMinor) <= 0);
}

/** Removals an update from `fromKube` to `toKube` crosses: removed in a release in (from, to]. */
export function removalsBetween(fromKube: string, toKube: string): ApiRemoval[] {
  requireMinor(fromKube, 'Kubernetes version');
  requireMinor(toKube, 'Kubernetes version');
  return removals.filter(
    (r) => compareMinor(r.removedInRelease, fromKube) > 0 && compareMinor(r.removedInRelease, toKube) <= 0,
  );
}

/** Extended Update Support releases: the even OpenShift minors from 4.6 on (4.6, 4.8, … 4.20). */
export function isEusRelease(ocpMinor: string): boolean {
  const key = minorOf(ocpMinor);
  return key !== undefined && eus.has(key);
}
