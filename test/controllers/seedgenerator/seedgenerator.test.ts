/**
 * The SeedGenerator controller against a simulated seed host at 4.16.1 (a real ostree sysroot), the
 * embedded API server and a real docker-registry with htpasswd auth.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { KubeClient } from '../../../src/client/client.ts';
import { isNotFound } from '../../../src/client/errors.ts';
import type { KubeObject } from '../../../src/client/object.ts';
import {
  SeedGeneratorReconciler,
  seedGeneratorController,
  type SeedGenStep,
  type SeedGeneratorOptions,
} from '../../../src/controllers/seedgenerator/index.ts';
import type { SeedGenerator } from '../../../src/controllers/seedgenerator/decide.ts';
import { RegistryClient } from '../../../src/host/oci/client.ts';
import { dockerConfigFor } from '../../../src/host/oci/docker-config.ts';
import { parseImageReference, type ImageReference } from '../../../src/host/oci/reference.ts';
import { pullToLayout } from '../../../src/host/oci/transfer.ts';
import { Ostree } from '../../../src/host/ostree.ts';
import { runCommand } from '../../../src/host/run-command.ts';
import {
  extractSeedLayer,
  readSeedClusterState,
  readSeedImage,
  readSeedImageList,
  seedLabels,
} from '../../../src/host/seed-image.ts';
import { startRegistry, type RegistryProcess } from '../../../src/lab/registry.ts';
import { createSimulatedHost, type SimulatedHost } from '../../../src/lab/sim-host.ts';
import { getCondition } from '../../../src/runtime/conditions.ts';
import { eventually, waitUntil } from '../../support/http.ts';
import type { Controller, Request } from '../../../src/runtime/controller.ts';
import { silentLogger } from '../../../src/runtime/log.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';

const skip = await (async (): Promise<string | false> => {
  if (process.getuid?.() !== 0)
    return 'a simulated host needs root (a real ostree sysroot stores file ownership)';
  for (const [binary, args] of [
    ['ostree', ['--version']],
    ['skopeo', ['--version']],
    ['docker-registry', ['--version']],
  ] as const) {
    const found = await runCommand(binary, args).catch(() => undefined);
    if (found === undefined) return `${binary} is not installed`;
  }
  return false;
})();

const user = 'seed';
const password = 's3cret';
const seedGeneratorType = { apiVersion: 'lca.openshift.io/v1', kind: 'SeedGenerator' } as const;
const secretType = { apiVersion: 'v1', kind: 'Secret' } as const;
const request: Request = { cluster: 'seed', namespace: '', name: 'seedimage' };
const appImage = 'quay.io/example/app:1.0';

let api: TestApiServer;
let registry: RegistryProcess;
let host: SimulatedHost;
let client: KubeClient;
let root: string;

function repo(tag: string): string {
  return `${registry.host}/ibu/seed:${tag}`;
}

function dockerConfig(pass = password): string {
  return JSON.stringify(dockerConfigFor(registry.host, user, pass));
}

async function setSecret(pass: string | undefined): Promise<void> {
  await client
    .delete(secretType, 'seedgen', { namespace: 'openshift-lifecycle-agent' })
    .catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  if (pass === undefined) return;
  await client.create({
    ...secretType,
    metadata: { name: 'seedgen', namespace: 'openshift-lifecycle-agent' },
    type: 'Opaque',
    data: { seedAuth: Buffer.from(dockerConfig(pass)).toString('base64') },
  });
}

/** Replaces the SeedGenerator (its spec is immutable, so a new target means a new object). */
async function createSeedGenerator(seedImage: string): Promise<void> {
  await client.delete(seedGeneratorType, 'seedimage').catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
  await client.create({ ...seedGeneratorType, metadata: { name: 'seedimage' }, spec: { seedImage } });
}

const getSeedGenerator = (): Promise<SeedGenerator> =>
  client.get<SeedGenerator>(seedGeneratorType, 'seedimage');

function condition(seedgen: SeedGenerator, type: string) {
  return getCondition(seedgen.status?.conditions, type);
}

function reconciler(options: Partial<SeedGeneratorOptions> = {}): SeedGeneratorReconciler {
  return new SeedGeneratorReconciler({ host, apiServerAdminUrl: api.url, ...options });
}

async function reconcileOnce(target: SeedGeneratorReconciler, signal = new AbortController().signal) {
  return target.reconcile(request, { client, signal, log: silentLogger });
}

async function manifestDigest(ref: string): Promise<string | undefined> {
  try {
    return (await new RegistryClient({ dockerConfig: dockerConfig() }).getManifest(parseImageReference(ref)))
      .digest;
  } catch {
    return undefined;
  }
}

before(async () => {
  if (skip !== false) return;
  root = await mkdtemp(join(tmpdir(), 'lcm-seedgen-'));
  api = await startTestApiServer({ backend: 'memory' });
  registry = await startRegistry({ dir: join(root, 'registry'), auth: { username: user, password } });
  host = await createSimulatedHost({
    dir: join(root, 'seed'),
    name: 'seed',
    apiServerUrl: api.url,
    release: { version: '4.16.1' },
    facts: { cpuCores: 8, reservedCpus: '0-1' },
    rebootDelayMs: 10,
  });
  await host.containerStorage.pull(appImage, { bytes: 'an application image of the seed' });
  client = host.client();
});

after(async () => {
  if (skip !== false) return;
  client.close();
  await registry.stop();
  await host.destroy();
  await api.close();
  await runCommand('chattr', ['-R', '-i', root]).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('SeedGenerator on a seed cluster at 4.16.1', { skip, timeout: 60_000 }, () => {
  let controller: Controller;

  test('with the seedgen secret, the seed image is built and pushed: SeedGenCompleted=True', async () => {
    controller = seedGeneratorController({ host, apiServerAdminUrl: api.url, log: silentLogger });
    controller.start([{ name: 'seed', client }]);
    try {
      await setSecret(password);
      await createSeedGenerator(repo('4.16.1'));
      const done = await waitUntil(
        'SeedGenCompleted',
        async () => {
          const seedgen = await getSeedGenerator();
          const completed = condition(seedgen, 'SeedGenCompleted');
          return completed !== undefined ? seedgen : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const completed = condition(done, 'SeedGenCompleted');
      assert.deepEqual(
        [completed?.status, completed?.reason, completed?.message],
        ['True', 'Completed', 'Seed Generation completed'],
      );
      const inProgress = condition(done, 'SeedGenInProgress');
      assert.deepEqual([inProgress?.status, inProgress?.reason], ['False', 'Completed']);
      assert.equal(done.status?.conditions?.at(-1)?.type, 'SeedGenCompleted', 'the latest event is last');
      assert.equal(done.status?.observedGeneration, done.metadata.generation);
      assert.ok(done.status?.startedAt !== undefined && done.status.completedAt !== undefined);
      assert.ok((await manifestDigest(repo('4.16.1'))) !== undefined, 'the manifest is in the registry');
      const workDir = join(host.ostree.varDir('rhcos_4.16.1'), 'lib', 'lca', 'seedgen');
      // The status is written first, then the work dir goes (a kill in between only redoes cleanup).
      await eventually(() =>
        assert.rejects(stat(workDir), 'the work dir is removed once the seed image is verified'),
      );
    } finally {
      await controller.stop();
    }
  });

  test('skopeo inspect shows the seed format and seed cluster info labels', async () => {
    const { stdout } = await runCommand('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--creds',
      `${user}:${password}`,
      `docker://${repo('4.16.1')}`,
    ]);
    const labels = (JSON.parse(stdout) as { Labels: Record<string, string> }).Labels;
    assert.equal(labels[seedLabels.formatVersion], '1');
    const info = JSON.parse(labels[seedLabels.clusterInfo] ?? '{}') as Record<string, unknown>;
    assert.equal(info.seed_cluster_ocp_version, '4.16.1');
    assert.equal(info.sno_hostname, 'seed');
    assert.equal(info.node_ip, '192.168.126.10');
    assert.equal(info.has_fips, false);
    assert.equal(info.has_proxy, false);
  });

  test('the pulled seed image holds the record, the cluster state and an OS tree that imports with the same commit', async () => {
    const layoutDir = join(root, 'pulled');
    await pullToLayout(repo('4.16.1'), layoutDir, {
      client: new RegistryClient({ dockerConfig: dockerConfig() }),
    });
    const seed = await readSeedImage(layoutDir);
    const { record } = seed;
    assert.equal(record.seedCluster.releaseVersion, '4.16.1');
    assert.equal(record.seedCluster.hostname, 'seed');
    assert.match(record.seedCluster.clusterId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(record.facts.cpuCores, 8);
    assert.equal(record.facts.reservedCpus, '0-1');
    assert.deepEqual(
      record.facts.operators.map((o) => o.name),
      ['lifecycle-agent', 'oadp-operator', 'local-storage-operator'],
    );
    assert.ok(record.facts.machineConfigs.includes('00-master'));
    assert.equal(record.hasRhacmResources, false);
    assert.deepEqual(record.containerImages, [appImage]);
    assert.deepEqual(
      (await readSeedImageList(seed)).map((i) => i.ref),
      [appImage],
    );
    const booted = await host.ostree.bootedDeployment();
    assert.equal(record.os.commit, booted?.checksum);
    assert.equal(record.os.stateroot, 'rhcos_4.16.1');

    const state = await readSeedClusterState(seed);
    const cv = state.items.find((i) => i.key === 'config.openshift.io/clusterversions/version')?.value as
      KubeObject<unknown, { desired: { version: string } }> | undefined;
    assert.equal(cv?.status?.desired.version, '4.16.1');
    const keys = state.items.map((i) => i.key);
    assert.ok(
      !keys.includes('core/secrets/openshift-lifecycle-agent/seedgen'),
      'the registry credentials stay out',
    );
    assert.ok(!keys.some((k) => k.startsWith('lca.openshift.io/seedgenerators/')));

    const target = new Ostree({ sysroot: join(root, 'target', 'sysroot') });
    await target.initSysroot();
    try {
      const tar = await extractSeedLayer(seed, 'os', join(root, 'os-layer'));
      const imported = await target.importCommit(tar, 'seed/4.16.1');
      assert.equal(imported.checksum, booted?.checksum);
      assert.equal(imported.version, '4.16.1');
    } finally {
      await target.destroySysroot();
    }
  });

  test('reconciling the completed SeedGenerator again touches neither the registry nor the status', async () => {
    let clients = 0;
    const before = await getSeedGenerator();
    const again = reconciler({
      registryClientFactory: (config) => {
        clients++;
        return new RegistryClient({ dockerConfig: config });
      },
    });
    assert.equal(await reconcileOnce(again), undefined);
    assert.equal(clients, 0, 'no registry client was even created');
    assert.equal((await getSeedGenerator()).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  test('a reconcile killed before the push resumes with the push; nothing before it is redone', async () => {
    await createSeedGenerator(repo('crash'));
    const ran: SeedGenStep[] = [];
    const abort = new AbortController();
    const killedAt = (step: SeedGenStep) =>
      reconciler({
        onStep: (s) => {
          ran.push(s);
          if (s === step) abort.abort();
        },
      });
    await reconcileOnce(killedAt('push-image'), abort.signal);
    assert.deepEqual(ran, ['dump-cluster-state', 'export-os', 'build-image', 'push-image']);
    const killed = await getSeedGenerator();
    assert.deepEqual(
      [condition(killed, 'SeedGenInProgress')?.status, condition(killed, 'SeedGenInProgress')?.message],
      ['True', 'Pushing the seed image'],
    );
    assert.equal(condition(killed, 'SeedGenCompleted'), undefined);
    assert.equal(await manifestDigest(repo('crash')), undefined);

    ran.length = 0;
    await reconcileOnce(reconciler({ onStep: (s) => void ran.push(s) }));
    assert.deepEqual(ran, ['push-image', 'verify-image']);
    assert.equal(condition(await getSeedGenerator(), 'SeedGenCompleted')?.status, 'True');
    assert.ok((await manifestDigest(repo('crash'))) !== undefined);
  });

  test('Completed is written only once the registry serves the manifest: a lost push is pushed again', async () => {
    await createSeedGenerator(repo('lost'));
    const ran: SeedGenStep[] = [];
    const abort = new AbortController();
    await reconcileOnce(
      reconciler({
        onStep: (s) => {
          ran.push(s);
          if (s === 'verify-image') abort.abort();
        },
      }),
      abort.signal,
    );
    assert.equal(ran.at(-1), 'verify-image');
    const ref: ImageReference = parseImageReference(repo('lost'));
    await new RegistryClient({ dockerConfig: dockerConfig() }).deleteManifest(ref);
    assert.equal(await manifestDigest(repo('lost')), undefined);

    ran.length = 0;
    await reconcileOnce(reconciler({ onStep: (s) => void ran.push(s) }));
    assert.deepEqual(ran, ['verify-image', 'push-image', 'verify-image']);
    assert.equal(condition(await getSeedGenerator(), 'SeedGenCompleted')?.status, 'True');
    assert.ok((await manifestDigest(repo('lost'))) !== undefined);
  });

  test('without the seedgen secret the SeedGenerator fails, naming openshift-lifecycle-agent/seedgen', async () => {
    await setSecret(undefined);
    await createSeedGenerator(repo('nosecret'));
    await reconcileOnce(reconciler());
    const seedgen = await getSeedGenerator();
    const completed = condition(seedgen, 'SeedGenCompleted');
    assert.deepEqual([completed?.status, completed?.reason], ['False', 'Failed']);
    assert.match(
      completed?.message ?? '',
      /^Seed generation failed: could not access secret openshift-lifecycle-agent\/seedgen/,
    );
    assert.match(completed?.message ?? '', /seedAuth/);
    assert.deepEqual(
      [condition(seedgen, 'SeedGenInProgress')?.status, condition(seedgen, 'SeedGenInProgress')?.reason],
      ['False', 'Failed'],
    );
    // Failed is final, as upstream: another reconcile changes nothing.
    await setSecret(password);
    await reconcileOnce(reconciler());
    assert.equal((await getSeedGenerator()).metadata.resourceVersion, seedgen.metadata.resourceVersion);
  });

  test('credentials the registry rejects: Failed with the 401 and the secret to fix', async () => {
    await setSecret('wrong');
    await createSeedGenerator(repo('unauthorized'));
    await reconcileOnce(reconciler());
    const completed = condition(await getSeedGenerator(), 'SeedGenCompleted');
    assert.equal(completed?.reason, 'Failed');
    assert.match(completed?.message ?? '', /Pushing the seed image .*401 Unauthorized/);
    assert.match(completed?.message ?? '', /secret openshift-lifecycle-agent\/seedgen, key seedAuth/);
  });

  test('with the registry stopped, SeedGenInProgress says it is not reachable and the push is retried later', async () => {
    await setSecret(password);
    await createSeedGenerator(repo('down'));
    await registry.stop();
    const result = await reconcileOnce(reconciler({ retryAfterMs: 30_000 }));
    assert.deepEqual(result, { requeueAfterMs: 30_000 });
    const seedgen = await getSeedGenerator();
    const inProgress = condition(seedgen, 'SeedGenInProgress');
    assert.equal(inProgress?.status, 'True');
    assert.match(inProgress?.message ?? '', new RegExp(`registry at ${registry.host} is not reachable`));
    assert.match(inProgress?.message ?? '', /retrying in 30s/);
    assert.equal(condition(seedgen, 'SeedGenCompleted'), undefined);
  });

  test('an unstable cluster (ClusterVersion not Available) is waited for before its state is taken', async () => {
    await createSeedGenerator(repo('unstable'));
    const clusterVersion = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion' };
    type Cv = KubeObject<unknown, { conditions: { type: string; status: string; message?: string }[] }>;
    const healthy = await client.get<Cv>(clusterVersion, 'version');
    const conditions = (healthy.status?.conditions ?? []).map((c) =>
      c.type === 'Available' ? { ...c, status: 'False', message: 'Working towards 4.16.1' } : c,
    );
    const unhealthy = await client.updateStatus<Cv>({
      ...healthy,
      status: { ...healthy.status, conditions },
    });
    try {
      const ran: SeedGenStep[] = [];
      const result = await reconcileOnce(reconciler({ retryAfterMs: 5000, onStep: (s) => void ran.push(s) }));
      assert.deepEqual(result, { requeueAfterMs: 5000 });
      assert.deepEqual(ran, [], 'nothing is taken from an unstable cluster');
      assert.equal(
        condition(await getSeedGenerator(), 'SeedGenInProgress')?.message,
        'Waiting for system to stabilize: ClusterVersion version is not Available: Working towards 4.16.1',
      );
    } finally {
      await client.updateStatus<Cv>({ ...unhealthy, status: healthy.status });
    }
  });

  test('a seed holding RHACM resources (an add-on namespace) is rejected (IBU-12)', async () => {
    await createSeedGenerator(repo('rhacm'));
    await client.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'open-cluster-management-addon-observability' },
    });
    await reconcileOnce(reconciler());
    const completed = condition(await getSeedGenerator(), 'SeedGenCompleted');
    assert.equal(completed?.reason, 'Failed');
    assert.equal(
      completed?.message,
      'Seed generation failed: Rejected due to presence of RHACM resources: namespace open-cluster-management-addon-observability',
    );
  });
});
