/**
 * The API server under benchmark runs in a child process of its own (server-process.ts), so the
 * load generator's CPU is not counted against it; this starts it and waits for its ready line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { ServerProcessReady } from './server-process.ts';

export interface ServerChild extends ServerProcessReady {
  stop(): Promise<void>;
}

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-process.ts');

export async function startServerChild(backend: 'memory' | 'etcd'): Promise<ServerChild> {
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(
    process.execPath,
    [...process.execArgv, serverScript, '--backend', backend],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<ServerProcessReady>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as ServerProcessReady);
    });
    child.once('exit', (code) =>
      reject(new Error(`server process (${backend}) exited with ${code ?? 'signal'} before serving`)),
    );
    child.once('error', reject);
  });
  return {
    ...ready,
    stop: async () => {
      child.stdin.end();
      const killed = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
      if (killed) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
