/**
 * `lcm readiness --to <version>`: is this cluster ready to update? Reads the cluster (and, when
 * given, Prometheus, an update graph and the etcd backup directory), runs every readiness check of
 * seed 001 and prints blockers, warnings and info with the exact fix for each.
 */
import { Command, Option } from 'commander';
import type { KubeClient } from '../../client/client.ts';
import { etcdBackupSource } from '../../host/etcd-snapshot.ts';
import { allChecks } from '../../readiness/checks/index.ts';
import { labDefaultsFor } from '../lab-defaults.ts';
import { graphRecommender } from '../../readiness/checks/support/graph-recommender.ts';
import { loadGraph } from '../../readiness/graph/load.ts';
import type { RiskEvaluator } from '../../readiness/graph/risks.ts';
import { PrometheusClient } from '../../readiness/prometheus/client.ts';
import {
  compareMinor,
  kubernetesVersionOf,
  knownOpenShiftVersions,
  minorOf,
} from '../../api/removals/index.ts';
import { kubeClusterReader } from '../../readiness/report/cluster-reader.ts';
import type { EtcdBackupInfo, ReadinessContext, Recommender } from '../../readiness/report/context.ts';
import { probeCluster } from '../../readiness/report/probe-cluster.ts';
import { reportFormats, renderReport, type ReportFormat } from '../../readiness/report/render.ts';
import { defaultCheckTimeoutMs, readinessReport } from '../../readiness/report/runner.ts';
import { clusterClient, kubeconfigPath, withCluster, type ClusterOptions } from '../cluster-options.ts';
import { exitCodes } from '../output.ts';
import { scanCommand } from './readiness-scan.ts';

export interface ReadinessOptions extends ClusterOptions {
  readonly to?: string;
  readonly prometheus?: string;
  readonly graph?: string;
  readonly etcdBackupDir?: string;
  readonly checkTimeout: string;
  readonly output: ReportFormat;
}

class UsageError extends Error {}

const versionPattern = /^\d+\.\d+(\.\d+)?(-[0-9A-Za-z.-]+)?$/;

function targetOf(to: string | undefined): { version: string; kube: string } {
  if (to === undefined)
    throw new UsageError(
      'error: give the release to update to: --to <version> (e.g. --to 4.14 or --to 4.14.3)',
    );
  if (!versionPattern.test(to) || minorOf(to) === undefined)
    throw new UsageError(`error: --to '${to}' is not an OpenShift version such as 4.14 or 4.14.3`);
  const kube = kubernetesVersionOf(to);
  if (kube === undefined) {
    const known = knownOpenShiftVersions();
    throw new UsageError(
      `error: --to '${to}': unknown OpenShift release (known: ${known[0] ?? ''} … ${known.at(-1) ?? ''})`,
    );
  }
  return { version: to, kube };
}

function lazyRecommender(source: string, current: string, evaluator: RiskEvaluator | undefined): Recommender {
  let recommender: Promise<Recommender> | undefined;
  return {
    source,
    async recommend(from, to) {
      recommender ??= loadGraph(source, current === 'unknown' ? {} : { version: current }).then((graph) =>
        graphRecommender(graph, source, evaluator),
      );
      return (await recommender).recommend(from, to);
    },
  };
}

function etcdBackup(dir: string): () => Promise<EtcdBackupInfo | undefined> {
  const newest = etcdBackupSource(dir);
  return async () => {
    const last = await newest();
    return last === undefined ? undefined : { takenAt: new Date(last.takenAt), path: last.path };
  };
}

/** Against the lab, its Prometheus, graph and backup directory unless the options say otherwise. */
async function withLabDefaults(options: ReadinessOptions): Promise<ReadinessOptions> {
  const lab = await labDefaultsFor(kubeconfigPath(options));
  if (lab === undefined) return options;
  const prometheus = options.prometheus ?? lab.prometheus;
  return {
    ...options,
    ...(prometheus !== undefined ? { prometheus } : {}),
    graph: options.graph ?? lab.graph,
    etcdBackupDir: options.etcdBackupDir ?? lab.etcdBackupDir,
  };
}

function sourcesOf(options: ReadinessOptions, current: string): Partial<ReadinessContext> {
  const prometheus = options.prometheus === undefined ? undefined : new PrometheusClient(options.prometheus);
  const riskEvaluator: RiskEvaluator | undefined =
    prometheus === undefined ? undefined : (promql) => prometheus.evaluateRisk(promql);
  const dir = options.etcdBackupDir;
  return {
    ...(prometheus !== undefined ? { alerts: () => prometheus.alerts(), riskEvaluator } : {}),
    ...(options.graph !== undefined
      ? { recommender: lazyRecommender(options.graph, current, riskEvaluator) }
      : {}),
    ...(dir !== undefined ? { lastEtcdBackup: etcdBackup(dir), etcdBackupDir: dir } : {}),
  };
}

export interface ReadinessIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** The whole command; returns the exit code (usage errors are thrown as UsageError). */
export async function runReadiness(options: ReadinessOptions, io: ReadinessIo): Promise<number> {
  const target = targetOf(options.to);
  const timeoutMs = Number(options.checkTimeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError(
      `error: --check-timeout '${options.checkTimeout}' must be a positive number of seconds`,
    );
  let client: KubeClient;
  try {
    client = await clusterClient(options, { timeoutMs: Math.min(timeoutMs, 15_000) });
  } catch (error) {
    io.err(`lcm readiness: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.failure;
  }
  try {
    const reader = kubeClusterReader(client);
    const probe = await probeCluster(client, reader);
    if (!probe.reachable) {
      io.err(`lcm readiness: ${probe.reason}\n`);
      return exitCodes.failure;
    }
    const current = probe.currentVersion ?? 'unknown';
    if (minorOf(current) !== undefined && compareMinor(target.version, current) < 0)
      throw new UsageError(
        `error: --to ${target.version} is older than the cluster's ${current}: OpenShift updates only go forward`,
      );
    const ctx: ReadinessContext = {
      client: reader,
      currentVersion: current,
      targetVersion: target.version,
      targetKube: target.kube,
      clock: { now: () => new Date() },
      ...sourcesOf(await withLabDefaults(options), current),
    };
    const report = await readinessReport(allChecks, ctx, { timeoutMs });
    io.out(renderReport(report, options.output));
    return report.summary.blockers > 0 ? exitCodes.blocked : exitCodes.ok;
  } finally {
    client.close();
  }
}

const help = `
What is checked (seed 001, "Preparing to update a cluster"):
  UPD-1  CPU microarchitecture: x86-64-v2 / Power9 / z14 from 4.14 (RHEL 9.2), read from Node
         Feature Discovery labels (feature.node.kubernetes.io/cpu-cpuid.*)
  UPD-2  APIs the target's Kubernetes removed that something still requests (APIRequestCount,
         last 24 h, by user, user agent and verb; the garbage collector, namespace controller,
         kube-controller-manager and cluster-policy-controller are ignored)
  UPD-3  firing alerts (--prometheus): critical ones, APIRemovedInNextReleaseInUse,
         APIRemovedInNextEUSReleaseInUse, ClusterNotUpgradeable, DuplicateTransferEncodingHeadersDetected
  UPD-5  administrator acknowledgements: admin-gates entries not acked in openshift-config/admin-acks
  UPD-6  the target is a recommended update (ClusterVersion, or the graph given with --graph)
  UPD-7  an etcd backup from the last 24 hours (--etcd-backup-dir)
  UPD-8  Upgradeable=False operators; PodDisruptionBudgets that would stall drains; HA workloads
         without one; maxUnavailable and spare capacity per MachineConfigPool; unavailable nodes

In the lab (a lab directory's kubeconfig), its Prometheus, update graph and etcd backup directory are
used unless the options name others.

Severity: blocker = fix before updating (exit 4) · warning = may go wrong · info = worth knowing,
or not checked (a source not given). Each finding ends with the exact command or action that fixes it.

Examples:
  # Is the cluster in my kubeconfig ready for 4.14?
  $ lcm readiness --to 4.14.3

  # With alerts and PromQL risks from Prometheus, an update graph and the backup directory
  $ lcm readiness --to 4.14.3 --prometheus https://thanos-querier.example:9091 \\
      --graph https://api.openshift.com/api/upgrades_info/v1/graph --etcd-backup-dir /var/backups/etcd

  # For CI (fails with 4 on a blocker) and for a change ticket
  $ lcm readiness --to 4.14 -o json | jq '.summary'
  $ lcm readiness --to 4.14 -o markdown > readiness.md

  # Manifests on disk instead of the live cluster
  $ lcm readiness scan ./deploy --to 4.14

Exit codes: 0 ready (warnings allowed) · 1 failure (cluster unreachable, kubeconfig unreadable) ·
2 usage error · 4 blocked (at least one blocker)`;

export function readinessCommand(): Command {
  const command = withCluster(new Command('readiness'))
    .description(
      'Check whether a cluster is ready to update to a release: blockers, warnings and their fixes',
    )
    .option('--to <version>', 'OpenShift release to update to, e.g. 4.14 or 4.14.3 (required)')
    .option('--prometheus <url>', 'Prometheus or Thanos querier URL, for alerts and PromQL update risks')
    .option(
      '--graph <file|url>',
      'update graph (an OSUS/Cincinnati URL or a JSON file) to judge the target by',
    )
    .option(
      '--etcd-backup-dir <dir>',
      "where `lcm etcd backup` keeps snapshots (its --backup-dir), to check the newest one's age",
    )
    .option(
      '--check-timeout <seconds>',
      'give up on a single check after this long',
      String(defaultCheckTimeoutMs / 1000),
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(reportFormats).default('table'))
    // `lcm readiness scan ./x --to 4.14`: options after `scan` are scan's, though readiness has them too.
    .enablePositionalOptions()
    .addHelpText('after', help)
    .action(async function (this: Command, options: ReadinessOptions) {
      const output = this.configureOutput();
      const io: ReadinessIo = {
        out: (text) => (output.writeOut ? output.writeOut(text) : process.stdout.write(text)),
        err: (text) => (output.writeErr ? output.writeErr(text) : process.stderr.write(text)),
      };
      try {
        process.exitCode = await runReadiness(options, io);
      } catch (error) {
        if (error instanceof UsageError)
          this.error(error.message, { code: 'lcm.usage', exitCode: exitCodes.usage });
        throw error;
      }
    });
  command.addCommand(scanCommand());
  return command;
}
