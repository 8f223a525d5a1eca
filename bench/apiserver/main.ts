/**
 * API server benchmark: what raw etcd can do (the limit), what the API server does on top of it
 * and on the memory backend, watch fan-out latency, big-list latency and memory per object.
 *
 *   npm run bench [-- --quick | --full]
 *
 * The server runs in a child process (server-process.ts) so that load generation and serving never
 * share an event loop; the load generator talks plain node:http with a keep-alive agent, the way a
 * controller's client would.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../../src/lab/etcd-server.ts';
import { startServerChild } from './server-child.ts';
import { left, renderTable, right } from '../support/table.ts';

// ---------------------------------------------------------------------------------------------
// Scale

interface Scale {
  /** How long each throughput cell (one operation at one concurrency) runs. */
  readonly cellMs: number;
  readonly warmupMs: number;
  /** Objects a `get` picks from. */
  readonly getObjects: number;
  readonly watchWriters: number;
  readonly fanoutWatchers: number;
  readonly fanoutWrites: number;
  readonly fanoutWritesPerSecond: number;
  readonly bigList: number;
  readonly bigListRuns: number;
  readonly rssObjects: number;
}

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, full: { type: 'boolean', default: false } },
});
const quick = flags.quick === true;
const full = flags.full === true;

const scale: Scale = quick
  ? {
      cellMs: 300,
      warmupMs: 100,
      getObjects: 200,
      watchWriters: 8,
      fanoutWatchers: 100,
      fanoutWrites: 20,
      fanoutWritesPerSecond: 20,
      bigList: 1000,
      bigListRuns: 3,
      rssObjects: 5000,
    }
  : {
      cellMs: 3000,
      warmupMs: 500,
      getObjects: 1000,
      watchWriters: 8,
      fanoutWatchers: 1000,
      fanoutWrites: 100,
      fanoutWritesPerSecond: 20,
      bigList: 10_000,
      bigListRuns: 10,
      rssObjects: 100_000,
    };

const concurrencies = [1, 16, 64] as const;
const backends = ['memory', 'etcd'] as const;
type Backend = (typeof backends)[number];

const goals = {
  apiOverRawAtC64: 0.5,
  fanoutP99Ms: 50,
  bigListMs: 250,
};

// ---------------------------------------------------------------------------------------------
// Measuring

interface CellResult {
  readonly ops: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summarize(latencies: number[], ops: number, seconds: number): CellResult {
  latencies.sort((a, b) => a - b);
  return { ops, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Runs `op` from `concurrency` workers back to back for `durationMs`; every call is timed. */
async function runFor(
  concurrency: number,
  durationMs: number,
  op: (worker: number) => Promise<void>,
): Promise<CellResult> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await op(worker);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return summarize(latencies, latencies.length, (performance.now() - start) / 1000);
}

/** Runs `op(0..total-1)` with `concurrency` in flight; for setup and bulk loads. */
async function runCount(
  concurrency: number,
  total: number,
  op: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return (performance.now() - start) / 1000;
}

function progress(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Objects

const payload = 'x'.repeat(256);
const sentAnnotation = 'bench.lcm.example/sent';
const sentPattern = /"bench\.lcm\.example\/sent":"([0-9.]+)"/;

function configMap(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench' }, ...extra },
    data: { 'config.yaml': payload },
  };
}

/** What the API server stores for a ConfigMap, give or take: the raw etcd runs write the same size. */
function storedConfigMap(name: string): string {
  return JSON.stringify(
    configMap(name, {
      namespace: 'bench',
      uid: '2f6a3b1e-8c1d-4a55-9b7e-4d1c0e6f9a21',
      creationTimestamp: new Date().toISOString(),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Reply {
  readonly status: number;
  readonly text: string;
}

class ApiClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly base: URL;

  constructor(url: string) {
    this.base = new URL(url);
  }

  request(method: string, pathname: string, body?: unknown): Promise<Reply> {
    const payloadText = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path: pathname,
          method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            ...(payloadText === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payloadText) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payloadText);
    });
  }

  async expect(method: string, pathname: string, status: number, body?: unknown): Promise<string> {
    const reply = await this.request(method, pathname, body);
    if (reply.status !== status) {
      throw new Error(
        `${method} ${pathname}: expected HTTP ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`,
      );
    }
    return reply.text;
  }

  /** A watch on its own socket: every event line is handed over with the time it arrived. */
  watch(pathname: string, onLine: (line: string, receivedAt: number) => void): Promise<WatchStream> {
    return new Promise((resolve, reject) => {
      const req = http.get(
        { host: this.base.hostname, port: this.base.port, path: pathname, agent: false },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${pathname}: HTTP ${res.statusCode ?? 0}`));
            res.resume();
            return;
          }
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const receivedAt = performance.now();
            buffered += chunk;
            let newline = buffered.indexOf('\n');
            while (newline >= 0) {
              onLine(buffered.slice(0, newline), receivedAt);
              buffered = buffered.slice(newline + 1);
              newline = buffered.indexOf('\n');
            }
          });
          res.on('error', () => undefined);
          resolve({ close: () => req.destroy() });
        },
      );
      req.on('error', reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface WatchStream {
  close(): void;
}

const configMaps = (namespace: string): string => `/api/v1/namespaces/${namespace}/configmaps`;

async function createNamespace(api: ApiClient, name: string): Promise<void> {
  await api.expect('POST', '/api/v1/namespaces', 201, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
}

async function createConfigMaps(
  api: ApiClient,
  namespace: string,
  names: readonly string[],
): Promise<number> {
  return runCount(64, names.length, async (i) => {
    await api.expect('POST', configMaps(namespace), 201, configMap(names[i] ?? ''));
  });
}

async function listResourceVersion(api: ApiClient, namespace: string): Promise<string> {
  const list = JSON.parse(await api.expect('GET', `${configMaps(namespace)}?limit=1`, 200)) as {
    metadata: { resourceVersion: string };
  };
  return list.metadata.resourceVersion;
}

function resourceVersionOf(text: string): string {
  return (JSON.parse(text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

// ---------------------------------------------------------------------------------------------
// The server child

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

// ---------------------------------------------------------------------------------------------
// 1. Raw etcd

type RawResults = Record<'get' | 'create', Map<number, CellResult>>;

async function benchRawEtcd(workDir: string): Promise<RawResults> {
  const etcd = await startEtcd({ dataDir: path.join(workDir, 'raw-etcd') });
  // The same lean path the etcd storage takes: raw KV calls, no retry or circuit-breaker policy.
  const client = new Etcd3({ hosts: etcd.endpoint, faultHandling: { host: () => noop, global: noop } });
  const kv = client.kv;
  try {
    const prefix = '/registry/hub/core/configmaps/bench/';
    await runCount(64, scale.getObjects, async (i) => {
      await kv.put({
        key: Buffer.from(`${prefix}get-${i}`),
        value: Buffer.from(storedConfigMap(`get-${i}`)),
      });
    });
    const get = async (): Promise<void> => {
      const key = `${prefix}get-${Math.floor(Math.random() * scale.getObjects)}`;
      const response = await kv.range({ key: Buffer.from(key) });
      if (response.kvs.length !== 1) throw new Error(`raw get: ${key} missing`);
    };
    let round = 0;
    const sequences = new Map<number, number>();
    const create = async (worker: number): Promise<void> => {
      const n = sequences.get(worker) ?? 0;
      sequences.set(worker, n + 1);
      const name = `c-${round}-${worker}-${n}`;
      const key = Buffer.from(`${prefix}${name}`);
      const response = await kv.txn({
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key, value: Buffer.from(storedConfigMap(name)) } }],
        failure: [],
      });
      if (!response.succeeded) throw new Error(`raw create: ${name} already existed`);
    };
    const results: RawResults = { get: new Map(), create: new Map() };
    for (const [op, run] of [
      ['get', get],
      ['create', create],
    ] as const) {
      round++;
      await runFor(16, scale.warmupMs, run);
      for (const c of concurrencies) {
        progress(`raw etcd ${op} c=${c}`);
        round++;
        sequences.clear();
        results[op].set(c, await runFor(c, scale.cellMs, run));
      }
    }
    return results;
  } finally {
    client.close();
    await etcd.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 2–4. Through the API server

const apiOperations = ['create', 'get', 'update', 'list(100)', 'watch-event'] as const;
type ApiOperation = (typeof apiOperations)[number];

interface FanoutResult {
  readonly watchers: number;
  readonly writes: number;
  readonly delivered: number;
  readonly expected: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface BigListResult {
  readonly objects: number;
  /** Why the list could not be read, when it could not: reported rather than aborting the run. */
  readonly failure: string | undefined;
  readonly bytes: number;
  readonly loadSeconds: number;
  readonly p50: number;
  readonly max: number;
}

interface BackendResults {
  readonly cells: Map<ApiOperation, Map<number, CellResult>>;
  readonly watchMissing: number;
  readonly fanout: FanoutResult;
  readonly bigList: BigListResult;
}

async function benchBackend(backend: Backend): Promise<BackendResults> {
  const server = await startServerChild(backend);
  const api = new ApiClient(server.url);
  try {
    const cells = new Map<ApiOperation, Map<number, CellResult>>(apiOperations.map((op) => [op, new Map()]));
    for (const ns of ['bench-create', 'bench-get', 'bench-update', 'bench-list', 'bench-fanout', 'bench-big'])
      await createNamespace(api, ns);
    progress(`${backend}: loading ${scale.getObjects} objects for get, 100 for list`);
    await createConfigMaps(
      api,
      'bench-get',
      Array.from({ length: scale.getObjects }, (_, i) => `get-${i}`),
    );
    await createConfigMaps(
      api,
      'bench-list',
      Array.from({ length: 100 }, (_, i) => `item-${i}`),
    );
    const updateVersions = new Map<number, string>();
    for (let w = 0; w < 64; w++) {
      updateVersions.set(
        w,
        resourceVersionOf(await api.expect('POST', configMaps('bench-update'), 201, configMap(`upd-${w}`))),
      );
    }

    let round = 0;
    const sequences = new Map<number, number>();
    const operations: Record<Exclude<ApiOperation, 'watch-event'>, (worker: number) => Promise<void>> = {
      create: async (worker) => {
        const n = sequences.get(worker) ?? 0;
        sequences.set(worker, n + 1);
        await api.expect('POST', configMaps('bench-create'), 201, configMap(`c-${round}-${worker}-${n}`));
      },
      get: async () => {
        const name = `get-${Math.floor(Math.random() * scale.getObjects)}`;
        await api.expect('GET', `${configMaps('bench-get')}/${name}`, 200);
      },
      // Each worker owns one object and sends the resourceVersion it last saw, as a controller does.
      update: async (worker) => {
        const name = `upd-${worker}`;
        const body = configMap(name, { resourceVersion: updateVersions.get(worker) });
        body.data = { 'config.yaml': payload, n: String(round) };
        const text = await api.expect('PUT', `${configMaps('bench-update')}/${name}`, 200, body);
        updateVersions.set(worker, resourceVersionOf(text));
      },
      'list(100)': async () => {
        const text = await api.expect('GET', configMaps('bench-list'), 200);
        if (text.length < 100 * payload.length) throw new Error('list(100) returned too few items');
      },
    };

    for (const [op, run] of Object.entries(operations) as [
      Exclude<ApiOperation, 'watch-event'>,
      typeof operations.get,
    ][]) {
      round++;
      sequences.clear();
      await runFor(16, scale.warmupMs, run);
      for (const c of concurrencies) {
        progress(`${backend}: ${op} c=${c}`);
        round++;
        sequences.clear();
        cells.get(op)?.set(c, await runFor(c, scale.cellMs, run));
      }
    }

    let watchMissing = 0;
    for (const c of concurrencies) {
      progress(`${backend}: watch-event with ${c} watchers`);
      const result = await watchEvents(api, `bench-watch-${c}`, c);
      watchMissing += result.missing;
      cells.get('watch-event')?.set(c, result.cell);
    }

    progress(`${backend}: ${scale.fanoutWatchers} watchers on one namespace`);
    const fanout = await fanoutLatency(api);

    const bigList = await bigListLatency(api, backend);
    return { cells, watchMissing, fanout, bigList };
  } finally {
    api.close();
    await server.stop();
  }
}

async function bigListLatency(api: ApiClient, backend: Backend): Promise<BigListResult> {
  progress(`${backend}: loading ${scale.bigList} objects for the big list`);
  const loadSeconds = await createConfigMaps(
    api,
    'bench-big',
    Array.from({ length: scale.bigList }, (_, i) => `big-${String(i).padStart(6, '0')}`),
  );
  const latencies: number[] = [];
  let bytes = 0;
  let failure: string | undefined;
  for (let run = 0; run < scale.bigListRuns && failure === undefined; run++) {
    const t0 = performance.now();
    const reply = await api.request('GET', configMaps('bench-big'));
    const elapsed = performance.now() - t0;
    if (reply.status !== 200) {
      failure = `HTTP ${reply.status}: ${reply.text.slice(0, 400)}`;
      break;
    }
    latencies.push(elapsed);
    bytes = Buffer.byteLength(reply.text);
    const count = (JSON.parse(reply.text) as { items: unknown[] }).items.length;
    if (count !== scale.bigList) failure = `returned ${count} of ${scale.bigList} items`;
  }
  latencies.sort((a, b) => a - b);
  return {
    objects: scale.bigList,
    failure,
    bytes,
    loadSeconds,
    p50: percentile(latencies, 50),
    max: latencies[latencies.length - 1] ?? Number.NaN,
  };
}

/**
 * `watchers` watches on one namespace while `scale.watchWriters` writers update objects there as
 * fast as they can; each write carries its send time, so every delivery yields a latency.
 */
async function watchEvents(
  api: ApiClient,
  namespace: string,
  watchers: number,
): Promise<{ cell: CellResult; missing: number }> {
  await createNamespace(api, namespace);
  const versions = new Map<number, string>();
  for (let w = 0; w < scale.watchWriters; w++) {
    versions.set(
      w,
      resourceVersionOf(await api.expect('POST', configMaps(namespace), 201, configMap(`w-${w}`))),
    );
  }
  const from = await listResourceVersion(api, namespace);
  const latencies: number[] = [];
  const streams = await Promise.all(
    Array.from({ length: watchers }, () =>
      api.watch(`${configMaps(namespace)}?watch=1&resourceVersion=${from}`, (line, receivedAt) => {
        const sent = sentPattern.exec(line);
        if (sent) latencies.push(receivedAt - Number(sent[1]));
      }),
    ),
  );
  try {
    const start = performance.now();
    const writes = await runFor(scale.watchWriters, scale.cellMs, async (w) => {
      const name = `w-${w}`;
      const body = configMap(name, {
        resourceVersion: versions.get(w),
        annotations: { [sentAnnotation]: performance.now().toFixed(3) },
      });
      versions.set(
        w,
        resourceVersionOf(await api.expect('PUT', `${configMaps(namespace)}/${name}`, 200, body)),
      );
    });
    const expected = writes.ops * watchers;
    const drainDeadline = performance.now() + 10_000;
    while (latencies.length < expected && performance.now() < drainDeadline) await sleep(5);
    const seconds = (performance.now() - start) / 1000;
    return { cell: summarize(latencies, latencies.length, seconds), missing: expected - latencies.length };
  } finally {
    for (const stream of streams) stream.close();
  }
}

/** Many watchers on one namespace, writes at a steady rate: the write-to-delivery latency spread. */
async function fanoutLatency(api: ApiClient): Promise<FanoutResult> {
  const namespace = 'bench-fanout';
  let version = resourceVersionOf(await api.expect('POST', configMaps(namespace), 201, configMap('fan')));
  const from = await listResourceVersion(api, namespace);
  const latencies: number[] = [];
  const streams: WatchStream[] = [];
  // Connect in batches: a thousand simultaneous connects would only measure the accept backlog.
  try {
    for (let opened = 0; opened < scale.fanoutWatchers; opened += 100) {
      const batch = Math.min(100, scale.fanoutWatchers - opened);
      streams.push(
        ...(await Promise.all(
          Array.from({ length: batch }, () =>
            api.watch(`${configMaps(namespace)}?watch=1&resourceVersion=${from}`, (line, receivedAt) => {
              const sent = sentPattern.exec(line);
              if (sent) latencies.push(receivedAt - Number(sent[1]));
            }),
          ),
        )),
      );
    }
    const interval = 1000 / scale.fanoutWritesPerSecond;
    const start = performance.now();
    for (let i = 0; i < scale.fanoutWrites; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const body = configMap('fan', {
        resourceVersion: version,
        annotations: { [sentAnnotation]: performance.now().toFixed(3) },
      });
      version = resourceVersionOf(await api.expect('PUT', `${configMaps(namespace)}/fan`, 200, body));
    }
    const expected = scale.fanoutWrites * scale.fanoutWatchers;
    const drainDeadline = performance.now() + 10_000;
    while (latencies.length < expected && performance.now() < drainDeadline) await sleep(5);
    latencies.sort((a, b) => a - b);
    return {
      watchers: scale.fanoutWatchers,
      writes: scale.fanoutWrites,
      delivered: latencies.length,
      expected,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
    };
  } finally {
    for (const stream of streams) stream.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Memory

interface RssResult {
  readonly backend: Backend;
  readonly objects: number;
  readonly beforeMiB: number;
  readonly afterMiB: number;
  readonly etcdMiB: number | undefined;
  readonly createsPerSecond: number;
}

async function benchRss(backend: Backend): Promise<RssResult> {
  const server = await startServerChild(backend);
  const api = new ApiClient(server.url);
  try {
    await createNamespace(api, 'bench-rss');
    const beforeMiB = rssMiB(server.pid);
    progress(`${backend}: creating ${scale.rssObjects} ConfigMaps for the memory figure`);
    const seconds = await createConfigMaps(
      api,
      'bench-rss',
      Array.from({ length: scale.rssObjects }, (_, i) => `rss-${i}`),
    );
    // Let the allocator settle (pending responses, young-generation garbage) before reading.
    await sleep(1000);
    return {
      backend,
      objects: scale.rssObjects,
      beforeMiB,
      afterMiB: rssMiB(server.pid),
      etcdMiB: server.etcdPid === undefined ? undefined : rssMiB(server.etcdPid),
      createsPerSecond: scale.rssObjects / seconds,
    };
  } finally {
    api.close();
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const integer = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number): string => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '-');
const mib = (n: number): string => n.toFixed(1);
const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const rate = (cell: CellResult | undefined): number => (cell ? cell.ops / cell.seconds : Number.NaN);

function environment(): string {
  const etcdVersion = spawnSync('etcd', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '?';
  const cpus = os.cpus();
  return [
    `lcm API server benchmark (${quick ? 'quick' : full ? 'full' : 'default'} run, ${new Date().toISOString()})`,
    `node ${process.version}, ${etcdVersion}, ${cpus.length} × ${cpus[0]?.model.trim() ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `each cell runs ${scale.cellMs} ms; latencies in ms; client, server and etcd share this machine's CPUs`,
    '',
  ].join('\n');
}

function report(raw: RawResults, perBackend: Map<Backend, BackendResults>, rss: RssResult[]): string {
  const out: string[] = [environment()];

  out.push(
    renderTable(
      '1. Raw etcd (etcd3 KV client in this process, no API server): the limit',
      [left('operation'), right('c'), right('ops/s'), right('p50'), right('p99')],
      (['get', 'create'] as const).flatMap((op) =>
        concurrencies.map((c) => {
          const cell = raw[op].get(c);
          return [
            op === 'create' ? 'create (txn put-if-absent)' : 'get',
            String(c),
            integer(rate(cell)),
            ms(cell?.p50 ?? NaN),
            ms(cell?.p99 ?? NaN),
          ];
        }),
      ),
    ),
  );

  const apiRows: string[][] = [];
  for (const [backend, results] of perBackend) {
    for (const op of apiOperations) {
      for (const c of concurrencies) {
        const cell = results.cells.get(op)?.get(c);
        apiRows.push([
          backend,
          op,
          String(c),
          integer(rate(cell)),
          ms(cell?.p50 ?? NaN),
          ms(cell?.p99 ?? NaN),
        ]);
      }
    }
  }
  const missingNotes = [...perBackend]
    .filter(([, r]) => r.watchMissing > 0)
    .map(([backend, r]) => `${backend}: ${r.watchMissing} watch events were not delivered within 10 s`);
  out.push(
    renderTable(
      '2. Through the API server (HTTP/1.1 keep-alive, server in a child process)',
      [left('backend'), left('operation'), right('c'), right('ops/s'), right('p50'), right('p99')],
      apiRows,
      [
        'watch-event: c watchers on one namespace, 8 writers updating as fast as they can;',
        'ops/s = events delivered per second over all watchers, latency = write sent → event received',
        ...missingNotes,
      ],
    ),
  );

  const ratioRows: string[][] = [];
  for (const [backend, results] of perBackend) {
    for (const op of ['get', 'create'] as const) {
      const apiRate = rate(results.cells.get(op)?.get(64));
      const rawRate = rate(raw[op].get(64));
      const ratio = apiRate / rawRate;
      ratioRows.push([
        backend,
        op,
        integer(rawRate),
        integer(apiRate),
        `${(ratio * 100).toFixed(0)}%`,
        `≥ ${goals.apiOverRawAtC64 * 100}% ${mark(ratio >= goals.apiOverRawAtC64)}`,
      ]);
    }
  }
  out.push(
    renderTable(
      '2b. API server vs raw etcd at c=64',
      [
        left('backend'),
        left('operation'),
        right('raw ops/s'),
        right('API ops/s'),
        right('API/raw'),
        left('goal'),
      ],
      ratioRows,
    ),
  );

  out.push(
    renderTable(
      `3. Watch delivery latency: ${scale.fanoutWatchers} watchers on one namespace, ${scale.fanoutWritesPerSecond} writes/s`,
      [
        left('backend'),
        right('watchers'),
        right('writes'),
        right('delivered'),
        right('p50'),
        right('p99'),
        right('max'),
        left('goal'),
      ],
      [...perBackend].map(([backend, { fanout }]) => [
        backend,
        integer(fanout.watchers),
        integer(fanout.writes),
        `${integer(fanout.delivered)}/${integer(fanout.expected)}`,
        ms(fanout.p50),
        ms(fanout.p99),
        ms(fanout.max),
        `p99 < ${goals.fanoutP99Ms} ${mark(fanout.p99 < goals.fanoutP99Ms && fanout.delivered === fanout.expected)}`,
      ]),
    ),
  );

  out.push(
    renderTable(
      `4. Listing ${integer(scale.bigList)} ConfigMaps in one namespace (${scale.bigListRuns} runs)`,
      [
        left('backend'),
        right('objects'),
        right('body MiB'),
        right('p50'),
        right('max'),
        right('load creates/s'),
        left('goal'),
      ],
      [...perBackend].map(([backend, { bigList }]) => [
        backend,
        integer(bigList.objects),
        mib(bigList.bytes / 2 ** 20),
        ms(bigList.p50),
        ms(bigList.max),
        integer(bigList.objects / bigList.loadSeconds),
        `p50 < ${goals.bigListMs} ${mark(bigList.failure === undefined && bigList.p50 < goals.bigListMs)}`,
      ]),
      [...perBackend]
        .filter(([, r]) => r.bigList.failure !== undefined)
        .map(([backend, r]) => `${backend}: the list failed: ${r.bigList.failure ?? ''}`),
    ),
  );

  out.push(
    renderTable(
      `5. Server memory after creating ${integer(scale.rssObjects)} ConfigMaps (fresh server, VmRSS)`,
      [
        left('backend'),
        right('objects'),
        right('RSS before MiB'),
        right('RSS after MiB'),
        right('KiB/object'),
        right('etcd RSS MiB'),
        right('creates/s'),
      ],
      rss.map((r) => [
        r.backend,
        integer(r.objects),
        mib(r.beforeMiB),
        mib(r.afterMiB),
        (((r.afterMiB - r.beforeMiB) * 1024) / r.objects).toFixed(2),
        r.etcdMiB === undefined ? '-' : mib(r.etcdMiB),
        integer(r.createsPerSecond),
      ]),
      full ? [] : ['etcd backend: only with --full'],
    ),
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

const workDir = mkdtempSync(path.join(os.tmpdir(), 'lcm-bench-'));
try {
  const started = performance.now();
  progress('raw etcd');
  const raw = await benchRawEtcd(workDir);
  const perBackend = new Map<Backend, BackendResults>();
  for (const backend of backends) perBackend.set(backend, await benchBackend(backend));
  const rss: RssResult[] = [await benchRss('memory')];
  if (full) rss.push(await benchRss('etcd'));
  process.stdout.write(`${report(raw, perBackend, rss)}\n`);
  process.stdout.write(`total time ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
