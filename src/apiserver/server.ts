/**
 * The embedded Kubernetes-compatible API server: HTTP routing over the object store, one watch
 * hub, the server's own controllers (namespaces, CRDs, garbage collection), logical clusters.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { backingNameErrors, ClusterResources, hubClusterName, logicalClusterNameErrors } from './clusters.ts';
import { adminApi, type ClusterRecord } from './admin.ts';
import { CrdLifecycle } from './controllers/crd-lifecycle.ts';
import type { ServerCore } from './controllers/core.ts';
import { GarbageCollector } from './controllers/garbage-collector.ts';
import { NamespaceLifecycle } from './controllers/namespace-lifecycle.ts';
import { aggregatedDiscovery, aggregatedDiscoveryVersion, legacyDiscovery } from './discovery.ts';
import { ApiError, apiErrors } from './errors.ts';
import { sendError, sendJson } from './http/io.ts';
import { classify, splitClusterPath } from './http/request-info.ts';
import { handleResource, type HandlerContext } from './http/resource-handler.ts';
import type { KubeObject } from './object.ts';
import { openApiDocument, openApiIndex, openApiTarget } from './openapi.ts';
import { crdResourceType } from './registry/crd.ts';
import { metricsContentType } from './request-count/metrics.ts';
import { RequestCounts } from './request-count/request-counts.ts';
import { ObjectStore, storageError, type Clock } from './rest/objects.ts';
import type { Storage } from './storage/types.ts';
import { WatchHub } from './watch-hub.ts';

export interface ApiServerOptions {
  readonly storage: Storage;
  /** Defaults to 127.0.0.1: the server is never exposed unless asked. */
  readonly host?: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  readonly clock?: Clock;
  /** Logical clusters to serve besides the hub (created when missing). */
  readonly clusters?: readonly string[];
  readonly bookmarkIntervalMs?: number;
  /** How often history older than the previous interval is compacted (0: never). */
  readonly compactionIntervalMs?: number;
  readonly log?: (line: string) => void;
  /** The `nodeName` of this server in APIRequestCounts; defaults to the host name. */
  readonly serverName?: string;
  /** Bearer token → username, for APIRequestCount users of clients that do not impersonate. */
  readonly tokenUsers?: ReadonlyMap<string, string>;
  /** How often request counts are written to APIRequestCounts (0: only when read and on close). */
  readonly requestCountFlushIntervalMs?: number;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  readonly objects: ObjectStore;
  readonly hub: WatchHub;
  /** APIRequestCount upkeep and the /metrics counters. */
  readonly requestCounts: RequestCounts;
  clusterNames(): string[];
  /** Serves a logical cluster (created when missing), optionally from another backing key space. */
  ensureCluster(name: string, backing?: string): Promise<ClusterResources>;
  /** Compacts the store to `revision` and tells the watch hub (tests, benchmarks). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export const serverVersion = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-lcm',
  gitCommit: 'lcm',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'node',
  compiler: 'tsx',
  platform: `${process.platform}/${process.arch}`,
};

const clusterRecordPrefix = '/lcm/clusters/';
const defaultNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { storage } = options;
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const log = options.log ?? (() => undefined);
  const namespaceStates = new Map<string, 'Active' | 'Terminating'>();
  const namespaceKey = /^(\/registry\/[^/]+\/)core\/namespaces\/([^/]+)$/;
  const trackNamespace = (key: string, value: string | undefined): void => {
    const match = namespaceKey.exec(key);
    if (!match) return;
    const id = `${match[1] ?? ''}${match[2] ?? ''}`;
    if (value === undefined) namespaceStates.delete(id);
    else
      namespaceStates.set(
        id,
        (JSON.parse(value) as KubeObject).metadata.deletionTimestamp ? 'Terminating' : 'Active',
      );
  };
  const objects = new ObjectStore(storage, clock, {
    lookup: (prefix, namespace) => namespaceStates.get(`${prefix}${namespace}`),
  });

  const startRevision = await storage.currentRevision();
  const everything = await storage.list('/registry/', { revision: startRevision });
  const hub = new WatchHub(storage, '/registry/', startRevision);
  const clusters = new Map<string, ClusterResources>();
  const core: ServerCore = {
    objects,
    hub,
    // Keys name the backing; only the backing a cluster serves right now is reconciled.
    cluster: (segment) => byBacking(segment),
  };

  for (const kv of everything.items) trackNamespace(kv.key, kv.value);
  hub.listen((events) => {
    for (const event of events)
      trackNamespace(
        event.type === 'put' ? event.kv.key : event.key,
        event.type === 'put' ? event.kv.value : undefined,
      );
  });
  const namespaces = new NamespaceLifecycle(core, log);
  const crds = new CrdLifecycle(core, log);
  const gc = new GarbageCollector(core, log);

  const byBacking = (segment: string): ClusterResources | undefined => {
    for (const cluster of clusters.values()) if (cluster.backing === segment) return cluster;
    return undefined;
  };

  async function writeRecord(cluster: ClusterResources): Promise<void> {
    const key = `${clusterRecordPrefix}${cluster.name}`;
    const record: ClusterRecord = { name: cluster.name, backing: cluster.backing };
    const current = await storage.get(key);
    if (current === undefined) {
      await storage
        .create(key, JSON.stringify({ ...record, createdAt: clock.now().toISOString() }))
        .catch(() => undefined);
    } else {
      const previous = JSON.parse(current.value) as ClusterRecord;
      if (previous.backing !== cluster.backing) {
        await storage.update(key, JSON.stringify({ ...previous, ...record }), current.modRevision);
      }
    }
  }

  /** Every logical cluster starts with the namespaces a Kubernetes cluster has. */
  async function ensureDefaultNamespaces(cluster: ClusterResources): Promise<void> {
    const nsType = cluster.find('', 'v1', 'namespaces');
    if (nsType === undefined) return;
    const scope = { cluster, type: nsType, namespace: undefined };
    for (const ns of defaultNamespaces) {
      if ((await objects.tryGet(scope, ns)) !== undefined) continue;
      try {
        await objects.create(scope, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 409)) throw error;
      }
    }
  }

  async function loadCrds(cluster: ClusterResources): Promise<void> {
    const { items } = await storage.list(
      `${cluster.keyPrefix}apiextensions.k8s.io/customresourcedefinitions/`,
    );
    for (const kv of items) cluster.setCrd(JSON.parse(kv.value) as KubeObject);
  }

  async function ensureCluster(name: string, backing?: string): Promise<ClusterResources> {
    let cluster = clusters.get(name);
    if (cluster === undefined) {
      const problems = logicalClusterNameErrors(name);
      if (problems.length > 0)
        throw new Error(`invalid logical cluster name "${name}": ${problems.join('; ')}`);
      cluster = new ClusterResources(name, backing ?? name);
      clusters.set(name, cluster);
      await loadCrds(cluster);
    } else if (backing !== undefined && backing !== cluster.backing) {
      await switchBacking(cluster, backing);
    }
    await writeRecord(cluster);
    await ensureDefaultNamespaces(cluster);
    return cluster;
  }

  /** Serves another key space under the same cluster name; open watches end with 410 so clients relist. */
  async function switchBacking(cluster: ClusterResources, backing: string): Promise<void> {
    const problems = backingNameErrors(backing);
    if (problems.length > 0) throw apiErrors.badRequest(problems.join('; '));
    const previousPrefix = cluster.keyPrefix;
    cluster.switchBacking(backing);
    hub.expire(previousPrefix);
    await loadCrds(cluster);
    await writeRecord(cluster);
  }

  // Serve every cluster the store knows, with its CRDs, before taking requests.
  const known = await storage.list(clusterRecordPrefix);
  for (const kv of known.items) {
    const record = JSON.parse(kv.value) as ClusterRecord;
    clusters.set(record.name, new ClusterResources(record.name, record.backing ?? record.name));
  }
  for (const name of [hubClusterName, ...(options.clusters ?? [])]) {
    if (!clusters.has(name)) clusters.set(name, new ClusterResources(name));
  }
  const terminating: string[] = [];
  const deletingCrds: string[] = [];
  for (const kv of everything.items) {
    const match =
      /^\/registry\/([^/]+)\/(core\/namespaces|apiextensions\.k8s\.io\/customresourcedefinitions)\/[^/]+$/.exec(
        kv.key,
      );
    if (!match) continue;
    const object = JSON.parse(kv.value) as KubeObject;
    if (match[2] !== 'core/namespaces') byBacking(match[1] ?? '')?.setCrd(object);
    if (object.metadata.deletionTimestamp !== undefined)
      (match[2] === 'core/namespaces' ? terminating : deletingCrds).push(kv.key);
  }
  gc.seed(everything.items);
  namespaces.resume(terminating);
  crds.resume(deletingCrds);
  for (const cluster of [...clusters.values()]) {
    await writeRecord(cluster);
    await ensureDefaultNamespaces(cluster);
  }

  const requestCounts = new RequestCounts({
    objects,
    clock,
    nodeName: options.serverName ?? hostname(),
    cluster: (name) => clusters.get(name),
    clusterNames: () => [...clusters.keys()],
    ...(options.tokenUsers ? { tokenUsers: options.tokenUsers } : {}),
    ...(options.requestCountFlushIntervalMs !== undefined
      ? { flushIntervalMs: options.requestCountFlushIntervalMs }
      : {}),
    log,
  });

  const admin = adminApi({ storage, clusters: () => [...clusters.values()], ensureCluster, switchBacking });

  const context: HandlerContext = {
    objects,
    hub,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    now: () => clock.now().getTime(),
    afterWrite: (cluster, type, object) => {
      if (type.group === crdResourceType.group && type.resource === crdResourceType.resource)
        cluster.setCrd(object);
    },
  };

  async function readiness(): Promise<string | undefined> {
    try {
      await storage.currentRevision();
      return undefined;
    } catch (error) {
      const mapped = storageError(error);
      return mapped instanceof Error ? mapped.message : String(mapped);
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const { cluster: clusterName, segments } = splitClusterPath(url.pathname);
    const cluster = clusters.get(clusterName ?? hubClusterName);
    if (cluster === undefined) {
      throw new ApiError(
        404,
        'NotFound',
        `logical cluster "${clusterName ?? ''}" does not exist on this server: serve it with \`lcm apiserver --cluster ${clusterName ?? ''}\` or \`lcm lab up\``,
      );
    }
    if (segments[0] === 'lcm') return admin.handle(request, response, segments.slice(1));
    if (cluster.unavailable !== undefined) {
      throw new ApiError(
        503,
        'ServiceUnavailable',
        `cluster ${cluster.name} is unavailable: ${cluster.unavailable}`,
        {
          retryAfterSeconds: 1,
        },
      );
    }
    const prefix = clusterName === undefined ? '' : `/clusters/${clusterName}`;
    if (segments.length === 1 && segments[0] === 'metrics') {
      // The root serves every logical cluster's series; /clusters/<name>/metrics only that one's.
      return sendText(response, 200, requestCounts.metrics.render(clusterName), metricsContentType);
    }
    const target = classify(request.method ?? 'GET', segments, url.searchParams);
    switch (target.kind) {
      case 'version':
        return sendJson(response, 200, serverVersion);
      case 'health': {
        if (target.check === 'livez') return sendText(response, 200, 'ok');
        const problem = await readiness();
        return problem === undefined
          ? sendText(response, 200, 'ok')
          : sendText(response, 503, `[-]etcd failed: ${problem}\n${target.check} check failed`);
      }
      case 'discovery': {
        const aggregated = aggregatedDiscoveryVersion(request.headers.accept ?? '');
        if (aggregated && segments.length === 1) {
          return sendJson(response, 200, aggregatedDiscovery(cluster, segments[0] === 'api', aggregated), {
            'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`,
          });
        }
        const document = legacyDiscovery(
          cluster,
          segments,
          `${request.socket.localAddress ?? '127.0.0.1'}:${request.socket.localPort ?? 0}`,
        );
        if (document === undefined) throw apiErrors.pathNotFound(url.pathname);
        return sendJson(response, 200, document);
      }
      case 'openapi': {
        if (target.path[0] !== 'v3') throw apiErrors.pathNotFound(url.pathname);
        if (target.path.length === 1) return sendJson(response, 200, openApiIndex(cluster, prefix));
        const gv = openApiTarget(target.path.slice(1));
        const document = gv ? openApiDocument(cluster, gv.group, gv.version) : undefined;
        if (document === undefined) throw apiErrors.pathNotFound(url.pathname);
        return sendJson(response, 200, document);
      }
      case 'resource':
        requestCounts.observe(cluster, target.info, request, response, url.searchParams);
        if (requestCounts.readsCounts(target.info)) await requestCounts.flush(cluster.name);
        return handleResource(context, cluster, target.info, request, response, url.searchParams);
      case 'unknown':
        throw apiErrors.pathNotFound(url.pathname);
    }
  }

  const server: Server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!(error instanceof ApiError))
        log(
          `request ${request.method ?? ''} ${request.url ?? ''} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      sendError(response, storageError(error));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let lastTick: number | undefined;
  const compactor =
    options.compactionIntervalMs && options.compactionIntervalMs > 0
      ? setInterval(() => {
          void (async () => {
            const current = await storage.currentRevision();
            if (lastTick !== undefined && lastTick > 0) {
              await storage.compact(lastTick);
              hub.compacted(lastTick);
            }
            lastTick = current;
          })().catch((error: unknown) =>
            log(`compaction failed: ${error instanceof Error ? error.message : String(error)}`),
          );
        }, options.compactionIntervalMs)
      : undefined;
  compactor?.unref();

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    objects,
    hub,
    clusterNames: () => [...clusters.keys()].sort(),
    ensureCluster,
    compact: async (revision) => {
      await storage.compact(revision);
      hub.compacted(revision);
    },
    requestCounts,
    close: async () => {
      if (compactor) clearInterval(compactor);
      await requestCounts.close();
      namespaces.close();
      crds.close();
      gc.close();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendText(
  response: ServerResponse,
  code: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  response.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
