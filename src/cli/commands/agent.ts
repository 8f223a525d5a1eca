/**
 * `lcm agent`: the Lifecycle Agent of one single-node cluster — the ImageBasedUpgrade and
 * SeedGenerator controllers with the host they run on. In the lab the supervisor starts one per
 * simulated host; on a real node it would run with the real host's operations.
 */
import { untilStopped } from '../until-stopped.ts';
import { Command, Option } from 'commander';
import { KubeClient } from '../../client/client.ts';
import { isAlreadyExists } from '../../client/errors.ts';
import { loadKubeconfig } from '../../client/load-kubeconfig.ts';
import { imageBasedUpgradeController, ibuName } from '../../controllers/imagebasedupgrade/index.ts';
import { seedGeneratorController } from '../../controllers/seedgenerator/index.ts';
import { veleroControllers } from '../../controllers/velero/index.ts';
import { RegistryClient } from '../../host/oci/client.ts';
import { adminClusterState } from '../../lab/admin-cluster-state.ts';
import { openSimulatedHost } from '../../lab/sim-host.ts';
import { realClock } from '../../runtime/clock.ts';
import { createLogger } from '../../runtime/log.ts';
import { Manager } from '../../runtime/manager.ts';

export function agentCommand(): Command {
  return new Command('agent')
    .description(
      'Run the Lifecycle Agent (ImageBasedUpgrade, SeedGenerator) of one single-node cluster until interrupted',
    )
    .requiredOption('--kubeconfig <file>', 'kubeconfig of the cluster')
    .option('--context <name>', 'context of the cluster (default: the current one)')
    .requiredOption('--host-dir <dir>', "the simulated host's directory (lab: <lab>/hosts/<name>)")
    .requiredOption(
      '--object-store <dir>',
      'root of the object storage BackupStorageLocations use (one directory per bucket)',
    )
    .option('--reboot-delay-ms <ms>', 'how long a simulated reboot keeps the cluster unreachable', '3000')
    .addOption(
      new Option('--log-level <level>', 'log verbosity')
        .choices(['error', 'warn', 'info', 'debug'])
        .default('info'),
    )
    .action(
      async (options: {
        kubeconfig: string;
        context?: string;
        hostDir: string;
        objectStore: string;
        rebootDelayMs: string;
        logLevel: 'error' | 'warn' | 'info' | 'debug';
      }) => {
        const log = createLogger({
          level: options.logLevel,
          write: (line) => void process.stdout.write(line),
        });
        const connection = await loadKubeconfig(
          options.kubeconfig,
          options.context ? { context: options.context } : {},
        );
        // The lab's API server root (its /lcm/v1 endpoints hold each stateroot's cluster state).
        const apiServerUrl = connection.server.replace(/\/clusters\/[^/]+\/?$/, '');
        const host = await openSimulatedHost({
          dir: options.hostDir,
          apiServerUrl,
          rebootDelayMs: Number(options.rebootDelayMs),
          log,
        });
        const client = new KubeClient(connection);
        try {
          await client.create({
            apiVersion: 'lca.openshift.io/v1',
            kind: 'ImageBasedUpgrade',
            metadata: { name: ibuName },
            spec: { stage: 'Idle' },
          });
        } catch (error) {
          if (!isAlreadyExists(error)) throw error;
        }
        const manager = new Manager({ clusters: [{ name: host.name, client }], log });
        const registry = (dockerConfig: string | undefined): RegistryClient =>
          new RegistryClient(dockerConfig ? { dockerConfig } : {});
        manager.add(
          imageBasedUpgradeController({
            host,
            clusterState: adminClusterState(apiServerUrl, host.name),
            clock: realClock,
            registry,
            log,
          }),
        );
        manager.add(
          seedGeneratorController({ host, apiServerAdminUrl: apiServerUrl, clock: realClock, log }),
        );
        // OADP runs on the cluster too: the upgrade's backups and restores are real Velero ones.
        for (const controller of veleroControllers({
          objectStoreRoot: options.objectStore,
          clock: realClock,
          log,
        })) {
          manager.add(controller);
        }
        log.info('agent starting', { host: host.name, stateroot: await host.bootedStateroot() });
        await manager.start();
        await untilStopped();
        await manager.stop();
        log.info('agent stopped');
      },
    );
}
