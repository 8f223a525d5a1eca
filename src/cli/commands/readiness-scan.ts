/** `lcm readiness scan <paths...> --to <openshift-version>`: removed Kubernetes APIs in manifests on disk. */
import { Command, Option } from 'commander';
import { ensureHelm, ensureKubectl } from '../../lab/kubectl.ts';
import { scanPaths, TargetError, type Finding, type ScanReport } from '../../readiness/scan/index.ts';
import { minorOf } from '../../api/removals/index.ts';
import { exitCodes, formatTable } from '../output.ts';

type ScanFormat = 'table' | 'json' | 'markdown';

function targetLabel(report: ScanReport): string {
  const kube = `Kubernetes ${report.target.kubernetes}`;
  return report.target.openshift ? `OpenShift ${report.target.openshift} (${kube})` : kube;
}

function objectName(f: Finding): string {
  return f.name === undefined ? '-' : f.namespace ? `${f.namespace}/${f.name}` : f.name;
}

function summaryLine(report: ScanReport): string {
  const { blockers, warnings } = report.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `${plural(blockers, 'blocker')}, ${plural(warnings, 'warning')}, ${plural(report.errors.length, 'error')} ` +
    `for ${targetLabel(report)}: ${plural(report.scanned.files, 'file')}, ${plural(report.scanned.objects, 'object')} scanned`
  );
}

export function formatScanTable(report: ScanReport): string {
  const out: string[] = [];
  if (report.findings.length > 0) {
    out.push(
      formatTable(
        ['severity', 'location', 'kind', 'name', 'api version', 'removed in', 'use instead'],
        report.findings.map((f) => [
          f.severity,
          `${f.file}:${f.line}`,
          f.kind,
          objectName(f),
          f.apiVersion,
          f.removedInRelease,
          f.replacement ?? '(none)',
        ]),
      ),
    );
  }
  if (report.errors.length > 0) {
    out.push(
      formatTable(
        ['location', 'error'],
        report.errors.map((e) => [e.line === undefined ? e.file : `${e.file}:${e.line}`, e.message]),
      ),
    );
  }
  out.push(`${summaryLine(report)}\n`);
  return out.join('\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatScanMarkdown(report: ScanReport): string {
  const lines = [`## Removed Kubernetes APIs for ${targetLabel(report)}`, '', summaryLine(report), ''];
  if (report.findings.length > 0) {
    lines.push(
      '| Severity | Location | Kind | Name | API version | Removed in | Use instead | Migration notes |',
      '|---|---|---|---|---|---|---|---|',
      ...report.findings.map(
        (f) =>
          `| ${f.severity} | \`${cell(f.file)}:${f.line}\` | ${f.kind} | ${cell(objectName(f))} | \`${f.apiVersion}\` | ${f.removedInRelease} | ${f.replacement ? `\`${f.replacement}\`` : '(none)'} | ${cell(f.notes ?? '')} |`,
      ),
      '',
    );
  }
  if (report.errors.length > 0) {
    lines.push(
      '### Not scanned',
      '',
      ...report.errors.map(
        (e) => `- \`${cell(e.line === undefined ? e.file : `${e.file}:${e.line}`)}\`: ${cell(e.message)}`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

/** Blockers outrank errors: a found blocker is certain, an unreadable file only makes the scan incomplete. */
export function scanExitCode(report: ScanReport): number {
  if (report.summary.blockers > 0) return exitCodes.blocked;
  return report.errors.length > 0 ? exitCodes.failure : exitCodes.ok;
}

const examples = `
Examples:
  # Before updating to OpenShift 4.14 (Kubernetes 1.27): check a repository of manifests
  $ lcm readiness scan ./deploy --to 4.14

  # A Helm chart (rendered with helm template) and a kustomize overlay (kubectl kustomize)
  $ lcm readiness scan ./charts/shop ./overlays/prod --to 4.16

  # A plain Kubernetes target, as JSON for CI
  $ lcm readiness scan ./k8s --kube 1.29 -o json

  # A Markdown report to paste into a change ticket
  $ lcm readiness scan . --to 4.14 -o markdown > api-removals.md

What is scanned: .yaml/.yml/.json files (multi-document YAML, List objects), directories holding
kustomization.yaml (rendered with kubectl kustomize), and Helm charts (directories holding Chart.yaml,
rendered with helm template and its default values; findings point at the template file). Hidden
directories and node_modules are skipped. Unreadable files, invalid YAML and documents that are not
Kubernetes objects are listed as errors; the scan goes on.

Severity: blocker = the target release no longer serves the API (migrate before updating);
warning = still served by the target but removed in a later Kubernetes release.

Exit codes: 0 no blockers (warnings allowed) · 1 some files could not be scanned · 2 usage error · 4 blockers found`;

export function scanCommand(): Command {
  return new Command('scan')
    .description(
      'find Kubernetes APIs that the target release removed (or will remove) in manifests, charts and kustomizations',
    )
    .argument('<paths...>', 'files and directories to scan')
    .option('--to <openshift-version>', 'OpenShift release to update to, e.g. 4.14 or 4.14.13')
    .option('--kube <k8s-version>', 'Kubernetes release to check against (overrides the one --to implies)')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'json', 'markdown'])
        .default('table'),
    )
    .addHelpText('after', examples)
    .action(async function (
      this: Command,
      paths: string[],
      options: { to?: string; kube?: string; output: ScanFormat },
    ) {
      if (options.to === undefined && options.kube === undefined) {
        this.error(
          'error: give the update target: --to <openshift-version> (e.g. --to 4.14) or --kube <k8s-version>',
          {
            code: 'lcm.usage',
            exitCode: exitCodes.usage,
          },
        );
      }
      if (options.kube !== undefined && options.to !== undefined && minorOf(options.to) === undefined) {
        this.error(`error: --to '${options.to}' is not an OpenShift version such as 4.14`, {
          code: 'lcm.usage',
          exitCode: exitCodes.usage,
        });
      }
      let report: ScanReport;
      try {
        report = await scanPaths(paths, {
          ...(options.kube !== undefined
            ? { targetKubernetes: options.kube }
            : { targetOpenShift: options.to ?? '' }),
          tools: { kubectl: () => ensureKubectl(), helm: () => ensureHelm() },
        });
      } catch (err) {
        if (err instanceof TargetError)
          this.error(`error: ${err.message}`, { code: 'lcm.usage', exitCode: exitCodes.usage });
        throw err;
      }
      // --to still names the OpenShift release in the report when --kube overrides its Kubernetes version.
      if (options.kube !== undefined && options.to !== undefined) {
        report = { ...report, target: { ...report.target, openshift: minorOf(options.to) ?? options.to } };
      }
      // Through commander's output configuration, so a caller (or a test) can capture what is printed.
      const output = this.configureOutput();
      const write = (text: string): void => {
        if (output.writeOut) output.writeOut(text);
        else process.stdout.write(text);
      };
      switch (options.output) {
        case 'json':
          write(`${JSON.stringify(report, null, 2)}\n`);
          break;
        case 'markdown':
          write(formatScanMarkdown(report));
          break;
        case 'table':
          write(formatScanTable(report));
          break;
      }
      process.exitCode = scanExitCode(report);
    });
}
