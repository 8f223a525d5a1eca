import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { graphRequestUrl, loadGraph } from '../../../src/readiness/graph/load.ts';
import { fixturePath } from './fixtures.ts';

interface Seen {
  url: string;
  accept: string | undefined;
}

describe('loading an update graph', () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let base: string;

  before(async () => {
    const small = readFileSync(fixturePath('small.json'));
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', accept: req.headers.accept });
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/api/upgrades_info/v1/graph') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(small);
      } else if (url.pathname === '/not-json') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>');
      } else {
        res
          .writeHead(400, { 'Content-Type': 'application/json' })
          .end('{"kind":"invalid_params","value":"mandatory client parameters missing: channel"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a file', async () => {
    const graph = await loadGraph(fixturePath('small.json'));
    assert.equal(graph.nodes.length, 6);
  });

  it('asks an update service as the CVO does: query parameters and Accept: application/json', async () => {
    const graph = await loadGraph(`${base}/api/upgrades_info/v1/graph`, {
      channel: 'stable-4.14',
      arch: 'amd64',
      id: 'ceb3b0bb-c689-4db9-bb6a-0122237e33fd',
      version: '4.14.1',
    });
    assert.equal(graph.nodes.length, 6);
    const request = seen.at(-1);
    assert.equal(request?.accept, 'application/json');
    const query = new URL(request?.url ?? '', base).searchParams;
    assert.equal(query.get('channel'), 'stable-4.14');
    assert.equal(query.get('arch'), 'amd64');
    assert.equal(query.get('id'), 'ceb3b0bb-c689-4db9-bb6a-0122237e33fd');
    assert.equal(query.get('version'), '4.14.1');
  });

  it('keeps query parameters the upstream URL already has', () => {
    const url = graphRequestUrl('https://osus.example/graph?foo=bar', { channel: 'fast-4.16' });
    assert.equal(url.href, 'https://osus.example/graph?foo=bar&channel=fast-4.16');
  });

  it('an error status names the URL, the status and the body', async () => {
    await assert.rejects(loadGraph(`${base}/missing`), {
      message: `cannot fetch update graph ${base}/missing: unexpected HTTP status 400 Bad Request: {"kind":"invalid_params","value":"mandatory client parameters missing: channel"}`,
    });
  });

  it('a body that is not JSON is refused with the URL', async () => {
    await assert.rejects(loadGraph(`${base}/not-json`), (error: Error) => {
      assert.match(error.message, new RegExp(`^update graph ${base}/not-json is not JSON: `));
      return true;
    });
  });

  it('an unreachable URL gives a clear error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(loadGraph(`http://127.0.0.1:${port}/graph`, { channel: 'stable-4.14' }), {
      message: `cannot fetch update graph http://127.0.0.1:${port}/graph?channel=stable-4.14: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('a missing file and a malformed file name the file', async () => {
    await assert.rejects(
      loadGraph('/nonexistent/graph.json'),
      /^Error: cannot read update graph \/nonexistent\/graph.json: ENOENT/,
    );
    const bad = fixturePath('bad-edge-index.json');
    await assert.rejects(loadGraph(bad), {
      name: 'GraphError',
      message: `invalid update graph ${bad}:\n  edges[1]: index 7 is out of range (3 nodes)`,
    });
  });
});
