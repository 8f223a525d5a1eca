/** Installs (create or update) the CRDs of every lcm kind in each logical cluster of a lab. */
import { allKinds } from '../api/index.ts';
import { crdName, crdOf } from '../api/kind.ts';

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

async function send(url: string, method: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

export async function installCrds(serverUrl: string, clusters: readonly string[]): Promise<number> {
  let installed = 0;
  for (const cluster of clusters) {
    const base = cluster === 'hub' ? serverUrl : `${serverUrl}/clusters/${cluster}`;
    for (const kind of allKinds) {
      const crd = crdOf(kind);
      const existing = await send(`${base}${crdPath}/${crdName(kind)}`, 'GET');
      let reply: Response;
      if (existing.status === 404) reply = await send(`${base}${crdPath}`, 'POST', crd);
      else {
        const current = (await existing.json()) as { metadata: { resourceVersion: string } };
        const metadata = { ...(crd.metadata as object), resourceVersion: current.metadata.resourceVersion };
        reply = await send(`${base}${crdPath}/${crdName(kind)}`, 'PUT', { ...crd, metadata });
      }
      if (!reply.ok) {
        throw new Error(
          `installing CRD ${crdName(kind)} in cluster ${cluster} failed: ${reply.status} ${await reply.text()}`,
        );
      }
      installed++;
    }
  }
  return installed;
}
