/**
 * Image-based upgrade faults in the lab (issue 4): bad input is reported by a condition naming the
 * problem and loses nothing; an agent killed again and again still ends the upgrade completed; a
 * post-pivot stall past initMonitorTimeoutSeconds rolls back by itself.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extraManifestsManifest, ibuManifest, oadpContentManifest } from '../../src/lab/ibu-rehearsal.ts';
import { isAlive } from '../../src/lab/state.ts';
import { closedPort, eventually } from '../support/http.ts';
import {
  agentPid as agentPidOf,
  generateSeed,
  ibuKubectl,
  needsRoot,
  restartAgent,
  startIbuLab,
  type IbuLab,
} from '../support/ibu-lab.ts';

let lab: IbuLab;
const helpers = ibuKubectl(() => lab);
const { kubectl, jsonpath, stage, patchIbu } = helpers;
const condition = (context: string, type: string, field = 'status'): Promise<string> =>
  helpers.condition(context, ['ibu', 'upgrade'], type, field);
const waitFor = (context: string, type: string, status = 'True', timeoutMs = 120_000): Promise<void> =>
  helpers.waitFor(context, ['ibu', 'upgrade'], type, status, timeoutMs);

const { appState } = helpers;

async function prepareTarget(context: string): Promise<void> {
  await helpers.prepareTarget(context);
  await kubectl(context, ['apply', '-f', '-'], ibuManifest(lab.registry, '4.16.1'));
}

/** Prep fails with a message matching `message`; back to Idle; the app is untouched. */
async function prepFails(context: string, ...messages: RegExp[]): Promise<void> {
  const before = await appState(context);
  await stage(context, 'Prep');
  await waitFor(context, 'PrepCompleted', 'False');
  // The step's own message is on the in-progress condition; PrepCompleted says "Prep failed".
  const reported = await jsonpath(context, ['get', 'ibu', 'upgrade'], '{.status.conditions[*].message}');
  for (const message of messages) assert.match(reported, message);
  await stage(context, 'Idle');
  await waitFor(context, 'Idle');
  assert.equal(await appState(context), before, 'nothing lost');
}

/**
 * Runs `body` with the host's record (host.json: facts, disk capacity) changed by `edit` and the
 * agent restarted to read it; puts the record back and restarts the agent again afterwards.
 */
async function withHostRecord(
  host: string,
  edit: (record: Record<string, unknown>) => Record<string, unknown>,
  body: () => Promise<void>,
): Promise<void> {
  const hostFile = path.join(lab.dir, 'hosts', host, 'host.json');
  const original = await readFile(hostFile, 'utf8');
  await writeFile(hostFile, JSON.stringify(edit(JSON.parse(original) as Record<string, unknown>), null, 2));
  await restartAgent(lab, host);
  try {
    await body();
  } finally {
    await writeFile(hostFile, original);
    await restartAgent(lab, host);
  }
}

/** The bytes of every blob in an OCI layout, as the simulated container storage counts its disk. */
async function blobBytes(layoutDir: string): Promise<number> {
  const dir = path.join(layoutDir, 'blobs', 'sha256');
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(path.join(dir, name))).size;
  return total;
}

describe('image-based upgrade faults in the lab', { skip: needsRoot }, () => {
  before(async () => {
    lab = await startIbuLab('lcm-ibu-faults-');
    await generateSeed(lab);
    await prepareTarget('sno1');
    await prepareTarget('sno2');
  });
  after(() => lab.close());

  it('a missing pull secret is named', async () => {
    await patchIbu('sno1', { spec: { seedImageRef: { pullSecretRef: { name: 'nope' } } } });
    await prepFails(
      'sno1',
      /pull secret openshift-lifecycle-agent\/nope \(spec\.seedImageRef\.pullSecretRef\) not found/,
    );
    await patchIbu('sno1', { spec: { seedImageRef: { pullSecretRef: { name: 'seed-pull-secret' } } } });
  });

  it("a missing seed image is named with the registry's answer", async () => {
    await patchIbu('sno1', { spec: { seedImageRef: { image: `${lab.registry}/ibu/seed:9.9.9` } } });
    await prepFails(
      'sno1',
      /pull seed image .*seed:9\.9\.9: .*404 Not Found from registry: manifest unknown/,
    );
    await patchIbu('sno1', { spec: { seedImageRef: { image: `${lab.registry}/ibu/seed:4.16.1` } } });
  });

  it('a MachineConfig or an OLM Subscription among the extra manifests is refused (IBU-17)', async () => {
    const forbidden = extraManifestsManifest.replace(
      '\ndata:\n',
      '\ndata:\n  mc.yaml: |\n    apiVersion: machineconfiguration.openshift.io/v1\n    kind: MachineConfig\n    metadata:\n      name: 99-extra\n' +
        '  sub.yaml: |\n    apiVersion: operators.coreos.com/v1alpha1\n    kind: Subscription\n    metadata:\n      name: extra-operator\n      namespace: openshift-operators\n',
    );
    await kubectl('sno1', ['apply', '-f', '-'], forbidden);
    await prepFails(
      'sno1',
      /MachineConfig 99-extra must not be applied as an extra manifest \(IBU-17\)/,
      /Subscription extra-operator must not be applied as an extra manifest/,
    );
    await kubectl('sno1', ['apply', '-f', '-'], extraManifestsManifest);
  });

  it('a wrong target-ocp-version-manifest-count is refused', async () => {
    await kubectl('sno1', [
      'annotate',
      'ibu',
      'upgrade',
      'lca.openshift.io/target-ocp-version-manifest-count=5',
    ]);
    await prepFails(
      'sno1',
      /target-ocp-version-manifest-count says 5 extra manifests; the ConfigMaps hold 1/,
    );
    await kubectl('sno1', [
      'annotate',
      'ibu',
      'upgrade',
      'lca.openshift.io/target-ocp-version-manifest-count-',
    ]);
  });

  it('a DataProtectionApplication with restic enabled is refused (IBU-14)', async () => {
    await kubectl(
      'sno1',
      ['apply', '-f', '-'],
      'apiVersion: oadp.openshift.io/v1alpha1\nkind: DataProtectionApplication\nmetadata:\n  name: dpa\n  namespace: openshift-adp\nspec:\n  configuration:\n    restic:\n      enable: true\n',
    );
    await prepFails('sno1', /restic\.enable: false/);
    await kubectl('sno1', ['delete', 'dataprotectionapplication', 'dpa', '-n', 'openshift-adp']);
  });

  it('a seed built on other hardware is refused, naming the mismatch (IBU-13)', async () => {
    await withHostRecord(
      'sno1',
      (record) => ({ ...record, facts: { ...(record.facts as object), cpuCores: 8 } }),
      () => prepFails('sno1', /CPU topology mismatch: the seed has 16 cores, this cluster 8/),
    );
  });

  it('a full /var/lib/containers is named with the bytes needed and free', async () => {
    // The disk holds the running release's (pinned) images and 100 KiB more: the seed's release
    // images (256 KiB each, pulled in Prep) cannot fit, and cleanup may not remove pinned ones.
    const used = await blobBytes(path.join(lab.dir, 'hosts', 'sno1', 'var', 'lib', 'containers', 'storage'));
    await withHostRecord(
      'sno1',
      (record) => ({ ...record, capacityBytes: used + 100 * 1024 }),
      () =>
        prepFails(
          'sno1',
          /pull .*lab\/ocp-release\/[a-z-]+:4\.16\.1 \(listed by the seed\): .*no space left on device: the image needs \d+ more bytes but only 102400 of \d+ are free in \/var\/lib\/containers/,
        ),
    );
  });

  it('an unreachable registry is named', async () => {
    const closed = await closedPort();
    await patchIbu('sno1', { spec: { seedImageRef: { image: `127.0.0.1:${closed}/ibu/seed:4.16.1` } } });
    try {
      await prepFails(
        'sno1',
        new RegExp(`registry at 127\\.0\\.0\\.1:${closed} is not reachable \\(connection refused\\)`),
      );
    } finally {
      await patchIbu('sno1', { spec: { seedImageRef: { image: `${lab.registry}/ibu/seed:4.16.1` } } });
    }
  });

  it('a post-pivot stall past initMonitorTimeoutSeconds rolls back by itself (IBU-8)', async () => {
    const before = await appState('sno1');
    // A restore of a backup that never exists stalls the post-pivot restore step.
    const stalling = oadpContentManifest('sno1').replace(
      'backupName: sample-app-sno1',
      'backupName: never-taken',
    );
    await kubectl('sno1', ['apply', '-f', '-'], stalling);
    await patchIbu('sno1', { spec: { autoRollbackOnFailure: { initMonitorTimeoutSeconds: 8 } } });
    await stage('sno1', 'Prep');
    await waitFor('sno1', 'PrepCompleted');
    await stage('sno1', 'Upgrade');
    await eventually(
      async () =>
        assert.match(
          await condition('sno1', 'UpgradeInProgress', 'message'),
          /^Rollback due to LCA Init Monitor timeout/,
        ),
      120_000,
    );
    await eventually(
      async () =>
        assert.equal(
          await jsonpath('sno1', ['get', 'clusterversion', 'version'], '{.status.desired.version}'),
          '4.14.13',
        ),
      60_000,
    );
    assert.equal(await appState('sno1'), before, 'the original stateroot serves exactly the previous state');
  });

  it('an agent killed 20 times across Prep, Upgrade and Idle still completes, losing nothing', async () => {
    const before = await appState('sno2');
    const data = await readFile(
      path.join(lab.dir, 'hosts', 'sno2', 'volumes', 'app-data', 'data.txt'),
      'utf8',
    );
    const agentPid = (): Promise<number | undefined> => agentPidOf(lab, 'sno2');
    let kills = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop && kills < 20) {
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 600)));
        const pid = await agentPid();
        if (pid === undefined || !isAlive(pid)) continue;
        process.kill(pid, 'SIGKILL');
        kills++;
        if (process.env.LCM_DEBUG_KILLS === '1')
          process.stderr.write(`${new Date().toISOString()} kill ${kills} ${pid}\n`);
        // Wait for the supervisor's restart before the next kill; if this harness misses it, the
        // loop simply goes on (the restart itself is asserted by the lab suite).
        await eventually(async () => {
          const now = await agentPid();
          assert.ok(now !== undefined && now !== pid && isAlive(now));
        }, 20_000).catch((error: unknown) =>
          process.stderr.write(`agent-sno2 not seen back after kill ${kills}: ${String(error)}\n`),
        );
      }
    })();
    try {
      for (const [value, until] of [
        ['Prep', 'PrepCompleted'],
        ['Upgrade', 'UpgradeCompleted'],
        ['Idle', 'Idle'],
      ] as const) {
        await stage('sno2', value);
        await waitFor('sno2', until, 'True', 240_000);
      }
      await killer;
    } finally {
      stop = true;
    }
    assert.ok(kills >= 20, `only ${kills} kills happened`);
    assert.equal(
      await jsonpath('sno2', ['get', 'clusterversion', 'version'], '{.status.desired.version}'),
      '4.16.1',
    );
    const restored = await appState('sno2');
    assert.equal(
      restored.replace(/@[0-9a-f-]+/g, ''),
      before.replace(/@[0-9a-f-]+/g, ''),
      'the app is restored',
    );
    assert.equal(
      await readFile(path.join(lab.dir, 'hosts', 'sno2', 'volumes', 'app-data', 'data.txt'), 'utf8'),
      data,
    );
    await assert.rejects(
      stat(path.join(lab.dir, 'hosts', 'sno2', 'sysroot', 'ostree', 'deploy', 'rhcos_4.14.13')),
    );
  });
});
