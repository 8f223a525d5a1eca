/** A discovery catalog like the lab server's, for the pure Velero tests. */
import type { ApiResource } from '../../../src/controllers/velero/select.ts';

const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function resource(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[] = [],
): ApiResource {
  return {
    group,
    version,
    apiVersion: group === '' ? version : `${group}/${version}`,
    kind,
    resource: plural,
    singular: kind.toLowerCase(),
    shortNames,
    namespaced,
    verbs,
  };
}

export const catalog: ApiResource[] = [
  resource('', 'v1', 'ConfigMap', 'configmaps', true, ['cm']),
  resource('', 'v1', 'Secret', 'secrets', true),
  resource('', 'v1', 'Event', 'events', true, ['ev']),
  resource('', 'v1', 'Namespace', 'namespaces', false, ['ns']),
  resource('', 'v1', 'Node', 'nodes', false, ['no']),
  resource('', 'v1', 'PersistentVolume', 'persistentvolumes', false, ['pv']),
  resource('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc']),
  resource('', 'v1', 'Pod', 'pods', true, ['po']),
  resource('apps', 'v1', 'Deployment', 'deployments', true, ['deploy']),
  resource('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, ['sc']),
  resource('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, [
    'crd',
  ]),
  resource('velero.io', 'v1', 'Backup', 'backups', true),
  resource('example.com', 'v1', 'Widget', 'widgets', true),
];

export function byName(name: string): ApiResource {
  const found = catalog.find((r) => (r.group === '' ? r.resource : `${r.resource}.${r.group}`) === name);
  if (found === undefined) throw new Error(`no ${name} in the test catalog`);
  return found;
}
