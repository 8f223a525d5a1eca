/** `--kubeconfig` / `--context` for every command that talks to a cluster, and the client they give. */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { KubeClient, type KubeClientOptions } from '../client/client.ts';
import { loadKubeconfig } from '../client/load-kubeconfig.ts';

export interface ClusterOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** --kubeconfig, else $KUBECONFIG, else the lab's, else ~/.kube/config. */
export function kubeconfigPath(options: ClusterOptions): string {
  if (options.kubeconfig) return options.kubeconfig;
  const fromEnv = process.env.KUBECONFIG?.split(path.delimiter)[0];
  if (fromEnv) return fromEnv;
  if (existsSync('.lcm-lab/kubeconfig')) return '.lcm-lab/kubeconfig';
  return path.join(os.homedir(), '.kube', 'config');
}

export async function clusterClient(
  options: ClusterOptions,
  clientOptions: KubeClientOptions = {},
): Promise<KubeClient> {
  return new KubeClient(
    await loadKubeconfig(kubeconfigPath(options), options.context ? { context: options.context } : {}),
    clientOptions,
  );
}

export function withCluster(command: Command, contextHelp = 'kubeconfig context'): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, ./.lcm-lab/kubeconfig, ~/.kube/config)')
    .option('--context <name>', contextHelp);
}
