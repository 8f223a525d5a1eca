/** A lab with simulated hosts for the image-based upgrade suites, and kubectl helpers bound to it. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  extraManifestsManifest,
  oadpContentManifest,
  rehearsalBucket,
  storageLocationManifest,
} from '../../src/lab/ibu-rehearsal.ts';
import { runKubectl } from '../../src/lab/kubectl.ts';
import { removeTree } from '../../src/lab/remove-tree.ts';
import { isAlive, labLayout, readState } from '../../src/lab/state.ts';
import { eventually } from './http.ts';

const run = promisify(execFile);
export const lcmEntry = path.resolve('bin/lcm.js');
export const needsRoot = process.getuid?.() !== 0 ? 'simulated hosts need root' : false;

export interface IbuLab {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly registry: string;
  close(): Promise<void>;
}

/** `lcm lab up` in a fresh directory (hub, seed 4.16.1, sno1 and sno2 at 4.14.13) with a backup bucket. */
export async function startIbuLab(prefix: string): Promise<IbuLab> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), prefix)), 'lab');
  await run(process.execPath, [lcmEntry, 'lab', 'up', '--dir', dir], { timeout: 180_000 });
  const registry = (await readState(labLayout(dir)))?.registry ?? '';
  assert.notEqual(registry, '', 'the lab runs a registry');
  await mkdir(path.join(dir, 'objectstore', rehearsalBucket), { recursive: true });
  return {
    dir,
    kubeconfig: labLayout(dir).kubeconfig,
    registry,
    close: async () => {
      if (process.env.LCM_KEEP_LAB === '1') {
        process.stderr.write(`LCM_KEEP_LAB=1: the lab stays in ${dir}\n`);
        return;
      }
      await run(process.execPath, [lcmEntry, 'lab', 'down', '--dir', dir]).catch(() => undefined);
      await removeTree(path.dirname(dir));
    },
  };
}

/** `lcm seed generate` on the lab's seed host: the seed image the targets upgrade to. */
export async function generateSeed(lab: IbuLab): Promise<void> {
  await run(
    process.execPath,
    [
      lcmEntry,
      'seed',
      'generate',
      '--kubeconfig',
      lab.kubeconfig,
      '--context',
      'seed',
      '--image',
      `${lab.registry}/ibu/seed:4.16.1`,
    ],
    { timeout: 120_000 },
  );
}

/** The PID of a host's running agent, as the lab supervisor records it. */
export async function agentPid(lab: IbuLab, host: string): Promise<number | undefined> {
  return (await readState(labLayout(lab.dir)))?.components.find(
    (c) => c.name === `agent-${host}` && c.health === 'running',
  )?.pid;
}

/** SIGKILLs the host's agent and waits until the supervisor has started a new one. */
export async function restartAgent(lab: IbuLab, host: string): Promise<void> {
  const old = await agentPid(lab, host);
  if (old !== undefined) process.kill(old, 'SIGKILL');
  await eventually(async () => {
    const now = await agentPid(lab, host);
    assert.ok(now !== undefined && now !== old && isAlive(now));
  }, 20_000);
}

/** kubectl against one of the lab's contexts; `lab` is read per call (it starts in `before`). */
export function ibuKubectl(lab: () => IbuLab) {
  const kubectl = async (context: string, args: string[], stdin?: string): Promise<string> => {
    const result = await runKubectl(args, {
      kubeconfig: lab().kubeconfig,
      context,
      ...(stdin !== undefined ? { stdin } : {}),
    });
    assert.equal(result.code, 0, `kubectl --context ${context} ${args.join(' ')}:\n${result.stderr}`);
    return result.stdout;
  };
  const jsonpath = async (context: string, args: string[], expression: string): Promise<string> =>
    (await runKubectl([...args, '-o', `jsonpath=${expression}`], { kubeconfig: lab().kubeconfig, context }))
      .stdout;
  const condition = (
    context: string,
    kindName: [string, string],
    type: string,
    field = 'status',
  ): Promise<string> =>
    jsonpath(context, ['get', ...kindName], `{.status.conditions[?(@.type=="${type}")].${field}}`);
  /** `kubectl patch ibu upgrade --type=merge -p <patch>`, as the seed changes an IBU. */
  const patchIbu = (context: string, patch: object): Promise<string> =>
    kubectl(context, ['patch', 'ibu', 'upgrade', '--type=merge', '-p', JSON.stringify(patch)]);
  return {
    kubectl,
    jsonpath,
    condition,
    /** The sample app's objects with their uids and data: equal only if restored exactly. */
    appState: (context: string): Promise<string> =>
      kubectl(context, [
        'get',
        'configmap,secret,deployment,persistentvolumeclaim',
        '-n',
        'sample-app',
        '-o',
        'jsonpath={range .items[*]}{.kind}/{.metadata.name}@{.metadata.uid} {.data}{"\\n"}{end}',
      ]),
    /** Waits until the condition has `status` (True by default). */
    waitFor: (
      context: string,
      kindName: [string, string],
      type: string,
      status = 'True',
      timeoutMs = 120_000,
    ): Promise<void> =>
      eventually(async () => {
        const now = await condition(context, kindName, type);
        if (now === status) return;
        // On timeout the whole status says why (a failed step's message, the stage it stopped in).
        const all = await jsonpath(context, ['get', ...kindName], '{.status}');
        assert.equal(
          now,
          status,
          `${context} ${kindName.join('/')} ${type} is ${now || 'absent'}; status: ${all}`,
        );
      }, timeoutMs),
    patchIbu,
    stage: (context: string, value: string): Promise<string> => patchIbu(context, { spec: { stage: value } }),
    version: (context: string): Promise<string> =>
      jsonpath(context, ['get', 'clusterversion', 'version'], '{.status.desired.version}'),
    /** The pull secret, storage location, OADP content and extra manifests the seed's IBU example names. */
    prepareTarget: async (context: string): Promise<void> => {
      await kubectl(context, [
        '-n',
        'openshift-lifecycle-agent',
        'create',
        'secret',
        'docker-registry',
        'seed-pull-secret',
        `--docker-server=${lab().registry}`,
        '--docker-username=lab',
        '--docker-password=lab',
      ]);
      for (const manifest of [
        storageLocationManifest,
        oadpContentManifest(context),
        extraManifestsManifest,
      ]) {
        await kubectl(context, ['apply', '-f', '-'], manifest);
      }
    },
  };
}
