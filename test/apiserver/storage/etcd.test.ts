import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEtcdStorage } from '../../../src/apiserver/storage/etcd.ts';
import type { WatchEvent } from '../../../src/apiserver/storage/types.ts';
import { StorageUnavailableError } from '../../../src/apiserver/storage/types.ts';
import { startEtcd } from '../../../src/lab/etcd-server.ts';
import type { EtcdProcess } from '../../../src/lab/etcd-server.ts';
import { storageConformance } from './conformance.ts';

const workDir = mkdtempSync(join(tmpdir(), 'lcm-etcd-test-'));
let etcd: EtcdProcess;

before(async () => {
  etcd = await startEtcd({ dataDir: join(workDir, 'data') });
});

after(async () => {
  await etcd.stop();
  rmSync(workDir, { recursive: true, force: true });
});

storageConformance('etcd storage', async () => {
  const storage = await createEtcdStorage({ endpoints: [etcd.endpoint] });
  return { storage, close: () => storage.close() };
});

async function eventually<T>(what: string, attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not succeed in time`, { cause: error });
      await sleep(50);
    }
  }
}

function isStopped(pid: number): boolean {
  // /proc/<pid>/stat: "pid (comm) state …"; T is "stopped by a signal".
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
}

describe('etcd storage outage', () => {
  it('a hung etcd fails calls within the request timeout, and they work again once it answers', async () => {
    const storage = await createEtcdStorage({ endpoints: [etcd.endpoint], requestTimeoutMs: 300 });
    try {
      await storage.create('/outage/hung', '1');
      process.kill(etcd.pid, 'SIGSTOP');
      try {
        // kill() returns before the kernel has stopped every thread of etcd.
        await eventually('etcd to be stopped', () =>
          isStopped(etcd.pid) ? Promise.resolve() : Promise.reject(new Error('still running')),
        );
        const started = Date.now();
        await assert.rejects(storage.get('/outage/hung'), StorageUnavailableError);
        assert.ok(Date.now() - started < 2000, 'the call gave up near its deadline');
      } finally {
        process.kill(etcd.pid, 'SIGCONT');
      }
      assert.equal((await eventually('get after SIGCONT', () => storage.get('/outage/hung')))?.value, '1');
    } finally {
      await storage.close();
    }
  });

  it('a stopped etcd fails calls fast; after a restart calls work and an open watch sees a new write exactly once', async () => {
    const storage = await createEtcdStorage({ endpoints: [etcd.endpoint], requestTimeoutMs: 1000 });
    try {
      const before = await storage.create('/outage/restart/a', '1');
      const events: WatchEvent[] = [];
      const errors: Error[] = [];
      const handle = storage.watch('/outage/restart/', before.modRevision - 1, {
        onEvents: (batch) => events.push(...batch),
        onError: (error) => errors.push(error),
      });
      await eventually('the replayed event', () =>
        events.length === 1 ? Promise.resolve() : Promise.reject(new Error()),
      );

      await etcd.stop();
      const started = Date.now();
      await assert.rejects(storage.get('/outage/restart/a'), StorageUnavailableError);
      assert.ok(Date.now() - started < 1500, 'the call failed without waiting for retries');

      etcd = await startEtcd({
        dataDir: etcd.dataDir,
        clientPort: etcd.clientPort,
        peerPort: etcd.peerPort,
        logFile: etcd.logFile,
      });
      const after = await eventually('create after restart', () => storage.create('/outage/restart/b', '2'));
      await eventually('the watch event after restart', () =>
        events.length >= 2 ? Promise.resolve() : Promise.reject(new Error('not yet')),
      );
      await sleep(200);
      handle.cancel();
      assert.deepEqual(
        events.map((event) => (event.type === 'put' ? event.kv.modRevision : event.revision)),
        [before.modRevision, after.modRevision],
      );
      assert.deepEqual(errors, []);
    } finally {
      await storage.close();
    }
  });
});
