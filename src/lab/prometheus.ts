/**
 * Runs a private Prometheus (Debian's prometheus, 2.42) for the lab and for tests: loopback only, its
 * config, rule files and TSDB under one data dir, a free port, stopped by PID. It scrapes the lab API
 * server's /metrics and evaluates the update-readiness alerts (./prometheus-rules.ts); readiness
 * checks and conditional-update risks query it over the HTTP API.
 *
 * Prometheus is optional for the lab: `prometheusInstalled()` says whether it can run, and callers
 * that find it missing run without it (alerts and PromQL risks then report "cannot evaluate").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { findExecutable } from '../host/executable.ts';
import { probe, spawnServer } from './child-process.ts';
import { findFreePort, startOnFreePorts } from './ports.ts';
import { renderUpgradeReadinessRules, type ClusterRelease, type RuleTiming } from './prometheus-rules.ts';

export interface ScrapeTarget {
  /** The `job` label of the target's series. Targets sharing a job must share scheme and path. */
  readonly job: string;
  /** What Prometheus GETs, e.g. `http://127.0.0.1:6443/metrics`. */
  readonly url: string;
}

export interface PrometheusOptions {
  /** Holds prometheus.yml, rules/ (when the caller keeps its rules here) and tsdb/. */
  readonly dataDir: string;
  readonly port?: number;
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Alerting/recording rule files (absolute, or relative to the working directory). */
  readonly ruleFiles?: readonly string[];
  /** Default 2 s (see `labIntervalSeconds`). */
  readonly scrapeIntervalSeconds?: number;
  /** Default 2 s (see `labIntervalSeconds`). */
  readonly evaluationIntervalSeconds?: number;
  /** Where Prometheus's own log goes; default `<dataDir>/prometheus.log`. */
  readonly logFile?: string;
  /** How long to wait for `GET /-/ready`; default 30 s. */
  readonly startTimeoutMs?: number;
  /** The prometheus binary; default /usr/bin/prometheus, else the first on PATH. */
  readonly binary?: string;
}

export interface PrometheusProcess {
  /** `http://127.0.0.1:PORT`, the base of the HTTP API (`/api/v1/query`, `/api/v1/alerts`). */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** Rewrites prometheus.yml with new targets or rule files and has Prometheus reload it (`POST /-/reload`). */
  reload(changes?: Pick<Partial<PrometheusOptions>, 'scrapeTargets' | 'ruleFiles'>): Promise<void>;
  /** SIGTERM, then SIGKILL if Prometheus has not exited after `timeoutMs` (default 10 s: it flushes its head block). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Scrape and rule-evaluation interval in the lab. Upstream clusters use 30 s; at that pace an alert
 * with a short `for:` still needs a minute or more to show, which a rehearsal or a test cannot
 * wait for. The lab has a handful of series, so scraping every 2 s costs nothing.
 */
export const labIntervalSeconds = 2;

export const prometheusInstallHint =
  'install Debian package prometheus (run scripts/ensure-system-deps.sh as root; CI does it)';

function findPrometheusBinary(explicit?: string): string | undefined {
  return findExecutable('prometheus', explicit);
}

/** Whether a Prometheus binary is there to run; the lab runs without Prometheus when it is not. */
export function prometheusInstalled(binary?: string): boolean {
  return findPrometheusBinary(binary) !== undefined;
}

interface ScrapeConfig {
  job_name: string;
  scheme: string;
  metrics_path: string;
  params?: Record<string, string[]>;
  static_configs: { targets: string[] }[];
}

function scrapeConfigs(targets: readonly ScrapeTarget[]): ScrapeConfig[] {
  const byJob = new Map<string, ScrapeConfig>();
  targets.forEach((target, index) => {
    const field = `scrapeTargets[${index}]`;
    if (target.job.trim() === '') throw new RangeError(`${field}.job: must not be empty`);
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      throw new RangeError(
        `${field}.url: '${target.url}' is not a URL; expected e.g. http://127.0.0.1:6443/metrics`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`${field}.url: '${target.url}' must use http or https`);
    }
    if (url.username !== '' || url.password !== '' || url.hash !== '') {
      throw new RangeError(`${field}.url: '${target.url}' must not carry credentials or a fragment`);
    }
    const params: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) params[name] = [...(params[name] ?? []), value];
    const config: ScrapeConfig = {
      job_name: target.job,
      scheme: url.protocol.slice(0, -1),
      metrics_path: url.pathname,
      ...(Object.keys(params).length > 0 ? { params } : {}),
      static_configs: [{ targets: [url.host] }],
    };
    const existing = byJob.get(target.job);
    if (existing === undefined) {
      byJob.set(target.job, config);
      return;
    }
    if (
      existing.scheme !== config.scheme ||
      existing.metrics_path !== config.metrics_path ||
      JSON.stringify(existing.params) !== JSON.stringify(config.params)
    ) {
      throw new RangeError(
        `${field}: job '${target.job}' already scrapes ${existing.scheme}://…${existing.metrics_path}; targets of one job must share scheme, path and query — give this one its own job`,
      );
    }
    existing.static_configs[0]?.targets.push(url.host);
  });
  return [...byJob.values()];
}

function positiveSeconds(value: number | undefined, field: string): number {
  const seconds = value ?? labIntervalSeconds;
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new RangeError(`${field}: ${seconds} is not a whole number of seconds ≥ 1`);
  }
  return seconds;
}

/** prometheus.yml as an object; throws a RangeError naming the option at fault. */
export function prometheusConfig(
  options: Pick<
    PrometheusOptions,
    'scrapeTargets' | 'ruleFiles' | 'scrapeIntervalSeconds' | 'evaluationIntervalSeconds'
  >,
): Record<string, unknown> {
  const scrape = positiveSeconds(options.scrapeIntervalSeconds, 'scrapeIntervalSeconds');
  const evaluation = positiveSeconds(options.evaluationIntervalSeconds, 'evaluationIntervalSeconds');
  return {
    global: {
      scrape_interval: `${scrape}s`,
      // Prometheus refuses a timeout longer than the interval, and its default (10 s) is.
      scrape_timeout: `${scrape}s`,
      evaluation_interval: `${evaluation}s`,
    },
    rule_files: (options.ruleFiles ?? []).map((file) => resolve(file)),
    scrape_configs: scrapeConfigs(options.scrapeTargets),
  };
}

function writeConfig(configFile: string, options: PrometheusOptions): void {
  writeFileSync(configFile, stringify(prometheusConfig(options), { aliasDuplicateObjects: false }));
}

async function requestReload(url: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${url}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`Prometheus at ${url} did not take the reload: ${String(error)}`);
  }
  if (!response.ok) {
    throw new Error(
      `Prometheus at ${url} refused the new configuration (${response.status}): ${(await response.text()).trim()}`,
    );
  }
}

async function startOnce(
  binary: string,
  options: PrometheusOptions,
  port: number,
  logFile: string,
): Promise<PrometheusProcess> {
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(options.dataDir, 'prometheus.yml');
  const tsdb = join(options.dataDir, 'tsdb');
  mkdirSync(tsdb, { recursive: true });
  let current: PrometheusOptions = options;
  writeConfig(configFile, current);

  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${tsdb}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // For reload(): the lab rewrites targets and rules when clusters change release.
    '--web.enable-lifecycle',
  ];
  const reload = async (changes: Pick<Partial<PrometheusOptions>, 'scrapeTargets' | 'ruleFiles'> = {}) => {
    current = { ...current, ...changes };
    writeConfig(configFile, current);
    await requestReload(url);
  };
  const server = await spawnServer({
    name: 'prometheus',
    binary,
    args,
    logFile,
    url,
    isReady: () => probe(`${url}/-/ready`, (status) => status === 200),
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    pollMs: 100,
    stopTimeoutMs: 10_000,
  });
  return { ...server, url, port, dataDir: options.dataDir, configFile, logFile, reload };
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusProcess> {
  const binary = findPrometheusBinary(options.binary);
  if (binary === undefined)
    throw new Error(`${options.binary ?? 'prometheus'} not found: ${prometheusInstallHint}`);
  // Validate before touching the disk or spawning anything.
  prometheusConfig(options);
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = options.logFile ?? join(options.dataDir, 'prometheus.log');
  mkdirSync(dirname(logFile), { recursive: true });
  return startOnFreePorts(
    options.port !== undefined,
    async () => options.port ?? (await findFreePort()),
    (port) => startOnce(binary, options, port, logFile),
  );
}

/** What the lab supervisor knows when it starts Prometheus. */
export interface LabPrometheusInputs {
  /** The lab directory; Prometheus keeps everything under `<labDir>/prometheus`. */
  readonly labDir: string;
  readonly logsDir: string;
  /** Kept in the lab marker so URLs handed out earlier stay valid after down/up. */
  readonly port: number;
  /** `http://127.0.0.1:PORT` of the lab API server; its `/metrics` is scraped as job `apiserver`. */
  readonly apiServerUrl: string;
  /** Read at every (re)start: each cluster's current release selects its API-removal alerts. */
  readonly clusters: () => readonly ClusterRelease[];
  readonly timing?: RuleTiming;
}

/** The shape of one supervisor component (src/lab/supervisor.ts ComponentSpec). */
export interface LabComponent {
  readonly name: string;
  readonly log: string;
  endpoint(): string | undefined;
  start(): Promise<{ readonly pid: number; readonly exited: Promise<unknown>; stop(): Promise<void> }>;
}

export function labPrometheusDir(labDir: string): string {
  return join(labDir, 'prometheus');
}

/** Writes the update-readiness rules and returns the options the lab starts Prometheus with. */
export function labPrometheusOptions(inputs: LabPrometheusInputs): PrometheusOptions {
  const dataDir = labPrometheusDir(inputs.labDir);
  const rulesFile = join(dataDir, 'rules', 'upgrade-readiness.rules.yml');
  mkdirSync(join(dataDir, 'rules'), { recursive: true });
  writeFileSync(
    rulesFile,
    renderUpgradeReadinessRules({
      clusters: inputs.clusters(),
      ...(inputs.timing ? { timing: inputs.timing } : {}),
    }),
  );
  return {
    dataDir,
    port: inputs.port,
    logFile: join(inputs.logsDir, 'prometheus.log'),
    ruleFiles: [rulesFile],
    scrapeTargets: [
      { job: 'apiserver', url: `${inputs.apiServerUrl.replace(/\/+$/, '')}/metrics` },
      { job: 'prometheus', url: `http://127.0.0.1:${inputs.port}/metrics` },
    ],
  };
}

/** The lab's Prometheus as a supervisor component: started after the API server, restarted on death. */
export function prometheusComponent(inputs: LabPrometheusInputs): LabComponent {
  return {
    name: 'prometheus',
    log: join(inputs.logsDir, 'prometheus.log'),
    endpoint: () => `http://127.0.0.1:${inputs.port}`,
    start: async () => {
      const prometheus = await startPrometheus(labPrometheusOptions(inputs));
      return { pid: prometheus.pid, exited: prometheus.exited, stop: () => prometheus.stop() };
    },
  };
}
