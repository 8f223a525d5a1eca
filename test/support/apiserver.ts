/** Starts the API server for a test on memory or real etcd, on a free loopback port. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { labKubeconfig } from '../../src/client/kubeconfig.ts';
import { hubClusterName } from '../../src/apiserver/clusters.ts';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/apiserver/server.ts';
import { createEtcdStorage } from '../../src/apiserver/storage/etcd.ts';
import { createMemoryStorage } from '../../src/apiserver/storage/memory.ts';
import type { Storage } from '../../src/apiserver/storage/types.ts';
import { startEtcd, type EtcdProcess } from '../../src/lab/etcd-server.ts';

export interface TestApiServer {
  readonly url: string;
  readonly server: ApiServer;
  readonly storage: Storage;
  etcd: EtcdProcess | undefined;
  readonly dir: string;
  /** Writes a kubeconfig with one context per logical cluster and returns its path. */
  writeKubeconfig(): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiServerOptions extends Partial<Omit<ApiServerOptions, 'storage'>> {
  readonly backend?: 'memory' | 'etcd';
  /** Per-call etcd deadline (outage tests shorten it). */
  readonly etcdRequestTimeoutMs?: number;
}

export async function startTestApiServer(options: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lcm-test-'));
  let etcd: EtcdProcess | undefined;
  let storage: Storage;
  if (options.backend === 'etcd') {
    etcd = await startEtcd({ dataDir: path.join(dir, 'etcd') });
    storage = await createEtcdStorage({
      endpoints: [etcd.endpoint],
      ...(options.etcdRequestTimeoutMs ? { requestTimeoutMs: options.etcdRequestTimeoutMs } : {}),
    });
  } else storage = createMemoryStorage();
  const server = await startApiServer({ ...options, storage });
  const handle: TestApiServer = {
    url: server.url,
    server,
    storage,
    etcd,
    dir,
    writeKubeconfig: async () => {
      const file = path.join(dir, 'kubeconfig');
      await writeFile(file, labKubeconfig(server.url, hubClusterName, server.clusterNames()));
      return file;
    },
    close: async () => {
      await server.close();
      await storage.close();
      await handle.etcd?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
