/**
 * Runs a private single-member etcd (Debian's etcd-server, v3.4) for the lab and for tests:
 * loopback only, its own data dir and ports, logs to a file, stopped by PID.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { findExecutable } from '../host/executable.ts';
import { probe, spawnServer } from './child-process.ts';
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
  const found = findExecutable('etcd');
  if (found === undefined) throw new Error(missingBinary);
  return found;
}

/** etcd refuses to start when an ETCD_* variable shadows one of our flags, so pass none through. */
function etcdEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('ETCD_') || name === 'ETCD_UNSUPPORTED_ARCH',
    ),
  );
}

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
  const server = await spawnServer({
    name: 'etcd',
    binary,
    args,
    env: etcdEnvironment(),
    logFile,
    url: endpoint,
    isReady: () =>
      probe(`${endpoint}/health`, (status, body) => status === 200 && body.includes('"health":"true"')),
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
  });
  return { ...server, endpoint, clientPort, peerPort, dataDir: options.dataDir, logFile };
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
