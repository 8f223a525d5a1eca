/** `lcm apiserver`: the embedded Kubernetes-compatible API server in the foreground. */
import { untilStopped } from '../until-stopped.ts';
import { Command, Option } from 'commander';
import { startLabApiServer } from '../../lab/lab-apiserver.ts';

export function apiserverCommand(): Command {
  return new Command('apiserver')
    .description('Serve the embedded Kubernetes-compatible API (with logical clusters) until interrupted')
    .option('--dir <dir>', 'data directory (etcd data, logs, kubeconfig)', './.lcm-lab/apiserver')
    .addOption(
      new Option('--storage <backend>', 'where objects live').choices(['etcd', 'memory']).default('etcd'),
    )
    .option('--etcd-endpoint <url>', 'use this etcd instead of starting one (e.g. http://127.0.0.1:2379)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to bind (0: any free port)', '0')
    .option('--cluster <name...>', 'logical clusters to serve besides the hub (at /clusters/<name>)', [])
    .addHelpText(
      'after',
      `
Examples:
  lcm apiserver --cluster spoke1 spoke2
  KUBECONFIG=.lcm-lab/apiserver/kubeconfig kubectl --context spoke1 get ns`,
    )
    .action(
      async (options: {
        dir: string;
        storage: 'etcd' | 'memory';
        etcdEndpoint?: string;
        host: string;
        port: string;
        cluster: string[];
      }) => {
        const lab = await startLabApiServer({
          dir: options.dir,
          storage: options.storage,
          ...(options.etcdEndpoint ? { etcdEndpoint: options.etcdEndpoint } : {}),
          host: options.host,
          port: Number(options.port),
          clusters: options.cluster,
          log: (line) =>
            process.stderr.write(`${JSON.stringify({ level: 'warn', component: 'apiserver', msg: line })}\n`),
        });
        process.stdout.write(
          `listening on ${lab.server.url}\nkubeconfig: ${lab.kubeconfigPath}\nclusters: ${lab.server.clusterNames().join(', ')}\n`,
        );
        await untilStopped();
        process.stdout.write('stopping…\n');
        await lab.stop();
      },
    );
}
