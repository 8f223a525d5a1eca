/**
 * lcm's own endpoints beside the Kubernetes API (`/lcm/v1/…`, loopback like the rest): the lab
 * uses them to run simulated hosts — create a logical cluster, point it at another stateroot's
 * key space (reboot), mark it unavailable while "rebooting", and copy or drop a whole key space
 * (a stateroot's cluster state). They are not part of any Kubernetes API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { backingNameErrors, backingPrefix, type ClusterResources } from './clusters.ts';
import { apiErrors } from './errors.ts';
import { parseObjectBody, readBody, sendJson } from './http/io.ts';
import { isJsonObject } from './object.ts';
import { storageError } from './rest/objects.ts';
import { ConflictError, KeyExistsError, type Storage } from './storage/types.ts';

export interface ClusterRecord {
  readonly name: string;
  readonly backing?: string;
  readonly createdAt?: string;
}

export interface AdminDependencies {
  readonly storage: Storage;
  clusters(): ClusterResources[];
  ensureCluster(name: string, backing?: string): Promise<ClusterResources>;
  switchBacking(cluster: ClusterResources, backing: string): Promise<void>;
}

function describe(cluster: ClusterResources): Record<string, unknown> {
  return {
    name: cluster.name,
    backing: cluster.backing,
    available: cluster.unavailable === undefined,
    ...(cluster.unavailable !== undefined ? { message: cluster.unavailable } : {}),
  };
}

/** Writes `value` at `key` whatever is there (retrying on concurrent writers). */
async function put(storage: Storage, key: string, value: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await storage.get(key);
    try {
      if (current === undefined) await storage.create(key, value);
      else if (current.value !== value) await storage.update(key, value, current.modRevision);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof KeyExistsError)) throw error;
    }
  }
  throw apiErrors.internal(`could not write ${key}: too many concurrent writers`);
}

export function adminApi(deps: AdminDependencies) {
  const { storage } = deps;

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    path: readonly string[],
  ): Promise<void> {
    const [version, collection, name] = path;
    if (version !== 'v1' || collection === undefined) throw apiErrors.pathNotFound(`/lcm/${path.join('/')}`);
    const method = request.method ?? 'GET';
    try {
      if (collection === 'clusters') {
        if (name === undefined && method === 'GET')
          return sendJson(response, 200, { items: deps.clusters().map(describe) });
        if (name !== undefined && method === 'GET') {
          const cluster = deps.clusters().find((c) => c.name === name);
          if (cluster === undefined) throw apiErrors.notFound({ group: 'lcm', resource: 'clusters' }, name);
          return sendJson(response, 200, describe(cluster));
        }
        if (name !== undefined && method === 'PUT') {
          const body = parseObjectBody(await readBody(request), 'application/json');
          const backing = typeof body.backing === 'string' ? body.backing : undefined;
          if (backing !== undefined && backingNameErrors(backing).length > 0)
            throw apiErrors.badRequest(backingNameErrors(backing).join('; '));
          const cluster = await deps.ensureCluster(name, backing);
          if (body.available === false)
            cluster.unavailable = typeof body.message === 'string' ? body.message : 'unavailable';
          if (body.available === true) cluster.unavailable = undefined;
          return sendJson(response, 200, describe(cluster));
        }
      }
      if (collection === 'backings' && name !== undefined) {
        const problems = backingNameErrors(name);
        if (problems.length > 0) throw apiErrors.badRequest(problems.join('; '));
        const prefix = backingPrefix(name);
        if (method === 'GET') {
          const list = await storage.list(prefix);
          return sendJson(response, 200, {
            backing: name,
            revision: list.revision,
            items: list.items.map((kv) => ({
              key: kv.key.slice(prefix.length),
              value: JSON.parse(kv.value) as unknown,
            })),
          });
        }
        if (method === 'PUT') {
          // Replaces the whole key space: keys not in the body are deleted.
          const body = parseObjectBody(await readBody(request), 'application/json');
          const items = Array.isArray(body.items) ? body.items.filter(isJsonObject) : [];
          const wanted = new Map<string, string>();
          for (const item of items) {
            if (typeof item.key !== 'string' || item.key === '' || item.key.startsWith('/')) {
              throw apiErrors.badRequest(
                'items[].key must be a key relative to the backing (e.g. core/namespaces/default)',
              );
            }
            wanted.set(prefix + item.key, JSON.stringify(item.value));
          }
          const existing = await storage.list(prefix);
          for (const kv of existing.items)
            if (!wanted.has(kv.key)) await storage.delete(kv.key).catch(() => undefined);
          for (const [key, value] of wanted) await put(storage, key, value);
          return sendJson(response, 200, { backing: name, items: wanted.size });
        }
        if (method === 'DELETE') {
          if (deps.clusters().some((c) => c.backing === name)) {
            throw apiErrors.badRequest(
              `backing ${name} is being served; point its cluster at another backing first`,
            );
          }
          const existing = await storage.list(prefix);
          for (const kv of existing.items) await storage.delete(kv.key).catch(() => undefined);
          return sendJson(response, 200, { backing: name, deleted: existing.items.length });
        }
      }
    } catch (error) {
      throw storageError(error);
    }
    throw apiErrors.methodNotAllowed(`${method} is not supported on /lcm/${path.join('/')}`);
  }

  return { handle };
}
