/** One client per kubeconfig context: the lab writes one context per logical cluster. */
import { KubeClient, type KubeClientOptions } from './client.ts';
import { connectionFor, readKubeconfig } from './load-kubeconfig.ts';

export interface ClusterClient {
  readonly name: string;
  readonly client: KubeClient;
}

export class ClusterSet {
  private readonly byName: ReadonlyMap<string, KubeClient>;

  constructor(clusters: Iterable<ClusterClient>) {
    const map = new Map<string, KubeClient>();
    for (const { name, client } of clusters) {
      if (map.has(name)) throw new Error(`cluster "${name}" is listed twice`);
      map.set(name, client);
    }
    this.byName = map;
  }

  /** Every context (or only `contexts`), each cluster named after its context. */
  static async fromKubeconfig(
    source: string,
    options: KubeClientOptions & { readonly contexts?: readonly string[] } = {},
  ): Promise<ClusterSet> {
    const config = await readKubeconfig(source);
    const names = options.contexts ?? config.contexts;
    const clusters: ClusterClient[] = [];
    for (const name of names) {
      clusters.push({ name, client: new KubeClient(await connectionFor(config, name), options) });
    }
    return new ClusterSet(clusters);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  clusters(): ClusterClient[] {
    return [...this.byName].map(([name, client]) => ({ name, client }));
  }

  client(name: string): KubeClient {
    const client = this.byName.get(name);
    if (client === undefined)
      throw new Error(`no cluster "${name}" in this set (clusters: ${this.names().join(', ') || 'none'})`);
    return client;
  }

  close(): void {
    for (const client of this.byName.values()) client.close();
  }
}
