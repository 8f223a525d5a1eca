/**
 * The README's main job on the lab: a whole image-based upgrade rehearsed — seed generation on the
 * seed host, then Prep, Upgrade and Idle on sno1 — with live progress and a summary of what changed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '../client/client.ts';
import { loadKubeconfig } from '../client/load-kubeconfig.ts';
import type { KubeObject } from '../client/object.ts';
import {
  extraManifestsManifest,
  ibuManifest,
  oadpContentManifest,
  rehearsalBucket,
  storageLocationManifest,
} from '../lab/ibu-rehearsal.ts';
import { labLayout, readState } from '../lab/state.ts';
import { generateSeed, watchIbu } from './commands/ibu.ts';
import { formatTable } from './output.ts';
import type { Progress } from './progress.ts';
import { imageBasedUpgradeName, imageBasedUpgradeType } from '../api/lca/constants.ts';

const run = promisify(execFile);
const lcmEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/lcm.js');
const seedVersion = '4.16.1';

/** Creates each document of `text` that does not exist yet. */
export async function applyYaml(client: KubeClient, text: string): Promise<void> {
  for (const doc of parseAllDocuments(text)) await client.createIfMissing(doc.toJS() as KubeObject);
}

export async function clientFor(kubeconfig: string, context: string): Promise<KubeClient> {
  return new KubeClient(await loadKubeconfig(kubeconfig, { context }));
}

interface Snapshot {
  readonly version: string;
  readonly certificate: string;
  readonly objects: string[];
}

async function snapshot(client: KubeClient): Promise<Snapshot> {
  const cv = await client.get<KubeObject<unknown, { desired?: { version?: string } }>>(
    { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion' },
    'version',
  );
  const secret = await client.get<KubeObject & { data?: Record<string, string> }>(
    { apiVersion: 'v1', kind: 'Secret' },
    'serving-cert',
    {
      namespace: 'openshift-kube-apiserver',
    },
  );
  const objects: string[] = [];
  for (const kind of ['ConfigMap', 'Secret', 'PersistentVolumeClaim']) {
    const { items } = await client.list({ apiVersion: 'v1', kind }, { namespace: 'sample-app' });
    objects.push(...items.map((o) => `${kind}/${o.metadata.name}`));
  }
  const { items } = await client.list(
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { namespace: 'sample-app' },
  );
  objects.push(...items.map((o) => `Deployment/${o.metadata.name}`));
  const pem = Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64');
  return {
    version: cv.status?.desired?.version ?? '?',
    certificate: createHash('sha256').update(pem).digest('hex').slice(0, 16),
    objects: objects.sort(),
  };
}

export async function rehearseIbu(dir: string, steps: Progress, say: (line: string) => void): Promise<void> {
  const layout = labLayout(dir);
  await steps.step(
    'starting the lab: etcd, API server, registry, a seed host at 4.16.1 and targets at 4.14.13',
    () => run(process.execPath, [lcmEntry, 'lab', 'up', '--dir', dir], { timeout: 180_000 }),
  );
  const registry = (await readState(layout))?.registry ?? '';
  await mkdir(path.join(dir, 'objectstore', rehearsalBucket), { recursive: true });
  const seed = await clientFor(layout.kubeconfig, 'seed');
  const sno1 = await clientFor(layout.kubeconfig, 'sno1');
  const timings: [string, number][] = [];
  const timed = async (name: string, work: () => Promise<unknown>): Promise<void> => {
    const started = Date.now();
    await steps.step(name, work);
    timings.push([name, Date.now() - started]);
  };
  await timed(`seed host: SeedGenerator builds ${registry}/ibu/seed:${seedVersion}`, () =>
    generateSeed(seed, `${registry}/ibu/seed:${seedVersion}`, '{"auths":{}}'),
  );
  await steps.step(
    "sno1: pull secret, OADP content, extra manifests, ImageBasedUpgrade (the seed's example)",
    async () => {
      await applyYaml(
        sno1,
        `apiVersion: v1
kind: Secret
metadata: {name: seed-pull-secret, namespace: openshift-lifecycle-agent}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{}}'
`,
      );
      for (const text of [storageLocationManifest, oadpContentManifest('sno1'), extraManifestsManifest])
        await applyYaml(sno1, text);
      const ibu = parseAllDocuments(ibuManifest(registry, seedVersion))[0]?.toJS() as KubeObject & {
        spec: Record<string, unknown>;
      };
      await sno1.patch(imageBasedUpgradeType, imageBasedUpgradeName, { spec: ibu.spec }, { type: 'merge' });
    },
  );
  const before = await snapshot(sno1);
  const seedSnapshot = await snapshot(seed);
  for (const [stage, until] of [
    ['Prep', 'PrepCompleted'],
    ['Upgrade', 'UpgradeCompleted'],
    ['Idle', 'Idle'],
  ] as const) {
    say(`$ kubectl --context sno1 patch ibu upgrade --type=merge -p '{"spec":{"stage":"${stage}"}}'`);
    await sno1.patch(imageBasedUpgradeType, imageBasedUpgradeName, { spec: { stage } }, { type: 'merge' });
    const started = Date.now();
    await watchIbu(sno1, { until, timeoutMs: 300_000, print: (line) => say(`  ${line}`) });
    timings.push([stage, Date.now() - started]);
  }
  const after = await snapshot(sno1);
  const hostFiles = await readFile(
    path.join(dir, 'hosts', 'sno1', 'volumes', 'app-data', 'data.txt'),
    'utf8',
  );
  say('');
  say('What changed on sno1:');
  say(
    formatTable(
      ['', 'before', 'after'],
      [
        ['release', before.version, after.version],
        [
          'API serving certificate (sha256)',
          before.certificate,
          `${after.certificate} (seed's: ${seedSnapshot.certificate})`,
        ],
        ['sample-app objects', before.objects.join(' '), after.objects.join(' ')],
        ['PV data file', hostFiles.trim(), '(same file, untouched)'],
      ],
    ).trimEnd(),
  );
  say('');
  say(
    formatTable(
      ['step', 'seconds'],
      timings.map(([name, ms]) => [name, (ms / 1000).toFixed(1)]),
    ).trimEnd(),
  );
}
