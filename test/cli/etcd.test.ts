import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { etcdCommand } from '../../src/cli/commands/etcd.ts';
import { startEtcd, type EtcdProcess } from '../../src/lab/etcd-server.ts';
import { labFormatVersion, type LabMarker, type LabState } from '../../src/lab/state.ts';

const workDir = mkdtempSync(join(tmpdir(), 'lcm-etcd-cli-'));
let etcd: EtcdProcess;

before(async () => {
  etcd = await startEtcd({ dataDir: join(workDir, 'etcd') });
});

after(async () => {
  await etcd.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs `lcm etcd <args>` in-process; returns what it printed on stdout. */
async function lcmEtcd(args: string[]): Promise<string> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  await etcdCommand({ out: sink, err: process.stderr }).parseAsync(args, { from: 'user' });
  return out;
}

/** A lab dir whose supervisor state names the test etcd, as a running lab's does. */
async function fakeLab(dir: string, etcdPeerPort: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const marker: LabMarker = {
    formatVersion: labFormatVersion,
    createdAt: new Date().toISOString(),
    clusters: [],
    etcdClientPort: etcd.clientPort,
    etcdPeerPort,
  };
  const state: LabState = {
    supervisorPid: process.pid,
    ready: true,
    clusters: [],
    components: [
      {
        name: 'etcd',
        pid: etcd.pid,
        health: 'running',
        restarts: 0,
        endpoint: etcd.endpoint,
        log: etcd.logFile,
        since: new Date().toISOString(),
      },
    ],
    updatedAt: new Date().toISOString(),
  };
  await writeFile(join(dir, 'lab.json'), JSON.stringify(marker));
  await writeFile(join(dir, 'state.json'), JSON.stringify(state));
}

interface ListedSnapshot {
  name: string;
  path: string;
  takenAt: string;
  revision: number;
  totalKeys: number;
  size: number;
}

describe('lcm etcd', () => {
  it('backup --endpoints saves a snapshot and prints its path, size, revision and keys', async () => {
    const backupDir = join(workDir, 'backups');
    const out = await lcmEtcd(['backup', '--endpoints', etcd.endpoint, '--backup-dir', backupDir]);
    const path = /^snapshot +(\S+)$/m.exec(out)?.[1];
    assert.ok(path !== undefined && path.startsWith(`${backupDir}/snapshot_`), out);
    assert.equal(/^size +.*\((\d+) bytes\)$/m.exec(out)?.[1], String((await stat(path)).size));
    assert.match(out, /^revision +\d+$/m);
    assert.match(out, /^keys +\d+$/m);
  });

  it("backup without --endpoints backs up the lab's etcd into <lab>/backups/etcd", async () => {
    const lab = join(workDir, 'lab-backup');
    await fakeLab(lab, 2380);
    const result = JSON.parse(await lcmEtcd(['backup', '--dir', lab, '-o', 'json'])) as { path: string };
    assert.ok(result.path.startsWith(join(lab, 'backups', 'etcd', 'snapshot_')), result.path);
    assert.equal((await readdir(join(lab, 'backups', 'etcd'))).length, 2);
  });

  it('backup without --endpoints and without a lab says how to name one', async () => {
    await assert.rejects(
      lcmEtcd(['backup', '--dir', join(workDir, 'no-lab')]),
      /--endpoints: not given, and there is no lab in .*no-lab/,
    );
  });

  it('list prints the snapshots newest first as a table or JSON', async () => {
    const backupDir = join(workDir, 'list-backups');
    await lcmEtcd(['backup', '--endpoints', etcd.endpoint, '--backup-dir', backupDir]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await lcmEtcd(['backup', '--endpoints', etcd.endpoint, '--backup-dir', backupDir]);
    const listed = JSON.parse(
      await lcmEtcd(['list', '--backup-dir', backupDir, '-o', 'json']),
    ) as ListedSnapshot[];
    assert.equal(listed.length, 2);
    assert.ok((listed[0]?.takenAt ?? '') > (listed[1]?.takenAt ?? ''));
    const table = await lcmEtcd(['list', '--backup-dir', backupDir]);
    const [header, first] = table.split('\n');
    assert.match(header ?? '', /^NAME +TAKEN +REVISION +KEYS +SIZE$/);
    assert.ok(first?.startsWith(listed[0]?.name ?? '-'), table);
  });

  it('restore without --yes refuses, explaining it is a last resort, and touches nothing', async () => {
    const backupDir = join(workDir, 'refused-backups');
    await lcmEtcd(['backup', '--endpoints', etcd.endpoint, '--backup-dir', backupDir]);
    const dataDir = join(workDir, 'refused-restore');
    await assert.rejects(
      lcmEtcd(['restore', 'latest', '--backup-dir', backupDir, '--data-dir', dataDir]),
      /etcd restore is a last resort[\s\S]*Refusing without --yes/,
    );
    await assert.rejects(stat(dataDir), { code: 'ENOENT' });
  });

  it('restore --yes into a new dir prints the exact commands that put it in place in the lab', async () => {
    const lab = join(workDir, 'lab-restore');
    await fakeLab(lab, 23_999);
    await lcmEtcd(['backup', '--dir', lab]);
    const dataDir = join(workDir, 'lab-restored');
    const out = await lcmEtcd(['restore', 'latest', '--dir', lab, '--data-dir', dataDir, '--yes']);
    assert.deepEqual(await readdir(dataDir), ['member']);
    assert.match(out, /^restored .*snapshot_.*\.db \(revision \d+, \d+ keys\) into /m);
    const commands = out
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim());
    assert.equal(commands.length, 4, out);
    assert.equal(commands[0], `lcm lab down --dir ${lab}`);
    assert.match(
      commands[1] ?? '',
      new RegExp(`^mv ${join(lab, 'etcd')} ${join(lab, 'etcd')}\\.before-restore-\\S+$`),
    );
    assert.equal(commands[2], `mv ${dataDir} ${join(lab, 'etcd')}`);
    assert.equal(commands[3], `lcm lab up --dir ${lab}`);
  });

  it('restore outside a lab prints how to start etcd on the restored dir', async () => {
    const backupDir = join(workDir, 'plain-backups');
    const saved = JSON.parse(
      await lcmEtcd(['backup', '--endpoints', etcd.endpoint, '--backup-dir', backupDir, '-o', 'json']),
    ) as { path: string };
    const dataDir = join(workDir, 'plain-restored');
    const out = await lcmEtcd([
      'restore',
      saved.path,
      '--dir',
      join(workDir, 'no-lab'),
      '--data-dir',
      dataDir,
      '--peer-urls',
      'http://127.0.0.1:12380',
      '--yes',
    ]);
    assert.ok(
      out.includes(
        `etcd --name lcm --data-dir ${dataDir} --listen-peer-urls http://127.0.0.1:12380 --initial-advertise-peer-urls http://127.0.0.1:12380`,
      ),
      out,
    );
  });

  it('help says restore is a last resort and shows examples', () => {
    const etcdHelp = etcdCommand();
    const restore = etcdHelp.commands.find((c) => c.name() === 'restore');
    const backup = etcdHelp.commands.find((c) => c.name() === 'backup');
    let restoreHelp = '';
    restore?.configureOutput({ writeOut: (text) => (restoreHelp += text) }).outputHelp();
    let backupHelp = '';
    backup?.configureOutput({ writeOut: (text) => (backupHelp += text) }).outputHelp();
    assert.match(restoreHelp, /LAST RESORT/);
    assert.match(restoreHelp, /etcd restore is a last resort/);
    assert.match(restoreHelp, /Examples:\n {2}lcm etcd restore latest/);
    assert.match(backupHelp, /Examples:\n {2}lcm etcd backup/);
  });
});
