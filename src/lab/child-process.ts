/**
 * What the lab's child processes (etcd, the registry, Prometheus, lcm components) share: start and
 * wait until ready, exit, logs, stop by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** The last lines of a log, for error messages that say why a process did not start. */
const errorLine = /\b(level=(error|fatal)|error|fatal|panic)\b/i;

/**
 * The last lines of a server's log, preceded by the earlier lines that report an error: servers
 * such as Prometheus say why they failed first and then log a dozen lines of orderly shutdown.
 */
export function logTail(logFile: string, lines = 15): string {
  let all: string[];
  try {
    all = readFileSync(logFile, 'utf8').split('\n');
  } catch {
    return '(no log)';
  }
  const tailStart = Math.max(0, all.length - lines);
  const earlierErrors = all
    .slice(0, tailStart)
    .filter((line) => errorLine.test(line))
    .slice(-10);
  const tail = all.slice(tailStart);
  return earlierErrors.length === 0 ? tail.join('\n') : [...earlierErrors, '…', ...tail].join('\n');
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM, then SIGKILL if the process has not exited after `timeoutMs`. SIGCONT follows the
 * SIGTERM because a SIGSTOPped process (outage tests) only acts on it once continued.
 */
export async function stopProcess(
  child: ChildProcess,
  exited: Promise<unknown>,
  timeoutMs: number,
): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signal(pid, 'SIGTERM');
  signal(pid, 'SIGCONT');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    signal(pid, 'SIGKILL');
    await exited;
  }
}

/** Answers whether `url` responds as `accepts` wants (any failure or a 1 s timeout is "no"). */
export function probe(url: string, accepts: (status: number, body: string) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpGet(url, { timeout: 1000, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(accepts(response.statusCode ?? 0, body)));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

export interface ServerSpawn {
  /** For messages: `etcd`, `docker-registry`, `prometheus`. */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  readonly logFile: string;
  /** Where it serves, for messages. */
  readonly url: string;
  readonly isReady: () => Promise<boolean>;
  readonly startTimeoutMs: number;
  readonly pollMs?: number;
  readonly stopTimeoutMs?: number;
}

export interface SpawnedServer {
  readonly pid: number;
  readonly exited: Promise<Exit>;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a server process logging to its file and waits until `isReady`; an early exit or a
 * timeout fails with the end of its log, and a server that never became ready is stopped.
 */
export async function spawnServer(spec: ServerSpawn): Promise<SpawnedServer> {
  const logFd = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.binary, spec.args, { stdio: ['ignore', logFd, logFd], env: spec.env ?? process.env });
  } finally {
    closeSync(logFd);
  }
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid ?? -1));
    child.once('error', (error) => reject(new Error(`${spec.name}: could not start (${error.message})`)));
  });
  const exited = exitOf(child);
  const stop = (timeoutMs = spec.stopTimeoutMs ?? 5000): Promise<void> =>
    stopProcess(child, exited, timeoutMs);
  const deadline = Date.now() + spec.startTimeoutMs;
  let early: Exit | undefined;
  void exited.then((exit) => (early = exit));
  while (Date.now() < deadline) {
    if (early) {
      throw new Error(
        `${spec.name} exited during startup (code ${early.code}, signal ${early.signal}); log ${spec.logFile}:\n${logTail(spec.logFile)}`,
      );
    }
    if (await spec.isReady()) return { pid, exited, stop };
    await new Promise((resolve) => setTimeout(resolve, spec.pollMs ?? 50));
  }
  await stop();
  throw new Error(
    `${spec.name} at ${spec.url} did not become ready in time; log ${spec.logFile}:\n${logTail(spec.logFile)}`,
  );
}
