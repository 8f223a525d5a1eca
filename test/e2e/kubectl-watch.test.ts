/**
 * Real kubectl 1.33 watching the embedded API server (memory backend): `get -w` streams, watch
 * event output, label-filtered watches, and `kubectl wait` for deletion and for a JSONPath value.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnKubectl } from '../../src/lab/kubectl.ts';
import { eventually } from '../support/http.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { kubectlSession } from '../support/kubectl.ts';

let api: TestApiServer;
let kubeconfig: string;

function cacheArgs(): string[] {
  return ['--cache-dir', path.join(api.dir, 'kube-cache')];
}

const { kubectl, ok } = kubectlSession(() => ({ dir: api.dir, kubeconfig }));

/** A long-running kubectl whose output accumulates for assertions; stopped by its own handle. */
interface RunningKubectl {
  output(): string;
  errors(): string;
  /** Resolves once stdout has a line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function startKubectl(args: readonly string[]): Promise<RunningKubectl> {
  const child: ChildProcess = await spawnKubectl([...cacheArgs(), ...args], { kubeconfig });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin?.end();
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    output: () => stdout,
    errors: () => stderr,
    waitForLine: (pattern, timeoutMs = 10_000) =>
      eventually(() => {
        assert.ok(
          stdout.split('\n').some((line) => pattern.test(line)),
          `no line matching ${String(pattern)} in:\n${stdout}\nstderr:\n${stderr}`,
        );
        return Promise.resolve();
      }, timeoutMs),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** Tracks whether a promise has settled, to show a `kubectl wait` was still waiting. */
function track<T>(promise: Promise<T>): { readonly settled: () => boolean; readonly promise: Promise<T> } {
  let settled = false;
  void promise.finally(() => (settled = true));
  return { settled: () => settled, promise };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('kubectl watches and waits (memory backend)', () => {
  before(async () => {
    api = await startTestApiServer({ backend: 'memory' });
    kubeconfig = await api.writeKubeconfig();
  });

  after(async () => {
    await api?.close();
  });

  describe('kubectl get -w', () => {
    it('prints the table header once, the existing objects, then a line for an object created later', async () => {
      await ok(['create', 'namespace', 'watch-table']);
      await ok(['-n', 'watch-table', 'create', 'configmap', 'before', '--from-literal=a=1']);
      const watch = await startKubectl(['-n', 'watch-table', 'get', 'configmaps', '-w']);
      try {
        await watch.waitForLine(/^before\s+1\s+\d+s$/);
        await ok([
          '-n',
          'watch-table',
          'create',
          'configmap',
          'later',
          '--from-literal=a=1',
          '--from-literal=b=2',
        ]);
        await watch.waitForLine(/^later\s+2\s+\d+s$/);
        await ok(['-n', 'watch-table', 'label', 'configmap', 'later', 'seen=yes']);
        await eventually(() => {
          assert.equal(lines(watch.output()).filter((line) => line.startsWith('later')).length, 2);
          return Promise.resolve();
        });
        const output = lines(watch.output());
        assert.match(output[0] ?? '', /^NAME\s+DATA\s+AGE$/);
        assert.equal(output.filter((line) => line.startsWith('NAME')).length, 1, watch.output());
      } finally {
        await watch.stop();
      }
    });

    it('--output-watch-events adds an EVENT column with ADDED, MODIFIED and DELETED', async () => {
      await ok(['create', 'namespace', 'watch-events']);
      await ok(['-n', 'watch-events', 'create', 'configmap', 'old']);
      const watch = await startKubectl([
        '-n',
        'watch-events',
        'get',
        'configmaps',
        '-w',
        '--output-watch-events',
      ]);
      try {
        await watch.waitForLine(/^ADDED\s+old\s+0\s+\d+s$/);
        await ok(['-n', 'watch-events', 'create', 'configmap', 'new']);
        await ok(['-n', 'watch-events', 'annotate', 'configmap', 'new', 'note=changed']);
        await ok(['-n', 'watch-events', 'delete', 'configmap', 'new']);
        await watch.waitForLine(/^DELETED\s+new\s+0\s+\d+s$/);
        const output = lines(watch.output());
        assert.match(output[0] ?? '', /^EVENT\s+NAME\s+DATA\s+AGE$/);
        const events = output.slice(1).map((line) => line.split(/\s+/).slice(0, 2).join(' '));
        assert.deepEqual(events, ['ADDED old', 'ADDED new', 'MODIFIED new', 'DELETED new']);
      } finally {
        await watch.stop();
      }
    });

    it('--output-watch-events -o json wraps each object in a {type, object} event', async () => {
      await ok(['create', 'namespace', 'watch-json']);
      const watch = await startKubectl([
        '-n',
        'watch-json',
        'get',
        'configmaps',
        '-w',
        '--watch-only',
        '--output-watch-events',
        '-o',
        'json',
      ]);
      try {
        // --watch-only prints nothing until an event arrives, so give the watch time to open.
        await pause(500);
        await ok(['-n', 'watch-json', 'create', 'configmap', 'fresh', '--from-literal=k=v']);
        await ok(['-n', 'watch-json', 'delete', 'configmap', 'fresh']);
        await watch.waitForLine(/^\s*"type": "DELETED",?$|"type":"DELETED"/);
        const events = parseConcatenatedJson(watch.output()).map((event) => {
          const object = event.object as { metadata?: { name?: string }; data?: unknown };
          return [event.type, object.metadata?.name, object.data];
        });
        assert.deepEqual(events, [
          ['ADDED', 'fresh', { k: 'v' }],
          ['DELETED', 'fresh', { k: 'v' }],
        ]);
      } finally {
        await watch.stop();
      }
    });

    it('a label-selected watch prints only the objects that match the selector', async () => {
      await ok(['create', 'namespace', 'watch-selector']);
      const watch = await startKubectl([
        '-n',
        'watch-selector',
        'get',
        'configmaps',
        '-w',
        '-l',
        'app=web',
        '-o',
        'name',
      ]);
      try {
        await pause(500);
        await ok(['-n', 'watch-selector', 'create', 'configmap', 'unlabelled']);
        await ok(['-n', 'watch-selector', 'create', 'configmap', 'labelled']);
        await ok(['-n', 'watch-selector', 'label', 'configmap', 'labelled', 'app=web']);
        await watch.waitForLine(/^configmap\/labelled$/);
        assert.deepEqual(lines(watch.output()), ['configmap/labelled']);
      } finally {
        await watch.stop();
      }
    });
  });

  describe('kubectl wait', () => {
    it('--for=delete returns once another client deletes the object', async () => {
      await ok(['create', 'configmap', 'wait-delete']);
      const waiting = track(kubectl(['wait', '--for=delete', 'configmap/wait-delete', '--timeout=20s']));
      await pause(700);
      assert.equal(waiting.settled(), false, 'kubectl wait must still be waiting while the object exists');
      await ok(['delete', 'configmap', 'wait-delete']);
      const result = await waiting.promise;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'configmap/wait-delete condition met\n');
    });

    it("--for=jsonpath='{.data.a}'=b returns once another client sets the value", async () => {
      await ok(['create', 'configmap', 'wait-value', '--from-literal=a=0']);
      const waiting = track(
        kubectl(['wait', '--for=jsonpath={.data.a}=b', 'configmap/wait-value', '--timeout=20s']),
      );
      await pause(700);
      assert.equal(waiting.settled(), false, 'kubectl wait must still be waiting while .data.a is 0');
      await ok(['patch', 'configmap', 'wait-value', '--type=merge', '-p', '{"data":{"a":"b"}}']);
      const result = await waiting.promise;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'configmap/wait-value condition met\n');
    });

    it('--for=jsonpath times out with an error when the value never appears', async () => {
      await ok(['create', 'configmap', 'wait-never', '--from-literal=a=0']);
      const result = await kubectl([
        'wait',
        '--for=jsonpath={.data.a}=b',
        'configmap/wait-never',
        '--timeout=1s',
      ]);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, 'error: timed out waiting for the condition on configmaps/wait-never\n');
    });
  });
});

/** kubectl -o json prints one indented JSON document per event, back to back. */
function parseConcatenatedJson(text: string): Record<string, unknown>[] {
  const documents: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) documents.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
    }
  }
  return documents;
}
