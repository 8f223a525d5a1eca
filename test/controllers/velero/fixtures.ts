/** Shared set-up for the Velero controller tests: a server with the CRDs, a bucket, waiting helpers. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeClient } from '../../../src/client/client.ts';
import { isNotFound } from '../../../src/client/errors.ts';
import type { KubeObject, TypeRef } from '../../../src/client/object.ts';
import { installCrds } from '../../../src/lab/crds.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';
import { installWidgetCrd, widgetType } from '../../runtime/widget-crd.ts';
import { waitUntil } from '../../support/http.ts';

export const veleroNamespace = 'openshift-adp';
export const bucket = 'lab-bucket';
export const prefix = 'velero';

export const types = {
  namespace: { apiVersion: 'v1', kind: 'Namespace' },
  configMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
  pvc: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  widget: widgetType,
  backup: { apiVersion: 'velero.io/v1', kind: 'Backup' },
  restore: { apiVersion: 'velero.io/v1', kind: 'Restore' },
  location: { apiVersion: 'velero.io/v1', kind: 'BackupStorageLocation' },
} as const satisfies Record<string, TypeRef>;

export interface Lab {
  readonly server: TestApiServer;
  readonly client: KubeClient;
  readonly storeRoot: string;
  close(): Promise<void>;
}

export async function startLab(): Promise<Lab> {
  const server = await startTestApiServer();
  await installCrds(server.url, ['hub']);
  const client = new KubeClient({
    context: 'hub',
    server: server.url,
    namespace: 'default',
    insecureSkipTlsVerify: false,
  });
  await installWidgetCrd(client);
  const storeRoot = await mkdtemp(path.join(os.tmpdir(), 'lcm-velero-'));
  await mkdir(path.join(storeRoot, bucket));
  await client.create({ ...types.namespace, metadata: { name: veleroNamespace } });
  await client.create({
    ...types.location,
    metadata: { name: 'default', namespace: veleroNamespace },
    spec: { provider: 'aws', default: true, objectStorage: { bucket, prefix } },
  });
  return {
    server,
    client,
    storeRoot,
    close: async () => {
      client.close();
      await server.close();
      await rm(storeRoot, { recursive: true, force: true });
    },
  };
}

type Phased = KubeObject<unknown, { phase?: string } & Record<string, unknown>>;

/** The object once it exists with a status.phase among `phases`. */
export function waitForPhase(
  client: KubeClient,
  type: TypeRef,
  namespace: string,
  name: string,
  phases: readonly string[],
  timeoutMs = 30_000,
): Promise<Phased> {
  return waitUntil(
    `${type.kind} ${name} to reach ${phases.join(' or ')}`,
    async () => {
      let object: Phased;
      try {
        object = await client.get<Phased>(type, name, { namespace });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      return phases.includes(object.status?.phase ?? '') ? object : undefined;
    },
    { timeoutMs },
  );
}

export async function waitGone(
  client: KubeClient,
  type: TypeRef,
  name: string,
  namespace?: string,
): Promise<void> {
  await waitUntil(
    `${type.kind} ${name} to be gone`,
    async () => {
      try {
        await client.get(type, name, namespace !== undefined ? { namespace } : {});
        return false;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    },
    { timeoutMs: 30_000 },
  );
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create({ ...types.namespace, metadata: { name } });
}
