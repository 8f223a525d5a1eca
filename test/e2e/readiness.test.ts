/**
 * `lcm readiness --to` end to end: a real API server with the OpenShift CRDs, objects created with
 * real kubectl 1.33, the report read as JSON and Markdown, its exit codes, and a blocker's fix line
 * run as printed (through a shell, with kubectl) until the blocker is gone.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureKubectl } from '../../src/lab/kubectl.ts';
import { installCrds } from '../../src/lab/crds.ts';
import type { ReadinessReport } from '../../src/readiness/report/types.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { closedPort } from '../support/http.ts';
import { kubectlSession } from '../support/kubectl.ts';

const run = promisify(execFile);
const lcm = path.resolve('bin/lcm.js');
const ackKey = 'ack-4.13-kube-1.27-api-removals-in-4.14';

let api: TestApiServer;
let kubeconfig: string;
const { ok } = kubectlSession(() => ({ dir: api.dir, kubeconfig }));

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function lcmRun(args: readonly string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [lcm, ...args], { maxBuffer: 16 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

const readiness = (...extra: string[]): Promise<Result> =>
  lcmRun(['readiness', '--to', '4.14.3', '--kubeconfig', kubeconfig, ...extra]);

async function jsonReport(): Promise<{ code: number; report: ReadinessReport }> {
  const result = await readiness('-o', 'json');
  assert.equal(result.stderr, '', result.stderr);
  return { code: result.code, report: JSON.parse(result.stdout) as ReadinessReport };
}

const findingsOf = (report: ReadinessReport, check: string) =>
  report.checks.find((c) => c.id === check)?.findings ?? [];

function apply(object: unknown): Promise<string> {
  return ok(['apply', '-f', '-'], { stdin: JSON.stringify(object) });
}

describe('lcm readiness against a live cluster', () => {
  before(async () => {
    api = await startTestApiServer();
    kubeconfig = await api.writeKubeconfig();
    await installCrds(api.url, ['hub']);
    for (const ns of ['openshift-config', 'openshift-config-managed', 'shop'])
      await ok(['create', 'namespace', ns]);
    await apply({
      apiVersion: 'config.openshift.io/v1',
      kind: 'ClusterVersion',
      metadata: { name: 'version' },
      spec: { clusterID: '5f1b2c3d-0000-4000-8000-000000000001', channel: 'stable-4.14' },
    });
    const status = {
      desired: { version: '4.13.12', image: 'quay.io/openshift-release-dev/ocp-release@sha256:13' },
      history: [
        {
          state: 'Completed',
          version: '4.13.12',
          image: 'quay.io/openshift-release-dev/ocp-release@sha256:13',
          startedTime: '2025-05-01T00:00:00Z',
          completionTime: '2025-05-01T01:00:00Z',
          verified: true,
        },
      ],
      observedGeneration: 1,
      versionHash: 'abc',
      availableUpdates: [{ version: '4.14.3', image: 'quay.io/openshift-release-dev/ocp-release@sha256:14' }],
      conditions: [{ type: 'RetrievedUpdates', status: 'True', lastTransitionTime: '2025-05-01T00:00:00Z' }],
    };
    await ok([
      'patch',
      'clusterversion',
      'version',
      '--subresource=status',
      '--type=merge',
      '--patch',
      JSON.stringify({ status }),
    ]);
    await ok([
      '-n',
      'openshift-config-managed',
      'create',
      'configmap',
      'admin-gates',
      `--from-literal=${ackKey}=Kubernetes 1.27 and therefore OpenShift 4.14 remove several APIs which require admin consideration.`,
    ]);
    await ok(['-n', 'openshift-config', 'create', 'configmap', 'admin-acks']);
    // No ReplicaSet controller runs here, so the pods are created as the controller would, owned
    // by their ReplicaSet (the disruption controller reads its scale), and marked Ready by hand.
    const template = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] },
    };
    await apply({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d8f', namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
    });
    const uid = await ok(['-n', 'shop', 'get', 'rs', 'web-5d8f', '-o', 'jsonpath={.metadata.uid}']);
    for (const name of ['web-5d8f-a', 'web-5d8f-b']) {
      await apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: 'shop',
          labels: { app: 'web' },
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid, controller: true },
          ],
        },
        spec: template.spec,
      });
      const ready = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
      await ok([
        '-n',
        'shop',
        'patch',
        'pod',
        name,
        '--subresource=status',
        '--type=merge',
        '--patch',
        JSON.stringify(ready),
      ]);
    }
    await ok([
      '-n',
      'shop',
      'create',
      'poddisruptionbudget',
      'web',
      '--selector=app=web',
      '--max-unavailable=0',
    ]);
  });

  after(async () => {
    await api.close();
  });

  it('a PDB with maxUnavailable 0 and an un-acked gate are blockers, and the exit code is 4', async () => {
    const { code, report } = await jsonReport();
    assert.equal(code, 4);
    assert.equal(report.currentVersion, '4.13.12');
    assert.equal(report.targetVersion, '4.14.3');
    assert.ok(report.summary.blockers >= 2, JSON.stringify(report.summary));
    const pdb = findingsOf(report, 'UPD-8/pod-disruption-budgets').find((f) => f.severity === 'blocker');
    assert.match(
      pdb?.title ?? '',
      /PodDisruptionBudget\/shop\/web \(maxUnavailable 0\) forbids every eviction of its 2 pods/,
    );
    const ack = findingsOf(report, 'UPD-5/admin-acks');
    assert.deepEqual(
      ack.map((f) => [f.severity, f.fix]),
      [
        [
          'blocker',
          `kubectl -n openshift-config patch cm admin-acks --patch '{"data":{"${ackKey}":"true"}}' --type=merge`,
        ],
      ],
    );
    // Sources that were not given are said, not silently skipped.
    assert.match(findingsOf(report, 'UPD-3/alerts')[0]?.title ?? '', /no Prometheus configured/);
    // The target is in availableUpdates: nothing to say.
    assert.deepEqual(findingsOf(report, 'UPD-6/recommended-target'), []);
  });

  it('running the printed fix line with kubectl clears the admin-ack blocker', async () => {
    const { report } = await jsonReport();
    const fix = findingsOf(report, 'UPD-5/admin-acks')[0]?.fix ?? '';
    const kubectl = await ensureKubectl();
    await run('bash', ['-c', fix], {
      env: {
        ...process.env,
        PATH: `${path.dirname(kubectl)}:${process.env.PATH ?? ''}`,
        KUBECONFIG: kubeconfig,
        KUBECTL_KUBERC: 'false',
      },
    });
    const after = await jsonReport();
    assert.deepEqual(findingsOf(after.report, 'UPD-5/admin-acks'), []);
    assert.equal(after.report.summary.blockers, report.summary.blockers - 1);
    assert.equal(after.code, 4, 'the PDB blocker remains');
  });

  it('Markdown: a heading per check and each fix in a code block', async () => {
    const result = await readiness('-o', 'markdown');
    assert.equal(result.code, 4);
    assert.match(result.stdout, /^# Update readiness: 4\.13\.12 → 4\.14\.3$/m);
    assert.match(result.stdout, /^## UPD-8\/pod-disruption-budgets — /m);
    assert.match(result.stdout, /^- \*\*BLOCKER\*\* PodDisruptionBudget\/shop\/web/m);
    assert.match(result.stdout, /^ {2}```sh\n {2}kubectl -n shop patch pdb web/m);
  });

  it('the table leads with the verdict; fixing the PDB the way it says makes the cluster ready (exit 0)', async () => {
    const table = await readiness();
    assert.match(table.stdout, /^BLOCKED: 1 blocker/m);
    await ok([
      '-n',
      'shop',
      'patch',
      'pdb',
      'web',
      '--type=merge',
      '--patch',
      '{"spec":{"maxUnavailable":1}}',
    ]);
    const ready = await readiness();
    assert.equal(ready.code, 0, ready.stdout);
    assert.match(ready.stdout, /^READY/m);
  });

  it('an unreachable Prometheus is a warning finding, not a failure', async () => {
    const port = await closedPort();
    const result = await readiness('--prometheus', `http://127.0.0.1:${port}`, '-o', 'json');
    assert.equal(result.code, 0, `the cluster itself is ready: ${result.stdout}${result.stderr}`);
    const report = JSON.parse(result.stdout) as ReadinessReport;
    const alerts = findingsOf(report, 'UPD-3/alerts');
    assert.ok(
      alerts.some(
        (f) =>
          f.severity === 'warning' &&
          f.title.includes(`Prometheus at http://127.0.0.1:${port} is unreachable: connect ECONNREFUSED`),
      ),
      JSON.stringify(alerts),
    );
  });

  it('an unreachable cluster: one clear message on stderr, exit 1, no stack trace', async () => {
    const dead = path.join(api.dir, 'dead-kubeconfig');
    await writeFile(dead, (await readFile(kubeconfig, 'utf8')).replaceAll(api.url, 'http://127.0.0.1:1'));
    const result = await lcmRun(['readiness', '--to', '4.14', '--kubeconfig', dead]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^lcm readiness: cannot reach the cluster at http:\/\/127\.0\.0\.1:1 \(.*\): check --kubeconfig\/--context/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('usage errors exit 2: no --to, a version that is not one, an unknown release', async () => {
    for (const args of [[], ['--to', 'latest'], ['--to', '4.99']]) {
      const result = await lcmRun(['readiness', '--kubeconfig', kubeconfig, ...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /--to/);
    }
  });

  it('`readiness scan` gets the --to and -o written after it (the offline scan of manifests)', async () => {
    const dir = path.join(api.dir, 'manifests');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'pdb.yaml'),
      'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: old\nspec:\n  minAvailable: 1\n',
    );
    const result = await lcmRun(['readiness', 'scan', dir, '--to', '4.14', '-o', 'json']);
    assert.equal(result.code, 4, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { target: { openshift: string } }).target.openshift, '4.14');
  });

  it('--help teaches: every check, the severities, examples and the exit codes', async () => {
    const help = await lcmRun(['readiness', '--help']);
    assert.equal(help.code, 0);
    for (const text of [
      'UPD-1',
      'UPD-8',
      'admin-acks',
      'blocker =',
      'Examples:',
      '4 blocked',
      '--prometheus',
      'scan',
    ])
      assert.ok(help.stdout.includes(text), `--help lacks ${text}`);
  });
});
