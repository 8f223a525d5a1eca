/** One handler for every resource request: verbs, subresources, content negotiation. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterResources } from '../clusters.ts';
import { apiErrors } from '../errors.ts';
import { asKubeObject, isJsonObject, text, type JsonObject, type KubeObject } from '../object.ts';
import { applyJsonPatch } from '../patch/json-patch.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { PatchError } from '../patch/errors.ts';
import { builtinPatchMeta } from '../patch/patch-meta.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.ts';
import type { FieldValidation } from '../rest/admission.ts';
import type { DeleteOptions, ObjectStore, Scope, Subresource } from '../rest/objects.ts';
import { groupVersion, type ResourceType } from '../registry/resource-type.ts';
import { parseFieldSelector, parseLabelSelector } from '../selectors.ts';
import { toTable, type TableOptions } from '../table.ts';
import { mediaType, parseBody, parseObjectBody, readBody, sendJson, warningHeaders } from './io.ts';
import type { ResourceRequest } from './request-info.ts';
import { readScale, writeScale } from './scale.ts';
import { serveWatch, type WatchContext } from './watch.ts';

export interface HandlerContext extends WatchContext {
  readonly objects: ObjectStore;
  /** Called after every successful write (the server serves a new CRD's resources at once). */
  readonly afterWrite?: (cluster: ClusterResources, type: ResourceType, object: KubeObject) => void;
}

interface Negotiated {
  readonly table: Omit<TableOptions, 'now'> | undefined;
}

/** `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,application/json` → Table output. */
function negotiate(request: IncomingMessage, query: URLSearchParams): Negotiated {
  const accept = request.headers.accept ?? '';
  const wantsTable = accept
    .split(',')
    .some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part));
  if (!wantsTable) return { table: undefined };
  const include = query.get('includeObject');
  return {
    table: {
      includeObject: include === 'None' || include === 'Object' ? include : 'Metadata',
      withHeaders: true,
    },
  };
}

function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw apiErrors.badRequest(`fieldValidation "${value}" is not supported: use Strict, Warn or Ignore`);
}

function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.some((v) => v !== 'All'))
    throw apiErrors.badRequest(`dryRun "${values.join(',')}" is not supported: only "All"`);
  return values.length > 0;
}

function apiVersionOf(type: ResourceType): string {
  return groupVersion(type);
}

/** The body's apiVersion/kind must be absent or name the type the path addresses. */
function checkTypeMeta(type: ResourceType, body: JsonObject): KubeObject {
  const expectedVersion = apiVersionOf(type);
  if (body.apiVersion !== undefined && body.apiVersion !== expectedVersion) {
    throw apiErrors.badRequest(
      `the API version in the data (${text(body.apiVersion)}) does not match the expected API version (${expectedVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw apiErrors.badRequest(
      `the kind in the data (${text(body.kind)}) does not match the expected kind (${type.kind})`,
    );
  }
  if (body.metadata !== undefined && !isJsonObject(body.metadata)) {
    throw apiErrors.badRequest('metadata must be an object');
  }
  return asKubeObject({ ...body, apiVersion: expectedVersion, kind: type.kind });
}

function checkNamespace(info: ResourceRequest, object: KubeObject): void {
  const namespace = object.metadata.namespace;
  if (
    info.namespace !== undefined &&
    namespace !== undefined &&
    namespace !== '' &&
    namespace !== info.namespace
  ) {
    throw apiErrors.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
}

function subresourceOf(type: ResourceType, info: ResourceRequest): Subresource | 'scale' {
  const sub = info.subresource;
  if (sub === undefined) return undefined;
  if (sub === 'status' && type.hasStatus) return 'status';
  if (sub === 'scale' && type.scale) return 'scale';
  if (sub === 'finalize' && type.kind === 'Namespace') return 'finalize';
  throw apiErrors.pathNotFound(`${type.resource}/${sub}`);
}

function listMeta(resourceVersion: string, continueToken?: string, remainingItemCount?: number): JsonObject {
  return {
    resourceVersion,
    ...(continueToken ? { continue: continueToken } : {}),
    ...(remainingItemCount !== undefined ? { remainingItemCount } : {}),
  };
}

function patchObject(type: ResourceType, current: KubeObject, contentType: string, body: Buffer): KubeObject {
  try {
    switch (contentType) {
      case 'application/json-patch+json':
        return applyJsonPatch(current, parseBody(body, 'application/json')) as KubeObject;
      case 'application/merge-patch+json':
      case 'application/apply-patch+yaml':
      case 'application/apply-patch+cbor':
        return applyMergePatch(
          current,
          parseBody(body, contentType.includes('yaml') ? 'application/yaml' : 'application/json'),
        ) as KubeObject;
      case 'application/strategic-merge-patch+json': {
        const meta = type.custom ? undefined : builtinPatchMeta(apiVersionOf(type), type.kind);
        if (type.custom) {
          throw apiErrors.unsupportedMediaType(
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        return applyStrategicMergePatch(current, parseBody(body, 'application/json'), meta) as KubeObject;
      }
      default:
        throw apiErrors.unsupportedMediaType(
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
    }
  } catch (error) {
    if (error instanceof PatchError) {
      throw error.status === 400
        ? apiErrors.badRequest(error.message)
        : apiErrors.unprocessable(error.message);
    }
    throw error;
  }
}

function deleteOptionsOf(query: URLSearchParams, body: Buffer, contentType: string): DeleteOptions {
  const fromBody = body.length > 0 ? parseObjectBody(body, contentType) : {};
  const policy =
    query.get('propagationPolicy') ??
    (typeof fromBody.propagationPolicy === 'string' ? fromBody.propagationPolicy : undefined);
  if (policy !== undefined && policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
    throw apiErrors.badRequest(
      `propagationPolicy "${policy}" is not supported: use Foreground, Background or Orphan`,
    );
  }
  const orphan = fromBody.orphanDependents === true || query.get('orphanDependents') === 'true';
  const preconditions = isJsonObject(fromBody.preconditions) ? fromBody.preconditions : {};
  const dryRunBody = Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes('All');
  return {
    dryRun: dryRunOf(query) || dryRunBody,
    ...(policy !== undefined
      ? { propagationPolicy: policy }
      : orphan
        ? { propagationPolicy: 'Orphan' as const }
        : {}),
    preconditions: {
      ...(typeof preconditions.uid === 'string' ? { uid: preconditions.uid } : {}),
      ...(typeof preconditions.resourceVersion === 'string'
        ? { resourceVersion: preconditions.resourceVersion }
        : {}),
    },
  };
}

export async function handleResource(
  context: HandlerContext,
  cluster: ClusterResources,
  info: ResourceRequest,
  request: IncomingMessage,
  response: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const type = cluster.find(info.group, info.version, info.resource);
  if (type === undefined) {
    throw apiErrors.pathNotFound(`${info.verb} ${info.resource}${info.group ? `.${info.group}` : ''}`);
  }
  if (!type.namespaced && info.namespace !== undefined) {
    throw apiErrors.pathNotFound(`${type.resource} is not namespaced`);
  }
  if (type.namespaced && info.namespace === undefined && info.name !== undefined) {
    throw apiErrors.pathNotFound(`${type.resource} "${info.name}" needs a namespace`);
  }
  const scope: Scope = { cluster, type, namespace: info.namespace };
  const { objects } = context;
  const negotiated = negotiate(request, query);
  const subresource = subresourceOf(type, info);
  const contentType = mediaType(request);
  const now = context.now();

  switch (info.verb) {
    case 'get': {
      const object = await objects.get(scope, info.name ?? '');
      if (subresource === 'scale') return sendJson(response, 200, readScale(type, object));
      if (negotiated.table) {
        return sendJson(
          response,
          200,
          toTable(
            type,
            [object],
            { resourceVersion: object.metadata.resourceVersion },
            { ...negotiated.table, now },
          ),
        );
      }
      return sendJson(response, 200, object);
    }
    case 'list': {
      const limit = Number(query.get('limit') ?? '0');
      const result = await objects.list(scope, {
        ...(query.get('labelSelector')
          ? { labelSelector: parseLabelSelector(query.get('labelSelector') ?? '') }
          : {}),
        ...(query.get('fieldSelector')
          ? { fieldSelector: parseFieldSelector(query.get('fieldSelector') ?? '', supportedFields(type)) }
          : {}),
        ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}),
        ...(query.get('continue') ? { continueToken: query.get('continue') ?? '' } : {}),
        ...(query.get('resourceVersion') ? { resourceVersion: query.get('resourceVersion') ?? '' } : {}),
        ...(query.get('resourceVersionMatch')
          ? { resourceVersionMatch: query.get('resourceVersionMatch') ?? '' }
          : {}),
      });
      const meta = listMeta(result.resourceVersion, result.continueToken, result.remainingItemCount);
      if (negotiated.table)
        return sendJson(response, 200, toTable(type, result.items, meta, { ...negotiated.table, now }));
      return sendJson(response, 200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type),
        metadata: meta,
        items: result.items,
      });
    }
    case 'watch': {
      const timeout = Number(query.get('timeoutSeconds') ?? '0');
      const fieldSelectorText = query.get('fieldSelector');
      const fieldSelector = fieldSelectorText
        ? parseFieldSelector(fieldSelectorText, supportedFields(type))
        : undefined;
      return serveWatch(context, request, response, {
        scope,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        labelSelector: query.get('labelSelector')
          ? parseLabelSelector(query.get('labelSelector') ?? '')
          : undefined,
        fieldSelector,
        timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
        allowBookmarks: query.get('allowWatchBookmarks') === 'true',
        sendInitialEvents: query.get('sendInitialEvents') === 'true',
        name: info.name,
        table: negotiated.table,
      });
    }
    case 'create': {
      if (info.name !== undefined && info.subresource !== undefined) {
        throw apiErrors.methodNotAllowed(`create is not supported on ${type.resource}/${info.subresource}`);
      }
      const body = checkTypeMeta(type, parseObjectBody(await readBody(request), contentType));
      checkNamespace(info, body);
      const result = await objects.create(scope, body, {
        dryRun: dryRunOf(query),
        fieldValidation: fieldValidationOf(query),
      });
      context.afterWrite?.(cluster, type, result.object);
      return sendJson(response, 201, result.object, warningHeaders(result.warnings));
    }
    case 'update': {
      const name = info.name ?? '';
      const raw = parseObjectBody(await readBody(request), contentType);
      if (subresource === 'scale') {
        const result = await objects.update(scope, name, (current) => writeScale(type, current, raw), {
          dryRun: dryRunOf(query),
        });
        return sendJson(response, 200, readScale(type, result.object));
      }
      const body = checkTypeMeta(type, raw);
      checkNamespace(info, body);
      if (!body.metadata.resourceVersion && type.custom) {
        throw apiErrors.invalid(type.kind, type.group, name, [
          {
            type: 'FieldValueInvalid',
            field: 'metadata.resourceVersion',
            detail: 'must be specified for an update',
            value: 0,
            hasValue: true,
          },
        ]);
      }
      const result = await objects.update(scope, name, () => body, {
        dryRun: dryRunOf(query),
        fieldValidation: fieldValidationOf(query),
        subresource,
      });
      context.afterWrite?.(cluster, type, result.object);
      return sendJson(response, 200, result.object, warningHeaders(result.warnings));
    }
    case 'patch': {
      const name = info.name ?? '';
      const body = await readBody(request);
      if (subresource === 'scale') {
        const result = await objects.update(
          scope,
          name,
          (current) => {
            const patched = patchObject(
              type,
              readScale(type, current) as KubeObject,
              contentType === 'application/strategic-merge-patch+json'
                ? 'application/merge-patch+json'
                : contentType,
              body,
            );
            return writeScale(type, current, patched);
          },
          { dryRun: dryRunOf(query) },
        );
        return sendJson(response, 200, readScale(type, result.object));
      }
      const apply = contentType === 'application/apply-patch+yaml';
      const existing = apply ? await objects.tryGet(scope, name) : undefined;
      if (apply && existing === undefined) {
        // Server-side apply of a new object creates it.
        const created = checkTypeMeta(type, parseObjectBody(body, 'application/yaml'));
        const result = await objects.create(scope, created, {
          dryRun: dryRunOf(query),
          fieldValidation: fieldValidationOf(query),
        });
        context.afterWrite?.(cluster, type, result.object);
        return sendJson(response, 201, result.object, warningHeaders(result.warnings));
      }
      const result = await objects.update(
        scope,
        name,
        (current) => {
          const patched = patchObject(type, current, contentType, body);
          if (!isJsonObject(patched) || !isJsonObject(patched.metadata))
            throw apiErrors.badRequest("the patch removed the object's metadata");
          // A patch that does not name a resourceVersion applies to whatever is current.
          if (patched.metadata.resourceVersion === current.metadata.resourceVersion)
            delete patched.metadata.resourceVersion;
          return checkTypeMeta(type, patched);
        },
        { dryRun: dryRunOf(query), fieldValidation: fieldValidationOf(query), subresource },
      );
      context.afterWrite?.(cluster, type, result.object);
      return sendJson(response, 200, result.object, warningHeaders(result.warnings));
    }
    case 'delete': {
      const options = deleteOptionsOf(query, await readBody(request), contentType);
      const result = await objects.delete(scope, info.name ?? '', options);
      context.afterWrite?.(cluster, type, result.object);
      return sendJson(response, result.deleted ? 200 : 202, result.object);
    }
    case 'deletecollection': {
      const options = deleteOptionsOf(query, await readBody(request), contentType);
      const deleted = await objects.deleteCollection(
        scope,
        {
          ...(query.get('labelSelector')
            ? { labelSelector: parseLabelSelector(query.get('labelSelector') ?? '') }
            : {}),
          ...(query.get('fieldSelector')
            ? { fieldSelector: parseFieldSelector(query.get('fieldSelector') ?? '', supportedFields(type)) }
            : {}),
        },
        options,
      );
      return sendJson(response, 200, {
        kind: type.listKind,
        apiVersion: apiVersionOf(type),
        metadata: {},
        items: deleted,
      });
    }
  }
}

function supportedFields(type: ResourceType): string[] {
  return [
    'metadata.name',
    ...(type.namespaced ? ['metadata.namespace'] : []),
    ...Object.keys(type.extraFieldSelectors ?? {}),
  ];
}
