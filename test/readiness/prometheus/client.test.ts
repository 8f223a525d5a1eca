import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prometheusInstalled, startPrometheus, type PrometheusProcess } from '../../../src/lab/prometheus.ts';
import {
  PrometheusClient,
  PrometheusError,
  parseSampleValue,
  type QueryResult,
} from '../../../src/readiness/prometheus/client.ts';
import { classifyRiskResult } from '../../../src/readiness/prometheus/promql-risk.ts';
import { waitUntil } from '../../support/http.ts';

const notInstalled =
  'prometheus is not installed: run `sudo bash scripts/ensure-system-deps.sh` (CI installs it); these tests need a real Prometheus';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An exporter with one lab fact per cluster: whether the cluster runs an affected network plugin. */
function exporter(): Server {
  return createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(
      [
        '# TYPE lab_network_plugin_info gauge',
        'lab_network_plugin_info{cluster="sno1",plugin="OpenShiftSDN"} 1',
        'lab_network_plugin_info{cluster="sno2",plugin="OVNKubernetes"} 1',
        '',
      ].join('\n'),
    );
  });
}

function vector(result: QueryResult): readonly { metric: Readonly<Record<string, string>>; value: number }[] {
  assert.equal(result.resultType, 'vector');
  return result.samples;
}

describe('Prometheus risk semantics (CVO PromQL matching rule)', () => {
  it('a single sample of 1 matches, of 0 does not, and every other result is an evaluation error', () => {
    const sample = (value: number) => ({ metric: {}, value, timestamp: 1 });
    assert.deepEqual(classifyRiskResult({ resultType: 'vector', samples: [sample(1)] }), { matches: true });
    assert.deepEqual(classifyRiskResult({ resultType: 'vector', samples: [sample(0)] }), { matches: false });
    assert.deepEqual(classifyRiskResult({ resultType: 'vector', samples: [] }), {
      error: 'invalid PromQL result length must be one, but is 0',
    });
    assert.deepEqual(classifyRiskResult({ resultType: 'vector', samples: [sample(1), sample(1)] }), {
      error: 'invalid PromQL result length must be one, but is 2',
    });
    assert.deepEqual(classifyRiskResult({ resultType: 'vector', samples: [sample(0.5)] }), {
      error: 'invalid PromQL result (must be 0 or 1): 0.5',
    });
    assert.deepEqual(classifyRiskResult({ resultType: 'scalar', value: 1, timestamp: 1 }), {
      error: 'invalid PromQL result type is scalar, not vector',
    });
  });

  it('reads the special sample values Prometheus sends as strings', () => {
    assert.equal(parseSampleValue('+Inf'), Infinity);
    assert.equal(parseSampleValue('-Inf'), -Infinity);
    assert.ok(Number.isNaN(parseSampleValue('NaN')));
    assert.equal(parseSampleValue('1e3'), 1000);
    assert.throws(() => parseSampleValue('one'), /sample value "one" is not a number/);
  });
});

describe('PrometheusClient against a real Prometheus', () => {
  let root: string;
  let target: Server;
  let prometheus: PrometheusProcess;
  let client: PrometheusClient;

  before(async () => {
    assert.ok(prometheusInstalled(), notInstalled);
    root = await mkdtemp(join(tmpdir(), 'lcm-prometheus-client-'));
    target = exporter();
    const targetUrl = await listen(target);
    prometheus = await startPrometheus({
      dataDir: join(root, 'prometheus'),
      scrapeTargets: [{ job: 'lab-facts', url: `${targetUrl}/metrics` }],
    });
    client = new PrometheusClient(prometheus.url, { timeoutMs: 5000 });
    await waitUntil('the exporter to be scraped', async () => {
      const samples = vector(await client.query('lab_network_plugin_info'));
      return samples.length === 2 ? true : undefined;
    });
  });

  after(async () => {
    await prometheus.stop();
    await new Promise((done) => target.close(done));
    await rm(root, { recursive: true, force: true });
  });

  it('query("up") returns one sample per scrape target with its labels and value', async () => {
    const samples = vector(await client.query('up'));
    assert.equal(samples.length, 1);
    assert.equal(samples[0]?.metric.job, 'lab-facts');
    assert.match(samples[0]?.metric.instance ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(samples[0]?.value, 1);
    const scalar = await client.query('scalar(up) * 2');
    assert.equal(scalar.resultType, 'scalar');
    assert.equal(scalar.value, 2);
  });

  it('evaluateRisk follows the CVO: one sample of 1 applies, 0 does not, anything else cannot be evaluated', async () => {
    assert.deepEqual(
      await client.evaluateRisk(
        'group(lab_network_plugin_info{cluster="sno1",plugin="OpenShiftSDN"}) or vector(0)',
      ),
      { matches: true },
    );
    assert.deepEqual(
      await client.evaluateRisk(
        'group(lab_network_plugin_info{cluster="sno2",plugin="OpenShiftSDN"}) or vector(0)',
      ),
      { matches: false },
    );
    assert.deepEqual(await client.evaluateRisk('lab_network_plugin_info'), {
      error: 'invalid PromQL result length must be one, but is 2',
    });
    assert.deepEqual(await client.evaluateRisk('lab_network_plugin_info{plugin="Calico"}'), {
      error: 'invalid PromQL result length must be one, but is 0',
    });
    assert.deepEqual(await client.evaluateRisk('1'), {
      error: 'invalid PromQL result type is scalar, not vector',
    });
  });

  it('a query Prometheus rejects is an error naming the URL and the parse failure', async () => {
    await assert.rejects(client.query('sum(up'), (error: unknown) => {
      assert.ok(error instanceof PrometheusError);
      assert.equal(error.failure, 'rejected');
      assert.match(
        error.message,
        new RegExp(
          `^Prometheus at ${prometheus.url} rejected GET /api/v1/query \\(400\\): bad_data: .*parse error`,
        ),
      );
      return true;
    });
    const risk = await client.evaluateRisk('sum(up');
    assert.ok('error' in risk);
    assert.match(risk.error, /rejected GET \/api\/v1\/query \(400\): bad_data/);
  });

  it('alerts() lists nothing while no rule is loaded', async () => {
    assert.deepEqual(await client.alerts(), []);
  });

  it('a stopped Prometheus is unreachable, and evaluateRisk says so instead of throwing', async () => {
    const doomed = await startPrometheus({ dataDir: join(root, 'doomed'), scrapeTargets: [] });
    await doomed.stop();
    const gone = new PrometheusClient(doomed.url);
    await assert.rejects(gone.query('up'), {
      name: 'PrometheusError',
      failure: 'unreachable',
      message: `Prometheus at ${doomed.url} is unreachable: connect ECONNREFUSED 127.0.0.1:${doomed.port}`,
    });
    assert.deepEqual(await gone.evaluateRisk('vector(1)'), {
      error: `Prometheus at ${doomed.url} is unreachable: connect ECONNREFUSED 127.0.0.1:${doomed.port}`,
    });
    await assert.rejects(gone.alerts(), /is unreachable: connect ECONNREFUSED/);
  });
});

describe('PrometheusClient against servers that are not a healthy Prometheus', () => {
  const servers: Server[] = [];
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('gives up after its timeout, and on the caller’s abort, naming what it waited for', async () => {
    const silent = createServer(() => {
      // never answers
    });
    servers.push(silent);
    const url = await listen(silent);
    const client = new PrometheusClient(url, { timeoutMs: 300 });
    await assert.rejects(client.query('up'), {
      failure: 'timeout',
      message: `Prometheus at ${url} did not answer GET /api/v1/query within 0.3 s`,
    });
    const patient = new PrometheusClient(url, { timeoutMs: 60_000 });
    await assert.rejects(patient.alerts({ signal: AbortSignal.timeout(100) }), {
      failure: 'aborted',
      message: `GET /api/v1/alerts to Prometheus at ${url} was aborted`,
    });
  });

  it('an answer that is not the Prometheus API is a bad response quoting the status and body', async () => {
    const proxy = createServer((_request, response) => response.writeHead(502).end('upstream connect error'));
    servers.push(proxy);
    const url = await listen(proxy);
    await assert.rejects(new PrometheusClient(url).query('up'), {
      failure: 'bad-response',
      message: `Prometheus at ${url} answered GET /api/v1/query with 502 Bad Gateway: upstream connect error`,
    });
  });

  it('refuses a URL that is not http(s)', () => {
    assert.throws(
      () => new PrometheusClient('127.0.0.1:9090'),
      /Prometheus URL '127\.0\.0\.1:9090' is not a URL/,
    );
  });
});
