/**
 * Every resource type the cluster serves, at each group's preferred version — what Velero's
 * discovery helper gives the backupper. Read fresh for each backup or restore: CRDs come and go.
 */
import type { KubeClient } from '../../client/client.ts';
import { isRecord } from '../../client/object.ts';
import { Transport } from '../../client/transport.ts';
import type { ApiResource } from './select.ts';

/** One transport per client: the client keeps its own private, and discovery needs raw paths. */
const transports = new WeakMap<KubeClient, Transport>();

function transportFor(client: KubeClient): Transport {
  let transport = transports.get(client);
  if (transport === undefined) {
    transport = new Transport(client.settings, { userAgent: 'lcm/velero' });
    transports.set(client, transport);
  }
  return transport;
}

async function getJson(transport: Transport, path: string, signal?: AbortSignal): Promise<unknown> {
  const reply = await transport.request({ method: 'GET', path, ...(signal !== undefined ? { signal } : {}) });
  return JSON.parse(reply.body) as unknown;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function resourcesOf(body: unknown, group: string, version: string): ApiResource[] {
  const list = isRecord(body) && Array.isArray(body.resources) ? (body.resources as unknown[]) : [];
  const apiVersion = group === '' ? version : `${group}/${version}`;
  const out: ApiResource[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.includes('/')) continue;
    out.push({
      group,
      version,
      apiVersion,
      kind: String(entry.kind),
      resource: entry.name,
      singular: typeof entry.singularName === 'string' ? entry.singularName : '',
      shortNames: strings(entry.shortNames),
      namespaced: entry.namespaced === true,
      verbs: strings(entry.verbs),
    });
  }
  return out;
}

/** The core group first, then the named groups in the server's order. */
export async function discoverResources(client: KubeClient, signal?: AbortSignal): Promise<ApiResource[]> {
  const transport = transportFor(client);
  const core = await getJson(transport, '/api', signal);
  const coreVersion = isRecord(core) ? (strings(core.versions)[0] ?? 'v1') : 'v1';
  const resources = resourcesOf(await getJson(transport, `/api/${coreVersion}`, signal), '', coreVersion);
  const groups = await getJson(transport, '/apis', signal);
  const entries = isRecord(groups) && Array.isArray(groups.groups) ? (groups.groups as unknown[]) : [];
  const lists = await Promise.all(
    entries.flatMap((g) => {
      if (!isRecord(g) || typeof g.name !== 'string' || !isRecord(g.preferredVersion)) return [];
      const groupVersion = g.preferredVersion.groupVersion;
      const version = g.preferredVersion.version;
      if (typeof groupVersion !== 'string' || typeof version !== 'string') return [];
      const name = g.name;
      return [
        getJson(transport, `/apis/${groupVersion}`, signal).then((body) => resourcesOf(body, name, version)),
      ];
    }),
  );
  return [...resources, ...lists.flat()];
}
