import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Ostree, writeMinimalOsTree } from '../../src/host/ostree.ts';
import { parseOstreeStatus, withBooted } from '../../src/host/ostree-status.ts';
import { parseOsRelease } from '../../src/host/os-tree.ts';
import { runCommand } from '../../src/host/run-command.ts';

const skipReason = await (async (): Promise<string | false> => {
  if (process.getuid?.() !== 0)
    return 'ostree tests need root (a bare repo stores file ownership); CI runs as root';
  const ostree = await runCommand('ostree', ['--version']).catch(() => undefined);
  return ostree === undefined
    ? 'the ostree binary is not installed (scripts/ensure-system-deps.sh installs it)'
    : false;
})();

const csum = (c: string): string => c.repeat(64);

describe('ostree admin status parsing', () => {
  test('reads stateroot, checksum, serial, flags, version and origin of each deployment in order', () => {
    const text = [
      `* rhcos_4.16 ${csum('a')}.1`,
      '    Version: 4.16.0',
      '    origin refspec: rhcos/4.16',
      `  rhcos_4.16 ${csum('b')}.0 (rollback)`,
      '    \u001b[31m\u001b[1mUnlocked: development\u001b[22m\u001b[0m',
      '    Pinned: yes',
      '    origin: <unknown origin type>',
      `  rhcos_4.14 ${csum('c')}.0`,
      '    origin: none',
      '',
    ].join('\n');
    assert.deepEqual(parseOstreeStatus(text), [
      {
        index: 0,
        stateroot: 'rhcos_4.16',
        checksum: csum('a'),
        serial: 1,
        booted: true,
        pending: false,
        rollback: false,
        staged: false,
        pinned: false,
        version: '4.16.0',
        origin: 'rhcos/4.16',
      },
      {
        index: 1,
        stateroot: 'rhcos_4.16',
        checksum: csum('b'),
        serial: 0,
        booted: false,
        pending: false,
        rollback: true,
        staged: false,
        pinned: true,
      },
      {
        index: 2,
        stateroot: 'rhcos_4.14',
        checksum: csum('c'),
        serial: 0,
        booted: false,
        pending: false,
        rollback: false,
        staged: false,
        pinned: false,
      },
    ]);
  });

  test('an empty sysroot has no deployments', () => {
    assert.deepEqual(parseOstreeStatus('No deployments.\n'), []);
  });

  test('pending and rollback are relative to the booted deployment within its own stateroot, as in libostree', () => {
    const text = ['a', 'b', 'c', 'd'].map((c, i) => `  ${i === 1 ? 'other' : 'os'} ${csum(c)}.0`).join('\n');
    const flags = withBooted(parseOstreeStatus(text), 2).map((d) => [
      d.stateroot,
      d.booted,
      d.pending,
      d.rollback,
    ]);
    assert.deepEqual(flags, [
      ['os', false, true, false],
      ['other', false, false, false],
      ['os', true, false, false],
      ['os', false, false, true],
    ]);
  });
});

describe('Ostree on a real sysroot', { skip: skipReason }, () => {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'lcm-ostree-test-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  let counter = 0;
  /** Each test gets its own sysroot; deployment roots are immutable, so they are deleted through Ostree. */
  async function newHost(t: { after: (fn: () => Promise<void>) => void }): Promise<Ostree> {
    counter += 1;
    const host = new Ostree({ sysroot: join(scratch, `host-${counter}`, 'sysroot') });
    t.after(() => host.destroySysroot());
    await host.initSysroot();
    return host;
  }

  async function commitRelease(
    host: Ostree,
    version: string,
    etc: Record<string, string> = {},
  ): Promise<string> {
    const tree = join(scratch, `tree-${(counter += 1)}`);
    await writeMinimalOsTree(tree, { version, kernelVersion: `5.14.0-${version}`, etc });
    const minor = version.split('.').slice(0, 2).join('.');
    return host.commitTree({ branch: `rhcos/${minor}`, tree, subject: `RHCOS ${version}`, version });
  }

  /** A host running 4.14 (with local changes in its /etc and /var) that has 4.16 laid down as a second stateroot. */
  async function upgradedHost(t: { after: (fn: () => Promise<void>) => void }, asDefault = true) {
    const host = await newHost(t);
    await commitRelease(host, '4.14.38', { hostname: 'sno-old\n' });
    await host.osInit('rhcos_4.14');
    const old = await host.deploy({ stateroot: 'rhcos_4.14', ref: 'rhcos/4.14', karg: ['ip=dhcp'] });
    await writeFile(join(host.deploymentDir(old), 'etc', 'hostname'), 'sno-1.example.com\n');
    await writeFile(join(host.deploymentDir(old), 'etc', 'local.conf'), 'tuned=1\n');
    await writeFile(join(host.varDir('rhcos_4.14'), 'lib', 'etcd-member'), 'etcd data of 4.14\n');
    await commitRelease(host, '4.16.2', { hostname: 'seed\n' });
    await host.osInit('rhcos_4.16');
    const upgraded = await host.deploy({ stateroot: 'rhcos_4.16', ref: 'rhcos/4.16', asDefault });
    return { host, old, upgraded };
  }

  /** Content digest of every file (and symlink target) under a directory. */
  async function digestTree(dir: string): Promise<string> {
    const hash = createHash('sha256');
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const entry of entries.sort((a, b) =>
      join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
    )) {
      const path = join(entry.parentPath, entry.name);
      hash.update(path);
      if (entry.isFile()) hash.update(await readFile(path));
      if (entry.isSymbolicLink()) hash.update(await readlink(path));
    }
    return hash.digest('hex');
  }

  test('init-fs and os-init are idempotent and a committed minimal OS tree deploys and boots', async (t) => {
    const host = await newHost(t);
    await host.initSysroot();
    assert.match(await readFile(join(host.repo, 'config'), 'utf8'), /mode=bare/);
    const checksum = await commitRelease(host, '4.14.38');
    assert.match(checksum, /^[0-9a-f]{64}$/);
    await host.osInit('rhcos_4.14');
    await host.osInit('rhcos_4.14');
    assert.deepEqual(await host.stateroots(), ['rhcos_4.14']);

    const deployed = await host.deploy({ stateroot: 'rhcos_4.14', ref: 'rhcos/4.14' });
    assert.deepEqual(
      { ...deployed },
      {
        index: 0,
        stateroot: 'rhcos_4.14',
        checksum,
        serial: 0,
        booted: true,
        pending: false,
        rollback: false,
        staged: false,
        pinned: false,
        version: '4.14.38',
        origin: 'rhcos/4.14',
      },
    );
    assert.deepEqual(await host.bootedDeployment(), deployed);
    const osRelease = parseOsRelease(
      await readFile(join(host.deploymentDir(deployed), 'etc', 'os-release'), 'utf8'),
    );
    assert.equal(osRelease.VERSION_ID, '4.14.38');
    assert.equal(osRelease.OPENSHIFT_VERSION, '4.14.38');
    assert.ok((await stat(host.varDir('rhcos_4.14'))).isDirectory());
  });

  test('deploying a new stateroot makes it the default and keeps the old deployment', async (t) => {
    const { host, old, upgraded } = await upgradedHost(t);
    const status = await host.status();
    assert.deepEqual(
      status.map((d) => [d.index, d.stateroot, d.version]),
      [
        [0, 'rhcos_4.16', '4.16.2'],
        [1, 'rhcos_4.14', '4.14.38'],
      ],
    );
    assert.equal(upgraded.index, 0);
    // Nothing rebooted yet: the simulated host still runs the old release.
    assert.deepEqual((await host.bootedDeployment())?.stateroot, 'rhcos_4.14');
    assert.equal(await readFile(join(host.deploymentDir(upgraded), 'etc', 'hostname'), 'utf8'), 'seed\n');
    assert.equal(
      await readFile(join(host.deploymentDir(old), 'etc', 'hostname'), 'utf8'),
      'sno-1.example.com\n',
    );
    await assert.rejects(stat(join(host.varDir('rhcos_4.16'), 'lib', 'etcd-member')), { code: 'ENOENT' });
  });

  test('a deployment made not-as-default goes last and leaves the running release the default', async (t) => {
    const { host, upgraded } = await upgradedHost(t, false);
    assert.equal(upgraded.index, 1);
    assert.equal((await host.defaultDeployment())?.stateroot, 'rhcos_4.14');
  });

  test('setDefault(old) after the pivot rolls back without changing anything of the old deployment', async (t) => {
    const { host, old, upgraded } = await upgradedHost(t);
    await host.markBooted(upgraded);
    assert.equal((await host.bootedDeployment())?.stateroot, 'rhcos_4.16');
    const oldDir = host.deploymentDir(old);
    const before = {
      etc: await digestTree(join(oldDir, 'etc')),
      var: await digestTree(host.varDir('rhcos_4.14')),
      inode: (await stat(oldDir)).ino,
    };

    await host.setDefault(old);

    const status = await host.status();
    assert.deepEqual(
      status.map((d) => [d.index, d.stateroot, d.checksum, d.serial]),
      [
        [0, 'rhcos_4.14', old.checksum, old.serial],
        [1, 'rhcos_4.16', upgraded.checksum, upgraded.serial],
      ],
    );
    assert.equal(
      (await host.bootedDeployment())?.stateroot,
      'rhcos_4.16',
      'the default changes, not what is running',
    );
    assert.deepEqual(
      {
        etc: await digestTree(join(oldDir, 'etc')),
        var: await digestTree(host.varDir('rhcos_4.14')),
        inode: (await stat(oldDir)).ino,
      },
      before,
    );
    const entries = await readdir(join(host.sysroot, 'boot', 'loader', 'entries'));
    assert.deepEqual(entries.sort(), ['ostree-1-rhcos_4.16.conf', 'ostree-2-rhcos_4.14.conf']);

    // The simulated reboot boots the new default; setting the default again is a no-op.
    await host.markBooted(old);
    await host.setDefault(old);
    assert.equal((await host.bootedDeployment())?.stateroot, 'rhcos_4.14');
    assert.equal((await host.defaultDeployment())?.stateroot, 'rhcos_4.14');
  });

  test('removeStateroot removes its deployments, its /var and its unreferenced objects, and ostree keeps working', async (t) => {
    const { host, old, upgraded } = await upgradedHost(t);
    await host.setDefault(old);
    await host.deleteRef('rhcos/4.16');

    await host.removeStateroot('rhcos_4.16');

    assert.deepEqual(await host.stateroots(), ['rhcos_4.14']);
    assert.deepEqual(
      (await host.status()).map((d) => [d.stateroot, d.checksum]),
      [['rhcos_4.14', old.checksum]],
    );
    await assert.rejects(stat(host.deploymentDir(upgraded)), { code: 'ENOENT' });
    await assert.rejects(host.showCommit(upgraded.checksum), /ostree show .* failed/);
    // The reordered boot entries were a valid starting point for ostree's own writes.
    const again = await host.deploy({ stateroot: 'rhcos_4.14', ref: 'rhcos/4.14' });
    assert.deepEqual([again.index, again.serial], [0, 1]);
  });

  test('the booted stateroot cannot be removed and the booted deployment cannot be undeployed', async (t) => {
    const { host } = await upgradedHost(t);
    await assert.rejects(host.removeStateroot('rhcos_4.14'), /rhcos_4\.14 holds the booted deployment/);
    await assert.rejects(host.undeploy(1), /deployment 1 .* is the booted deployment/);
    await host.undeploy(0);
    assert.deepEqual(await host.stateroots(), ['rhcos_4.14', 'rhcos_4.16']);
    assert.deepEqual(
      (await host.status()).map((d) => d.stateroot),
      ['rhcos_4.14'],
    );
  });

  test('an exported commit imports into another sysroot with the same checksum, content and version', async (t) => {
    const source = await newHost(t);
    const checksum = await commitRelease(source, '4.16.2');
    const exported = await source.exportCommit('rhcos/4.16', join(scratch, 'seed-os.tar.gz'));
    assert.equal(exported.checksum, checksum);

    const target = await newHost(t);
    const imported = await target.importCommit(join(scratch, 'seed-os.tar.gz'), 'seed/4.16');
    assert.deepEqual(imported, exported);
    assert.equal(imported.version, '4.16.2');
    assert.equal(await target.revParse('seed/4.16'), checksum);

    await target.osInit('rhcos_4.16');
    const deployed = await target.deploy({ stateroot: 'rhcos_4.16', ref: 'seed/4.16' });
    assert.deepEqual([deployed.checksum, deployed.version], [checksum, '4.16.2']);
  });

  test('deploying a missing ref fails naming the ref, the command and ostree’s own error', async (t) => {
    const host = await newHost(t);
    await host.osInit('rhcos_4.16');
    await assert.rejects(host.deploy({ stateroot: 'rhcos_4.16', ref: 'seed/4.99' }), (error: Error) => {
      assert.match(
        error.message,
        /^ostree admin deploy --sysroot=\S+ --os=rhcos_4\.16 .*seed\/4\.99 failed \(exit 1\)/,
      );
      assert.match(error.message, /Refspec 'seed\/4\.99' not found/);
      return true;
    });
    await assert.rejects(
      host.deploy({ stateroot: 'rhcos_4.99', ref: 'seed/4.16' }),
      /stateroot rhcos_4\.99 does not exist .* \(os-init it first\)/,
    );
  });
});
