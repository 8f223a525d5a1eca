import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ApiStatusError } from '../../src/client/errors.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { NoSpaceError } from '../../src/host/host.ts';
import { buildImage } from '../../src/host/oci/build.ts';
import { pushLayout } from '../../src/host/oci/transfer.ts';
import { writeMinimalOsTree } from '../../src/host/ostree.ts';
import { runCommand } from '../../src/host/run-command.ts';
import { ensureHosts, hostDir } from '../../src/lab/hosts.ts';
import { startRegistry } from '../../src/lab/registry.ts';
import { createSimulatedHost, type SimulatedHost } from '../../src/lab/sim-host.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';

const skip = await (async (): Promise<string | false> => {
  if (process.getuid?.() !== 0)
    return 'simulated hosts need root (a real ostree sysroot stores file ownership)';
  const ostree = await runCommand('ostree', ['--version']).catch(() => undefined);
  return ostree === undefined ? 'the ostree binary is not installed' : false;
})();

const clusterVersion = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion' };
const nodeType = { apiVersion: 'v1', kind: 'Node' };
const rebootDelayMs = 30_000;

interface BackingDump {
  items: { key: string; value: unknown }[];
}

let api: TestApiServer;
let root: string;

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${api.url}/lcm/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

const dump = async (backing: string): Promise<BackingDump> =>
  (await admin('GET', `backings/${backing}`)) as BackingDump;

async function read(host: SimulatedHost, type: { apiVersion: string; kind: string }, name: string) {
  const client = host.client();
  try {
    return await client.get(type, name);
  } finally {
    client.close();
  }
}

function releaseOf(cv: KubeObject): unknown {
  return (cv.status as { desired?: { version?: string } } | undefined)?.desired?.version;
}

/** Waits until the manual clock holds the reboot's timer, i.e. the cluster has been marked unavailable. */
async function untilSleeping(clock: ManualClock): Promise<void> {
  for (let i = 0; i < 500 && clock.pendingDelays().length === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(clock.pendingDelays(), [rebootDelayMs]);
}

before(async () => {
  if (skip !== false) return;
  api = await startTestApiServer({ backend: 'memory' });
  root = await mkdtemp(join(tmpdir(), 'lcm-sim-host-'));
});

after(async () => {
  if (skip !== false) return;
  await api.close();
  // Deployment roots are immutable; the hosts' destroy() or chattr clears that first.
  await runCommand('chattr', ['-R', '-i', root]).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('a simulated single-node host', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  let host: SimulatedHost;
  let before414: { cv: KubeObject; dump: BackingDump };

  test('a new host at 4.14.13 boots rhcos_4.14.13 and its cluster reports ClusterVersion 4.14.13 and a Ready node', async () => {
    host = await createSimulatedHost({
      dir: join(root, 'sno1'),
      name: 'sno1',
      apiServerUrl: api.url,
      release: { version: '4.14.13' },
      facts: { cpuCores: 8, reservedCpus: '0-1' },
      rebootDelayMs,
      clock,
    });
    assert.equal(await host.bootedStateroot(), 'rhcos_4.14.13');
    const deployments = await host.ostree.status();
    assert.equal(deployments.length, 1);
    assert.equal(deployments[0]?.version, '4.14.13');

    const cv = await read(host, clusterVersion, 'version');
    assert.equal(releaseOf(cv), '4.14.13');
    const status = cv.status as {
      history: { state: string; version: string }[];
      conditions: { type: string; status: string }[];
    };
    assert.deepEqual(
      status.history.map((h) => [h.state, h.version]),
      [['Completed', '4.14.13']],
    );
    assert.equal(status.conditions.find((c) => c.type === 'Available')?.status, 'True');

    const node = await read(host, nodeType, 'sno1');
    const nodeStatus = node.status as {
      conditions: { type: string; status: string }[];
      nodeInfo: { kubeletVersion: string };
      allocatable: { cpu: string };
    };
    assert.equal(nodeStatus.conditions.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(nodeStatus.nodeInfo.kubeletVersion, 'v1.27.13');
    assert.equal(nodeStatus.allocatable.cpu, '6', '8 cores minus the 2 reserved');
    assert.ok('node-role.kubernetes.io/master' in (node.metadata.labels ?? {}));

    const client = host.client();
    try {
      const csvs = await client.list({
        apiVersion: 'operators.coreos.com/v1alpha1',
        kind: 'ClusterServiceVersion',
      });
      assert.deepEqual(csvs.items.map((c) => `${c.metadata.namespace}/${c.metadata.name}`).sort(), [
        'openshift-adp/oadp-operator.v1.4.1',
        'openshift-lifecycle-agent/lifecycle-agent.v4.16.0',
        'openshift-local-storage/local-storage-operator.v4.16.0',
      ]);
      await client.get({ apiVersion: 'v1', kind: 'Namespace' }, 'openshift-config');
      await client.get(
        { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
        'imagebasedupgrades.lca.openshift.io',
      );
    } finally {
      client.close();
    }

    const facts = await host.facts();
    assert.equal(facts.releaseVersion, '4.14.13');
    assert.equal(facts.cpuCores, 8);
    assert.equal(facts.reservedCpus, '0-1');
    assert.equal(facts.proxy, null);
    assert.ok((await stat(host.recoveryDir)).isDirectory());
  });

  test('a reboot into a populated rhcos_4.16.1 stateroot answers 503 while rebooting, then serves 4.16.1', async () => {
    before414 = { cv: await read(host, clusterVersion, 'version'), dump: await dump('sno1@rhcos_4.14.13') };

    const tree = join(root, 'tree-4.16.1');
    await writeMinimalOsTree(tree, { version: '4.16.1', kernelVersion: '5.14.0-427.1.1.el9_4.x86_64' });
    await host.ostree.commitTree({ branch: 'rhcos/4.16.1', tree, subject: 'seed 4.16.1', version: '4.16.1' });
    await host.ostree.osInit('rhcos_4.16.1');
    const deployed = await host.ostree.deploy({
      stateroot: 'rhcos_4.16.1',
      ref: 'rhcos/4.16.1',
      asDefault: false,
    });
    assert.equal(await host.bootedStateroot(), 'rhcos_4.14.13', 'deploying does not reboot');

    // What the agent does before the pivot: the new stateroot's key space holds the seed's state.
    const seedItems = before414.dump.items.map((item) => {
      if (!item.key.endsWith('clusterversions/version')) return item;
      const cv = structuredClone(item.value) as KubeObject & { status: { desired: { version: string } } };
      cv.status.desired.version = '4.16.1';
      return { key: item.key, value: cv };
    });
    await admin('PUT', 'backings/sno1@rhcos_4.16.1', { items: seedItems });
    await host.ostree.setDefault(deployed);

    const rebooting = host.reboot('upgrade to 4.16.1');
    await untilSleeping(clock);
    const during = await read(host, clusterVersion, 'version').catch((error: unknown) => error);
    assert.ok(during instanceof ApiStatusError, `expected a 503, got ${String(during)}`);
    assert.equal(during.code, 503);
    assert.match(during.message, /rebooting: upgrade to 4\.16\.1/);
    assert.equal(await host.bootedStateroot(), 'rhcos_4.14.13', 'still the old boot while rebooting');

    clock.advance(rebootDelayMs);
    await rebooting;
    assert.equal(releaseOf(await read(host, clusterVersion, 'version')), '4.16.1');
    assert.equal(await host.bootedStateroot(), 'rhcos_4.16.1');
    assert.equal((await host.facts()).releaseVersion, '4.16.1');
  });

  test('making the old deployment default and rebooting brings back exactly the previous objects', async () => {
    const old = (await host.ostree.status()).find((d) => d.stateroot === 'rhcos_4.14.13');
    assert.ok(old);
    await host.ostree.setDefault(old);
    const rebooting = host.reboot('rollback');
    await untilSleeping(clock);
    clock.advance(rebootDelayMs);
    await rebooting;

    assert.equal(await host.bootedStateroot(), 'rhcos_4.14.13');
    assert.deepEqual(await read(host, clusterVersion, 'version'), before414.cv);
    assert.deepEqual((await dump('sno1@rhcos_4.14.13')).items, before414.dump.items);
    assert.equal((await host.facts()).releaseVersion, '4.14.13');
  });

  test('reopening the host directory resumes it: same boot, stateroots and cluster objects, nothing reinstalled', async () => {
    const reopened = await createSimulatedHost({
      dir: join(root, 'sno1'),
      name: 'sno1',
      apiServerUrl: api.url,
      release: { version: '4.15.0' },
      rebootDelayMs,
      clock,
    });
    assert.equal(await reopened.bootedStateroot(), 'rhcos_4.14.13');
    assert.deepEqual(await reopened.ostree.stateroots(), ['rhcos_4.14.13', 'rhcos_4.16.1']);
    assert.deepEqual(await read(reopened, clusterVersion, 'version'), before414.cv);
    assert.equal((await reopened.facts()).cpuCores, 8, 'facts come from host.json, not the new options');
  });

  test('a reboot cut short by a lab restart is finished when the host is reopened', async () => {
    const next = (await host.ostree.status()).find((d) => d.stateroot === 'rhcos_4.16.1');
    assert.ok(next);
    await host.ostree.setDefault(next);
    // Never completes: the manual clock is not advanced, as if the lab stopped mid-reboot.
    void host.reboot('interrupted');
    await untilSleeping(clock);

    const reopened = await createSimulatedHost({
      dir: join(root, 'sno1'),
      name: 'sno1',
      apiServerUrl: api.url,
      release: { version: '4.14.13' },
    });
    assert.equal(await reopened.bootedStateroot(), 'rhcos_4.16.1');
    assert.equal(releaseOf(await read(reopened, clusterVersion, 'version')), '4.16.1');
  });

  test("destroy removes the host directory and its stateroots' key spaces", async () => {
    await host.destroy();
    await assert.rejects(stat(join(root, 'sno1')), { code: 'ENOENT' });
    assert.deepEqual((await dump('sno1@rhcos_4.14.13')).items, []);
    assert.deepEqual((await dump('sno1@rhcos_4.16.1')).items, []);
    const after = await read(host, clusterVersion, 'version').catch((error: unknown) => error);
    assert.ok(after instanceof ApiStatusError && after.code === 503);
  });
});

describe('simulated container storage', { skip }, () => {
  let host: SimulatedHost;
  const capacityBytes = 300_000;

  test('lab hosts are created under <lab>/hosts/<name> with the capacity they were given', async () => {
    const [created] = await ensureHosts(root, api.url, [
      { name: 'sno2', release: { version: '4.14.13' }, capacityBytes, rebootDelayMs: 10 },
    ]);
    assert.ok(created);
    host = created;
    assert.equal(host.dir, hostDir(root, 'sno2'));
    assert.deepEqual(await host.containerStorage.usage(), { usedBytes: 0, capacityBytes });
  });

  test('pulled images are real blobs on disk, shared, pinnable and listed with their sizes', async () => {
    const image = await host.containerStorage.pull('quay.example/ibu/app:1', {
      bytes: Buffer.alloc(100_000, 1),
    });
    assert.equal(image.ref, 'quay.example/ibu/app:1');
    assert.ok(image.sizeBytes > 100_000);
    assert.equal(image.pinned, false);
    const again = await host.containerStorage.pull('quay.example/ibu/app:latest-copy', {
      bytes: Buffer.alloc(100_000, 1),
    });
    assert.equal(again.digest, image.digest);
    const usage = await host.containerStorage.usage();
    assert.ok(
      usage.usedBytes > 100_000 && usage.usedBytes < 110_000,
      `layers are shared: ${usage.usedBytes}`,
    );
    const blobs = await readdir(join(host.dir, 'var', 'lib', 'containers', 'storage', 'blobs', 'sha256'));
    assert.equal(blobs.length, 3, 'manifest, config and one layer');

    await host.containerStorage.pin('quay.example/ibu/app:1');
    const listed = await host.containerStorage.list();
    assert.deepEqual(
      listed.map((i) => [i.ref, i.pinned]),
      [
        ['quay.example/ibu/app:1', true],
        ['quay.example/ibu/app:latest-copy', false],
      ],
    );
    assert.equal(await host.containerStorage.remove('quay.example/ibu/app:latest-copy'), true);
    assert.equal((await host.containerStorage.usage()).usedBytes, usage.usedBytes, 'shared blobs stay');
  });

  test('a pull that does not fit the disk fails with "no space left on device", naming needed and free bytes', async () => {
    const used = (await host.containerStorage.usage()).usedBytes;
    const error = await host.containerStorage
      .pull('quay.example/ibu/big:1', { bytes: Buffer.alloc(250_000, 2) })
      .catch((e: unknown) => e);
    assert.ok(error instanceof NoSpaceError, String(error));
    assert.equal(error.code, 'ENOSPC');
    assert.equal(error.freeBytes, capacityBytes - used);
    assert.ok(error.neededBytes > 250_000);
    assert.match(
      error.message,
      new RegExp(
        `pull quay.example/ibu/big:1: no space left on device: the image needs ${error.neededBytes} more bytes but only ${capacityBytes - used} of ${capacityBytes} are free`,
      ),
    );
    assert.equal((await host.containerStorage.usage()).usedBytes, used, 'nothing was written');
    assert.deepEqual(
      (await host.containerStorage.list()).map((i) => i.ref),
      ['quay.example/ibu/app:1'],
    );
  });

  test('pulls from a registry and from an OCI layout', async () => {
    const registry = await startRegistry({ dir: join(root, 'registry') });
    try {
      const content = join(root, 'layer.txt');
      await writeFile(content, 'seed content\n');
      const layoutDir = join(root, 'layout');
      await buildImage({ layoutDir, layers: [{ path: content }], refName: '4.16.1' });
      const ref = `${registry.host}/ibu/seed:4.16.1`;
      const pushed = await pushLayout(layoutDir, ref);
      const fromRegistry = await host.containerStorage.pull(ref, { registry: {} });
      assert.equal(fromRegistry.digest, pushed.digest);
      const fromLayout = await host.containerStorage.pull('quay.example/ibu/seed:4.16.1', { layoutDir });
      assert.equal(fromLayout.digest, pushed.digest);
    } finally {
      await registry.stop();
    }
  });

  test('reopening keeps the images and the capacity', async () => {
    const [reopened] = await ensureHosts(root, api.url, [{ name: 'sno2', release: { version: '4.14.13' } }]);
    assert.ok(reopened);
    assert.deepEqual(
      (await reopened.containerStorage.list()).map((i) => [i.ref, i.pinned]),
      (await host.containerStorage.list()).map((i) => [i.ref, i.pinned]),
    );
    assert.equal((await reopened.containerStorage.usage()).capacityBytes, capacityBytes);
    await reopened.destroy();
  });
});
