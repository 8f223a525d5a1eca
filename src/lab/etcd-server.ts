/**
 * Runs a private single-member etcd (Debian's etcd-server, v3.4) for the lab and for tests:
 * loopback only, its own data dir and ports, logs to a file, stopped by PID.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, openSync, closeSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { delimiter, dirname, join, basename } from 'node:path';
import { exitOf, logTail, stopProcess, type Exit } from './child-process.ts';
import { findFreePort, startOnFreePorts } from './ports.ts';

export interface EtcdOptions {
  readonly dataDir: string;
  readonly clientPort?: number;
  readonly peerPort?: number;
  /** Where etcd's own log goes; default: `<dataDir>.log` next to the data dir. */
  readonly logFile?: string;
  readonly host?: string;
  /** How long to wait for /health; default 20 s. */
  readonly startTimeoutMs?: number;
}

export interface EtcdProcess {
  /** `http://host:clientPort`, what etcd clients dial. */
  readonly endpoint: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly pid: number;
  readonly dataDir: string;
  readonly logFile: string;
  /** Resolves when the etcd process exits, for whatever reason (supervisors restart it). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if etcd has not exited after `timeoutMs` (default 5 s). */
  stop(timeoutMs?: number): Promise<void>;
}

const missingBinary =
  'etcd not found: install Debian package etcd-server (scripts/ensure-system-deps.sh does it when root)';

function findEtcdBinary(): string {
  const candidates = [
    '/usr/bin/etcd',
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'etcd')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(missingBinary);
}

/** etcd refuses to start when an ETCD_* variable shadows one of our flags, so pass none through. */
function etcdEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('ETCD_') || name === 'ETCD_UNSUPPORTED_ARCH',
    ),
  );
}

function healthy(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpGet(`${endpoint}/health`, { timeout: 1000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 && body.includes('"health":"true"')));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function startOnce(
  binary: string,
  options: EtcdOptions,
  host: string,
  clientPort: number,
  peerPort: number,
  logFile: string,
): Promise<EtcdProcess> {
  const endpoint = `http://${host}:${clientPort}`;
  const peerUrl = `http://${host}:${peerPort}`;
  const name = 'lcm';
  const args = [
    `--name=${name}`,
    `--data-dir=${options.dataDir}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${name}=${peerUrl}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=lcm-${basename(options.dataDir)}`,
    // A lone member elects itself; short ticks make that (and thus startup) take ~100 ms, not 1 s.
    '--heartbeat-interval=20',
    '--election-timeout=200',
    '--logger=zap',
    '--log-outputs=stderr',
  ];
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { stdio: ['ignore', logFd, logFd], env: etcdEnvironment() });
  } finally {
    closeSync(logFd);
  }
  const spawned = new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? -1));
    child.once('error', reject);
  });
  const pid = await spawned;
  const exited = exitOf(child);

  const stop = (timeoutMs = 5000): Promise<void> => stopProcess(child, exited, timeoutMs);

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let early: Exit | undefined;
  void exited.then((exit) => (early = exit));
  while (Date.now() < deadline) {
    if (early) {
      throw new Error(
        `etcd exited during startup (code ${early.code}, signal ${early.signal}); log ${logFile}:\n${logTail(logFile)}`,
      );
    }
    if (await healthy(endpoint)) {
      return { endpoint, clientPort, peerPort, pid, dataDir: options.dataDir, logFile, exited, stop };
    }
    await sleep(50);
  }
  await stop();
  throw new Error(`etcd at ${endpoint} did not become healthy in time; log ${logFile}:\n${logTail(logFile)}`);
}

export async function startEtcd(options: EtcdOptions): Promise<EtcdProcess> {
  const binary = findEtcdBinary();
  const host = options.host ?? '127.0.0.1';
  const logFile = options.logFile ?? join(dirname(options.dataDir), `${basename(options.dataDir)}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return startOnFreePorts(
    options.clientPort !== undefined && options.peerPort !== undefined,
    async () => {
      const clientPort = options.clientPort ?? (await findFreePort(host));
      let peerPort = options.peerPort ?? (await findFreePort(host));
      while (peerPort === clientPort) peerPort = await findFreePort(host);
      return { clientPort, peerPort };
    },
    ({ clientPort, peerPort }) => startOnce(binary, options, host, clientPort, peerPort, logFile),
  );
}
