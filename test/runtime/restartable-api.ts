/**
 * An embedded API server the test can take down and bring back on the same port and storage
 * (a restart, a cut connection), plus a side server on the same storage for writes made while
 * clients are cut off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { rm } from 'node:fs/promises';
import { hubClusterName } from '../../src/apiserver/clusters.ts';
import { startApiServer, type ApiServer } from '../../src/apiserver/server.ts';
import { ClusterSet } from '../../src/client/cluster-set.ts';
import { KubeClient } from '../../src/client/client.ts';
import { loadKubeconfig } from '../../src/client/load-kubeconfig.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

export interface RestartableApiOptions {
  readonly backend?: 'memory' | 'etcd';
  readonly clusters?: readonly string[];
}

export class RestartableApi {
  private current: ApiServer | undefined;
  kubeconfig = '';

  private constructor(
    private readonly base: TestApiServer,
    private readonly clusters: readonly string[],
  ) {
    this.current = base.server;
  }

  static async start(options: RestartableApiOptions = {}): Promise<RestartableApi> {
    const clusters = options.clusters ?? [];
    const base = await startTestApiServer({ backend: options.backend ?? 'memory', clusters });
    const api = new RestartableApi(base, clusters);
    api.kubeconfig = await base.writeKubeconfig();
    return api;
  }

  get url(): string {
    return this.base.url;
  }

  get server(): ApiServer {
    if (this.current === undefined) throw new Error('the API server is stopped');
    return this.current;
  }

  /** Closes the server and every connection to it (open watches are cut). */
  async stop(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
  }

  /** Serves the same storage on the same port again. */
  async restart(): Promise<void> {
    await this.stop();
    this.current = await startApiServer({
      storage: this.base.storage,
      port: this.base.server.port,
      clusters: this.clusters,
    });
  }

  /** Runs `write` against a second server on the same storage (clients of the main port see nothing). */
  async onSideServer<T>(write: (client: KubeClient, server: ApiServer) => Promise<T>): Promise<T> {
    const side = await startApiServer({ storage: this.base.storage, clusters: this.clusters });
    const client = new KubeClient({ ...(await loadKubeconfig(this.kubeconfig)), server: side.url });
    try {
      return await write(client, side);
    } finally {
      client.close();
      await side.close();
    }
  }

  client(context = hubClusterName): Promise<KubeClient> {
    return KubeClient.fromKubeconfig(this.kubeconfig, { context });
  }

  clusterSet(): Promise<ClusterSet> {
    return ClusterSet.fromKubeconfig(this.kubeconfig);
  }

  async close(): Promise<void> {
    await this.stop();
    await this.base.storage.close();
    await this.base.etcd?.stop();
    await rm(this.base.dir, { recursive: true, force: true });
  }
}

export { sleep };

/** Polls until `check` holds; fails naming `what`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
