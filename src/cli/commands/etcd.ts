/**
 * `lcm etcd backup | list | restore`: etcd snapshots before an update (seed 001 §2.1.4). Restore is
 * the last resort for a cluster an update left broken beyond repair; it is not a rollback.
 */
import path from 'node:path';
import { Command } from 'commander';
import {
  defaultMemberName,
  defaultPeerUrl,
  lastEtcdSnapshot,
  listEtcdSnapshots,
  restoreEtcdSnapshot,
  takeEtcdSnapshot,
} from '../../host/etcd-snapshot.ts';
import { formatCommand } from '../../host/run-command.ts';
import { isAlive, labLayout, readMarker, readState, type LabLayout } from '../../lab/state.ts';
import { exitCodeHelp, formatTable, outputOption, render, type OutputFormat } from '../output.ts';
import { progress } from '../progress.ts';

const defaultLabDir = './.lcm-lab';

export interface EtcdCommandIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream;
}

const lastResort =
  'etcd restore is a last resort: it replaces the whole cluster state with the snapshot, so every object ' +
  'created or changed since the snapshot is lost, and clients that remember newer resource versions ' +
  'must resync. Use it only when an update left the cluster broken in a way nothing else can repair; ' +
  'it is not a way to roll an update back.';

function defaultBackupDir(layout: LabLayout): string {
  return path.join(layout.dir, 'backups', 'etcd');
}

/** The lab's etcd, from the supervisor's state file: the endpoint of a live `etcd` component. */
async function labEtcdEndpoints(labDir: string): Promise<string[]> {
  const layout = labLayout(labDir);
  const marker = await readMarker(layout);
  const state = await readState(layout);
  const etcd = state?.components.find((c) => c.name === 'etcd');
  if (state !== undefined && isAlive(state.supervisorPid) && etcd?.endpoint && isAlive(etcd.pid)) {
    return [etcd.endpoint];
  }
  if (marker === undefined && state === undefined) {
    throw new Error(
      `--endpoints: not given, and there is no lab in ${layout.dir} to back up; pass --endpoints http://host:2379 or --dir <lab dir>`,
    );
  }
  throw new Error(
    `--endpoints: not given, and the lab's etcd in ${layout.dir} is not running; start it (lcm lab up --dir ${labDir}) or pass --endpoints`,
  );
}

function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

interface BackupOptions {
  endpoints?: string;
  backupDir?: string;
  dir: string;
  output: OutputFormat;
}

async function backup(io: EtcdCommandIo, options: BackupOptions): Promise<void> {
  const endpoints =
    options.endpoints !== undefined ? splitList(options.endpoints) : await labEtcdEndpoints(options.dir);
  if (endpoints.length === 0) throw new Error('--endpoints: expected one or more comma-separated etcd URLs');
  const backupDir = path.resolve(options.backupDir ?? defaultBackupDir(labLayout(options.dir)));
  const steps = progress(io.err);
  const snapshot = await steps.step(
    `saving an etcd snapshot from ${endpoints.join(', ')} into ${backupDir}`,
    () => takeEtcdSnapshot({ endpoints, backupDir }),
  );
  const size = snapshot.size;
  io.out.write(
    render(options.output, snapshot, () =>
      [
        `snapshot   ${snapshot.path}`,
        `taken at   ${snapshot.takenAt}`,
        `size       ${humanSize(size)} (${size} bytes)`,
        `revision   ${snapshot.revision}`,
        `keys       ${snapshot.totalKeys}`,
        `hash       ${snapshot.hash}`,
        '',
      ].join('\n'),
    ),
  );
}

async function list(
  io: EtcdCommandIo,
  options: { backupDir?: string; dir: string; output: OutputFormat },
): Promise<void> {
  const backupDir = path.resolve(options.backupDir ?? defaultBackupDir(labLayout(options.dir)));
  const snapshots = await listEtcdSnapshots(backupDir, {
    warn: (message) => void io.err.write(`warning: ${message}\n`),
  });
  const rows = snapshots.map((s) => ({
    name: path.basename(s.path),
    path: s.path,
    takenAt: s.takenAt,
    revision: s.revision,
    totalKeys: s.totalKeys,
    totalSize: s.totalSize,
    size: s.size,
    hash: s.hash,
    endpoint: s.metadata.endpoint,
    ...(s.metadata.etcdVersion === undefined ? {} : { etcdVersion: s.metadata.etcdVersion }),
    lcmVersion: s.metadata.lcmVersion,
  }));
  io.out.write(
    render(options.output, rows, () =>
      rows.length === 0
        ? `no etcd snapshots in ${backupDir} (lcm etcd backup takes one)\n`
        : formatTable(
            ['name', 'taken', 'revision', 'keys', 'size'],
            rows.map((r) => [r.name, r.takenAt, String(r.revision), String(r.totalKeys), humanSize(r.size)]),
          ),
    ),
  );
}

interface RestoreOptions {
  dataDir: string;
  name?: string;
  peerUrls?: string;
  initialCluster?: string;
  backupDir?: string;
  dir: string;
  yes?: boolean;
}

async function restore(io: EtcdCommandIo, snapshotArgument: string, options: RestoreOptions): Promise<void> {
  if (options.yes !== true) {
    throw new Error(
      `${lastResort}\nRefusing without --yes; rerun with --yes once you have decided to restore.`,
    );
  }
  const layout = labLayout(options.dir);
  const marker = await readMarker(layout);
  let snapshot = snapshotArgument;
  if (snapshotArgument === 'latest') {
    const backupDir = path.resolve(options.backupDir ?? defaultBackupDir(layout));
    const last = await lastEtcdSnapshot(backupDir);
    if (last === undefined) throw new Error(`<snapshot> latest: there are no etcd snapshots in ${backupDir}`);
    snapshot = last.path;
  }
  // The lab's etcd keeps its peer port across restarts (lab.json), so the restored member matches it.
  const peerUrls =
    options.peerUrls ??
    (marker?.etcdPeerPort !== undefined ? `http://127.0.0.1:${marker.etcdPeerPort}` : defaultPeerUrl);
  const steps = progress(io.err);
  steps.note(`warning: ${lastResort}`);
  const restored = await steps.step(`restoring ${snapshot} into ${options.dataDir}`, () =>
    restoreEtcdSnapshot({
      snapshot,
      dataDir: options.dataDir,
      name: options.name ?? defaultMemberName,
      peerUrls,
      ...(options.initialCluster === undefined ? {} : { initialCluster: options.initialCluster }),
    }),
  );
  const lines = [
    `restored ${restored.snapshot} (revision ${restored.revision}, ${restored.totalKeys} keys) into ${restored.dataDir}`,
    '',
  ];
  if (marker !== undefined && restored.dataDir === layout.etcdData) {
    lines.push(
      `The lab's etcd data dir ${layout.etcdData} now holds the restored state. Next, (re)start the lab:`,
      `  ${formatCommand('lcm', ['lab', 'down', '--dir', options.dir])}`,
      `  ${formatCommand('lcm', ['lab', 'up', '--dir', options.dir])}`,
    );
  } else if (marker !== undefined) {
    const aside = `${layout.etcdData}.before-restore-${new Date().toISOString().replace(/[:.]/g, '')}`;
    lines.push(
      `Next, to put it in place in the lab at ${layout.dir} (its etcd uses ${layout.etcdData}):`,
      `  ${formatCommand('lcm', ['lab', 'down', '--dir', options.dir])}`,
      `  ${formatCommand('mv', [layout.etcdData, aside])}`,
      `  ${formatCommand('mv', [restored.dataDir, layout.etcdData])}`,
      `  ${formatCommand('lcm', ['lab', 'up', '--dir', options.dir])}`,
      `The old data stays in ${aside} until you remove it.`,
    );
  } else {
    const peer = restored.peerUrls.split(',')[0] ?? defaultPeerUrl;
    lines.push(
      'Next: stop every etcd member, then start etcd on the restored data dir with the same member name and peer URL:',
      `  ${formatCommand('etcd', [
        '--name',
        restored.name,
        '--data-dir',
        restored.dataDir,
        '--listen-peer-urls',
        peer,
        '--initial-advertise-peer-urls',
        restored.peerUrls,
        '--listen-client-urls',
        'http://127.0.0.1:2379',
        '--advertise-client-urls',
        'http://127.0.0.1:2379',
      ])}`,
      'then restart the API server so it reads the restored state.',
    );
  }
  io.out.write(`${lines.join('\n')}\n`);
}

function labDirOption(command: Command): Command {
  return command.option(
    '--dir <dir>',
    'lab directory (for the default endpoint and backup dir)',
    defaultLabDir,
  );
}

export function etcdCommand(io: EtcdCommandIo = { out: process.stdout, err: process.stderr }): Command {
  const etcd = new Command('etcd')
    .description('Back up etcd before an update; restore a snapshot as a last resort')
    .addHelpText(
      'after',
      `
Back up etcd before every update: the snapshot records the cluster and all its objects.
${lastResort}
${exitCodeHelp}`,
    );
  etcd.addCommand(
    labDirOption(new Command('backup'))
      .description('Save a verified etcd snapshot (snapshot_<UTC time>.db plus its .json metadata)')
      .option('--endpoints <urls>', "comma-separated etcd client URLs (default: the lab's etcd)")
      .option('--backup-dir <dir>', 'where snapshots go (default: <lab dir>/backups/etcd)')
      .addOption(outputOption())
      .addHelpText(
        'after',
        `
Examples:
  lcm etcd backup                                   # the lab's etcd, into .lcm-lab/backups/etcd
  lcm etcd backup --endpoints http://127.0.0.1:2379 --backup-dir /var/backups/etcd`,
      )
      .action((options: BackupOptions) => backup(io, options)),
  );
  etcd.addCommand(
    labDirOption(new Command('list'))
      .description('List complete snapshots, newest first (interrupted backups are skipped with a warning)')
      .option('--backup-dir <dir>', 'where snapshots are (default: <lab dir>/backups/etcd)')
      .addOption(outputOption())
      .addHelpText(
        'after',
        `
Examples:
  lcm etcd list
  lcm etcd list --backup-dir /var/backups/etcd -o json`,
      )
      .action((options: { backupDir?: string; dir: string; output: OutputFormat }) => list(io, options)),
  );
  etcd.addCommand(
    labDirOption(new Command('restore'))
      .description('LAST RESORT: restore a snapshot into a new etcd data dir (requires --yes)')
      .argument('<snapshot>', 'snapshot file, or "latest" for the newest in --backup-dir')
      .requiredOption('--data-dir <dir>', 'the new data dir (must not exist or be empty)')
      .option('--yes', 'confirm that you accept losing every change made since the snapshot')
      .option('--name <name>', 'etcd member name', defaultMemberName)
      .option('--peer-urls <urls>', `the member's peer URLs (default: the lab's, else ${defaultPeerUrl})`)
      .option('--initial-cluster <spec>', 'name=peerURL,… (default: <name>=<peer-urls>)')
      .option('--backup-dir <dir>', 'where "latest" is looked up (default: <lab dir>/backups/etcd)')
      .addHelpText(
        'after',
        `
${lastResort}
The restore verifies the snapshot (its SHA-256 and etcdctl snapshot status) first and never writes
into a non-empty directory; putting the new data dir in place is a separate, printed step.

Examples:
  lcm etcd restore latest --data-dir .lcm-lab/etcd.restored --yes
  lcm etcd restore /var/backups/etcd/snapshot_2026-01-01_120000.db --data-dir /var/lib/etcd.restored --yes`,
      )
      .action((snapshot: string, options: RestoreOptions) => restore(io, snapshot, options)),
  );
  return etcd;
}
