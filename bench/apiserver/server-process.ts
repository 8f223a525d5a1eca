/**
 * The API server under benchmark, in its own process so that the load generator never competes
 * with it for one event loop. Prints one JSON line `{"url","pid","etcdPid"}` once serving, and
 * shuts down (etcd and scratch dir included) when its stdin closes — so it cannot outlive the
 * benchmark even if that one is killed.
 *
 *   node --import tsx bench/apiserver/server-process.ts --backend memory|etcd
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLabApiServer } from '../../src/lab/lab-apiserver.ts';

export interface ServerProcessReady {
  readonly url: string;
  readonly pid: number;
  readonly etcdPid: number | undefined;
}

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'memory' } } });
const backend = values.backend;
if (backend !== 'memory' && backend !== 'etcd') {
  throw new Error(`--backend must be memory or etcd, not "${backend}"`);
}

const dir = await mkdtemp(path.join(os.tmpdir(), `lcm-bench-${backend}-`));
// The lab's own server (the same compaction settings as `lcm lab up`), not a test double.
const lab = await startLabApiServer({ dir, storage: backend });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await lab.stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}

process.stdin.resume();
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

const ready: ServerProcessReady = { url: lab.server.url, pid: process.pid, etcdPid: lab.etcd?.pid };
process.stdout.write(`${JSON.stringify(ready)}\n`);
