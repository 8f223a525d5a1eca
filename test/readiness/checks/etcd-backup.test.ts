import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etcdBackupCheck } from '../../../src/readiness/checks/etcd-backup.ts';
import { context, now, severitiesOf } from './fixtures.ts';

const hoursAgo = (h: number): Date => new Date(now.getTime() - h * 3_600_000);

describe('UPD-7 etcd backup', () => {
  it('no backup source is info naming --etcd-backup-dir', async () => {
    const findings = await etcdBackupCheck.run(context([]));
    assert.deepEqual(severitiesOf(findings), ['info']);
    assert.match(findings[0]?.title ?? '', /--etcd-backup-dir/);
  });

  it('no backup, or one older than 24 hours, is a warning whose fix is lcm etcd backup', async () => {
    const none = await etcdBackupCheck.run(context([], { lastEtcdBackup: () => Promise.resolve(undefined) }));
    assert.deepEqual(severitiesOf(none), ['warning']);
    assert.equal(none[0]?.fix, 'lcm etcd backup');
    const old = await etcdBackupCheck.run(
      context([], {
        lastEtcdBackup: () => Promise.resolve({ takenAt: hoursAgo(30), path: '/b/snapshot_1.db' }),
      }),
    );
    assert.deepEqual(severitiesOf(old), ['warning']);
    assert.match(old[0]?.title ?? '', /30 hours old/);
  });

  it('a backup from the last 24 hours passes', async () => {
    const fresh = await etcdBackupCheck.run(
      context([], {
        lastEtcdBackup: () => Promise.resolve({ takenAt: hoursAgo(2), path: '/b/snapshot_2.db' }),
      }),
    );
    assert.deepEqual(fresh, []);
  });

  it('the fix names the backup directory when one was given', async () => {
    const [finding] = await etcdBackupCheck.run(
      context([], { lastEtcdBackup: () => Promise.resolve(undefined), etcdBackupDir: '/var/backups/etcd' }),
    );
    assert.equal(finding?.fix, 'lcm etcd backup --backup-dir /var/backups/etcd');
  });
});
