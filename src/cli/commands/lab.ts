/** `lcm lab up | down | status | kubeconfig`: the local lab, all state under one directory. */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { formatHostSpec, hostFactsHelp, parseHostSpec } from '../../lab/host-spec.ts';
import { hostsSupported } from '../../lab/hosts.ts';
import { startSimulatedCvo } from '../../lab/simulated-cvo.ts';
import { createLogger } from '../../runtime/log.ts';
import { untilStopped } from '../until-stopped.ts';
import { Supervisor } from '../../lab/supervisor.ts';
import {
  defaultLabHosts,
  isAlive,
  labLayout,
  readMarker,
  readState,
  type LabHostSpec,
  type LabLayout,
  type LabState,
} from '../../lab/state.ts';
import { exitCodeHelp, exitCodes, formatTable, outputOption, render, type OutputFormat } from '../output.ts';
import { progress } from '../progress.ts';

const lcmEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/lcm.js');
const defaultDir = './.lcm-lab';

function dirOption(command: Command): Command {
  return command.option('--dir <dir>', 'lab directory (all data, logs, kubeconfig)', defaultDir);
}

async function logTail(file: string, lines = 15): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function runningState(layout: LabLayout): Promise<LabState | undefined> {
  const state = await readState(layout);
  return state !== undefined && isAlive(state.supervisorPid) ? state : undefined;
}

/** `seed=4.16.1` → {name, version}; refuses anything else with the expected form. */
async function up(options: { dir: string; clusters: string[]; hosts: LabHostSpec[] }): Promise<void> {
  const layout = labLayout(options.dir);
  const marker = await readMarker(layout);
  const steps = progress();
  const already = await runningState(layout);
  if (already?.ready) {
    steps.note(
      `lab at ${layout.dir} is already up (supervisor pid ${already.supervisorPid}); API server ${already.apiServer ?? '?'}`,
    );
    steps.note(`kubeconfig: ${layout.kubeconfig}`);
    return;
  }
  if (
    marker !== undefined &&
    options.clusters.join(',') !== marker.clusters.join(',') &&
    options.clusters.length > 0
  ) {
    steps.note(
      `note: this lab was created with clusters ${marker.clusters.join(', ') || '(none)'}; keeping them`,
    );
  }
  await mkdir(layout.logs, { recursive: true });
  if (already === undefined) {
    const log = await open(path.join(layout.logs, 'supervisor.log'), 'a');
    const child = spawn(
      process.execPath,
      [
        lcmEntry,
        'lab',
        'supervise',
        '--dir',
        layout.dir,
        ...(options.clusters.length > 0 ? ['--cluster', ...options.clusters] : []),
        ...(options.hosts.length > 0 ? ['--host', ...options.hosts.map(formatHostSpec)] : []),
      ],
      { detached: true, stdio: ['ignore', log.fd, log.fd] },
    );
    child.unref();
    await log.close();
  }
  await steps.step(`starting etcd, the API server and the controllers in ${layout.dir}`, async () => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const state = await readState(layout).catch(() => undefined);
      if (state?.ready && isAlive(state.supervisorPid)) return;
      if (state?.error)
        throw new Error(
          `the lab failed to start: ${state.error}\n${await logTail(path.join(layout.logs, 'supervisor.log'))}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `the lab did not come up within 90 s; see ${layout.logs}\n${await logTail(path.join(layout.logs, 'supervisor.log'))}`,
        );
      await sleep(200);
    }
  });
  const state = await readState(layout);
  steps.note(`lab up: API server ${state?.apiServer ?? '?'}, clusters ${state?.clusters.join(', ') ?? ''}`);
  steps.note(`kubeconfig: ${layout.kubeconfig}   (lcm lab kubeconfig --dir ${options.dir} prints it)`);
}

async function down(options: { dir: string }): Promise<void> {
  const layout = labLayout(options.dir);
  const state = await readState(layout);
  const steps = progress();
  if (state === undefined) {
    steps.note(`no lab state in ${layout.dir}: nothing to stop`);
    return;
  }
  await steps.step('stopping the lab', async () => {
    if (isAlive(state.supervisorPid)) {
      process.kill(state.supervisorPid, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (isAlive(state.supervisorPid) && Date.now() < deadline) await sleep(100);
    }
    // Whatever the supervisor could not stop is stopped here, by PID.
    const latest = (await readState(layout)) ?? state;
    for (const component of latest.components) {
      if (component.pid !== undefined && isAlive(component.pid)) {
        process.kill(component.pid, 'SIGTERM');
        await sleep(500);
        if (isAlive(component.pid)) process.kill(component.pid, 'SIGKILL');
      }
    }
    if (isAlive(state.supervisorPid)) process.kill(state.supervisorPid, 'SIGKILL');
  });
  steps.note(`lab stopped; data kept in ${layout.dir} (lcm lab up resumes it)`);
}

async function status(options: { dir: string; output: OutputFormat }): Promise<void> {
  const layout = labLayout(options.dir);
  await readMarker(layout);
  const state = await readState(layout);
  const running = state !== undefined && isAlive(state.supervisorPid);
  const components = (state?.components ?? []).map((c) => ({
    ...c,
    health: running
      ? c.pid !== undefined && !isAlive(c.pid) && c.health === 'running'
        ? 'failed'
        : c.health
      : 'stopped',
  }));
  let apiReady = false;
  if (running && state.apiServer)
    apiReady = await fetch(`${state.apiServer}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
  const summary = {
    dir: layout.dir,
    running,
    ready: running && state.ready && apiReady,
    apiServer: state?.apiServer,
    clusters: state?.clusters ?? [],
    components,
  };
  process.stdout.write(
    render(options.output, summary, () => {
      const head = `lab ${layout.dir}: ${summary.ready ? 'ready' : running ? 'not ready' : 'not running'}${state?.apiServer ? ` — API server ${state.apiServer}` : ''}\n`;
      return (
        head +
        formatTable(
          ['component', 'health', 'pid', 'restarts', 'endpoint', 'log'],
          components.map((c) => [
            c.name,
            c.health,
            String(c.pid ?? '-'),
            String(c.restarts),
            c.endpoint ?? '',
            path.relative(process.cwd(), c.log),
          ]),
        )
      );
    }),
  );
  if (!summary.ready) process.exitCode = exitCodes.notReady;
}

async function kubeconfig(options: { dir: string }): Promise<void> {
  const layout = labLayout(options.dir);
  try {
    process.stdout.write(await readFile(layout.kubeconfig, 'utf8'));
  } catch {
    throw new Error(`no kubeconfig in ${layout.dir}: start the lab first (lcm lab up --dir ${options.dir})`);
  }
}

async function supervise(options: { dir: string; cluster: string[]; host: string[] }): Promise<void> {
  const log = (line: string): void =>
    void process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), component: 'supervisor', msg: line })}\n`,
    );
  const supervisor = new Supervisor({
    layout: labLayout(options.dir),
    clusters: options.cluster,
    hosts: options.host.map(parseHostSpec),
    log,
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await supervisor.start();
  log('lab ready');
  await stopped;
  log('stopping');
  await supervisor.stop();
  log('stopped');
  // Idle keep-alive sockets must not hold the lab's `down` waiting.
  process.exit(0);
}

export function labCommand(): Command {
  const lab = new Command('lab')
    .description(
      'The local lab: etcd, the API server (hub + logical clusters) and the controllers on 127.0.0.1',
    )
    .addHelpText('after', exitCodeHelp);
  lab.addCommand(
    dirOption(new Command('up'))
      .description(
        'Start the lab (idempotent; resumes a stopped lab with all its objects) and return once it is ready',
      )
      .option('--cluster <name...>', 'logical clusters besides the hub, for a new lab', ['spoke1', 'spoke2'])
      .option(
        '--host <name=release[,fact=value]...>',
        `simulated single-node hosts for a new lab (default: ${defaultLabHosts.map((h) => `${h.name}=${h.version}`).join(' ')} when run as root)`,
      )
      .addHelpText(
        'after',
        `\nHost facts (what the image-based upgrade's compatibility checks compare):\n${hostFactsHelp}\n\nExample:\n  lcm lab up --host seed=4.16.1 --host sno1=4.14.13 --host sno3=4.14.13,cores=8,disk=40Gi,fips=true\n`,
      )
      .option('--no-hosts', 'no simulated hosts')
      .action((options: { dir: string; cluster: string[]; host?: string[]; hosts: boolean }) => {
        const unsupported = hostsSupported();
        let hosts: LabHostSpec[] = [];
        if (options.hosts && options.host !== undefined) {
          if (unsupported) throw new Error(`--host: ${unsupported}`);
          hosts = options.host.map(parseHostSpec);
        } else if (options.hosts && unsupported === undefined) hosts = [...defaultLabHosts];
        else if (options.hosts) progress().note(`note: no simulated hosts: ${unsupported}`);
        return up({ dir: options.dir, clusters: options.cluster, hosts });
      }),
  );
  lab.addCommand(
    dirOption(new Command('down')).description('Stop every lab process by PID; all data stays').action(down),
  );
  lab.addCommand(
    dirOption(new Command('status'))
      .description("Show each component's health (exit code 3 when the lab is not ready)")
      .addOption(outputOption())
      .action(status),
  );
  lab.addCommand(
    dirOption(new Command('kubeconfig'))
      .description('Print a kubeconfig with one context per logical cluster')
      .action(kubeconfig),
  );
  lab.addCommand(
    new Command('cvo')
      .description('(internal) the simulated cluster version operator of the hub and spoke clusters')
      .requiredOption('--kubeconfig <file>', 'the lab kubeconfig')
      .option('--context <name...>', 'clusters to run it on', [])
      .option('--graph <file-or-url>', 'update graph (default: the lab graph)')
      .option('--prometheus <url>', 'where PromQL update risks are evaluated')
      .action(
        async (options: { kubeconfig: string; context: string[]; graph?: string; prometheus?: string }) => {
          const log = createLogger({ level: 'info', write: (line) => void process.stdout.write(line) });
          const manager = await startSimulatedCvo({
            kubeconfig: options.kubeconfig,
            contexts: options.context,
            log,
            ...(options.graph !== undefined ? { graph: options.graph } : {}),
            ...(options.prometheus !== undefined ? { prometheusUrl: options.prometheus } : {}),
          });
          log.info('simulated cluster version operator running', { clusters: options.context });
          await untilStopped();
          await manager.stop();
        },
      ),
    { hidden: true },
  );
  lab.addCommand(
    dirOption(new Command('supervise'))
      .description('(internal) the supervisor process that `lab up` starts')
      .option('--cluster <name...>', 'logical clusters', [])
      .option('--host <name=release...>', 'simulated hosts', [])
      .action(supervise),
    { hidden: true },
  );
  return lab;
}
