/**
 * Image-based upgrade benchmark (issue 4): the lab wall time of seed generation, Prep, Upgrade and
 * Idle broken down by step, and the seed image's transfer throughput with lcm's OCI client against
 * `skopeo copy` of the same image in the same run.
 *
 *   sudo node --import tsx bench/ibu/main.ts [--quick]
 *
 * Runs as root: the lab's simulated hosts deploy real ostree stateroots. `--quick` uses a 32 MiB
 * synthetic image and one transfer round instead of 256 MiB and best of three.
 *
 * Step times are taken client-side: the IBU's and the SeedGenerator's in-progress condition message
 * names the step running, and this process polls it every 25 ms. The agent's own status.history
 * (1 s resolution) is shown beside them as a cross-check.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { History } from '../../src/api/lca/image-based-upgrade.ts';
import type { ServedIbu } from '../../src/cli/ibu/ibu-view.ts';
import { summaryLine } from '../../src/cli/ibu/ibu-view.ts';
import { KubeClient } from '../../src/client/client.ts';
import { isNotFound } from '../../src/client/errors.ts';
import type { KubeObject } from '../../src/client/object.ts';
import { seedGenSteps, type SeedGenerator } from '../../src/controllers/seedgenerator/decide.ts';
import { finalizeUpgradeSteps, stepsOfStage } from '../../src/controllers/imagebasedupgrade/steps.ts';
import { buildImage } from '../../src/host/oci/build.ts';
import { readBlob, findInIndex } from '../../src/host/oci/layout.ts';
import type { ImageManifest } from '../../src/host/oci/media-types.ts';
import { pullToLayout, pushLayout } from '../../src/host/oci/transfer.ts';
import { readSeedImage, seedLayerRoles } from '../../src/host/seed-image.ts';
import {
  extraManifestsManifest,
  ibuManifest,
  oadpContentManifest,
  rehearsalBucket,
  storageLocationManifest,
} from '../../src/lab/ibu-rehearsal.ts';
import { hostsSupported } from '../../src/lab/hosts.ts';
import { startRegistry } from '../../src/lab/registry.ts';
import { removeTree } from '../../src/lab/remove-tree.ts';
import { defaultRebootDelayMs } from '../../src/lab/sim-host.ts';
import { labLayout, readState } from '../../src/lab/state.ts';
import { applyYaml, clientFor } from '../../src/cli/rehearse-ibu.ts';
import { left, renderTable, right } from '../support/table.ts';
import {
  imageBasedUpgradeType as ibuType,
  seedGeneratorType as seedType,
} from '../../src/api/lca/constants.ts';

// ---------------------------------------------------------------------------------------------
// Scale

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = flags.quick === true;

const scale = {
  syntheticMiB: quick ? 32 : 256,
  /** Each transfer is repeated this often and the fastest kept: the first is often the slowest. */
  rounds: quick ? 1 : 3,
  pollMs: 25,
  stageTimeoutMs: 300_000,
};

const seedVersion = '4.16.1';
const refName = 'seed';
const lcmEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lcm.js');
const run = promisify(execFile);
const seconds = (ms: number): number => ms / 1000;

function progress(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}

async function timedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// Following a stage step by step

interface Segment {
  readonly label: string;
  readonly ms: number;
}

interface StageTiming {
  readonly name: string;
  readonly totalMs: number;
  readonly segments: readonly Segment[];
}

interface Observation {
  readonly label: string;
  readonly done: boolean;
  readonly failure?: string;
}

/**
 * Polls `observe` from now until it says done; each run of equal labels becomes one segment. A step
 * shorter than one poll can be missed: its time then counts toward the step seen before it.
 */
async function follow(name: string, observe: () => Promise<Observation>): Promise<StageTiming> {
  const start = performance.now();
  const marks: { label: string; at: number }[] = [];
  for (;;) {
    const seen = await observe();
    const now = performance.now();
    if (seen.failure !== undefined) throw new Error(`${name} failed: ${seen.failure}`);
    if (seen.done) {
      const segments = marks.map((mark, i) => ({
        label: mark.label,
        ms: (marks[i + 1]?.at ?? now) - mark.at,
      }));
      return { name, totalMs: now - start, segments };
    }
    if (marks[marks.length - 1]?.label !== seen.label) {
      marks.push({ label: seen.label, at: marks.length === 0 ? start : now });
      progress(`${name}: ${seen.label}`);
    }
    if (now - start > scale.stageTimeoutMs) {
      throw new Error(`${name}: not done after ${seconds(scale.stageTimeoutMs)} s (last: ${seen.label})`);
    }
    await sleep(scale.pollMs);
  }
}

const rebootLabel = 'cluster unreachable: simulated reboot';

function observeIbu(client: KubeClient, until: string): () => Promise<Observation> {
  return async () => {
    let ibu: ServedIbu;
    try {
      ibu = await client.get<ServedIbu>(ibuType, 'upgrade');
    } catch (error) {
      // Booted into the new stateroot, the cluster serves its key space before the agent has put
      // the saved IBU back.
      if (isNotFound(error)) return { label: 'after the reboot: IBU not restored yet (404)', done: false };
      const text = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      // The lab answers 503 for a cluster whose host is rebooting.
      return { label: /503|reboot/i.test(text) ? rebootLabel : `unreachable: ${text}`, done: false };
    }
    const conditions = ibu.status?.conditions ?? [];
    if (conditions.some((c) => c.type === until && c.status === 'True')) return { label: '', done: true };
    const line = summaryLine(ibu);
    if (/: failed — /.test(line)) return { label: line, done: false, failure: line };
    return { label: line.replace(/^\w+: (in progress — )?/, ''), done: false };
  };
}

function observeSeedGenerator(client: KubeClient): () => Promise<Observation> {
  return async () => {
    const seed = await client.get<SeedGenerator>(seedType, 'seedimage');
    const conditions = seed.status?.conditions ?? [];
    const completed = conditions.find((c) => c.type === 'SeedGenCompleted');
    if (completed?.status === 'True') return { label: '', done: true };
    if (completed?.status === 'False' && completed.reason === 'Failed')
      return { label: completed.message, done: false, failure: completed.message };
    const running = conditions.find((c) => c.type === 'SeedGenInProgress' && c.status === 'True');
    const shown = conditions.map((c) => `${c.type}=${c.status} ${c.message}`).join('; ');
    return { label: running?.message ?? (shown || 'no conditions yet'), done: false };
  };
}

// ---------------------------------------------------------------------------------------------
// The lab

const pullSecret = `apiVersion: v1
kind: Secret
metadata: {name: seed-pull-secret, namespace: openshift-lifecycle-agent}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{}}'
`;

interface IbuResults {
  readonly labUpMs: number;
  /** From `lab up` returning until both agents answer: they start after the lab says ready. */
  readonly agentsUpMs: number;
  readonly registry: string;
  readonly stages: readonly StageTiming[];
  /** status.history as the agent wrote it, read before Idle empties it. */
  readonly history: readonly History[];
}

/** A host's agent creates the IBU `upgrade` when it starts and sets Idle once its controller runs. */
async function agentReady(client: KubeClient): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const ibu = await client.get<ServedIbu>(ibuType, 'upgrade').catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (ibu?.status?.conditions?.some((c) => c.type === 'Idle' && c.status === 'True')) return;
    if (performance.now() > deadline) throw new Error('the lab agent did not set its IBU Idle within 60 s');
    await sleep(scale.pollMs);
  }
}

async function benchIbu(labDir: string): Promise<IbuResults> {
  const layout = labLayout(labDir);
  progress('lab up (etcd, API server, registry, hosts seed, sno1, sno2)');
  const labUpMs = await timedMs(() =>
    run(process.execPath, [lcmEntry, 'lab', 'up', '--dir', labDir], { timeout: 180_000 }),
  );
  const registry = (await readState(layout))?.registry;
  if (registry === undefined) throw new Error(`${layout.state} names no registry after lab up`);
  await mkdir(path.join(labDir, 'objectstore', rehearsalBucket), { recursive: true });
  const seed = await clientFor(layout.kubeconfig, 'seed');
  const sno1 = await clientFor(layout.kubeconfig, 'sno1');
  progress('waiting for the seed and sno1 agents');
  const agentsUpMs = await timedMs(() => Promise.all([agentReady(seed), agentReady(sno1)]));

  const stages: StageTiming[] = [];
  await applyYaml(
    seed,
    `apiVersion: v1
kind: Secret
metadata: {name: seedgen, namespace: openshift-lifecycle-agent}
stringData:
  seedAuth: '{"auths":{}}'
`,
  );
  await seed.create({
    ...seedType,
    metadata: { name: 'seedimage' },
    spec: { seedImage: `${registry}/ibu/seed:${seedVersion}` },
  });
  stages.push(await follow('seed generation', observeSeedGenerator(seed)));

  for (const text of [
    pullSecret,
    storageLocationManifest,
    oadpContentManifest('sno1'),
    extraManifestsManifest,
  ])
    await applyYaml(sno1, text);
  const ibu = parseAllDocuments(ibuManifest(registry, seedVersion))[0]?.toJS() as KubeObject & {
    spec: Record<string, unknown>;
  };
  await sno1.patch(ibuType, 'upgrade', { spec: ibu.spec }, { type: 'merge' });

  let history: readonly History[] = [];
  for (const [stage, until] of [
    ['Prep', 'PrepCompleted'],
    ['Upgrade', 'UpgradeCompleted'],
    ['Idle', 'Idle'],
  ] as const) {
    await sno1.patch(ibuType, 'upgrade', { spec: { stage } }, { type: 'merge' });
    stages.push(await follow(stage, observeIbu(sno1, until)));
    if (stage === 'Upgrade') history = (await sno1.get<ServedIbu>(ibuType, 'upgrade')).status?.history ?? [];
  }
  return { labUpMs, agentsUpMs, registry, stages, history };
}

// ---------------------------------------------------------------------------------------------
// Transfers: lcm's client against skopeo, the same image, the same run

type Tool = 'lcm' | 'skopeo';
type Direction = 'pull' | 'push';

interface ImageTransfers {
  readonly name: string;
  readonly bytes: number;
  readonly buildMs?: number;
  /** Fastest of the rounds, by tool and direction. */
  readonly best: ReadonlyMap<`${Tool} ${Direction}`, number>;
}

async function manifestOf(layoutDir: string): Promise<ImageManifest> {
  const descriptor = await findInIndex(layoutDir, refName);
  return JSON.parse((await readBlob(layoutDir, descriptor.digest)).toString('utf8')) as ImageManifest;
}

/** What a transfer moves: the config and the layers (the manifest is a few hundred bytes). */
function transferBytes(manifest: ImageManifest): number {
  return [manifest.config, ...manifest.layers].reduce((sum, blob) => sum + blob.size, 0);
}

function skopeo(source: string, destination: string): Promise<unknown> {
  return run(
    'skopeo',
    [
      '--insecure-policy',
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      source,
      destination,
    ],
    { timeout: 300_000 },
  );
}

/**
 * Every push goes to a registry started for it alone: blobs it already holds would be skipped, and
 * skopeo's blob-info cache would mount them from another repository instead of uploading.
 */
async function pushToFreshRegistry(
  workDir: string,
  push: (registryHost: string) => Promise<unknown>,
): Promise<number> {
  const dir = await mkdtemp(path.join(workDir, 'registry-'));
  const registry = await startRegistry({ dir });
  try {
    return await timedMs(() => push(registry.host));
  } finally {
    await registry.stop();
    await removeTree(dir);
  }
}

async function measureTransfers(
  name: string,
  sourceRef: string,
  workDir: string,
  buildMs?: number,
): Promise<ImageTransfers> {
  const best = new Map<`${Tool} ${Direction}`, number>();
  const keep = (key: `${Tool} ${Direction}`, ms: number): void => {
    best.set(key, Math.min(best.get(key) ?? Infinity, ms));
  };
  let bytes = 0;
  for (let round = 1; round <= scale.rounds; round++) {
    progress(`${name}: transfer round ${round}/${scale.rounds}`);
    const lcmDir = path.join(workDir, `${name}-lcm-${round}`);
    const skopeoDir = path.join(workDir, `${name}-skopeo-${round}`);
    // Alternate which tool goes first so neither always gets the warmer page cache.
    const pulls: [Tool, () => Promise<unknown>][] = [
      ['lcm', () => pullToLayout(sourceRef, lcmDir, { refName })],
      ['skopeo', () => skopeo(`docker://${sourceRef}`, `oci:${skopeoDir}:${refName}`)],
    ];
    for (const [tool, pull] of round % 2 === 1 ? pulls : pulls.reverse())
      keep(`${tool} pull`, await timedMs(pull));
    bytes = transferBytes(await manifestOf(lcmDir));
    const pushes: [Tool, (host: string) => Promise<unknown>][] = [
      ['lcm', (host) => pushLayout(lcmDir, `${host}/bench/${name}:${refName}`, { refName })],
      ['skopeo', (host) => skopeo(`oci:${lcmDir}:${refName}`, `docker://${host}/bench/${name}:${refName}`)],
    ];
    for (const [tool, push] of round % 2 === 1 ? pushes : pushes.reverse())
      keep(`${tool} push`, await pushToFreshRegistry(workDir, push));
    await removeTree(lcmDir);
    await removeTree(skopeoDir);
  }
  return { name, bytes, best, ...(buildMs !== undefined ? { buildMs } : {}) };
}

interface SeedDetails {
  readonly layers: readonly { readonly role: string; readonly bytes: number }[];
}

async function seedDetails(sourceRef: string, workDir: string): Promise<SeedDetails> {
  const dir = path.join(workDir, 'seed-inspect');
  await pullToLayout(sourceRef, dir, { refName });
  const seed = await readSeedImage(dir, refName);
  const layers = [
    { role: 'config', bytes: seed.manifest.config.size },
    ...seedLayerRoles.map((role) => ({ role, bytes: seed.layers[role].size })),
  ];
  await removeTree(dir);
  return { layers };
}

async function writeRandomFile(file: string, mib: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < mib; i++) {
    if (!out.write(randomBytes(2 ** 20))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** A seed-sized stand-in: one random (incompressible) layer, built and served like a seed. */
async function benchSynthetic(workDir: string): Promise<ImageTransfers> {
  const name = `synthetic-${scale.syntheticMiB}m`;
  const contentDir = path.join(workDir, 'synthetic-content');
  await mkdir(contentDir, { recursive: true });
  progress(`${name}: writing ${scale.syntheticMiB} MiB of random data`);
  await writeRandomFile(path.join(contentDir, 'payload.bin'), scale.syntheticMiB);
  const layoutDir = path.join(workDir, 'synthetic-layout');
  progress(`${name}: building the image (tar + gzip)`);
  const buildMs = await timedMs(() => buildImage({ layoutDir, layers: [{ path: contentDir }], refName }));
  await removeTree(contentDir);

  const sourceDir = path.join(workDir, 'synthetic-source-registry');
  const source = await startRegistry({ dir: sourceDir });
  try {
    const sourceRef = `${source.host}/bench/${name}:${refName}`;
    await pushLayout(layoutDir, sourceRef, { refName });
    await removeTree(layoutDir);
    return await measureTransfers(name, sourceRef, workDir, buildMs);
  } finally {
    await source.stop();
    await removeTree(sourceDir);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const secs = (ms: number | undefined): string => (ms === undefined ? '-' : seconds(ms).toFixed(2));
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 1);
const rate = (bytes: number, ms: number | undefined): number =>
  ms === undefined ? Number.NaN : bytes / 2 ** 20 / seconds(ms);
const fixed = (n: number): string => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '-');
const share = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;

/** Agent-side step durations (1 s resolution), keyed by the step's condition message. */
function agentSteps(history: readonly History[]): Map<string, number> {
  const byMessage = new Map<string, number>();
  for (const entry of history) {
    const stage = entry.stage;
    if (stage !== 'Prep' && stage !== 'Upgrade') continue;
    const steps = stepsOfStage[stage];
    for (const phase of entry.phases ?? []) {
      const description = steps.find((s) => s.name === phase.phase)?.description;
      if (description === undefined || phase.startTime === undefined || phase.completionTime === undefined)
        continue;
      byMessage.set(
        `${stage} ${description}`,
        Date.parse(phase.completionTime) - Date.parse(phase.startTime),
      );
    }
  }
  return byMessage;
}

function agentStage(history: readonly History[], stage: string): number | undefined {
  const entry = history.find((h) => h.stage === stage);
  if (entry?.startTime === undefined || entry.completionTime === undefined) return undefined;
  return Date.parse(entry.completionTime) - Date.parse(entry.startTime);
}

const knownSteps = new Set<string>([
  ...seedGenSteps.map((s) => s.message),
  ...stepsOfStage.Prep.map((s) => s.description),
  ...stepsOfStage.Upgrade.map((s) => s.description),
  ...finalizeUpgradeSteps.map((s) => s.description),
]);

/** A stage's first rows, before the agent has reacted, still show the previous stage's message. */
function segmentLabel(segment: Segment, index: number): string {
  if (index > 0 || knownSteps.has(segment.label)) return segment.label;
  return `(until the agent takes it up: "${segment.label}")`;
}

function ibuTable(results: IbuResults): string {
  const agent = agentSteps(results.history);
  const total = results.stages.reduce((sum, s) => sum + s.totalMs, 0);
  const rows: string[][] = [];
  // After the reboot the restored IBU shows the pre-pivot message it was saved with once more.
  const agentShown = new Set<string>();
  const agentOnce = (key: string): string => {
    if (agentShown.has(key)) return '';
    agentShown.add(key);
    return secs(agent.get(key));
  };
  for (const stage of results.stages) {
    rows.push([
      stage.name,
      '(whole stage)',
      secs(stage.totalMs),
      share(stage.totalMs, total),
      secs(agentStage(results.history, stage.name)),
    ]);
    for (const [index, segment] of stage.segments.entries()) {
      rows.push([
        '',
        segmentLabel(segment, index),
        secs(segment.ms),
        share(segment.ms, total),
        agentOnce(`${stage.name} ${segment.label}`),
      ]);
    }
  }
  rows.push(['total', 'seed generation + Prep + Upgrade + Idle', secs(total), '100%', '']);
  const unseenSeedSteps = seedGenSteps
    .filter((s) => !results.stages[0]?.segments.some((seg) => seg.label === s.message))
    .map((s) => s.name);
  const notes = [
    `client = this process polling the condition message every ${scale.pollMs} ms; a step shorter than`,
    'one poll may not appear and its time counts toward the row above it.',
    'agent = the IBU status.history phases (metav1.Time, 1 s resolution; Prep and Upgrade only);',
    'a phase is closed when the agent next writes status, so one open across the reboot includes it.',
    `"${rebootLabel}": the lab's reboot delay (${seconds(defaultRebootDelayMs)} s by default, sim-host`,
    'defaultRebootDelayMs) stands in for a real reboot of a single-node host, which takes minutes: the lab',
    'clock is scaled, so Upgrade here is the agent and host work plus that stand-in delay.',
    `not counted above: lab up ${secs(results.labUpMs)} s, then ${secs(results.agentsUpMs)} s until the host agents ran.`,
  ];
  if (unseenSeedSteps.length > 0)
    notes.push(`seed generation steps too short to observe: ${unseenSeedSteps.join(', ')}`);
  return renderTable(
    '1. Image-based upgrade on the lab: wall time by stage and step',
    [left('stage'), left('step (condition message)'), right('client s'), right('share'), right('agent s')],
    rows,
    notes,
  );
}

function seedTable(results: IbuResults, seed: ImageTransfers, details: SeedDetails): string {
  const seedStage = results.stages[0];
  const stepMs = (message: string): number | undefined =>
    seedStage?.segments.find((s) => s.label === message)?.ms;
  const exportMs = stepMs('Exporting the OS tree of the booted deployment');
  const buildMs = stepMs('Building the seed image');
  const pushMs = stepMs('Pushing the seed image');
  const rows = [
    ['image', `${results.registry}/ibu/seed:${seedVersion}`],
    ['size (config + layers)', `${mib(seed.bytes)} MiB`],
    ...details.layers.map((l) => [`  ${l.role}`, `${mib(l.bytes)} MiB`]),
    ['build: export OS tree', `${secs(exportMs)} s`],
    ['build: build the seed image', `${secs(buildMs)} s`],
    [
      'push by the seed generator',
      `${secs(pushMs)} s (${fixed(rate(seed.bytes, pushMs))} MiB/s, includes its own status writes)`,
    ],
  ];
  return renderTable(
    '2a. Seed image (from the SeedGenerator steps above)',
    [left('what'), left('value')],
    rows,
    [
      "the lab seed's OS tree is simulated, so the image is tiny and its transfer times are request",
      'latency rather than throughput: the synthetic image in 2b is the seed-sized stand-in.',
    ],
  );
}

function transferTable(images: readonly ImageTransfers[]): string {
  const rows: string[][] = [];
  for (const image of images) {
    for (const direction of ['push', 'pull'] as const) {
      const lcmMs = image.best.get(`lcm ${direction}`);
      const skopeoMs = image.best.get(`skopeo ${direction}`);
      const lcmRate = rate(image.bytes, lcmMs);
      const skopeoRate = rate(image.bytes, skopeoMs);
      rows.push([
        image.name,
        mib(image.bytes),
        image.buildMs === undefined ? '-' : secs(image.buildMs),
        direction,
        secs(lcmMs),
        fixed(lcmRate),
        secs(skopeoMs),
        fixed(skopeoRate),
        (lcmRate / skopeoRate).toFixed(2),
      ]);
    }
  }
  return renderTable(
    `2b. Transfer throughput: lcm's OCI client vs skopeo ${skopeoVersion}, same image, same run (best of ${scale.rounds})`,
    [
      left('image'),
      right('MiB'),
      right('build s'),
      left('op'),
      right('lcm s'),
      right('lcm MiB/s'),
      right('skopeo s'),
      right('skopeo MiB/s'),
      right('lcm/skopeo'),
    ],
    rows,
    [
      'pull: registry → a fresh OCI layout dir (digest-checked); push: OCI layout → a registry started',
      'empty for that push (docker-registry 2.8, plain HTTP on loopback). MiB = config + layer bytes moved.',
      'lcm/skopeo > 1 means lcm is faster. seed: pulled from the lab registry; synthetic: one random',
      'gzip layer (incompressible), build s = tar + gzip + digest with buildImage.',
    ],
  );
}

let skopeoVersion = '?';

function environment(): string {
  const cpus = os.cpus();
  return [
    `lcm image-based upgrade benchmark (${quick ? 'quick' : 'default'} run, ${new Date().toISOString()})`,
    `node ${process.version}, skopeo ${skopeoVersion}, ${cpus.length} × ${cpus[0]?.model.trim() ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

const unsupported = hostsSupported();
if (unsupported !== undefined) {
  process.stderr.write(`bench/ibu needs the lab's simulated hosts: ${unsupported}\n`);
  process.exit(1);
}
skopeoVersion = (await run('skopeo', ['--version'])).stdout.trim().replace(/^skopeo version /, '');
const started = performance.now();
const workDir = await mkdtemp(path.join(os.tmpdir(), 'lcm-bench-ibu-'));
const labDir = path.join(workDir, 'lab');
try {
  try {
    const ibu = await benchIbu(labDir);
    const seedRef = `${ibu.registry}/ibu/seed:${seedVersion}`;
    const details = await seedDetails(seedRef, workDir);
    const seed = await measureTransfers('seed', seedRef, workDir);
    const synthetic = await benchSynthetic(workDir);
    process.stdout.write(
      [environment(), ibuTable(ibu), seedTable(ibu, seed, details), transferTable([seed, synthetic])].join(
        '\n',
      ),
    );
  } finally {
    progress('lab down');
    await run(process.execPath, [lcmEntry, 'lab', 'down', '--dir', labDir], { timeout: 60_000 }).catch(
      (error: unknown) =>
        progress(`lab down failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  process.stdout.write(`\ntotal time ${seconds(performance.now() - started).toFixed(0)} s\n`);
} finally {
  await removeTree(workDir);
}
