/**
 * `lcm controllers`: the controller process — the same program in the lab and against a real
 * cluster. Controllers register here as the feature issues land.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parse } from 'yaml';

interface KubeconfigContexts {
  contexts?: { name: string }[];
}

export function controllersCommand(): Command {
  return new Command('controllers')
    .description("Run lcm's controllers against every context of a kubeconfig until interrupted")
    .requiredOption('--kubeconfig <file>', 'kubeconfig; one context per cluster to reconcile')
    .action(async (options: { kubeconfig: string }) => {
      const config = parse(await readFile(options.kubeconfig, 'utf8')) as KubeconfigContexts;
      const contexts = (config.contexts ?? []).map((c) => c.name);
      const log = (msg: string): void =>
        void process.stdout.write(
          `${JSON.stringify({ time: new Date().toISOString(), component: 'controllers', msg })}\n`,
        );
      log(`watching ${contexts.length} cluster(s): ${contexts.join(', ')}`);
      // A pending promise does not keep Node alive; this timer does, until a signal arrives.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      clearInterval(keepAlive);
      log('stopped');
    });
}
