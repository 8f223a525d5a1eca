/**
 * Discovery: the legacy documents (/api, /apis, /apis/<g>, /apis/<g>/<v>) and aggregated discovery
 * (apidiscovery.k8s.io v2 / v2beta1), which kubectl 1.33 asks for first.
 */
import type { ClusterResources } from './clusters.ts';
import type { JsonObject } from './object.ts';
import type { ResourceType } from './registry/resource-type.ts';

/** Kubernetes version priority: GA > beta > alpha, higher numbers first; others alphabetical. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0, v];
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stage, Number(m[1]), Number(m[3] ?? 0), v];
  };
  const [sa, ma, na, ta] = parse(a);
  const [sb, mb, nb, tb] = parse(b);
  if (sa === 0 || sb === 0) return sa !== sb ? sb - sa : ta.localeCompare(tb);
  if (sa === 3 && sb === 3) return mb - ma;
  if (sa !== sb) return sb - sa;
  return mb !== ma ? mb - ma : nb - na;
}

interface GroupVersions {
  readonly group: string;
  readonly versions: string[];
}

function groups(cluster: ClusterResources): GroupVersions[] {
  const map = new Map<string, Set<string>>();
  for (const type of cluster.all()) {
    const set = map.get(type.group) ?? new Set<string>();
    set.add(type.version);
    map.set(type.group, set);
  }
  return [...map.entries()]
    .map(([group, versions]) => ({ group, versions: [...versions].sort(compareVersions) }))
    .sort((a, b) => a.group.localeCompare(b.group));
}

function typesIn(cluster: ClusterResources, group: string, version: string): ResourceType[] {
  return cluster
    .all()
    .filter((t) => t.group === group && t.version === version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
}

function apiResource(type: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
  };
  const subs: JsonObject[] = [];
  if (type.hasStatus) {
    subs.push({
      name: `${type.resource}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (type.scale) {
    subs.push({
      name: `${type.resource}/scale`,
      singularName: '',
      namespaced: type.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (type.kind === 'Namespace') {
    subs.push({
      name: 'namespaces/finalize',
      singularName: '',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['update'],
    });
  }
  return [main, ...subs];
}

function groupVersionString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function legacyDiscovery(
  cluster: ClusterResources,
  path: readonly string[],
  serverAddress: string,
): JsonObject | undefined {
  const all = groups(cluster);
  if (path[0] === 'api') {
    if (path.length === 1) {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      };
    }
    if (path[1] !== 'v1') return undefined;
    return {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: typesIn(cluster, '', 'v1').flatMap(apiResource),
    };
  }
  const describeGroup = (g: GroupVersions): JsonObject => ({
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: groupVersionString(g.group, v), version: v })),
    preferredVersion: {
      groupVersion: groupVersionString(g.group, g.versions[0] ?? ''),
      version: g.versions[0] ?? '',
    },
  });
  if (path.length === 1) {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: all.filter((g) => g.group !== '').map(describeGroup),
    };
  }
  const group = all.find((g) => g.group === path[1] && g.group !== '');
  if (group === undefined) return undefined;
  if (path.length === 2) return { kind: 'APIGroup', apiVersion: 'v1', ...describeGroup(group) };
  const version = path[2] ?? '';
  if (!group.versions.includes(version)) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(group.group, version),
    resources: typesIn(cluster, group.group, version).flatMap(apiResource),
  };
}

function aggregatedResource(type: ResourceType): JsonObject {
  const responseKind = { group: type.group, version: type.version, kind: type.kind };
  const subresources: JsonObject[] = [];
  if (type.hasStatus)
    subresources.push({ subresource: 'status', responseKind, verbs: ['get', 'patch', 'update'] });
  if (type.scale) {
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  }
  return {
    resource: type.resource,
    responseKind,
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
    ...(type.shortNames.length > 0 ? { shortNames: type.shortNames } : {}),
    ...(type.categories.length > 0 ? { categories: type.categories } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}

/** The media type the client asked for, when it asked for aggregated discovery. */
export function aggregatedDiscoveryVersion(accept: string): 'v2' | 'v2beta1' | undefined {
  for (const part of accept.split(',')) {
    if (!part.includes('as=APIGroupDiscoveryList') || !part.includes('g=apidiscovery.k8s.io')) continue;
    if (/v=v2(;|$|\s)/.test(part)) return 'v2';
    if (part.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}

export function aggregatedDiscovery(
  cluster: ClusterResources,
  legacy: boolean,
  version: 'v2' | 'v2beta1',
): JsonObject {
  const items = groups(cluster)
    .filter((g) => (legacy ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: legacy ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: typesIn(cluster, g.group, v).map(aggregatedResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
