import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, truncate, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  etcdBackupSource,
  lastEtcdSnapshot,
  listEtcdSnapshots,
  restoreEtcdSnapshot,
  takeEtcdSnapshot,
  type EtcdSnapshotMetadata,
} from '../../src/host/etcd-snapshot.ts';
import { startEtcd, type EtcdProcess } from '../../src/lab/etcd-server.ts';
import { findFreePort } from '../../src/lab/ports.ts';

const run = promisify(execFile);
const env = { ...process.env, ETCDCTL_API: '3' };

async function put(endpoint: string, key: string, value: string): Promise<void> {
  await run('etcdctl', ['--endpoints', endpoint, 'put', key, value], { env });
}

/** Every key/value under /test/, as etcdctl prints them (key line, value line). */
async function testKeys(endpoint: string): Promise<Record<string, string>> {
  const { stdout } = await run('etcdctl', ['--endpoints', endpoint, 'get', '/test/', '--prefix'], { env });
  const lines = stdout.split('\n').filter((l) => l !== '');
  const result: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) result[lines[i] ?? ''] = lines[i + 1] ?? '';
  return result;
}

const workDir = mkdtempSync(join(tmpdir(), 'lcm-etcd-snapshot-'));
let etcd: EtcdProcess;

before(async () => {
  etcd = await startEtcd({ dataDir: join(workDir, 'etcd') });
});

after(async () => {
  await etcd.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('etcd backup and restore', () => {
  it('a restored data dir holds exactly the keys present when the snapshot was taken', async () => {
    const backupDir = join(workDir, 'roundtrip-backups');
    await put(etcd.endpoint, '/test/a', 'one');
    await put(etcd.endpoint, '/test/b', 'two');
    const snapshot = await takeEtcdSnapshot({ endpoints: [etcd.endpoint], backupDir });
    await put(etcd.endpoint, '/test/c', 'after the backup');
    await put(etcd.endpoint, '/test/a', 'changed after the backup');

    assert.match(snapshot.path, /\/snapshot_\d{4}-\d{2}-\d{2}_\d{6}\.db$/);
    assert.ok(snapshot.revision > 1 && snapshot.totalKeys > 0);
    assert.equal((await stat(snapshot.path)).size, snapshot.size);
    const metadata = JSON.parse(
      await readFile(snapshot.path.replace(/\.db$/, '.json'), 'utf8'),
    ) as EtcdSnapshotMetadata;
    assert.deepEqual(
      {
        takenAt: metadata.takenAt,
        endpoints: metadata.endpoints,
        revision: metadata.revision,
        hash: metadata.hash,
        size: metadata.size,
      },
      {
        takenAt: snapshot.takenAt,
        endpoints: [etcd.endpoint],
        revision: snapshot.revision,
        hash: snapshot.hash,
        size: snapshot.size,
      },
    );
    assert.match(metadata.lcmVersion, /^\d+\.\d+\.\d+/);
    assert.deepEqual((await readdir(backupDir)).sort(), [
      snapshot.path.split('/').at(-1),
      snapshot.path.split('/').at(-1)?.replace(/\.db$/, '.json'),
    ]);

    const dataDir = join(workDir, 'restored');
    const restored = await restoreEtcdSnapshot({ snapshot: snapshot.path, dataDir });
    assert.equal(restored.revision, snapshot.revision);
    const second = await startEtcd({ dataDir });
    try {
      assert.deepEqual(await testKeys(second.endpoint), { '/test/a': 'one', '/test/b': 'two' });
    } finally {
      await second.stop();
    }
  });

  it('the first endpoint that answers serves the snapshot', { timeout: 30_000 }, async () => {
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const backupDir = join(workDir, 'failover-backups');
    const snapshot = await takeEtcdSnapshot({ endpoints: [dead, etcd.endpoint], backupDir });
    const [listed] = await listEtcdSnapshots(backupDir);
    assert.equal(listed?.path, snapshot.path);
    assert.equal(listed.metadata.endpoint, etcd.endpoint);
  });

  it(
    'a backup from an unreachable etcd fails naming the endpoint and leaves nothing behind',
    { timeout: 30_000 },
    async () => {
      const dead = `http://127.0.0.1:${await findFreePort()}`;
      const backupDir = join(workDir, 'dead-backups');
      await assert.rejects(takeEtcdSnapshot({ endpoints: [dead], backupDir }), (error: Error) => {
        assert.match(error.message, /etcd snapshot failed on every endpoint/);
        assert.ok(error.message.includes(dead), error.message);
        return true;
      });
      assert.deepEqual(await readdir(backupDir), []);
    },
  );

  it('a truncated snapshot is refused with the reason and no data dir is created', async () => {
    const snapshot = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir: join(workDir, 'truncated-backups'),
    });
    await truncate(snapshot.path, 10_000);
    const dataDir = join(workDir, 'from-truncated');
    await assert.rejects(
      restoreEtcdSnapshot({ snapshot: snapshot.path, dataDir }),
      /is truncated or not made by etcdctl snapshot save: its 10000 bytes/,
    );
    await assert.rejects(stat(dataDir), { code: 'ENOENT' });
  });

  it('a snapshot with a flipped byte is refused as corrupt', async () => {
    const snapshot = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir: join(workDir, 'corrupt-backups'),
    });
    const handle = await open(snapshot.path, 'r+');
    try {
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, 4096);
      byte[0] = (byte[0] ?? 0) ^ 0xff;
      await handle.write(byte, 0, 1, 4096);
    } finally {
      await handle.close();
    }
    await assert.rejects(
      restoreEtcdSnapshot({ snapshot: snapshot.path, dataDir: join(workDir, 'from-corrupt') }),
      /is corrupt: the SHA-256 of its contents does not match/,
    );
  });

  it('restoring into a non-empty dir is refused, naming it, and leaves it untouched', async () => {
    const snapshot = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir: join(workDir, 'occupied-backups'),
    });
    const dataDir = join(workDir, 'occupied');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'precious'), 'keep me');
    await assert.rejects(restoreEtcdSnapshot({ snapshot: snapshot.path, dataDir }), (error: Error) => {
      assert.ok(
        error.message.startsWith(`refusing to restore into ${dataDir}: it is not empty`),
        error.message,
      );
      return true;
    });
    assert.deepEqual(await readdir(dataDir), ['precious']);
    assert.equal(await readFile(join(dataDir, 'precious'), 'utf8'), 'keep me');
  });

  it('an existing empty dir is a valid restore target', async () => {
    const snapshot = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir: join(workDir, 'empty-target-backups'),
    });
    const dataDir = join(workDir, 'empty-target');
    await mkdir(dataDir);
    await restoreEtcdSnapshot({ snapshot: snapshot.path, dataDir });
    assert.deepEqual(await readdir(dataDir), ['member']);
  });
});

describe('listing etcd snapshots', () => {
  it('lists complete snapshots newest first, skipping partial files and bad metadata with a warning', async () => {
    const backupDir = join(workDir, 'listed-backups');
    const at = (iso: string): { now: () => Date } => ({ now: () => new Date(iso) });
    const older = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir,
      clock: at('2026-01-01T10:00:00Z'),
    });
    const newer = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir,
      clock: at('2026-01-02T10:00:00Z'),
    });
    const broken = await takeEtcdSnapshot({
      endpoints: [etcd.endpoint],
      backupDir,
      clock: at('2026-01-03T10:00:00Z'),
    });
    await writeFile(broken.path.replace(/\.db$/, '.json'), '{ not json');
    await writeFile(join(backupDir, 'snapshot_2026-01-04_100000.db.partial'), 'half a snapshot');

    assert.equal(older.path, join(backupDir, 'snapshot_2026-01-01_100000.db'));
    const warnings: string[] = [];
    const listed = await listEtcdSnapshots(backupDir, { warn: (m) => warnings.push(m) });
    assert.deepEqual(
      listed.map((s) => s.path),
      [newer.path, older.path],
    );
    assert.equal(warnings.length, 2);
    assert.ok(warnings.some((w) => w.includes('.partial') && w.includes('interrupted backup')));
    assert.ok(warnings.some((w) => w.includes(broken.path) && w.includes('invalid')));

    assert.equal((await lastEtcdSnapshot(backupDir, { warn: () => undefined }))?.path, newer.path);
    assert.deepEqual(await etcdBackupSource(backupDir)(), {
      takenAt: '2026-01-02T10:00:00.000Z',
      path: newer.path,
    });
  });

  it('two snapshots in the same second get distinct names', async () => {
    const backupDir = join(workDir, 'same-second-backups');
    const clock = { now: () => new Date('2026-02-01T00:00:00Z') };
    const first = await takeEtcdSnapshot({ endpoints: [etcd.endpoint], backupDir, clock });
    const second = await takeEtcdSnapshot({ endpoints: [etcd.endpoint], backupDir, clock });
    assert.notEqual(first.path, second.path);
    assert.equal((await listEtcdSnapshots(backupDir)).length, 2);
  });

  it('a missing backup dir has no snapshots', async () => {
    assert.deepEqual(await listEtcdSnapshots(join(workDir, 'never-created')), []);
    assert.equal(await etcdBackupSource(join(workDir, 'never-created'))(), undefined);
  });
});
