/** What the server's built-in controllers need from the server. */
import type { ClusterResources } from '../clusters.ts';
import type { KubeObject } from '../object.ts';
import type { ObjectStore, Scope } from '../rest/objects.ts';
import { parseKey } from '../rest/keys.ts';
import type { WatchHub } from '../watch-hub.ts';

export interface ServerCore {
  readonly objects: ObjectStore;
  readonly hub: WatchHub;
  cluster(name: string): ClusterResources | undefined;
}

export interface KeyTarget {
  readonly scope: Scope;
  readonly name: string;
}

/** The scope and name a store key addresses, when its cluster and type are known. */
export function targetOfKey(core: ServerCore, key: string): KeyTarget | undefined {
  const parsed = parseKey(key);
  if (parsed === undefined) return undefined;
  const cluster = core.cluster(parsed.cluster);
  const type = cluster?.storageType(parsed.group, parsed.resource);
  if (cluster === undefined || type === undefined) return undefined;
  const [first, second] = parsed.rest;
  if (type.namespaced) {
    if (first === undefined || second === undefined) return undefined;
    return { scope: { cluster, type, namespace: first }, name: second };
  }
  if (first === undefined) return undefined;
  return { scope: { cluster, type, namespace: undefined }, name: first };
}

export function parseStored(value: string): KubeObject | undefined {
  try {
    const object = JSON.parse(value) as KubeObject;
    return typeof object.metadata === 'object' ? object : undefined;
  } catch {
    return undefined;
  }
}
