/**
 * The smallest directory tree that `ostree admin deploy` (2022.7) accepts as a bootable OS, for
 * simulated hosts and seed images. Checked against the real command:
 * - `usr/lib/modules/<kver>/vmlinuz` and `initramfs.img`: deploy copies them to /boot and writes the
 *   boot loader entry from them; a commit without a kernel is refused.
 * - `usr/etc/`: the default /etc of the deployment. The first deployment of a stateroot works without
 *   it, but every later deploy does a three-way /etc merge against it and fails with
 *   "During /etc merge: … usr/etc: No such file or directory".
 * - `usr/lib/os-release`: ostree titles the boot entry from it; lcm reads the release from it.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface MinimalOsTreeOptions {
  /** The OS version, written as VERSION_ID (and as the commit's `version` metadata by callers). */
  readonly version: string;
  readonly kernelVersion: string;
  /** The OpenShift release the OS belongs to; defaults to `version`. */
  readonly openshiftVersion?: string;
  /** Extra files of the default /etc, by path relative to /etc. */
  readonly etc?: Readonly<Record<string, string>>;
}

export async function writeMinimalOsTree(dir: string, options: MinimalOsTreeOptions): Promise<void> {
  const modules = join(dir, 'usr', 'lib', 'modules', options.kernelVersion);
  await mkdir(modules, { recursive: true });
  // The content is what makes two kernels differ: ostree names the /boot copy by their checksum.
  await writeFile(join(modules, 'vmlinuz'), `lcm simulated kernel ${options.kernelVersion}\n`);
  await writeFile(join(modules, 'initramfs.img'), `lcm simulated initramfs ${options.kernelVersion}\n`);
  await writeFile(join(dir, 'usr', 'lib', 'os-release'), osRelease(options));
  const etc = join(dir, 'usr', 'etc');
  await mkdir(etc, { recursive: true });
  // As on RHCOS, /etc/os-release points into /usr so it always matches the deployed tree.
  await symlink('../usr/lib/os-release', join(etc, 'os-release'));
  for (const [path, content] of Object.entries(options.etc ?? {})) {
    const file = join(etc, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** The os-release fields lcm writes; `OPENSHIFT_VERSION` is the field RHCOS uses for the release. */
export function osRelease(options: Pick<MinimalOsTreeOptions, 'version' | 'openshiftVersion'>): string {
  const fields: Record<string, string> = {
    NAME: 'Red Hat Enterprise Linux CoreOS',
    ID: 'rhcos',
    VERSION_ID: options.version,
    OPENSHIFT_VERSION: options.openshiftVersion ?? options.version,
    PRETTY_NAME: `Red Hat Enterprise Linux CoreOS ${options.version} (lcm simulated host)`,
  };
  return Object.entries(fields)
    .map(([key, value]) => `${key}="${value.replace(/["\\$`]/g, '\\$&')}"\n`)
    .join('');
}

/** Parses os-release text (shell-style KEY=value lines, optionally quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key = '', raw = ''] = match;
    const quoted = /^"(.*)"$/.exec(raw) ?? /^'(.*)'$/.exec(raw);
    fields[key] = quoted ? (quoted[1] ?? '').replace(/\\(["\\$`])/g, '$1') : raw;
  }
  return fields;
}
