/**
 * APIRequestCount as a resource the server serves itself in every logical cluster, the way
 * OpenShift's kube-apiserver maintains it: no CRD to install. The kind's TypeBox definition
 * (src/api/apiserver) stays the one source: it is turned into the CRD-shaped description the
 * server already knows how to serve (schema validation, defaults, printer columns, status).
 */
import { apiRequestCountKind } from '../../api/apiserver/api-request-count.ts';
import { apiVersion, group, version } from '../../api/apiserver/constants.ts';
import { crdOf } from '../../api/kind.ts';
import { asKubeObject } from '../object.ts';
import { resourceTypesOf } from '../registry/crd.ts';
import type { ResourceType } from '../registry/resource-type.ts';

export const apiRequestCountGroup = group;
export const apiRequestCountVersion = version;
export const apiRequestCountApiVersion = apiVersion;
export const apiRequestCountResource = apiRequestCountKind.plural;

function servedType(): ResourceType {
  const [type] = resourceTypesOf(asKubeObject(crdOf(apiRequestCountKind)));
  if (type === undefined) throw new Error(`${apiRequestCountKind.kind} defines no served version`);
  return type;
}

export const apiRequestCountResourceType: ResourceType = servedType();

/**
 * The same resource as the server itself writes it: object and status in one write (the status
 * subresource would drop the bookkeeping annotation), without bumping metadata.generation.
 */
export const apiRequestCountWriterType: ResourceType = {
  ...apiRequestCountResourceType,
  hasStatus: false,
  tracksGeneration: false,
};
