/** The `scale` subresource: an autoscaling/v1 Scale view over the replica paths of a kind. */
import { apiErrors } from '../errors.ts';
import { getPath, isJsonObject, setPath, type JsonObject, type KubeObject } from '../object.ts';
import type { ResourceType } from '../registry/resource-type.ts';

function selectorText(selector: unknown): string {
  if (typeof selector === 'string') return selector;
  if (!isJsonObject(selector)) return '';
  const labels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

export function readScale(type: ResourceType, object: KubeObject): JsonObject {
  const scale = type.scale;
  if (scale === undefined) throw apiErrors.pathNotFound(`${type.resource}/scale`);
  const spec = getPath(object, scale.specReplicasPath);
  const status = getPath(object, scale.statusReplicasPath);
  const selector = scale.labelSelectorPath ? selectorText(getPath(object, scale.labelSelectorPath)) : '';
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: { replicas: typeof status === 'number' ? status : 0, ...(selector ? { selector } : {}) },
  };
}

export function writeScale(type: ResourceType, current: KubeObject, body: JsonObject): KubeObject {
  const scale = type.scale;
  if (scale === undefined) throw apiErrors.pathNotFound(`${type.resource}/scale`);
  const replicas = getPath(body, ['spec', 'replicas']);
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw apiErrors.invalid('Scale', 'autoscaling', current.metadata.name ?? '', [
      {
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        value: replicas ?? null,
        detail: 'must be greater than or equal to 0',
        hasValue: true,
      },
    ]);
  }
  const meta = isJsonObject(body.metadata) ? body.metadata : {};
  const next: KubeObject = structuredClone(current);
  setPath(next, scale.specReplicasPath, replicas);
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '')
    next.metadata.resourceVersion = meta.resourceVersion;
  return next;
}
