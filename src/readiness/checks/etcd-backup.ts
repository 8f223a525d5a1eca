/**
 * UPD-7: an etcd backup taken shortly before the update — seed 001's last resort when an update
 * leaves the cluster in a state only a restore can fix.
 */
import type { Check } from '../report/context.ts';

export const etcdBackupId = 'UPD-7/etcd-backup';

/** Older than this, a backup no longer reflects the cluster being updated. */
export const maxBackupAgeMs = 24 * 60 * 60 * 1000;

function age(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hours`;
}

export const etcdBackupCheck: Check = {
  id: etcdBackupId,
  title: 'Recent etcd backup',
  async run(ctx) {
    const fix =
      ctx.etcdBackupDir === undefined
        ? 'lcm etcd backup'
        : `lcm etcd backup --backup-dir ${ctx.etcdBackupDir}`;
    if (ctx.lastEtcdBackup === undefined) {
      const why = ctx.unavailableSources?.etcdBackupDir;
      return [
        {
          check: etcdBackupId,
          severity: 'info',
          title: `not checked: ${why ?? 'no etcd backup directory given (--etcd-backup-dir)'}`,
          evidence: {},
          fix: `Take a backup right before the update: ${fix}`,
        },
      ];
    }
    const last = await ctx.lastEtcdBackup();
    if (last === undefined)
      return [
        {
          check: etcdBackupId,
          severity: 'warning',
          title: 'no etcd backup found',
          evidence: {},
          fix,
        },
      ];
    const elapsed = ctx.clock.now().getTime() - last.takenAt.getTime();
    if (elapsed <= maxBackupAgeMs) return [];
    return [
      {
        check: etcdBackupId,
        severity: 'warning',
        title: `the newest etcd backup is ${age(elapsed)} old (more than 24 hours)`,
        evidence: { objects: [last.path], details: [`taken at ${last.takenAt.toISOString()}`] },
        fix,
      },
    ];
  },
};
