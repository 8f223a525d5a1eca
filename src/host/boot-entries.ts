/**
 * Reorders an ostree sysroot's boot loader (BLS) entries so a chosen deployment becomes the default,
 * for ostree releases without `ostree admin set-default` (it arrived after 2022.7, Debian 12's).
 *
 * Why this is safe: libostree builds its deployment list from `boot/loader/entries/ostree-*.conf`
 * and orders it only by each entry's `version` key, highest first (the
 * `compare_deployments_by_boot_loader_version_reversed` sort in ostree-sysroot.c); it writes entry i
 * of n as `ostree-<n-i>-<stateroot>.conf` with `version <n-i>` and a title ending `(ostree[:<stateroot>]:<i>)`.
 * Renumbering those three things, and nothing else, is what upstream's set-default amounts to when
 * the set of deployments does not change: the kernels, initramfs files and `ostree=` boot links stay
 * as they are. libostree itself edits the live entries in place the same way when it changes kernel
 * arguments in place (ostree_sysroot_deployment_set_kargs_in_place).
 *
 * Each file is replaced atomically (write + rename); the set is not, so a crash half-way leaves an
 * entry listed twice until the next write, never a deployment without an entry.
 */
import { readdir, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

import type { DeploymentRef } from './ostree-status.ts';
import { deploymentName, sameDeployment } from './ostree-status.ts';

interface BootEntry {
  readonly file: string;
  readonly lines: string[];
  readonly version: number;
  readonly deployment: DeploymentRef;
}

const entryFile = /^ostree-\d+-.+\.conf$/;

export async function makeDefaultBootEntry(sysroot: string, target: DeploymentRef): Promise<void> {
  const entriesDir = join(sysroot, 'boot', 'loader', 'entries');
  const entries = await readBootEntries(sysroot, entriesDir);
  const current = [...entries].sort((a, b) => b.version - a.version);
  const chosen = current.find((e) => sameDeployment(e.deployment, target));
  if (chosen === undefined) {
    throw new Error(`no boot entry in ${entriesDir} boots deployment ${deploymentName(target)}`);
  }
  const order = [chosen, ...current.filter((e) => e !== chosen)];
  const n = order.length;
  const written: string[] = [];
  const staged = order.map((entry, index) => {
    const file = `ostree-${n - index}-${entry.deployment.stateroot}.conf`;
    const lines = entry.lines.map((line) => renumber(line, n - index, index));
    return { file, tmp: `.lcm-${file}.tmp`, text: `${lines.join('\n')}\n` };
  });
  for (const s of staged) await writeFile(join(entriesDir, s.tmp), s.text, { flush: true });
  for (const s of staged) {
    await rename(join(entriesDir, s.tmp), join(entriesDir, s.file));
    written.push(s.file);
  }
  for (const entry of entries) {
    if (!written.includes(entry.file)) await rm(join(entriesDir, entry.file), { force: true });
  }
}

function renumber(line: string, version: number, index: number): string {
  const [key] = line.split(/\s+/, 1);
  if (key === 'version') return `version ${version}`;
  if (key === 'title') return line.replace(/(\(ostree(?::[^\s:()]+)?:)\d+\)$/, `$1${index})`);
  return line;
}

async function readBootEntries(sysroot: string, entriesDir: string): Promise<BootEntry[]> {
  const names = (await readdir(entriesDir)).filter((name) => entryFile.test(name));
  return Promise.all(
    names.map(async (file): Promise<BootEntry> => {
      const text = await readFile(join(entriesDir, file), 'utf8');
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      const value = (key: string): string | undefined => {
        const line = lines.find((l) => l.split(/\s+/, 1)[0] === key);
        return line?.slice(key.length).trim();
      };
      const version = Number(value('version'));
      if (!Number.isInteger(version))
        throw new Error(`boot entry ${join(entriesDir, file)} has no numeric version`);
      const bootLink = (value('options') ?? '')
        .split(/\s+/)
        .find((arg) => arg.startsWith('ostree='))
        ?.slice('ostree='.length);
      if (bootLink === undefined)
        throw new Error(`boot entry ${join(entriesDir, file)} has no ostree= argument`);
      return { file, lines, version, deployment: await resolveBootLink(sysroot, bootLink) };
    }),
  );
}

/** `/ostree/boot.N/<stateroot>/<bootcsum>/<n>` is a symlink to `…/deploy/<stateroot>/deploy/<checksum>.<serial>`. */
async function resolveBootLink(sysroot: string, bootLink: string): Promise<DeploymentRef> {
  const linkPath = join(sysroot, bootLink);
  const target = resolve(join(linkPath, '..'), await readlink(linkPath));
  const match = /^([0-9a-f]{64})\.(\d+)$/.exec(basename(target));
  const stateroot = basename(resolve(target, '..', '..'));
  if (match === null) throw new Error(`boot link ${bootLink} points at ${target}, not a deployment`);
  return { stateroot, checksum: match[1] ?? '', serial: Number(match[2]) };
}
