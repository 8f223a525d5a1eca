/**
 * `lcm controllers`: the controller process — the same program in the lab and against a real
 * cluster. One Manager reconciles every context of the kubeconfig, behind a Lease so that only one
 * replica acts at a time. Controllers register in `src/controllers/registry.ts` as features land.
 */
import { untilStopped } from '../until-stopped.ts';
import { Command, Option } from 'commander';
import { ClusterSet } from '../../client/cluster-set.ts';
import { createLogger } from '../../runtime/log.ts';
import { Manager } from '../../runtime/manager.ts';
import { registerControllers } from '../../controllers/registry.ts';

export function controllersCommand(): Command {
  return new Command('controllers')
    .description("Run lcm's controllers against every context of a kubeconfig until interrupted")
    .requiredOption('--kubeconfig <file>', 'kubeconfig; one context per cluster to reconcile')
    .option('--context <name...>', 'only these contexts (default: all)')
    .option(
      '--lease-namespace <ns>',
      'namespace of the leader-election Lease (in the first cluster)',
      'kube-system',
    )
    .option('--no-leader-election', 'reconcile without holding the Lease (one replica only!)')
    .addOption(
      new Option('--log-level <level>', 'log verbosity')
        .choices(['error', 'warn', 'info', 'debug'])
        .default('info'),
    )
    .action(
      async (options: {
        kubeconfig: string;
        context?: string[];
        leaseNamespace: string;
        leaderElection: boolean;
        logLevel: 'error' | 'warn' | 'info' | 'debug';
      }) => {
        const log = createLogger({
          level: options.logLevel,
          write: (line) => void process.stdout.write(line),
        });
        const clusters = await ClusterSet.fromKubeconfig(
          options.kubeconfig,
          options.context ? { contexts: options.context } : {},
        );
        const manager = new Manager({
          clusters,
          log,
          ...(options.leaderElection
            ? { leaderElection: { namespace: options.leaseNamespace, name: 'lcm-controllers' } }
            : {}),
        });
        const names = registerControllers(manager);
        log.info('starting', { clusters: clusters.names(), controllers: names });
        await manager.start();
        await untilStopped();
        await manager.stop();
        log.info('stopped');
      },
    );
}
