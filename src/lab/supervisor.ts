/**
 * The lab supervisor: one background process that owns the lab's components — etcd, the API
 * server, the controllers — started in order on loopback, health-checked, restarted with backoff
 * when one dies, and stopped in reverse order by PID. Its state file is what `lcm lab status` shows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { labKubeconfig } from '../client/kubeconfig.ts';
import { stopProcess } from './child-process.ts';
import { startEtcd, type EtcdProcess } from './etcd-server.ts';
import { findFreePort } from './ports.ts';
import { installCrds } from './crds.ts';
import { ensureHosts, hostDir } from './hosts.ts';
import { startRegistry } from './registry.ts';
import { ensureReleaseImages } from './release-images.ts';
import { prometheusComponent, prometheusInstalled } from './prometheus.ts';
import { installSampleApp } from './sample-app.ts';
import {
  labFormatVersion,
  spokeRelease,
  readMarker,
  writeJson,
  type ComponentHealth,
  type ComponentState,
  type LabLayout,
  type LabHostSpec,
  type LabMarker,
} from './state.ts';

const lcmEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lcm.js');
const hubName = 'hub';

export interface SupervisorOptions {
  readonly layout: LabLayout;
  readonly clusters: readonly string[];
  /** Simulated hosts for a new lab (an existing lab keeps its own). */
  readonly hosts: readonly LabHostSpec[];
  readonly log: (line: string) => void;
}

interface Running {
  readonly pid: number;
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
}

interface ComponentSpec {
  readonly name: string;
  readonly log: string;
  start(): Promise<Running>;
  endpoint(): string | undefined;
  /**
   * Restart delay after the n-th death; default exponential from 0.5 s to 30 s. Agents restart at
   * once, as systemd restarts a node's agent: their work is resumable by design.
   */
  readonly restartDelayMs?: (attempt: number) => number;
}

/** 4.14.13 < 4.16.1 (numeric per part). */
function compareReleases(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}

async function spawnLogged(
  name: string,
  args: readonly string[],
  logFile: string,
): Promise<{ child: ChildProcess; pid: number }> {
  await mkdir(path.dirname(logFile), { recursive: true });
  const handle = await open(logFile, 'a');
  try {
    const child = spawn(process.execPath, [lcmEntry, ...args], {
      stdio: ['ignore', handle.fd, handle.fd],
      env: process.env,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? -1));
      child.once('error', (error) => reject(new Error(`${name}: could not start (${error.message})`)));
    });
    return { child, pid };
  } finally {
    await handle.close();
  }
}

export class Supervisor {
  private readonly states = new Map<string, ComponentState>();
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private ready = false;
  private error: string | undefined;
  private marker!: LabMarker;
  private etcd: EtcdProcess | undefined;
  private apiPort = 0;
  private registryPort = 0;
  private prometheusPort = 0;

  constructor(private readonly options: SupervisorOptions) {}

  private get layout(): LabLayout {
    return this.options.layout;
  }

  private async writeState(): Promise<void> {
    await writeJson(this.layout.state, {
      supervisorPid: process.pid,
      ready: this.ready,
      apiServer: this.apiPort ? `http://127.0.0.1:${this.apiPort}` : undefined,
      registry: this.registryPort ? `127.0.0.1:${this.registryPort}` : undefined,
      clusters: [hubName, ...this.marker.clusters, ...(this.marker.hosts ?? []).map((h) => h.name)],
      hosts: this.marker.hosts ?? [],
      components: [...this.states.values()],
      updatedAt: new Date().toISOString(),
      ...(this.error ? { error: this.error } : {}),
    });
  }

  private async setState(
    name: string,
    health: ComponentHealth,
    extra: Partial<ComponentState> = {},
  ): Promise<void> {
    const previous = this.states.get(name);
    this.states.set(name, {
      name,
      pid: extra.pid ?? previous?.pid,
      health,
      restarts: extra.restarts ?? previous?.restarts ?? 0,
      log: extra.log ?? previous?.log ?? '',
      since: previous?.health === health ? previous.since : new Date().toISOString(),
      ...((extra.endpoint ?? previous?.endpoint) ? { endpoint: extra.endpoint ?? previous?.endpoint } : {}),
      ...(extra.message ? { message: extra.message } : {}),
    });
    await this.writeState();
  }

  private components(): ComponentSpec[] {
    const { layout } = this;
    const clusterArgs = this.marker.clusters.length > 0 ? ['--cluster', ...this.marker.clusters] : [];
    return [
      {
        name: 'etcd',
        log: path.join(layout.logs, 'etcd.log'),
        endpoint: () => this.etcd?.endpoint,
        start: async () => {
          this.etcd = await startEtcd({
            dataDir: layout.etcdData,
            logFile: path.join(layout.logs, 'etcd.log'),
            ...(this.marker.etcdClientPort && this.marker.etcdPeerPort
              ? { clientPort: this.marker.etcdClientPort, peerPort: this.marker.etcdPeerPort }
              : {}),
          });
          const etcd = this.etcd;
          return { pid: etcd.pid, exited: etcd.exited, stop: () => etcd.stop() };
        },
      },
      {
        name: 'apiserver',
        log: path.join(layout.logs, 'apiserver.log'),
        endpoint: () => `http://127.0.0.1:${this.apiPort}`,
        start: async () => {
          const { child, pid } = await spawnLogged(
            'apiserver',
            [
              'apiserver',
              '--dir',
              path.join(layout.dir, 'apiserver'),
              '--etcd-endpoint',
              this.etcd?.endpoint ?? '',
              '--port',
              String(this.apiPort),
              ...clusterArgs,
            ],
            path.join(layout.logs, 'apiserver.log'),
          );
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          await waitFor(
            async () => (await fetch(`http://127.0.0.1:${this.apiPort}/readyz`)).ok,
            30_000,
            'the API server',
          );
          return { pid, exited, stop: () => stopProcess(child, exited, 10_000) };
        },
      },
      {
        name: 'registry',
        log: path.join(layout.logs, 'registry.log'),
        endpoint: () => `http://127.0.0.1:${this.registryPort}`,
        start: async () => {
          const registry = await startRegistry({
            dir: path.join(layout.dir, 'registry'),
            port: this.registryPort,
            logFile: path.join(layout.logs, 'registry.log'),
          });
          return { pid: registry.pid, exited: registry.exited, stop: () => registry.stop() };
        },
      },
      ...(prometheusInstalled()
        ? [
            prometheusComponent({
              labDir: layout.dir,
              logsDir: layout.logs,
              port: this.prometheusPort,
              apiServerUrl: `http://127.0.0.1:${this.apiPort}`,
              clusters: () => [
                ...[hubName, ...this.marker.clusters].map((name) => ({ name, release: spokeRelease })),
                ...(this.marker.hosts ?? []).map((h) => ({ name: h.name, release: h.version })),
              ],
            }),
          ]
        : []),
      {
        name: 'controllers',
        log: path.join(layout.logs, 'controllers.log'),
        endpoint: () => undefined,
        start: async () => {
          await installCrds(`http://127.0.0.1:${this.apiPort}`, [hubName, ...this.marker.clusters]);
          await this.ensureLabHosts();
          const { child, pid } = await spawnLogged(
            'controllers',
            ['controllers', '--kubeconfig', layout.kubeconfig],
            path.join(layout.logs, 'controllers.log'),
          );
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          return { pid, exited, stop: () => stopProcess(child, exited, 10_000) };
        },
      },
      {
        name: 'cluster-version-operator',
        log: path.join(layout.logs, 'cluster-version-operator.log'),
        endpoint: () => undefined,
        start: async () => {
          const { child, pid } = await spawnLogged(
            'cluster-version-operator',
            [
              'lab',
              'cvo',
              '--kubeconfig',
              layout.kubeconfig,
              '--context',
              hubName,
              ...this.marker.clusters,
              ...(prometheusInstalled() ? ['--prometheus', `http://127.0.0.1:${this.prometheusPort}`] : []),
            ],
            path.join(layout.logs, 'cluster-version-operator.log'),
          );
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          return { pid, exited, stop: () => stopProcess(child, exited, 10_000) };
        },
      },
      ...(this.marker.hosts ?? []).map((h): ComponentSpec => ({
        name: `agent-${h.name}`,
        restartDelayMs: () => 200,
        log: path.join(layout.logs, `agent-${h.name}.log`),
        endpoint: () => undefined,
        start: async () => {
          const { child, pid } = await spawnLogged(
            `agent-${h.name}`,
            [
              'agent',
              '--kubeconfig',
              layout.kubeconfig,
              '--context',
              h.name,
              '--host-dir',
              hostDir(layout.dir, h.name),
              '--object-store',
              path.join(layout.dir, 'objectstore'),
            ],
            path.join(layout.logs, `agent-${h.name}.log`),
          );
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          return { pid, exited, stop: () => stopProcess(child, exited, 10_000) };
        },
      })),
    ];
  }

  /** Creates (or reopens) the simulated hosts; targets get the sample application. */
  private async ensureLabHosts(): Promise<void> {
    const specs = this.marker.hosts ?? [];
    if (specs.length === 0) return;
    const newest = specs
      .map((h) => h.version)
      .sort(compareReleases)
      .at(-1);
    const hosts = await ensureHosts(
      this.layout.dir,
      `http://127.0.0.1:${this.apiPort}`,
      specs.map((h) => ({
        name: h.name,
        release: { version: h.version },
        ...(h.facts !== undefined ? { facts: h.facts } : {}),
        ...(h.capacityBytes !== undefined ? { capacityBytes: h.capacityBytes } : {}),
      })),
    );
    for (const host of hosts) {
      await ensureReleaseImages(host, `127.0.0.1:${this.registryPort}`);
      const spec = specs.find((h) => h.name === host.name);
      if (spec !== undefined && spec.version !== newest) await installSampleApp(host);
    }
  }

  /** Starts one component and keeps it alive: a death restarts it with capped exponential backoff. */
  private async keep(spec: ComponentSpec): Promise<void> {
    const started = await spec.start();
    this.running.set(spec.name, started);
    await this.setState(spec.name, 'running', {
      pid: started.pid,
      log: spec.log,
      endpoint: spec.endpoint() ?? '',
    });
    void this.watchExit(spec, started, 0);
  }

  private async watchExit(spec: ComponentSpec, running: Running, restarts: number): Promise<void> {
    await running.exited;
    if (this.stopping) return;
    this.options.log(`${spec.name} (pid ${running.pid}) exited; restarting`);
    let attempt = restarts + 1;
    for (;;) {
      await this.setState(spec.name, 'restarting', {
        restarts: attempt,
        message: `exited; restart ${attempt}`,
      });
      await sleep(spec.restartDelayMs?.(attempt) ?? Math.min(500 * 2 ** Math.min(attempt - 1, 6), 30_000));
      if (this.stopping) return;
      try {
        const next = await spec.start();
        this.running.set(spec.name, next);
        await this.setState(spec.name, 'running', {
          pid: next.pid,
          restarts: attempt,
          endpoint: spec.endpoint() ?? '',
        });
        void this.watchExit(spec, next, attempt);
        return;
      } catch (error) {
        this.options.log(
          `${spec.name}: restart ${attempt} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        attempt++;
      }
    }
  }

  async start(): Promise<void> {
    const { layout } = this;
    await mkdir(layout.logs, { recursive: true });
    const existing = await readMarker(layout);
    this.apiPort = existing?.apiPort ?? (await findFreePort());
    this.registryPort = existing?.registryPort ?? (await findFreePort());
    this.prometheusPort = existing?.prometheusPort ?? (await findFreePort());
    this.marker = existing ?? {
      formatVersion: labFormatVersion,
      createdAt: new Date().toISOString(),
      clusters: [...this.options.clusters],
      hosts: [...this.options.hosts],
      apiPort: this.apiPort,
      registryPort: this.registryPort,
      prometheusPort: this.prometheusPort,
    };
    // A lab made before Prometheus joined keeps the port it is given now.
    if (this.marker.prometheusPort === undefined)
      this.marker = { ...this.marker, prometheusPort: this.prometheusPort };
    const specs = this.components();
    for (const spec of specs) await this.setState(spec.name, 'stopped', { log: spec.log });
    try {
      for (const spec of specs) {
        await this.setState(spec.name, 'starting');
        if (spec.name === 'controllers') {
          await writeFile(
            layout.kubeconfig,
            labKubeconfig(`http://127.0.0.1:${this.apiPort}`, hubName, [
              hubName,
              ...this.marker.clusters,
              ...(this.marker.hosts ?? []).map((h) => h.name),
            ]),
            { mode: 0o600 },
          );
        }
        await this.keep(spec);
        if (spec.name === 'etcd' && this.etcd) {
          this.marker = {
            ...this.marker,
            etcdClientPort: this.etcd.clientPort,
            etcdPeerPort: this.etcd.peerPort,
            apiPort: this.apiPort,
          };
          await writeJson(layout.marker, this.marker);
        }
      }
      this.ready = true;
      await this.writeState();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      await this.writeState();
      await this.stop();
      throw error;
    }
  }

  /** Stops every component in reverse order; the state file keeps their last PIDs as stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.ready = false;
    // Reverse start order: agents and controllers before what they talk to.
    for (const name of [...this.running.keys()].reverse()) {
      const running = this.running.get(name);
      if (running === undefined) continue;
      const started = Date.now();
      await running
        .stop()
        .catch((error: unknown) => this.options.log(`${name}: stop failed: ${String(error)}`));
      this.options.log(`${name} stopped in ${Date.now() - started} ms`);
      await this.setState(name, 'stopped');
    }
  }
}
