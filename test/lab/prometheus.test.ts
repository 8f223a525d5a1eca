import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  prometheusComponent,
  prometheusConfig,
  prometheusInstalled,
  startPrometheus,
  type PrometheusProcess,
} from '../../src/lab/prometheus.ts';
import {
  alertNames,
  removalHorizon,
  renderUpgradeReadinessRules,
  upgradeReadinessRules,
  upstreamRuleTiming,
} from '../../src/lab/prometheus-rules.ts';
import { findFreePort } from '../../src/lab/ports.ts';
import { PrometheusClient, type Alert } from '../../src/readiness/prometheus/client.ts';
import { waitUntil } from '../support/http.ts';

const notInstalled =
  'prometheus is not installed: run `sudo bash scripts/ensure-system-deps.sh` (CI installs it); these tests need a real Prometheus';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stands in for the lab API server's /metrics (plus a CVO and a router): one cluster at 4.13 calls
 * an API Kubernetes 1.27 removes, one at 4.14 calls an API 1.29 removes, and a third deprecated API
 * is read only by kube-controller-manager. Request counters grow on every scrape, as real traffic does.
 */
function labMetricsServer(): { server: Server; scrapes: () => number } {
  let scrapes = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    scrapes++;
    const requests = 10 * scrapes;
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(
      [
        '# TYPE apiserver_requested_deprecated_apis gauge',
        'apiserver_requested_deprecated_apis{group="storage.k8s.io",version="v1beta1",resource="csistoragecapacities",subresource="",removed_release="1.27",cluster="sno1"} 1',
        'apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",version="v1beta2",resource="flowschemas",subresource="",removed_release="1.29",cluster="sno2"} 1',
        'apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",version="v1beta2",resource="prioritylevelconfigurations",subresource="",removed_release="1.29",cluster="sno2"} 1',
        '# TYPE apiserver_request_total counter',
        `apiserver_request_total{verb="LIST",group="storage.k8s.io",version="v1beta1",resource="csistoragecapacities",code="200",cluster="sno1"} ${requests}`,
        `apiserver_request_total{verb="GET",group="flowcontrol.apiserver.k8s.io",version="v1beta2",resource="flowschemas",code="200",cluster="sno2"} ${requests}`,
        `apiserver_request_total{verb="LIST",group="flowcontrol.apiserver.k8s.io",version="v1beta2",resource="prioritylevelconfigurations",code="200",cluster="sno2",system_client="kube-controller-manager"} ${requests}`,
        '# TYPE cluster_operator_conditions gauge',
        'cluster_operator_conditions{name="version",condition="Upgradeable",reason="AdminAckRequired",cluster="sno1"} 0',
        'cluster_operator_conditions{name="version",condition="Upgradeable",reason="AsExpected",cluster="sno2"} 1',
        '# TYPE haproxy_backend_duplicate_te_header_total counter',
        'haproxy_backend_duplicate_te_header_total{exported_namespace="shop",route="legacy-api",cluster="sno2"} 3',
        'haproxy_backend_duplicate_te_header_total{exported_namespace="shop",route="storefront",cluster="sno2"} 0',
        '',
      ].join('\n'),
    );
  });
  return { server, scrapes: () => scrapes };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('update-readiness alert rules', () => {
  it('target the Kubernetes minors of the next release and of the next EUS release', () => {
    assert.deepEqual(removalHorizon('4.14.13'), {
      next: { openshift: '4.15', removedReleases: ['1.28'] },
      nextEus: { openshift: '4.16', removedReleases: ['1.28', '1.29'] },
    });
    assert.deepEqual(removalHorizon('4.13'), {
      next: { openshift: '4.14', removedReleases: ['1.27'] },
      nextEus: { openshift: '4.14', removedReleases: ['1.27'] },
    });
    assert.deepEqual(removalHorizon('4.20'), {}, 'nothing is known after the newest release');
  });

  it('keep upstream durations when asked for them, and the lab ones by default', () => {
    const upstream = upgradeReadinessRules({
      clusters: [{ name: 'a', release: '4.14' }],
      timing: upstreamRuleTiming,
    });
    const removal = upstream.groups[0]?.rules[0];
    assert.equal(removal?.alert, alertNames.apiRemovedInNextRelease);
    assert.equal(removal.for, '1h');
    assert.match(removal.expr, /\[4h\]/);
    const lab = upgradeReadinessRules({ clusters: [{ name: 'a', release: '4.14' }] });
    assert.equal(lab.groups[0]?.rules[0]?.for, '4s');
    assert.deepEqual(
      lab.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.labels.severity])),
      [
        ['APIRemovedInNextReleaseInUse', 'info'],
        ['APIRemovedInNextEUSReleaseInUse', 'info'],
        ['ClusterNotUpgradeable', 'info'],
        ['DuplicateTransferEncodingHeadersDetected', 'warning'],
      ],
    );
  });

  it('leave out API-removal alerts for clusters whose next release is unknown, and refuse a release that is not a version', () => {
    const rules = upgradeReadinessRules({ clusters: [{ name: 'edge', release: '4.20.1' }] });
    assert.deepEqual(
      rules.groups.map((g) => g.name),
      ['cluster-operators', 'openshift-ingress.rules'],
    );
    assert.throws(
      () => renderUpgradeReadinessRules({ clusters: [{ name: 'sno1', release: 'latest' }] }),
      /cluster sno1: release 'latest' is not an OpenShift version/,
    );
  });
});

describe('prometheus config', () => {
  it('groups targets by job and names the target at fault', () => {
    const config = prometheusConfig({
      scrapeTargets: [
        { job: 'apiserver', url: 'http://127.0.0.1:1/metrics' },
        { job: 'apiserver', url: 'http://127.0.0.1:2/metrics' },
      ],
    });
    assert.deepEqual(config.scrape_configs, [
      {
        job_name: 'apiserver',
        scheme: 'http',
        metrics_path: '/metrics',
        static_configs: [{ targets: ['127.0.0.1:1', '127.0.0.1:2'] }],
      },
    ]);
    assert.deepEqual(config.global, {
      scrape_interval: '2s',
      scrape_timeout: '2s',
      evaluation_interval: '2s',
    });
    assert.throws(
      () =>
        prometheusConfig({
          scrapeTargets: [
            { job: 'a', url: 'http://127.0.0.1:1/metrics' },
            { job: 'a', url: 'http://127.0.0.1:2/other' },
          ],
        }),
      /scrapeTargets\[1\]: job 'a' already scrapes http:\/\/…\/metrics/,
    );
    assert.throws(
      () => prometheusConfig({ scrapeTargets: [{ job: 'a', url: '127.0.0.1:9100' }] }),
      /scrapeTargets\[0\]\.url: '127\.0\.0\.1:9100' is not a URL/,
    );
    assert.throws(
      () => prometheusConfig({ scrapeTargets: [{ job: 'a', url: 'ftp://127.0.0.1/metrics' }] }),
      /scrapeTargets\[0\]\.url: 'ftp:\/\/127\.0\.0\.1\/metrics' must use http or https/,
    );
    assert.throws(
      () => prometheusConfig({ scrapeTargets: [], evaluationIntervalSeconds: 0.5 }),
      /evaluationIntervalSeconds: 0\.5 is not a whole number of seconds/,
    );
  });
});

describe('lab prometheus (real /usr/bin/prometheus)', () => {
  let root: string;
  let metrics: ReturnType<typeof labMetricsServer>;
  let apiServerUrl: string;

  before(async () => {
    assert.ok(prometheusInstalled(), notInstalled);
    root = await mkdtemp(join(tmpdir(), 'lcm-prometheus-'));
    metrics = labMetricsServer();
    apiServerUrl = await listen(metrics.server);
  });

  after(async () => {
    await new Promise((done) => metrics.server.close(done));
    await rm(root, { recursive: true, force: true });
  });

  it('fires the update-readiness alerts from the API server, CVO and router metrics it scrapes', async () => {
    const port = await findFreePort();
    const component = prometheusComponent({
      labDir: join(root, 'lab'),
      logsDir: join(root, 'lab', 'logs'),
      port,
      apiServerUrl,
      clusters: () => [
        { name: 'sno1', release: '4.13.40' },
        { name: 'sno2', release: '4.14.13' },
      ],
    });
    assert.equal(component.endpoint(), `http://127.0.0.1:${port}`);
    const running = await component.start();
    try {
      assert.ok(existsSync(join(root, 'lab', 'prometheus', 'prometheus.yml')));
      assert.ok(existsSync(join(root, 'lab', 'prometheus', 'tsdb')));
      assert.match(
        await readFile(join(root, 'lab', 'prometheus', 'rules', 'upgrade-readiness.rules.yml'), 'utf8'),
        /removed_release="1\.27",cluster=~"sno1"/,
      );
      const client = new PrometheusClient(`http://127.0.0.1:${port}`);
      const wanted = (alerts: Alert[]): Alert[] | undefined => {
        const firing = alerts.filter((a) => a.state === 'firing');
        return firing.length >= 5 ? firing : undefined;
      };
      const firing = await waitUntil('five alerts to fire', async () => wanted(await client.alerts()), {
        timeoutMs: 25_000,
        intervalMs: 250,
      });
      const summary = firing
        .map(
          (a) =>
            `${a.labels.alertname} ${a.labels.cluster} ${a.labels.resource ?? a.labels.route ?? a.labels.name}`,
        )
        .sort();
      assert.deepEqual(summary, [
        'APIRemovedInNextEUSReleaseInUse sno1 csistoragecapacities',
        'APIRemovedInNextEUSReleaseInUse sno2 flowschemas',
        'APIRemovedInNextReleaseInUse sno1 csistoragecapacities',
        'ClusterNotUpgradeable sno1 version',
        'DuplicateTransferEncodingHeadersDetected sno2 legacy-api',
      ]);
      const removal = firing.find((a) => a.labels.alertname === 'APIRemovedInNextReleaseInUse');
      assert.equal(removal?.labels.severity, 'info');
      assert.equal(removal.labels.removed_release, '1.27');
      assert.match(removal.annotations.description ?? '', /storage\.k8s\.io\.v1beta1\/csistoragecapacities/);
      assert.match(removal.activeAt ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.ok(metrics.scrapes() >= 2, 'the API server metrics were scraped repeatedly');
    } finally {
      await running.stop();
    }
    assert.ok(!alive(running.pid), 'prometheus is gone after stop()');
  });

  it('reloads new scrape targets, refuses to start on a bad rule file, and stops by PID', async () => {
    let prometheus: PrometheusProcess | undefined = await startPrometheus({
      dataDir: join(root, 'reload'),
      scrapeTargets: [{ job: 'first', url: `${apiServerUrl}/metrics` }],
    });
    try {
      const client = new PrometheusClient(prometheus.url);
      await prometheus.reload({
        scrapeTargets: [
          { job: 'first', url: `${apiServerUrl}/metrics` },
          { job: 'second', url: `${apiServerUrl}/metrics` },
        ],
      });
      await waitUntil('job "second" to be scraped after reload', async () => {
        const result = await client.query('up{job="second"} == 1');
        return result.resultType === 'vector' && result.samples.length === 1 ? true : undefined;
      });
      await prometheus.stop();
      assert.ok(!alive(prometheus.pid));
      prometheus = undefined;
    } finally {
      await prometheus?.stop();
    }

    const badRules = join(root, 'bad.rules.yml');
    await writeFile(
      badRules,
      'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(\n',
    );
    await assert.rejects(
      startPrometheus({ dataDir: join(root, 'bad'), scrapeTargets: [], ruleFiles: [badRules] }),
      /prometheus exited during startup[\s\S]*bad\.rules\.yml/,
    );
  });
});
