/**
 * /openapi/v3: an index and one document per group-version. kubectl reads it to learn that the
 * server validates fields itself (the `fieldValidation` parameter on PATCH/POST/PUT), for
 * `kubectl explain`, and to decide the patch type of `kubectl apply`: strategic merge patch is
 * deliberately not listed, so kubectl uses its compiled-in patch metadata for built-in kinds and
 * JSON merge patch for custom resources — as with a real API server's CRDs.
 */
import { createHash } from 'node:crypto';
import type { ClusterResources } from './clusters.ts';
import type { JsonObject } from './object.ts';
import type { ResourceType } from './registry/resource-type.ts';

const objectMetaRef = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function schemaName(type: ResourceType): string {
  const group =
    type.group === ''
      ? 'io.k8s.api.core'
      : type.group.includes('k8s.io') || !type.group.includes('.')
        ? `io.k8s.api.${type.group.split('.')[0] ?? ''}`
        : type.group.split('.').reverse().join('.');
  return `${group}.${type.version}.${type.kind}`;
}

function gvk(type: ResourceType): JsonObject[] {
  return [{ group: type.group, version: type.version, kind: type.kind }];
}

function kindSchema(type: ResourceType): JsonObject {
  const custom = type.custom?.schema as JsonObject | undefined;
  const base: JsonObject = custom
    ? structuredClone(custom)
    : {
        type: 'object',
        description: `${type.kind} (served by lcm's embedded API server; fields are not described here).`,
        properties: {
          spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        'x-kubernetes-preserve-unknown-fields': true,
      };
  const properties = (
    typeof base.properties === 'object' && base.properties !== null ? base.properties : {}
  ) as JsonObject;
  base.properties = {
    ...properties,
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: {
      type: 'string',
      description: 'Kind is a string value representing the REST resource this object represents.',
    },
    metadata: {
      allOf: [{ $ref: `#/components/schemas/${objectMetaRef}` }],
      description: "Standard object's metadata.",
    },
  };
  base['x-kubernetes-group-version-kind'] = gvk(type);
  return base;
}

const objectMetaSchema: JsonObject = {
  type: 'object',
  description: 'ObjectMeta is metadata that all persisted resources must have.',
  properties: Object.fromEntries(
    [
      'name',
      'generateName',
      'namespace',
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
    ].map((f) => [f, { type: 'string' }]),
  ),
  'x-kubernetes-preserve-unknown-fields': true,
};

function operation(
  type: ResourceType,
  action: string,
  withFieldValidation: boolean,
  body: boolean,
): JsonObject {
  return {
    operationId: `${action}${type.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
    parameters: withFieldValidation
      ? [
          {
            name: 'fieldValidation',
            in: 'query',
            description: 'Strict, Warn or Ignore unknown and duplicate fields.',
            schema: { type: 'string', uniqueItems: true },
          },
        ]
      : [],
    ...(body
      ? {
          requestBody: {
            content: Object.fromEntries(
              (action === 'patch'
                ? [
                    'application/json-patch+json',
                    'application/merge-patch+json',
                    'application/apply-patch+yaml',
                  ]
                : ['*/*']
              ).map((mediaType) => [
                mediaType,
                { schema: { $ref: `#/components/schemas/${schemaName(type)}` } },
              ]),
            ),
            required: true,
          },
        }
      : {}),
    responses: {
      '200': {
        description: 'OK',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName(type)}` } } },
      },
    },
  };
}

function pathsFor(type: ResourceType): Record<string, JsonObject> {
  const root = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const collection = type.namespaced
    ? `${root}/namespaces/{namespace}/${type.resource}`
    : `${root}/${type.resource}`;
  const item = `${collection}/{name}`;
  const paths: Record<string, JsonObject> = {
    [collection]: { get: operation(type, 'list', false, false), post: operation(type, 'post', true, true) },
    [item]: {
      get: operation(type, 'get', false, false),
      put: operation(type, 'put', true, true),
      patch: operation(type, 'patch', true, true),
      delete: operation(type, 'delete', false, false),
    },
  };
  if (type.hasStatus) {
    paths[`${item}/status`] = {
      get: operation(type, 'get', false, false),
      put: operation(type, 'put', true, true),
      patch: operation(type, 'patch', true, true),
    };
  }
  return paths;
}

export function openApiDocument(
  cluster: ClusterResources,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = cluster.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'lcm' },
    paths: Object.assign({}, ...types.map(pathsFor)) as JsonObject,
    components: {
      schemas: {
        [objectMetaRef]: objectMetaSchema,
        ...Object.fromEntries(types.map((t) => [schemaName(t), kindSchema(t)])),
      },
    },
  };
}

function relativePath(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? `api/${type.version}` : `apis/${type.group}/${type.version}`;
}

export function openApiIndex(cluster: ClusterResources, prefix: string): JsonObject {
  const seen = new Map<string, { group: string; version: string }>();
  for (const t of cluster.all()) seen.set(relativePath(t), { group: t.group, version: t.version });
  const paths: JsonObject = {};
  for (const [path, gv] of [...seen.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const doc = openApiDocument(cluster, gv.group, gv.version);
    const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
    paths[path] = { serverRelativeURL: `${prefix}/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

export function openApiTarget(path: readonly string[]): { group: string; version: string } | undefined {
  if (path[0] === 'api' && path.length === 2) return { group: '', version: path[1] ?? '' };
  if (path[0] === 'apis' && path.length === 3) return { group: path[1] ?? '', version: path[2] ?? '' };
  return undefined;
}
