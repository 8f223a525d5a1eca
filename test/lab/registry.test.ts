import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRegistry } from '../../src/lab/registry.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

describe('lab registry (docker-registry)', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lcm-registry-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('serves the v2 API on loopback with its storage under the given dir, and stops by PID', async () => {
    const dir = join(root, 'open');
    const registry = await startRegistry({ dir });
    try {
      assert.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(registry.url, `http://${registry.host}`);
      const response = await fetch(`${registry.url}/v2/`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('docker-distribution-api-version'), 'registry/2.0');
      const config = await readFile(join(dir, 'config.yml'), 'utf8');
      assert.match(config, new RegExp(`rootdirectory: ${join(dir, 'storage')}`));
      assert.match(config, new RegExp(`addr: ${registry.host.replace(/\./g, '\\.')}`));
      assert.ok(alive(registry.pid));
    } finally {
      await registry.stop();
    }
    assert.ok(!alive(registry.pid), 'the registry process is gone after stop()');
    await assert.rejects(fetch(`${registry.url}/v2/`));
  });

  it('with auth, answers 401 with a Basic challenge and accepts only the configured user', async () => {
    const registry = await startRegistry({
      dir: join(root, 'auth'),
      auth: { username: 'seed', password: 's3cret' },
    });
    try {
      const anonymous = await fetch(`${registry.url}/v2/`);
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm=/);
      assert.equal((await fetch(`${registry.url}/v2/`, { headers: basic('seed', 's3cret') })).status, 200);
      assert.equal((await fetch(`${registry.url}/v2/`, { headers: basic('seed', 'wrong') })).status, 401);
      assert.match(await readFile(join(root, 'auth', 'htpasswd'), 'utf8'), /^seed:\$2y\$/);
    } finally {
      await registry.stop();
    }
  });

  it('starts on the port it is given', async () => {
    const first = await startRegistry({ dir: join(root, 'first') });
    await first.stop();
    const again = await startRegistry({ dir: join(root, 'again'), port: first.port });
    try {
      assert.equal(again.port, first.port);
      assert.equal((await fetch(`${again.url}/v2/`)).status, 200);
    } finally {
      await again.stop();
    }
  });

  it('names the Debian package when the binary is missing', async () => {
    await assert.rejects(
      startRegistry({ dir: join(root, 'missing'), binary: join(root, 'no-such-docker-registry') }),
      /not found: install Debian package docker-registry/,
    );
  });
});
