/** `lcm upgrade path`: the recommended update path between two releases in a Cincinnati update graph. */
import { PrometheusClient } from '../../readiness/prometheus/client.ts';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import {
  loadGraph,
  recommendedPath,
  type BlockedEdge,
  type PathResult,
  type RiskEvaluator,
} from '../../readiness/graph/index.ts';
import { exitCodeHelp, exitCodes, formatTable, outputOption, render, type OutputFormat } from '../output.ts';

/** The lab's update graph (releases 4.12–4.16, stable/fast/candidate/eus, conditional updates). */
export const labGraphPath = fileURLToPath(new URL('../../lab/update-graph.json', import.meta.url));

export interface UpgradeCommandDeps {
  /** Builds the PromQL evaluator for `--prometheus <url>`; the Prometheus client lives outside the CLI. */
  readonly prometheusEvaluator?: (url: string) => RiskEvaluator;
  /** Where reports go (stdout by default). */
  readonly write?: (text: string) => void;
}

interface PathCommandOptions {
  readonly from: string;
  readonly to: string;
  readonly graph: string;
  readonly channel?: string;
  readonly prometheus?: string;
  readonly arch: string;
  readonly output: OutputFormat;
}

function displayGraph(source: string): string {
  if (/^https?:\/\//i.test(source)) return source;
  const relative = path.relative(process.cwd(), source);
  return relative.startsWith('..') ? source : relative;
}

function blockingRisks(edge: BlockedEdge): BlockedEdge['risks'] {
  return edge.risks.filter((r) => r.result !== 'DoesNotApply');
}

function blockedTable(edges: readonly BlockedEdge[]): string {
  const rows = edges.flatMap((edge) =>
    blockingRisks(edge).map((risk) => [
      edge.from,
      edge.to,
      risk.name,
      risk.result,
      `${edge.recommended.status}/${edge.recommended.reason}`,
      edge.hopsVia === undefined ? '-' : `${edge.hopsVia} hops`,
    ]),
  );
  return formatTable(['from', 'to', 'risk', 'result', 'recommended', 'path via it'], rows);
}

function riskDetails(edges: readonly BlockedEdge[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const risk of edges.flatMap(blockingRisks)) {
    if (seen.has(risk.name)) continue;
    seen.add(risk.name);
    lines.push(`  ${risk.name}: ${risk.message}`, `    ${risk.url}`);
    if (risk.error !== undefined) lines.push(`    could not be evaluated: ${risk.error}`);
  }
  return lines.join('\n') + '\n';
}

function describePath(result: PathResult, graph: string, promqlEvaluated: boolean): string {
  const scope = result.channel === undefined ? 'all channels' : `channel ${result.channel}`;
  const parts: string[] = [];
  if (result.found) {
    const count = result.hops.length;
    parts.push(
      `Update path ${result.from} → ${result.to}: ${count} hop${count === 1 ? '' : 's'} (graph ${graph}, ${scope})\n`,
    );
    if (count > 0) {
      parts.push(
        formatTable(
          ['hop', 'from', 'to', 'type', 'via', 'channels'],
          result.hops.map((hop, i) => [
            String(i + 1),
            hop.from,
            hop.to,
            hop.kind,
            hop.conditional ? 'conditional (risks do not apply)' : 'recommended',
            hop.channels.join(',') || '-',
          ]),
        ),
      );
      const minor = result.hops.flatMap((hop, i) => (hop.minorUpdate ? [String(i + 1)] : []));
      if (minor.length > 0)
        parts.push(
          `Minor update${minor.length === 1 ? '' : 's'} (hop ${minor.join(', ')}): acknowledge the target's admin-gates in openshift-config/admin-acks, and every ClusterOperator must be Upgradeable=True.\n`,
        );
      if (result.eusToEus)
        parts.push(
          'EUS-to-EUS: the path stops once on each odd minor, so worker pools can stay paused until the last hop.\n',
        );
    }
  } else {
    parts.push(
      `No recommended update path from ${result.from} to ${result.to} (graph ${graph}, ${scope}).\n`,
    );
    if (result.unreachable !== undefined) {
      parts.push(`${result.unreachable.message}\n`);
      if (result.unreachable.connectingEdges.length > 0) {
        parts.push(
          '\nConditional updates that would connect it:\n',
          blockedTable(result.unreachable.connectingEdges),
        );
        parts.push(riskDetails(result.unreachable.connectingEdges));
      }
    }
  }
  if (result.avoided.length > 0) {
    parts.push(`\nAvoided conditional updates (${result.avoided.length}):\n`, blockedTable(result.avoided));
    parts.push(riskDetails(result.avoided));
  }
  const warnings = result.warnings.map((w) =>
    !promqlEvaluated && w.startsWith('PromQL risks were not evaluated')
      ? `${w}; pass --prometheus <url> to evaluate them`
      : w,
  );
  if (warnings.length > 0) parts.push(`\nWarnings:\n${warnings.map((w) => `  ${w}\n`).join('')}`);
  return parts.join('');
}

/** PromQL risks answered by the Prometheus at `url` (the lab's, or a cluster's Thanos querier). */
export function prometheusRiskEvaluator(url: string): RiskEvaluator {
  const client = new PrometheusClient(url);
  return (promql) => client.evaluateRisk(promql);
}

async function showPath(options: PathCommandOptions, deps: UpgradeCommandDeps): Promise<void> {
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  let evaluator: RiskEvaluator | undefined;
  if (options.prometheus !== undefined) {
    evaluator = (deps.prometheusEvaluator ?? prometheusRiskEvaluator)(options.prometheus);
  }
  const graph = await loadGraph(options.graph, {
    ...(options.channel === undefined ? {} : { channel: options.channel }),
    arch: options.arch,
    id: randomUUID(),
    version: options.from,
  });
  const result = await recommendedPath(graph, {
    from: options.from,
    to: options.to,
    ...(options.channel === undefined ? {} : { channel: options.channel }),
    ...(evaluator === undefined ? {} : { evaluator }),
  });
  write(
    render(options.output, result, () =>
      describePath(result, displayGraph(options.graph), evaluator !== undefined),
    ),
  );
  process.exitCode = result.found ? exitCodes.ok : exitCodes.notReady;
}

const pathHelp = `
The path uses recommended updates, and conditional updates only when none of their risks applies
to this cluster. Among equally short paths it stops as rarely as possible on odd minors (EUS-to-EUS),
then prefers newer releases. Without --prometheus, PromQL risks cannot be evaluated and count as
applying; "Always" risks always apply.

Examples:
  lcm upgrade path --from 4.14.13 --to 4.16.1
  lcm upgrade path --from 4.12.40 --to 4.14.13 --channel eus-4.14
  lcm upgrade path --from 4.14.13 --to 4.16.1 --prometheus https://thanos-querier.example:9091 -o yaml
  lcm upgrade path --from 4.14.13 --to 4.16.1 --graph https://api.openshift.com/api/upgrades_info/v1/graph --channel stable-4.16

Exit codes: 0 a path exists · 1 failure (bad graph, unknown version) · 2 usage error · 3 no recommended path`;

export function upgradeCommand(deps: UpgradeCommandDeps = {}): Command {
  const upgrade = new Command('upgrade')
    .description('Plan cluster updates from an OpenShift update graph (channels, conditional updates, paths)')
    .addHelpText('after', exitCodeHelp);
  upgrade.addCommand(
    new Command('path')
      .description('The recommended update path between two releases, and the conditional updates it avoids')
      .requiredOption('--from <version>', 'the current release, e.g. 4.14.13')
      .requiredOption('--to <version>', 'the target release, e.g. 4.16.1')
      .option('--graph <file-or-url>', 'Cincinnati graph: a JSON file or an update service URL', labGraphPath)
      .option(
        '--channel <name>',
        'only releases of this channel (stable-4.y, fast-4.y, candidate-4.y, eus-4.y)',
      )
      .option('--prometheus <url>', 'evaluate PromQL risks against this Prometheus / Thanos querier')
      .option('--arch <arch>', 'architecture asked of an update service URL', 'amd64')
      .addOption(outputOption())
      .addHelpText('after', pathHelp)
      .action((options: PathCommandOptions) => showPath(options, deps)),
  );
  return upgrade;
}
