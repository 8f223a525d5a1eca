/**
 * Logical clusters: one server serves many independent clusters (`/clusters/<name>/…`; the hub at
 * `/`), each with its own key prefix in the store and its own CRDs — the way hosted control planes
 * share one management cluster. This module holds each cluster's served resource types.
 */
import { builtinResourceTypes } from './registry/builtins.ts';
import { crdResourceType, resourceTypesOf } from './registry/crd.ts';
import type { ResourceType } from './registry/resource-type.ts';
import type { KubeObject } from './object.ts';
import { dns1123LabelErrors } from './names.ts';

export const hubClusterName = 'hub';

const staticTypes: readonly ResourceType[] = [...builtinResourceTypes, crdResourceType];

export function groupResourceKey(group: string, resource: string): string {
  return `${group === '' ? 'core' : group}/${resource}`;
}

const staticResources = new Set(staticTypes.map((t) => groupResourceKey(t.group, t.resource)));

/**
 * Resources the server serves itself in every cluster. A CRD naming one is stored but not served
 * (the built-in wins, as kube-apiserver's own handlers do), so CRDs installed before a kind became
 * built-in never clash with it.
 */
export function servedNatively(group: string, resource: string): boolean {
  return staticResources.has(groupResourceKey(group, resource));
}

export class ClusterResources {
  private readonly crdTypes = new Map<string, ResourceType[]>();
  private byVersionCache: Map<string, ResourceType> | undefined;

  /**
   * Why the cluster does not answer right now (a simulated host rebooting), or undefined when it does.
   */
  unavailable: string | undefined;

  /**
   * @param backing the key space the cluster serves: its own name by default; a simulated host
   *   serves the key space of its booted stateroot (`<host>@<stateroot>`), so a reboot into another
   *   stateroot serves that stateroot's state and a rollback returns the exact previous one.
   */
  constructor(
    readonly name: string,
    public backing: string = name,
  ) {}

  /** Where this cluster's objects live in the store. */
  get keyPrefix(): string {
    return backingPrefix(this.backing);
  }

  /** Forgets the CRDs of the previous backing (the caller loads the new one's). */
  switchBacking(backing: string): void {
    this.backing = backing;
    this.crdTypes.clear();
    this.byVersionCache = undefined;
  }

  all(): ResourceType[] {
    return [...staticTypes, ...[...this.crdTypes.values()].flat()];
  }

  private index(): Map<string, ResourceType> {
    if (this.byVersionCache === undefined) {
      this.byVersionCache = new Map(this.all().map((t) => [`${t.group}/${t.version}/${t.resource}`, t]));
    }
    return this.byVersionCache;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.index().get(`${group}/${version}/${resource}`);
  }

  /** The type an object of this group/resource is stored as (its storage version). */
  storageType(group: string, resource: string): ResourceType | undefined {
    const candidates = this.all().filter((t) => t.group === group && t.resource === resource);
    return candidates.find((t) => t.version === t.storageVersion) ?? candidates[0];
  }

  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find(
      (t) => t.kind === kind && (t.group === '' ? t.version : `${t.group}/${t.version}`) === apiVersion,
    );
  }

  /** Serves (or stops serving) a CRD's resources; called whenever a CRD is written or removed. */
  setCrd(crd: KubeObject): void {
    const name = crd.metadata.name ?? '';
    const established = crd.metadata.deletionTimestamp === undefined || this.crdTypes.has(name);
    if (established)
      this.crdTypes.set(
        name,
        resourceTypesOf(crd).filter((t) => !servedNatively(t.group, t.resource)),
      );
    this.byVersionCache = undefined;
  }

  removeCrd(name: string): void {
    this.crdTypes.delete(name);
    this.byVersionCache = undefined;
  }
}

export function backingPrefix(backing: string): string {
  return `/registry/${backing}/`;
}

const backingRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(@[a-zA-Z0-9]([-a-zA-Z0-9._]*[a-zA-Z0-9])?)?$/;

/** `<cluster>` or `<cluster>@<stateroot>` (stateroots look like `rhcos_4.16.1`). */
export function backingNameErrors(backing: string): string[] {
  return backingRe.test(backing) && backing.length <= 253
    ? []
    : [
        `"${backing}" is not a valid backing: <cluster name>[@<stateroot>] with letters, digits, '-', '_' and '.'`,
      ];
}

export function logicalClusterNameErrors(name: string): string[] {
  return dns1123LabelErrors(name);
}
