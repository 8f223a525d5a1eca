/** The lab's ClusterStateStore: the API server's `/lcm/v1/backings/<host>@<stateroot>` key spaces. */
import type { ClusterStateStore } from '../host/cluster-state.ts';
import type { ClusterStateDump } from '../host/seed-image.ts';

export function adminClusterState(apiServerUrl: string, host: string): ClusterStateStore {
  const base = apiServerUrl.replace(/\/+$/, '');
  const url = (stateroot: string): string =>
    `${base}/lcm/v1/backings/${encodeURIComponent(`${host}@${stateroot}`)}`;
  const send = async (method: string, stateroot: string, body?: unknown): Promise<unknown> => {
    const reply = await fetch(url(stateroot), {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!reply.ok)
      throw new Error(
        `${method} cluster state of ${host}@${stateroot}: ${reply.status} ${await reply.text()}`,
      );
    return reply.json();
  };
  return {
    dump: async (stateroot) => (await send('GET', stateroot)) as ClusterStateDump,
    replace: async (stateroot, dump) => {
      await send('PUT', stateroot, { items: dump.items });
    },
    drop: async (stateroot) => {
      await send('DELETE', stateroot);
    },
  };
}
