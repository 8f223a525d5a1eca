/**
 * Image-based upgrade end to end in the lab, with real kubectl and the seed's own manifests
 * (issue 4 acceptance): a seed image is built on the seed host and pushed to the lab registry; sno1
 * is upgraded (Prep → Upgrade → Idle) and sno2 upgraded then rolled back.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { list as listTar } from 'tar';
import { rehearsalBucket } from '../../src/lab/ibu-rehearsal.ts';
import { runKubectl } from '../../src/lab/kubectl.ts';
import { eventually } from '../support/http.ts';
import { ibuKubectl, needsRoot, startIbuLab, type IbuLab } from '../support/ibu-lab.ts';

const run = promisify(execFile);
const fixtures = path.resolve('test/fixtures/seeds');

let lab: IbuLab;
const helpers = ibuKubectl(() => lab);
const { kubectl, stage, version } = helpers;
const condition = (context: string, kind: string, name: string, type: string): Promise<string> =>
  helpers.condition(context, [kind, name], type);
const waitFor = (
  context: string,
  kind: string,
  name: string,
  type: string,
  timeoutMs = 90_000,
): Promise<void> => helpers.waitFor(context, [kind, name], type, 'True', timeoutMs);

/** The seed's example with its placeholders filled in the way a user would. */
async function fixture(file: string, values: Record<string, string>): Promise<string> {
  const text = await readFile(path.join(fixtures, file), 'utf8');
  return text.replace(/<([a-z_]+)>/g, (whole, key: string) => values[key] ?? whole);
}

async function prepareTarget(context: string): Promise<void> {
  await helpers.prepareTarget(context);
  await kubectl(
    context,
    ['apply', '-f', '-'],
    await fixture('seed000-02-imagebasedupgrade.yaml', {
      target_version: '4.16.1',
      seed_container_image: `${lab.registry}/ibu/seed:4.16.1`,
      seed_pull_secret: 'seed-pull-secret',
    }),
  );
}

const appState = (context: string): Promise<string> =>
  kubectl(context, [
    'get',
    'configmap,secret,deployment,persistentvolumeclaim',
    '-n',
    'sample-app',
    '-o',
    'jsonpath={range .items[*]}{.kind}/{.metadata.name} {.data} {.spec.replicas} {.spec.volumeName}{"\\n"}{end}',
  ]);

describe('image-based upgrade in the lab', { skip: needsRoot }, () => {
  before(async () => {
    lab = await startIbuLab('lcm-ibu-');
  });
  after(() => lab.close());

  it('the seed SeedGenerator builds the seed image and pushes it to the registry', async () => {
    await kubectl('seed', [
      '-n',
      'openshift-lifecycle-agent',
      'create',
      'secret',
      'generic',
      'seedgen',
      '--from-literal=seedAuth={"auths":{}}',
    ]);
    await kubectl(
      'seed',
      ['apply', '-f', '-'],
      await fixture('seed000-01-seedgenerator.yaml', { seed_image: `${lab.registry}/ibu/seed:4.16.1` }),
    );
    await waitFor('seed', 'seedgenerator', 'seedimage', 'SeedGenCompleted');
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${lab.registry}/ibu/seed:4.16.1`,
    ]);
    assert.match(stdout, /com\.openshift\.lifecycle-agent\.seed_format_version/);
  });

  it('sno1: Prep completes without changing the running release', async () => {
    await prepareTarget('sno1');
    assert.equal(
      await condition('sno1', 'ibu', 'upgrade', 'Idle'),
      'True',
      'the agent keeps the IBU Idle until asked',
    );
    await stage('sno1', 'Prep');
    await waitFor('sno1', 'ibu', 'upgrade', 'PrepCompleted');
    assert.equal(await version('sno1'), '4.14.13');
  });

  it('sno1: Upgrade reboots into 4.16.1 with the app restored, the PV file intact and certificates of its own', async () => {
    const before = await appState('sno1');
    const dataFile = path.join(lab.dir, 'hosts', 'sno1', 'volumes', 'app-data', 'data.txt');
    const data = await readFile(dataFile, 'utf8');
    await stage('sno1', 'Upgrade');
    await waitFor('sno1', 'ibu', 'upgrade', 'UpgradeCompleted', 150_000);
    assert.equal(await version('sno1'), '4.16.1');
    assert.equal(await appState('sno1'), before, 'the sample app is restored as it was');
    assert.equal(await readFile(dataFile, 'utf8'), data);
    assert.match(
      await kubectl('sno1', [
        'get',
        'configmap',
        'upgrade-note',
        '-n',
        'default',
        '-o',
        'jsonpath={.data.note}',
      ]),
      /applied after the pivot/,
    );
    // IBU-16: the apply-label Backup labelled and carried exactly the one ClusterRole it names.
    assert.equal(
      await kubectl('sno1', [
        'get',
        'clusterrole',
        'sample-app-reader',
        '-o',
        'jsonpath={.metadata.labels.lca\\.openshift\\.io/backup}',
      ]),
      'sample-app-cluster-sno1',
    );
    const clusterRoles: string[] = [];
    await listTar({
      file: path.join(
        lab.dir,
        'objectstore',
        rehearsalBucket,
        'backups',
        'sample-app-cluster-sno1',
        'sample-app-cluster-sno1.tar.gz',
      ),
      onReadEntry: (entry) => {
        if (/^resources\/clusterroles[^/]*\/cluster\//.test(entry.path))
          clusterRoles.push(path.basename(entry.path));
      },
    });
    assert.deepEqual(clusterRoles, ['sample-app-reader.json']);
    const cert = async (context: string): Promise<string> =>
      kubectl(context, [
        'get',
        'secret',
        'serving-cert',
        '-n',
        'openshift-kube-apiserver',
        '-o',
        'jsonpath={.data.tls\\.crt}',
      ]);
    const [target, seed] = await Promise.all([cert('sno1'), cert('seed')]);
    assert.notEqual(target, seed, "the certificates differ from the seed's");
    assert.match(Buffer.from(target, 'base64').toString('utf8'), /BEGIN CERTIFICATE/);
  });

  it('sno1: Idle finalizes the upgrade and removes the old stateroot', async () => {
    await stage('sno1', 'Idle');
    await waitFor('sno1', 'ibu', 'upgrade', 'Idle');
    await eventually(async () => {
      await assert.rejects(
        stat(path.join(lab.dir, 'hosts', 'sno1', 'sysroot', 'ostree', 'deploy', 'rhcos_4.14.13')),
      );
    }, 30_000);
  });

  it('sno2: Upgrade then Rollback returns every object to its pre-upgrade state; Idle cleans up', async () => {
    await prepareTarget('sno2');
    const dump = (): Promise<string> =>
      kubectl('sno2', [
        'get',
        'configmaps,secrets,deployments,persistentvolumeclaims,namespaces',
        '-A',
        '-o',
        'jsonpath={range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}@{.metadata.uid}{"\\n"}{end}',
      ]);
    await stage('sno2', 'Prep');
    await waitFor('sno2', 'ibu', 'upgrade', 'PrepCompleted');
    const before = await dump();
    await stage('sno2', 'Upgrade');
    await waitFor('sno2', 'ibu', 'upgrade', 'UpgradeCompleted', 150_000);
    assert.equal(await version('sno2'), '4.16.1');
    await stage('sno2', 'Rollback');
    await waitFor('sno2', 'ibu', 'upgrade', 'RollbackCompleted', 90_000);
    assert.equal(await version('sno2'), '4.14.13');
    assert.equal(await dump(), before, 'every object is the one from before the upgrade (same uid)');
    await stage('sno2', 'Idle');
    await waitFor('sno2', 'ibu', 'upgrade', 'Idle');
    await eventually(async () => {
      await assert.rejects(
        stat(path.join(lab.dir, 'hosts', 'sno2', 'sysroot', 'ostree', 'deploy', 'rhcos_4.16.1')),
      );
    }, 30_000);
  });

  it('a transition IBU-4 does not allow is refused with the rule, and nothing changes', async () => {
    const result = await runKubectl(
      ['patch', 'ibu', 'upgrade', '--type=merge', '-p', '{"spec":{"stage":"Upgrade"}}'],
      { kubeconfig: lab.kubeconfig, context: 'sno2' },
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the stage transition is not permitted/);
    assert.equal(
      (
        await runKubectl(['get', 'ibu', 'upgrade', '-o', 'jsonpath={.spec.stage}'], {
          kubeconfig: lab.kubeconfig,
          context: 'sno2',
        })
      ).stdout,
      'Idle',
    );
  });
});
