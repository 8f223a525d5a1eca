/** The lab's API server: real etcd as a child process (or memory), the server, a kubeconfig. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { labKubeconfig } from '../client/kubeconfig.ts';
import { hubClusterName } from '../apiserver/clusters.ts';
import { startApiServer, type ApiServer } from '../apiserver/server.ts';
import { createEtcdStorage } from '../apiserver/storage/etcd.ts';
import { createMemoryStorage } from '../apiserver/storage/memory.ts';
import type { Storage } from '../apiserver/storage/types.ts';
import { startEtcd, type EtcdProcess } from './etcd-server.ts';

export interface LabApiServerOptions {
  readonly dir: string;
  readonly clusters?: readonly string[];
  readonly storage?: 'etcd' | 'memory';
  /** Use this etcd instead of starting one. */
  readonly etcdEndpoint?: string;
  readonly host?: string;
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export interface LabApiServer {
  readonly server: ApiServer;
  readonly etcd: EtcdProcess | undefined;
  readonly kubeconfigPath: string;
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

export async function startLabApiServer(options: LabApiServerOptions): Promise<LabApiServer> {
  const dir = path.resolve(options.dir);
  await mkdir(dir, { recursive: true });
  let etcd: EtcdProcess | undefined;
  let storage: Storage;
  if (options.storage === 'memory') storage = createMemoryStorage();
  else {
    let endpoint = options.etcdEndpoint;
    if (endpoint === undefined) {
      etcd = await startEtcd({
        dataDir: path.join(dir, 'etcd'),
        logFile: path.join(dir, 'logs', 'etcd.log'),
      });
      endpoint = etcd.endpoint;
    }
    storage = await createEtcdStorage({ endpoints: [endpoint] });
  }
  try {
    const server = await startApiServer({
      storage,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port ? { port: options.port } : {}),
      clusters: options.clusters ?? [],
      compactionIntervalMs: 5 * 60_000,
      ...(options.log ? { log: options.log } : {}),
    });
    const kubeconfig = labKubeconfig(server.url, hubClusterName, server.clusterNames());
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    return {
      server,
      etcd,
      kubeconfigPath,
      kubeconfig,
      stop: async () => {
        await server.close();
        await storage.close();
        await etcd?.stop();
      },
    };
  } catch (error) {
    await storage.close();
    await etcd?.stop();
    throw error;
  }
}
