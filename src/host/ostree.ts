/**
 * An ostree sysroot, operated through the `ostree` CLI: on a real host the sysroot is `/`; a simulated
 * host is a directory holding a real sysroot (`ostree admin --sysroot <dir>`). Image-based upgrade
 * lays the new release down as a new stateroot, makes it the default, and rolls back by making the
 * old deployment the default again; each stateroot keeps its own /etc (per deployment) and /var.
 *
 * Deployment order: index 0 is the default, the deployment the next boot starts. With ostree 2022.7
 * - `admin deploy` prepends the new deployment (index 0), or appends it with `--not-as-default`;
 *   `--retain` keeps every existing deployment (we always pass it: lcm removes deployments itself);
 * - `admin undeploy INDEX` removes one deployment and moves those behind it up;
 * - `admin pin` only protects a deployment from automatic removal, it does not reorder;
 * - there is no `admin set-default` (newer releases have it): see setDefault.
 *
 * What is booted: on a real host the kernel booted one deployment and ostree reports it. A simulated
 * sysroot boots nothing, so the simulated host records which deployment it "booted" in
 * `<sysroot>/.lcm-booted` (markBooted, called by the lab's simulated reboot); without that record
 * the default deployment counts as booted.
 */
import { mkdtemp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Logger } from '../runtime/log.ts';
import { silentLogger } from '../runtime/log.ts';
import { makeDefaultBootEntry } from './boot-entries.ts';
import type { DeploymentRef, OstreeDeployment } from './ostree-status.ts';
import { deploymentName, parseOstreeStatus, sameDeployment, withBooted } from './ostree-status.ts';
import type { CommandResult } from './run-command.ts';
import { runCommand } from './run-command.ts';

export type { DeploymentRef, OstreeDeployment } from './ostree-status.ts';
export { writeMinimalOsTree } from './os-tree.ts';

export interface OstreeOptions {
  /** `/` for the real host, otherwise the directory of a simulated host's sysroot. */
  readonly sysroot: string;
  /** The ostree binary; `ostree` from PATH by default. */
  readonly binary?: string;
  /** The tar binary used by exportCommit/importCommit; `tar` from PATH by default. */
  readonly tarBinary?: string;
  readonly log?: Logger;
}

export interface CommitTreeOptions {
  readonly branch: string;
  /** A directory holding the OS tree (see writeMinimalOsTree). */
  readonly tree: string;
  readonly subject: string;
  /** The `version` commit metadata that `ostree admin status` shows as "Version:". */
  readonly version?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface DeployOptions {
  readonly stateroot: string;
  /** A branch or commit checksum in the sysroot's repo. */
  readonly ref: string;
  /** Kernel arguments (`--karg`, replacing one of the same name). */
  readonly karg?: readonly string[];
  /** Kernel arguments appended even when one of the same name exists (`--karg-append`). */
  readonly kargAppend?: readonly string[];
  /**
   * Whether the new deployment becomes the default (index 0). IBU Prep deploys with `false` so the
   * running release stays the default until the Upgrade stage switches (`--not-as-default`).
   */
  readonly asDefault?: boolean;
}

export interface CommitInfo {
  readonly checksum: string;
  /** The checksum of the tree alone, independent of commit metadata, time and parents. */
  readonly contentChecksum?: string;
  readonly version?: string;
}

const bootedMarker = '.lcm-booted';

export class Ostree {
  readonly sysroot: string;
  readonly repo: string;
  private readonly binary: string;
  private readonly tarBinary: string;
  private readonly log: Logger;
  private setDefaultCommand: Promise<boolean> | undefined;

  constructor(options: OstreeOptions) {
    this.sysroot = options.sysroot;
    this.repo = join(options.sysroot, 'ostree', 'repo');
    this.binary = options.binary ?? 'ostree';
    this.tarBinary = options.tarBinary ?? 'tar';
    this.log = (options.log ?? silentLogger).with({ sysroot: options.sysroot });
  }

  /** True for the real host (`/`), where the kernel, not lcm, decides what is booted. */
  get isRealHost(): boolean {
    return this.sysroot === '/';
  }

  /** Creates the sysroot layout and its bare repo (`ostree admin init-fs`); a no-op when it exists. */
  async initSysroot(): Promise<void> {
    if (!this.isRealHost) {
      await mkdir(this.sysroot, { recursive: true });
      if (!(await exists(join(this.repo, 'config')))) await this.ostree(['admin', 'init-fs', this.sysroot]);
    }
    if (!(await exists(join(this.repo, 'config')))) {
      throw new Error(`${this.sysroot} is not an ostree sysroot: ${join(this.repo, 'config')} is missing`);
    }
  }

  /** Creates the stateroot (its deploy dir and its own /var); a no-op when it exists. */
  async osInit(stateroot: string): Promise<void> {
    if (await exists(this.staterootDir(stateroot))) return;
    await this.admin(['os-init', stateroot]);
  }

  /** Commits a directory tree to `branch` and returns the commit checksum. */
  async commitTree(options: CommitTreeOptions): Promise<string> {
    const metadata = {
      ...options.metadata,
      ...(options.version === undefined ? {} : { version: options.version }),
    };
    const args = [
      'commit',
      `--repo=${this.repo}`,
      `--branch=${options.branch}`,
      `--tree=dir=${options.tree}`,
      `--subject=${options.subject}`,
      // The tree may have been written by a build step running as another user; an OS tree is root's.
      '--owner-uid=0',
      '--owner-gid=0',
    ];
    for (const [key, value] of Object.entries(metadata)) {
      if (key === '' || key.includes('='))
        throw new Error(`commit metadata key ${JSON.stringify(key)} is not valid`);
      args.push(`--add-metadata-string=${key}=${value}`);
    }
    const { stdout } = await this.ostree(args);
    return stdout.trim();
  }

  /** Resolves a branch (or checksum) to its commit checksum. */
  async revParse(ref: string): Promise<string> {
    const { stdout } = await this.ostree(['rev-parse', `--repo=${this.repo}`, ref]);
    return stdout.trim();
  }

  async showCommit(ref: string): Promise<CommitInfo> {
    const { stdout } = await this.ostree(['show', `--repo=${this.repo}`, ref]);
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(stdout)?.[1]?.trim();
    const checksum = /^commit ([0-9a-f]{64})$/m.exec(stdout)?.[1];
    if (checksum === undefined) throw new Error(`ostree show ${ref}: no commit in output: ${stdout}`);
    return { checksum, contentChecksum: field('ContentChecksum'), version: field('Version') };
  }

  /** Points `branch` at an existing commit (created or moved). */
  async setRef(branch: string, checksum: string): Promise<void> {
    await this.ostree(['refs', `--repo=${this.repo}`, '--force', `--create=${branch}`, checksum]);
  }

  async deleteRef(branch: string): Promise<void> {
    await this.ostree(['refs', `--repo=${this.repo}`, '--delete', branch]);
  }

  /** Deploys `ref` into an existing stateroot and returns the new deployment. */
  async deploy(options: DeployOptions): Promise<OstreeDeployment> {
    if (!(await exists(this.staterootDir(options.stateroot)))) {
      throw new Error(
        `cannot deploy ${options.ref}: stateroot ${options.stateroot} does not exist in ${this.sysroot} (os-init it first)`,
      );
    }
    const before = await this.status();
    // --no-prune: an imported commit may share objects with the booted one; pruning is removeStateroot's job.
    const args = ['deploy', `--os=${options.stateroot}`, '--retain', '--no-prune'];
    if (options.asDefault === false) args.push('--not-as-default');
    for (const karg of options.karg ?? []) args.push(`--karg=${karg}`);
    for (const karg of options.kargAppend ?? []) args.push(`--karg-append=${karg}`);
    args.push(options.ref);
    await this.admin(args);
    const after = await this.status();
    const created = after.find((d) => !before.some((b) => sameDeployment(b, d)));
    if (created === undefined)
      throw new Error(`ostree admin deploy ${options.ref} reported success but no new deployment appeared`);
    // A freshly installed simulated host boots its first deployment.
    if (before.length === 0 && !this.isRealHost) await this.markBooted(created);
    this.log.info('ostree deployed', {
      deployment: deploymentName(created),
      ref: options.ref,
      index: created.index,
    });
    return (await this.status()).find((d) => sameDeployment(d, created)) ?? created;
  }

  /** The deployments in boot order (index 0 is the default), with booted/pending/rollback resolved. */
  async status(): Promise<OstreeDeployment[]> {
    const { stdout } = await this.admin(['status']);
    const deployments = parseOstreeStatus(stdout);
    if (deployments.length === 0 || deployments.some((d) => d.booted)) return deployments;
    const marker = await this.readBootedMarker();
    const booted = marker === undefined ? undefined : deployments.find((d) => sameDeployment(d, marker));
    return withBooted(deployments, booted?.index ?? 0);
  }

  async bootedDeployment(): Promise<OstreeDeployment | undefined> {
    return (await this.status()).find((d) => d.booted);
  }

  async defaultDeployment(): Promise<OstreeDeployment | undefined> {
    return (await this.status())[0];
  }

  /** Records which deployment a simulated host booted; called by the lab's simulated reboot. */
  async markBooted(deployment: DeploymentRef): Promise<void> {
    if (this.isRealHost)
      throw new Error('markBooted: on a real host the kernel decides which deployment is booted');
    await this.find(deployment);
    const { stateroot, checksum, serial } = deployment;
    const file = join(this.sysroot, bootedMarker);
    await writeFile(`${file}.tmp`, `${JSON.stringify({ stateroot, checksum, serial })}\n`);
    await rename(`${file}.tmp`, file);
  }

  /**
   * Makes an existing deployment the default (IBU's pivot, and its rollback) without touching any
   * deployment: its checksum, serial, /etc and its stateroot's /var stay exactly as they were.
   *
   * Uses `ostree admin set-default` when the binary has it (it is newer than 2022.7; RHCOS ships it).
   * 2022.7 has no command that only reorders: re-deploying the old commit would create a new
   * deployment with a merged copy of /etc (not "exactly as it was"), and undeploying the ones ahead
   * of it would destroy the booted deployment, which ostree refuses on a real host anyway. So with
   * 2022.7 the boot loader entries are renumbered, which is how ostree itself orders deployments
   * (see boot-entries.ts for why that is safe).
   */
  async setDefault(deployment: DeploymentRef): Promise<void> {
    const target = await this.find(deployment);
    if (target.index === 0) return;
    if (await this.hasSetDefault()) await this.admin(['set-default', String(target.index)]);
    else await makeDefaultBootEntry(this.sysroot, target);
    const first = (await this.status())[0];
    if (first === undefined || !sameDeployment(first, target)) {
      throw new Error(`setDefault: ${deploymentName(target)} is still not the default deployment`);
    }
    this.log.info('ostree default deployment changed', {
      deployment: deploymentName(target),
      from: target.index,
    });
  }

  /** Removes the deployment at `index` (its checkout and boot entry; its stateroot's /var stays). */
  async undeploy(index: number): Promise<void> {
    const deployments = await this.status();
    const victim = deployments[index];
    if (victim === undefined)
      throw new Error(`undeploy: no deployment at index ${index} (there are ${deployments.length})`);
    if (victim.booted)
      throw new Error(`undeploy: deployment ${index} (${deploymentName(victim)}) is the booted deployment`);
    await this.admin(['undeploy', String(index)]);
  }

  /** Removes every deployment of a stateroot, the stateroot itself (with its /var) and unreferenced objects. */
  async removeStateroot(stateroot: string): Promise<void> {
    const booted = await this.bootedDeployment();
    if (booted?.stateroot === stateroot)
      throw new Error(`removeStateroot: ${stateroot} holds the booted deployment`);
    for (;;) {
      const next = (await this.status()).find((d) => d.stateroot === stateroot);
      if (next === undefined) break;
      await this.undeploy(next.index);
    }
    await rm(this.staterootDir(stateroot), { recursive: true, force: true });
    // `admin cleanup` also prunes repo objects no ref or deployment reaches.
    await this.admin(['cleanup']);
    this.log.info('ostree stateroot removed', { stateroot });
  }

  /** The stateroots (ostree "osnames") of the sysroot, sorted. */
  async stateroots(): Promise<string[]> {
    const entries = await readdir(join(this.sysroot, 'ostree', 'deploy'), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }

  /** The checked-out deployment; its `etc/` is the deployment's own /etc. */
  deploymentDir(deployment: DeploymentRef): string {
    return join(
      this.staterootDir(deployment.stateroot),
      'deploy',
      `${deployment.checksum}.${deployment.serial}`,
    );
  }

  /** The stateroot's /var, shared by its deployments and by no other stateroot. */
  varDir(stateroot: string): string {
    return join(this.staterootDir(stateroot), 'var');
  }

  /**
   * Writes the commit behind `ref` (and everything it references) as a tar of a standalone archive-mode
   * ostree repo with the single ref `ref`, the form an OCI image layer can carry. Pulling it back
   * (importCommit) yields the very same commit checksum, metadata (version) included.
   */
  async exportCommit(ref: string, outputTar: string): Promise<CommitInfo> {
    const checksum = await this.revParse(ref);
    const work = await mkdtemp(join(tmpdir(), 'lcm-ostree-export-'));
    try {
      await this.ostree(['init', `--repo=${work}`, '--mode=archive']);
      await this.ostree(['pull-local', `--repo=${work}`, this.repo, checksum]);
      await this.ostree([
        'refs',
        `--repo=${work}`,
        `--create=${ref === checksum ? 'lcm/export' : ref}`,
        checksum,
      ]);
      await this.tar(['-C', work, `-c${compressFlag(outputTar)}f`, outputTar, '.']);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    return this.showCommit(checksum);
  }

  /**
   * Imports an exported commit (a tar written by exportCommit, or a directory holding an ostree repo
   * with one ref) into the sysroot's repo and points `branch` at it. Returns the commit.
   */
  async importCommit(tarOrDir: string, branch: string): Promise<CommitInfo> {
    const isDir = (await stat(tarOrDir)).isDirectory();
    const source = isDir ? tarOrDir : await mkdtemp(join(tmpdir(), 'lcm-ostree-import-'));
    try {
      if (!isDir) await this.tar(['-C', source, '-xf', tarOrDir]);
      if (!(await exists(join(source, 'config')))) {
        throw new Error(
          `importCommit: ${tarOrDir} does not hold an ostree repo (no config at its top level)`,
        );
      }
      const { stdout } = await this.ostree(['refs', `--repo=${source}`]);
      const refs = stdout.split('\n').filter((line) => line.trim() !== '');
      if (refs.length !== 1 || refs[0] === undefined) {
        throw new Error(
          `importCommit: ${tarOrDir} must hold exactly one ref, found ${refs.length ? refs.join(', ') : 'none'}`,
        );
      }
      const { stdout: rev } = await this.ostree(['rev-parse', `--repo=${source}`, refs[0]]);
      const checksum = rev.trim();
      await this.ostree(['pull-local', `--repo=${this.repo}`, source, checksum]);
      await this.setRef(branch, checksum);
      return await this.showCommit(checksum);
    } finally {
      if (!isDir) await rm(source, { recursive: true, force: true });
    }
  }

  /**
   * Deletes a simulated host's sysroot. Deployment roots carry the immutable attribute (ostree sets
   * it), so a plain recursive delete fails on them.
   */
  async destroySysroot(): Promise<void> {
    if (this.isRealHost) throw new Error('destroySysroot: refusing to delete the real host');
    const deployRoot = join(this.sysroot, 'ostree', 'deploy');
    const roots: string[] = [];
    for (const stateroot of await readdir(deployRoot).catch(() => [])) {
      const dir = join(deployRoot, stateroot, 'deploy');
      for (const name of await readdir(dir).catch(() => [])) {
        if (/^[0-9a-f]{64}\.\d+$/.test(name)) roots.push(join(dir, name));
      }
    }
    if (roots.length > 0) {
      await runCommand('chattr', ['-i', ...roots]).catch((error: unknown) => {
        this.log.debug('chattr -i failed; deleting anyway', { error });
      });
    }
    await rm(this.sysroot, { recursive: true, force: true });
  }

  private async find(deployment: DeploymentRef): Promise<OstreeDeployment> {
    const found = (await this.status()).find((d) => sameDeployment(d, deployment));
    if (found === undefined)
      throw new Error(`no deployment ${deploymentName(deployment)} in ${this.sysroot}`);
    return found;
  }

  private hasSetDefault(): Promise<boolean> {
    this.setDefaultCommand ??= this.ostree(['admin', '--help']).then(
      ({ stdout }) => /^\s+set-default\s/m.test(stdout),
      () => false,
    );
    return this.setDefaultCommand;
  }

  private async readBootedMarker(): Promise<DeploymentRef | undefined> {
    const text = await readFile(join(this.sysroot, bootedMarker), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const value: unknown = JSON.parse(text);
    if (!isDeploymentRef(value))
      throw new Error(`${join(this.sysroot, bootedMarker)} does not name a deployment`);
    return value;
  }

  private staterootDir(stateroot: string): string {
    if (!/^[\w.-]+$/.test(stateroot) || stateroot === '.' || stateroot === '..') {
      throw new Error(`stateroot name ${JSON.stringify(stateroot)} is not valid`);
    }
    return join(this.sysroot, 'ostree', 'deploy', stateroot);
  }

  private admin(args: readonly string[]): Promise<CommandResult> {
    const [command, ...rest] = args;
    const sysroot = this.isRealHost ? [] : [`--sysroot=${this.sysroot}`];
    return this.ostree(['admin', command ?? '', ...sysroot, ...rest]);
  }

  private async ostree(args: readonly string[]): Promise<CommandResult> {
    this.log.debug('running ostree', { args });
    return runCommand(this.binary, args);
  }

  private async tar(args: readonly string[]): Promise<CommandResult> {
    return runCommand(this.tarBinary, args);
  }
}

function isDeploymentRef(value: unknown): value is DeploymentRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    'stateroot' in value &&
    typeof value.stateroot === 'string' &&
    'checksum' in value &&
    typeof value.checksum === 'string' &&
    'serial' in value &&
    typeof value.serial === 'number'
  );
}

function compressFlag(tarFile: string): string {
  return /\.(tgz|tar\.gz)$/.test(tarFile) ? 'z' : '';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
