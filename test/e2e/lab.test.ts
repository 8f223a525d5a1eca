import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runKubectl } from '../../src/lab/kubectl.ts';
import { removeTree } from '../../src/lab/remove-tree.ts';
import { isAlive, readState } from '../../src/lab/state.ts';
import { labLayout } from '../../src/lab/state.ts';
import { eventually } from '../support/http.ts';

const run = promisify(execFile);
const lcm = path.resolve('bin/lcm.js');

async function lcmCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [lcm, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

let dir: string;
let kubeconfig: string;

before(async () => {
  dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'lcm-lab-test-')), 'lab');
  kubeconfig = labLayout(dir).kubeconfig;
});
after(async () => {
  await lcmCommand(['lab', 'down', '--dir', dir]);
  await removeTree(path.dirname(dir));
});

describe('lcm lab', () => {
  it('up brings up a hub and two logical spoke clusters that kubectl --context reaches', async () => {
    const up = await lcmCommand(['lab', 'up', '--dir', dir]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /lab up: API server http:\/\/127\.0\.0\.1:\d+, clusters hub, spoke1, spoke2/);
    for (const context of ['hub', 'spoke1', 'spoke2']) {
      const ns = await runKubectl(['get', 'ns', 'default', '-o', 'name'], { kubeconfig, context });
      assert.equal(ns.stdout, 'namespace/default\n', `${context}: ${ns.stderr}`);
    }
  });

  it('up is idempotent', async () => {
    const before = await readState(labLayout(dir));
    const again = await lcmCommand(['lab', 'up', '--dir', dir]);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /already up/);
    assert.equal((await readState(labLayout(dir)))?.supervisorPid, before?.supervisorPid);
  });

  it('kubeconfig prints one context per logical cluster', async () => {
    const printed = await lcmCommand(['lab', 'kubeconfig', '--dir', dir]);
    for (const context of ['hub', 'spoke1', 'spoke2'])
      assert.match(printed.stdout, new RegExp(`name: ${context}\\n`));
  });

  it('status shows every component running, as a table and as JSON', async () => {
    const table = await lcmCommand(['lab', 'status', '--dir', dir]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^COMPONENT\s+HEALTH\s+PID/m);
    for (const name of ['etcd', 'apiserver', 'registry', 'controllers'])
      assert.match(table.stdout, new RegExp(`^${name}\\s+running\\s+\\d+`, 'm'));
    const json = JSON.parse((await lcmCommand(['lab', 'status', '--dir', dir, '-o', 'json'])).stdout) as {
      ready: boolean;
    };
    assert.equal(json.ready, true);
  });

  it(
    'as root it also brings up a seed host at 4.16.1 and two targets at 4.14.13 running the sample app',
    { skip: process.getuid?.() !== 0 ? 'simulated hosts need root' : false },
    async () => {
      const version = async (context: string): Promise<string> =>
        (
          await runKubectl(['get', 'clusterversion', 'version', '-o', 'jsonpath={.status.desired.version}'], {
            kubeconfig,
            context,
          })
        ).stdout;
      assert.equal(await version('seed'), '4.16.1');
      for (const target of ['sno1', 'sno2']) {
        assert.equal(await version(target), '4.14.13');
        const app = await runKubectl(['get', 'deploy,pvc,cm,secret', '-n', 'sample-app', '-o', 'name'], {
          kubeconfig,
          context: target,
        });
        assert.match(
          app.stdout,
          /deployment.apps\/web\npersistentvolumeclaim\/app-data\nconfigmap\/web-config\nsecret\/web-secret/,
        );
      }
    },
  );

  it('a component that dies is reported and restarted by the supervisor', async () => {
    const state = await readState(labLayout(dir));
    const apiserver = state?.components.find((c) => c.name === 'apiserver');
    assert.ok(apiserver?.pid);
    process.kill(apiserver.pid, 'SIGKILL');
    await eventually(async () => {
      const now = await readState(labLayout(dir));
      const restarted = now?.components.find((c) => c.name === 'apiserver');
      assert.equal(restarted?.health, 'running');
      assert.equal(restarted?.restarts, 1);
      assert.notEqual(restarted?.pid, apiserver.pid);
    }, 30_000);
    const ns = await runKubectl(['get', 'ns', 'default', '-o', 'name'], { kubeconfig, context: 'spoke1' });
    assert.equal(ns.code, 0, ns.stderr);
  });

  it('down stops every process by PID and up resumes the same objects', async () => {
    const created = await runKubectl(['create', 'configmap', 'survivor', '--from-literal=a=b'], {
      kubeconfig,
      context: 'spoke2',
    });
    assert.equal(created.code, 0, created.stderr);
    const state = await readState(labLayout(dir));
    const down = await lcmCommand(['lab', 'down', '--dir', dir]);
    assert.equal(down.code, 0);
    for (const pid of [state?.supervisorPid, ...(state?.components.map((c) => c.pid) ?? [])])
      assert.equal(isAlive(pid), false, `pid ${pid} still alive`);
    const status = await lcmCommand(['lab', 'status', '--dir', dir]);
    assert.equal(status.code, 3, 'status exits 3 when the lab is not running');
    assert.equal((await lcmCommand(['lab', 'up', '--dir', dir])).code, 0);
    const back = await runKubectl(['get', 'configmap', 'survivor', '-o', 'jsonpath={.data.a}'], {
      kubeconfig,
      context: 'spoke2',
    });
    assert.equal(back.stdout, 'b');
  });

  it('refuses a lab dir written by an incompatible lcm, and says how to recover', async () => {
    const other = path.join(path.dirname(dir), 'old-lab');
    await run('mkdir', ['-p', other]);
    await writeFile(
      path.join(other, 'lab.json'),
      JSON.stringify({ formatVersion: 99, createdAt: '2020-01-01T00:00:00Z', clusters: [] }),
    );
    const up = await lcmCommand(['lab', 'up', '--dir', other]);
    assert.equal(up.code, 1);
    assert.match(up.stderr, /written by an lcm with lab format 99; this lcm uses format 1/);
    assert.match(up.stderr, /move the directory away/);
  });
});
