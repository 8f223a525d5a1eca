/** Store keys: `/registry/<cluster>/<group|core>/<resource>/[<namespace>/]<name>`. */
import { groupResourceKey } from '../clusters.ts';
import type { ResourceType } from '../registry/resource-type.ts';

export function resourcePrefix(clusterPrefix: string, type: ResourceType, namespace?: string): string {
  const base = `${clusterPrefix}${groupResourceKey(type.group, type.resource)}/`;
  return type.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(
  clusterPrefix: string,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
): string {
  return `${resourcePrefix(clusterPrefix, type, type.namespaced ? namespace : undefined)}${name}`;
}

export interface ParsedKey {
  readonly cluster: string;
  readonly group: string;
  readonly resource: string;
  /** Namespace and name, or just the name for cluster-scoped objects. */
  readonly rest: readonly string[];
}

export function parseKey(key: string): ParsedKey | undefined {
  const parts = key.split('/');
  // ['', 'registry', cluster, group, resource, ...rest]
  if (parts.length < 6 || parts[1] !== 'registry') return undefined;
  const group = parts[3] ?? '';
  return {
    cluster: parts[2] ?? '',
    group: group === 'core' ? '' : group,
    resource: parts[4] ?? '',
    rest: parts.slice(5),
  };
}
