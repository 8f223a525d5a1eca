/**
 * Which resource serves a kind: read from `/api/v1` and `/apis/<group>/<version>`, cached per
 * group-version and re-read when a kind is missing — CRDs appear while controllers run.
 */
import { isNotFound } from './errors.ts';
import { groupOf, isRecord } from './object.ts';
import type { Transport } from './transport.ts';

export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** The plural path segment: `configmaps`, `widgets`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly subresources: readonly string[];
}

/** The kind is not served (yet): its CRD may not be installed or established. */
export class NoKindMatchError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
    this.name = 'NoKindMatchError';
  }
}

export class Discovery {
  private readonly lists = new Map<string, Promise<ResourceInfo[]>>();

  constructor(private readonly transport: Transport) {}

  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const cached = this.lists.get(apiVersion);
    if (cached !== undefined) {
      const found = (await cached.catch(() => [])).find((r) => r.kind === kind);
      if (found !== undefined) return found;
    }
    const found = (await this.refresh(apiVersion)).find((r) => r.kind === kind);
    if (found === undefined) throw new NoKindMatchError(apiVersion, kind);
    return found;
  }

  /** Every resource served in a group-version (fresh from the server). */
  resourcesOf(apiVersion: string): Promise<ResourceInfo[]> {
    return this.refresh(apiVersion);
  }

  /** Forgets every group-version (after a server was replaced, say). */
  invalidate(): void {
    this.lists.clear();
  }

  private refresh(apiVersion: string): Promise<ResourceInfo[]> {
    const loading = this.fetch(apiVersion);
    this.lists.set(apiVersion, loading);
    // A failed read is not remembered: the next call asks again.
    loading.catch(() => {
      if (this.lists.get(apiVersion) === loading) this.lists.delete(apiVersion);
    });
    return loading;
  }

  private async fetch(apiVersion: string): Promise<ResourceInfo[]> {
    const group = groupOf(apiVersion);
    const version = group === '' ? apiVersion : apiVersion.slice(group.length + 1);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    let body: unknown;
    try {
      body = JSON.parse((await this.transport.request({ method: 'GET', path })).body);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const resources = isRecord(body) && Array.isArray(body.resources) ? (body.resources as unknown[]) : [];
    const subresources = new Map<string, string[]>();
    const main: Record<string, unknown>[] = [];
    for (const entry of resources) {
      if (!isRecord(entry) || typeof entry.name !== 'string') continue;
      const [resource, sub] = entry.name.split('/');
      if (resource === undefined) continue;
      if (sub === undefined) main.push(entry);
      else subresources.set(resource, [...(subresources.get(resource) ?? []), sub]);
    }
    return main.map((entry) => {
      const resource = String(entry.name);
      return {
        group,
        version,
        apiVersion,
        kind: String(entry.kind),
        resource,
        namespaced: entry.namespaced === true,
        subresources: subresources.get(resource) ?? [],
      };
    });
  }
}
