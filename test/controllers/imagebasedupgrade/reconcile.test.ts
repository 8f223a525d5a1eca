/**
 * The agent's effects layer against a real API server: a step cut short by the API server going
 * away is retried, not recorded as a failure of the stage.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type {
  ImageBasedUpgradeSpec,
  ImageBasedUpgradeStatus,
} from '../../../src/api/lca/image-based-upgrade.ts';
import { KubeClient } from '../../../src/client/client.ts';
import type { KubeObject } from '../../../src/client/object.ts';
import { types } from '../../../src/controllers/imagebasedupgrade/effects/context.ts';
import {
  ImageBasedUpgradeReconciler,
  ibuName,
} from '../../../src/controllers/imagebasedupgrade/reconcile.ts';
import { AgentRecords } from '../../../src/controllers/imagebasedupgrade/records.ts';
import type { ContainerStorage, HostOperations } from '../../../src/host/host.ts';
import { RegistryClient } from '../../../src/host/oci/client.ts';
import { Ostree } from '../../../src/host/ostree.ts';
import { installCrds } from '../../../src/lab/crds.ts';
import { defaultFacts } from '../../../src/lab/sim-host.ts';
import { realClock } from '../../../src/runtime/clock.ts';
import { silentLogger } from '../../../src/runtime/log.ts';
import { startTestApiServer, type TestApiServer } from '../../support/apiserver.ts';

const booted = 'rhcos_4.14.13';

const unused = (): Promise<never> => Promise.reject(new Error('not used by this test'));
const noContainerStorage: ContainerStorage = {
  list: unused,
  usage: unused,
  pull: unused,
  remove: unused,
  pin: unused,
  unpin: unused,
};

describe('ImageBasedUpgradeReconciler', () => {
  let server: TestApiServer;
  let client: KubeClient;
  let dir: string;

  before(async () => {
    server = await startTestApiServer();
    await installCrds(server.url, ['hub']);
    client = new KubeClient({
      context: 'hub',
      server: server.url,
      namespace: 'default',
      insecureSkipTlsVerify: false,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'lcm-ibu-reconcile-'));
  });
  after(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Marks the hub (un)available as a rebooting lab host does. */
  async function setAvailable(available: boolean): Promise<void> {
    const response = await fetch(`${server.url}/lcm/v1/clusters/hub`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ available, message: 'rebooting: test' }),
    });
    assert.equal(response.status, 200, await response.text());
  }

  it('retries a step the API server cut short instead of failing the stage', async () => {
    const ostree = new Ostree({ sysroot: path.join(dir, 'sysroot') });
    const host: HostOperations = {
      name: 'hub',
      ostree,
      facts: () => Promise.resolve({ ...defaultFacts, releaseVersion: '4.14.13' }),
      containerStorage: noContainerStorage,
      recoveryDir: path.join(dir, 'recovery'),
      reboot: unused,
      bootedStateroot: () => Promise.resolve(booted),
    };
    let cutShort = false;
    const reconciler = new ImageBasedUpgradeReconciler({
      host,
      clusterState: { dump: unused, replace: unused, drop: unused },
      clock: realClock,
      registry: () => new RegistryClient(),
      onStep: async (_stage, step, phase) => {
        // The server goes away while the first step of Prep runs, as during a reboot or restart.
        if (step === 'validate-spec' && phase === 'start' && !cutShort) {
          cutShort = true;
          await setAvailable(false);
        }
      },
    });
    const reconcile = (): Promise<unknown> =>
      reconciler.reconcile(
        { cluster: 'hub', namespace: '', name: ibuName },
        { client, signal: new AbortController().signal, log: silentLogger },
      );

    await client.create({
      ...types.ibu,
      metadata: { name: ibuName },
      spec: { stage: 'Prep', seedImageRef: { image: 'quay.io/example/seed:4.16.1', version: '4.16.1' } },
    });
    await reconcile(); // reports Idle first
    await assert.rejects(reconcile(), /unavailable/);
    assert.ok(cutShort);
    const records = new AgentRecords(ostree);
    assert.equal(await records.read(booted, 'failure'), undefined, 'no failure recorded');

    await setAvailable(true);
    await reconcile();
    assert.deepEqual((await records.progress(booted)).prep?.stepsDone, ['validate-spec']);
    const ibu = await client.get<KubeObject<ImageBasedUpgradeSpec, ImageBasedUpgradeStatus>>(
      types.ibu,
      ibuName,
    );
    const completed = ibu.status?.conditions?.find((c) => c.type === 'PrepCompleted');
    assert.notEqual(completed?.reason, 'Failed', JSON.stringify(ibu.status));
  });
});
