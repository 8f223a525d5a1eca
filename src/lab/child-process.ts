/** What the lab's child processes (etcd, the registry, lcm components) share: exit, logs, stop by PID. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
export function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
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
