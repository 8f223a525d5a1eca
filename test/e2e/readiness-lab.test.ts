/**
 * Seed 001 in the lab, every part real: a client calls an API that Kubernetes 1.27 removes on
 * spoke1 (OpenShift 4.13.40); the API server counts it (APIRequestCount, /metrics); the lab's
 * Prometheus fires APIRemovedInNextReleaseInUse; the simulated CVO's PromQL risk on the
 * 4.13.40 → 4.14.13 update starts to apply; `lcm readiness` reports all of it with the admin-ack
 * blocker, whose fix line — the seed's own command, run with kubectl — clears it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runKubectl } from '../../src/lab/kubectl.ts';
import { labLayout, readState } from '../../src/lab/state.ts';
import { removeTree } from '../../src/lab/remove-tree.ts';
import { PrometheusClient } from '../../src/readiness/prometheus/client.ts';
import type { ReadinessReport } from '../../src/readiness/report/types.ts';
import { eventually } from '../support/http.ts';

const run = promisify(execFile);
const lcm = path.resolve('bin/lcm.js');
const removedApi = 'csistoragecapacities.v1beta1.storage.k8s.io';
const legacyAgent = 'legacy-storage-operator/v0.3.1';
const legacyUser = 'system:serviceaccount:legacy:storage-operator';

let dir: string;
let kubeconfig: string;
let legacyWorkload: NodeJS.Timeout | undefined;

async function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runKubectl(args, { kubeconfig, context: 'spoke1' });
}

async function readinessReport(): Promise<{ code: number; report: ReadinessReport }> {
  try {
    const { stdout } = await run(process.execPath, [
      lcm,
      'readiness',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'spoke1',
      '--to',
      '4.14.13',
      '-o',
      'json',
    ]);
    return { code: 0, report: JSON.parse(stdout) as ReadinessReport };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    assert.ok(failure.stdout, `lcm readiness failed without a report: ${failure.stderr ?? ''}`);
    return { code: failure.code ?? 1, report: JSON.parse(failure.stdout) as ReadinessReport };
  }
}

const findings = (report: ReadinessReport, check: string) =>
  report.checks.find((c) => c.id === check)?.findings ?? [];

describe('update readiness in the lab (seed 001, every part real)', () => {
  before(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'lcm-readiness-lab-')), 'lab');
    await run(process.execPath, [lcm, 'lab', 'up', '--dir', dir, '--no-hosts'], { timeout: 180_000 });
    kubeconfig = labLayout(dir).kubeconfig;
  });
  after(async () => {
    clearInterval(legacyWorkload);
    await run(process.execPath, [lcm, 'lab', 'down', '--dir', dir]).catch(() => undefined);
    await removeTree(path.dirname(dir));
  });

  it('spoke1 runs 4.13.40 and is not upgradeable until the seed acknowledgement is given', async () => {
    await eventually(async () => {
      const { stdout } = await kubectl([
        'get',
        'clusterversion',
        'version',
        '-o',
        'jsonpath={.status.desired.version} {.status.conditions[?(@.type=="Upgradeable")].reason}',
      ]);
      assert.equal(stdout, '4.13.40 AdminAckRequired');
    }, 60_000);
  });

  it('a request for an API removed in 1.27 is counted, as the seed shows it', async () => {
    // A workload still on storage.k8s.io/v1beta1, polling as a controller does (the alert is on the
    // request rate, so one request is not enough). Not `kubectl get --raw`: kubectl sends raw paths
    // to the server's root, past the lab's /clusters/spoke1 prefix.
    const apiServer = (await readState(labLayout(dir)))?.apiServer ?? '';
    const call = (): Promise<Response> =>
      fetch(`${apiServer}/clusters/spoke1/apis/storage.k8s.io/v1beta1/csistoragecapacities`, {
        headers: { 'User-Agent': `${legacyAgent} (linux/amd64)`, 'Impersonate-User': legacyUser },
      });
    assert.equal((await call()).status, 404, 'the lab serves no removed API; the request is still counted');
    legacyWorkload = setInterval(() => void call().catch(() => undefined), 1000);
    const { stdout } = await kubectl([
      'get',
      'apirequestcounts',
      '-o',
      'jsonpath={range .items[?(@.status.removedInRelease!="")]}{.status.removedInRelease}{"\\t"}{.metadata.name}{"\\n"}{end}',
    ]);
    assert.match(stdout, new RegExp(`^1\\.27\\t${removedApi.replaceAll('.', '\\.')}$`, 'm'));
  });

  it("the lab's Prometheus fires APIRemovedInNextReleaseInUse for spoke1", async () => {
    const state = await readState(labLayout(dir));
    const endpoint = state?.components.find((c) => c.name === 'prometheus')?.endpoint;
    assert.ok(endpoint, 'the lab runs Prometheus (scripts/ensure-system-deps.sh installs it)');
    const prometheus = new PrometheusClient(endpoint);
    await eventually(async () => {
      const firing = (await prometheus.alerts()).filter(
        (a) => a.labels.alertname === 'APIRemovedInNextReleaseInUse' && a.state === 'firing',
      );
      assert.ok(
        firing.some((a) => a.labels.cluster === 'spoke1' && a.labels.resource === 'csistoragecapacities'),
        JSON.stringify(firing),
      );
    }, 90_000);
  });

  it("the update's PromQL risk now applies: 4.14.13 is a conditional update, not recommended", async () => {
    await eventually(async () => {
      const { stdout } = await kubectl([
        'get',
        'clusterversion',
        'version',
        '-o',
        'jsonpath={range .status.conditionalUpdates[?(@.release.version=="4.14.13")].conditions[?(@.type=="Recommended")]}{.status} {.reason}{end}',
      ]);
      assert.equal(stdout, 'False KubeAPIRemovalsInUse');
    }, 90_000);
  });

  it('lcm readiness names every problem with its fix, and the seed command clears the ack blocker', async () => {
    const { code, report } = await readinessReport();
    assert.equal(code, 4, 'blockers exit 4');
    const usage = findings(report, 'UPD-2/removed-api-usage');
    assert.ok(
      usage.some((f) => f.severity === 'blocker' && JSON.stringify(f).includes(removedApi)),
      JSON.stringify(usage),
    );
    assert.ok(JSON.stringify(usage).includes(legacyAgent), 'the user agent that called it is named');
    assert.ok(JSON.stringify(usage).includes(legacyUser), 'and its user');
    assert.ok(
      findings(report, 'UPD-3/alerts').some((f) =>
        JSON.stringify(f).includes('APIRemovedInNextReleaseInUse'),
      ),
    );
    assert.ok(
      findings(report, 'UPD-6/recommended-target').some((f) =>
        JSON.stringify(f).includes('KubeAPIRemovalsInUse'),
      ),
    );
    const ack = findings(report, 'UPD-5/admin-acks')[0];
    assert.ok(ack !== undefined && ack.severity === 'blocker');
    assert.equal(
      ack.fix,
      `kubectl -n openshift-config patch cm admin-acks --patch '{"data":{"ack-4.13-kube-1.27-api-removals-in-4.14":"true"}}' --type=merge`,
    );
    const patched = await kubectl([
      '-n',
      'openshift-config',
      'patch',
      'cm',
      'admin-acks',
      '--patch',
      '{"data":{"ack-4.13-kube-1.27-api-removals-in-4.14":"true"}}',
      '--type=merge',
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually(async () => {
      const after = await readinessReport();
      assert.deepEqual(findings(after.report, 'UPD-5/admin-acks'), []);
      assert.ok(
        !findings(after.report, 'UPD-8/upgradeable').some((f) =>
          JSON.stringify(f).includes('AdminAckRequired'),
        ),
      );
    }, 60_000);
  });

  it('an etcd backup taken with lcm is what the report then finds', async () => {
    await run(process.execPath, [lcm, 'etcd', 'backup', '--dir', dir]);
    const { report } = await readinessReport();
    assert.deepEqual(findings(report, 'UPD-7/etcd-backup'), []);
  });
});
