/**
 * Cancel and rollback of an image-based upgrade in the lab (issue 4, IBU-4/IBU-9): a cancel during
 * Upgrade is accepted only before the pivot and then restores the running release; after the pivot
 * only Rollback is, and a rollback whose agent is killed again and again still gives back exactly
 * the previous state.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../src/client/client.ts';
import { loadKubeconfig } from '../../src/client/load-kubeconfig.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { ibuManifest } from '../../src/lab/ibu-rehearsal.ts';
import { runKubectl } from '../../src/lab/kubectl.ts';
import { isAlive } from '../../src/lab/state.ts';
import { eventually } from '../support/http.ts';
import {
  agentPid,
  generateSeed,
  ibuKubectl,
  needsRoot,
  startIbuLab,
  type IbuLab,
} from '../support/ibu-lab.ts';

let lab: IbuLab;
const helpers = ibuKubectl(() => lab);
const { kubectl, jsonpath, stage, version } = helpers;
const waitFor = (context: string, type: string, status = 'True', timeoutMs = 180_000): Promise<void> =>
  helpers.waitFor(context, ['ibu', 'upgrade'], type, status, timeoutMs);

interface IbuStatus {
  readonly conditions?: readonly { type: string; status: string; message?: string }[];
  readonly validNextStages?: readonly string[];
}

/** Reads the IBU through the API directly: fast enough to catch the agent between two steps. */
async function ibuStatus(client: KubeClient): Promise<IbuStatus> {
  const ibu = await client.get<KubeObject<unknown, IbuStatus>>(
    { apiVersion: 'lca.openshift.io/v1', kind: 'ImageBasedUpgrade' },
    'upgrade',
  );
  return ibu.status ?? {};
}

const upgradeInProgress = (status: IbuStatus): boolean =>
  status.conditions?.some((c) => c.type === 'UpgradeInProgress' && c.status === 'True') ?? false;

/**
 * Freezes the host's agent (SIGSTOP) at the first moment the upgrade is in progress and `when`
 * holds, so the status read afterwards cannot change under the test; returns the agent's PID.
 */
async function freezeAgentWhen(
  host: string,
  client: KubeClient,
  when: (status: IbuStatus) => boolean,
): Promise<number> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const status = await ibuStatus(client).catch(() => undefined);
    if (status !== undefined && upgradeInProgress(status) && when(status)) {
      const pid = await agentPid(lab, host);
      if (pid !== undefined && isAlive(pid)) {
        process.kill(pid, 'SIGSTOP');
        return pid;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the upgrade on ${host} never reached the awaited point`);
}

const { appState } = helpers;

const volumeFile = (host: string): string =>
  path.join(lab.dir, 'hosts', host, 'volumes', 'app-data', 'data.txt');
const staterootDir = (host: string, name: string): string =>
  path.join(lab.dir, 'hosts', host, 'sysroot', 'ostree', 'deploy', name);

describe('image-based upgrade cancel and rollback in the lab', { skip: needsRoot }, () => {
  let sno1: KubeClient;

  before(async () => {
    lab = await startIbuLab('lcm-ibu-cancel-');
    await generateSeed(lab);
    for (const host of ['sno1', 'sno2']) {
      await helpers.prepareTarget(host);
      await kubectl(host, ['apply', '-f', '-'], ibuManifest(lab.registry, '4.16.1'));
    }
    sno1 = new KubeClient(await loadKubeconfig(lab.kubeconfig, { context: 'sno1' }));
  });
  after(() => lab.close());

  it('a cancel during Upgrade before the pivot is accepted and keeps the running release', async () => {
    const before = await appState('sno1');
    await stage('sno1', 'Prep');
    await waitFor('sno1', 'PrepCompleted');
    await stage('sno1', 'Upgrade');
    const pid = await freezeAgentWhen('sno1', sno1, (s) => s.validNextStages?.includes('Idle') ?? false);
    try {
      // The API server decides from status.validNextStages, which says "before the pivot".
      await stage('sno1', 'Idle');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('sno1', 'Idle');
    assert.equal(await version('sno1'), '4.14.13');
    assert.equal(await appState('sno1'), before, 'the running cluster is untouched');
    await assert.rejects(stat(staterootDir('sno1', 'rhcos_4.16.1')), 'the new stateroot is removed');
  });

  it('after the pivot a cancel is refused with the reason and only Rollback is offered', async () => {
    await stage('sno1', 'Prep');
    await waitFor('sno1', 'PrepCompleted');
    await stage('sno1', 'Upgrade');
    const pid = await freezeAgentWhen('sno1', sno1, (s) => s.validNextStages?.includes('Rollback') ?? false);
    try {
      const refused = await runKubectl(
        ['patch', 'ibu', 'upgrade', '--type=merge', '-p', '{"spec":{"stage":"Idle"}}'],
        { kubeconfig: lab.kubeconfig, context: 'sno1' },
      );
      assert.notEqual(refused.code, 0, 'the API server refuses Idle after the pivot');
      // Upstream's CEL rule: the API server refuses any stage that status.validNextStages leaves out.
      assert.match(
        refused.stderr,
        /the stage transition is not permitted\. Please refer to status\.validNextStages/,
      );
      assert.equal(
        await jsonpath('sno1', ['get', 'ibu', 'upgrade'], '{.status.validNextStages}'),
        '["Rollback"]',
      );
      assert.equal(
        await jsonpath('sno1', ['get', 'ibu', 'upgrade'], '{.spec.stage}'),
        'Upgrade',
        'the refused patch changed nothing',
      );
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('sno1', 'UpgradeCompleted');
  });

  it('a rollback whose agent is killed 20 times across Prep, Upgrade and Rollback restores exactly', async () => {
    const before = await appState('sno2');
    const data = await readFile(volumeFile('sno2'), 'utf8');
    // Seven kills per stage: the agent must get some work done between kills (an agent killed
    // faster than it can start would prove nothing), and every stage must take its share.
    const perStage = 7;
    const kills = new Map<string, number>();
    let current = 'Prep';
    let landed = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 500)));
        const stageKills = kills.get(current) ?? 0;
        if (stageKills >= perStage) continue;
        const pid = await agentPid(lab, 'sno2');
        if (pid === undefined || !isAlive(pid)) continue;
        process.kill(pid, 'SIGKILL');
        kills.set(current, stageKills + 1);
        landed++;
        await eventually(async () => {
          const now = await agentPid(lab, 'sno2');
          assert.ok(now !== undefined && now !== pid && isAlive(now));
        }, 20_000).catch((error: unknown) =>
          process.stderr.write(`agent-sno2 not seen back after a kill in ${current}: ${String(error)}\n`),
        );
      }
    })();
    try {
      // A fast stage may end before its share of kills lands: then the whole cycle runs again.
      for (let cycle = 1; cycle <= 3 && landed < 20; cycle++) {
        if (cycle > 1) {
          kills.set('Idle', perStage); // cleanup between cycles is not what this test exercises
          current = 'Idle';
          await stage('sno2', 'Idle');
          await waitFor('sno2', 'Idle');
          for (const stageName of ['Prep', 'Upgrade', 'Rollback']) kills.set(stageName, 0);
        }
        for (const [value, until] of [
          ['Prep', 'PrepCompleted'],
          ['Upgrade', 'UpgradeCompleted'],
          ['Rollback', 'RollbackCompleted'],
        ] as const) {
          current = value;
          await stage('sno2', value);
          await waitFor('sno2', until, 'True', 300_000);
        }
      }
    } finally {
      stop = true;
      await killer;
    }
    assert.ok(landed >= 20, `only ${landed} kills landed`);
    assert.equal(await version('sno2'), '4.14.13');
    assert.equal(await appState('sno2'), before, 'every object is back with the same uid and data');
    assert.equal(await readFile(volumeFile('sno2'), 'utf8'), data, 'the PV file is intact');
    await stage('sno2', 'Idle');
    await waitFor('sno2', 'Idle');
    await assert.rejects(stat(staterootDir('sno2', 'rhcos_4.16.1')), 'Idle removes the unused stateroot');
  });
});
