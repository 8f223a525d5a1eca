/** Splits a request path the way kube-apiserver's RequestInfoFactory does. */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export type RequestTarget =
  | { readonly kind: 'resource'; readonly info: ResourceRequest }
  | { readonly kind: 'discovery'; readonly path: readonly string[] }
  | { readonly kind: 'openapi'; readonly path: readonly string[] }
  | { readonly kind: 'version' }
  | { readonly kind: 'health'; readonly check: string }
  | { readonly kind: 'unknown' };

export interface ResourceRequest {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  readonly verb: Verb;
}

export interface ClusterPath {
  /** undefined: the hub (default) cluster. */
  readonly cluster: string | undefined;
  readonly segments: readonly string[];
}

/** `/clusters/<name>/rest…` → cluster + the rest (kubectl repeats the server path prefix; one copy is stripped). */
export function splitClusterPath(pathname: string): ClusterPath {
  let segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let cluster: string | undefined;
  if (segments[0] === 'clusters' && segments.length >= 2) {
    cluster = segments[1];
    segments = segments.slice(2);
    if (segments[0] === 'clusters' && segments[1] === cluster) segments = segments.slice(2);
  }
  return { cluster, segments };
}

const namespaceSubresources = new Set(['status', 'finalize']);

function verbFor(method: string, hasName: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return hasName ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

export function classify(method: string, segments: readonly string[], query: URLSearchParams): RequestTarget {
  const [first] = segments;
  if (first === 'version' && segments.length === 1) return { kind: 'version' };
  if ((first === 'healthz' || first === 'livez' || first === 'readyz') && segments.length <= 2) {
    return { kind: 'health', check: first };
  }
  if (first === 'openapi') return { kind: 'openapi', path: segments.slice(1) };
  let group: string;
  let version: string;
  let rest: string[];
  if (first === 'api') {
    if (segments.length <= 2) return { kind: 'discovery', path: segments };
    group = '';
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (first === 'apis') {
    if (segments.length <= 3) return { kind: 'discovery', path: segments };
    group = segments[1] ?? '';
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else return { kind: 'unknown' };

  let watch = query.get('watch') === 'true' || query.get('watch') === '1';
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] ?? '')) rest = rest.slice(2);
    else namespace = undefined;
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined || rest.length > 3) return { kind: 'unknown' };
  // `/api/v1/namespaces/<name>` addresses the namespace object itself.
  const verb = verbFor(method, name !== undefined, watch);
  if (verb === undefined) return { kind: 'unknown' };
  return {
    kind: 'resource',
    info: {
      group,
      version,
      resource,
      namespace,
      name,
      subresource,
      verb: watch && verb === 'get' ? 'watch' : verb,
    },
  };
}
