import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import { upgradeCommand, type UpgradeCommandDeps } from '../../src/cli/commands/upgrade.ts';
import type { PathResult } from '../../src/readiness/graph/path.ts';
import { closedPort } from '../support/http.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/readiness/graph/${name}`, import.meta.url));

async function run(args: string[], deps: UpgradeCommandDeps = {}): Promise<{ out: string; code: number }> {
  let out = '';
  const command = upgradeCommand({ ...deps, write: (text) => void (out += text) });
  command.exitOverride();
  for (const sub of command.commands) sub.exitOverride().configureOutput({ writeErr: () => undefined });
  process.exitCode = undefined;
  await command.parseAsync(args, { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, code };
}

describe('lcm upgrade path', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints the hops of the lab graph path, the avoided conditional updates and why', async () => {
    const { out, code } = await run(['path', '--from', '4.14.13', '--to', '4.16.1']);
    assert.equal(code, 0);
    assert.match(
      out,
      /^Update path 4.14.13 → 4.16.1: 2 hops \(graph src\/lab\/update-graph.json, all channels\)$/m,
    );
    assert.match(out, /^1\s+4.14.13\s+4.15.15\s+minor\s+recommended\s+candidate-4.15,eus-4.16,/m);
    assert.match(out, /^2\s+4.15.15\s+4.16.1\s+minor\s+recommended/m);
    assert.match(out, /admin-acks, and every ClusterOperator must be Upgradeable=True/);
    assert.match(
      out,
      /^4.14.13\s+4.15.20\s+SRIOVFailedToConfigureVF\s+EvaluationFailed\s+Unknown\/EvaluationFailed\s+2 hops$/m,
    );
    assert.match(out, /could not be evaluated: no Prometheus to evaluate the PromQL query against/);
    assert.match(out, /pass --prometheus <url> to evaluate them/);
  });

  it('-o json and -o yaml give the path result', async () => {
    const json = await run([
      'path',
      '--from',
      '4.12.1',
      '--to',
      '4.14.1',
      '--graph',
      fixture('eus.json'),
      '-o',
      'json',
    ]);
    const result = JSON.parse(json.out) as PathResult;
    assert.deepEqual(
      result.hops.map((h) => h.to),
      ['4.12.5', '4.13.2', '4.14.1'],
    );
    assert.equal(result.eusToEus, true);
    const yaml = await run([
      'path',
      '--from',
      '4.12.1',
      '--to',
      '4.14.1',
      '--graph',
      fixture('eus.json'),
      '-o',
      'yaml',
    ]);
    assert.deepEqual(parse(yaml.out), result);
  });

  it('--prometheus evaluates PromQL risks through the injected client', async () => {
    const asked: string[] = [];
    const { out } = await run(
      ['path', '--from', '4.14.13', '--to', '4.16.1', '--prometheus', 'https://thanos.example:9091'],
      {
        prometheusEvaluator: (url) => {
          asked.push(url);
          return () => Promise.resolve({ matches: false });
        },
      },
    );
    assert.deepEqual(asked, ['https://thanos.example:9091']);
    assert.match(out, /^1\s+4.14.13\s+4.15.20\s+minor\s+conditional \(risks do not apply\)/m);
    assert.doesNotMatch(out, /Warnings/);
  });

  it('an unreachable Prometheus makes PromQL risks EvaluationFailed, naming why', async () => {
    const port = await closedPort();
    const { out } = await run([
      'path',
      '--from',
      '4.14.13',
      '--to',
      '4.16.1',
      '--prometheus',
      `http://127.0.0.1:${port}`,
    ]);
    assert.match(out, /SRIOVFailedToConfigureVF\s+EvaluationFailed\s+Unknown\/EvaluationFailed/);
    assert.ok(
      out.includes(`Prometheus at http://127.0.0.1:${port} is unreachable: connect ECONNREFUSED`),
      out,
    );
  });

  it('exits 3 and names the closest release and the blocking updates when no path exists', async () => {
    const { out, code } = await run(['path', '--from', '4.14.13', '--to', '4.16.0']);
    assert.equal(code, 3);
    assert.match(out, /^No recommended update path from 4.14.13 to 4.16.0/m);
    assert.match(out, /recommended updates get as far as 4.15.20, 1 hop short/);
    assert.match(
      out,
      /Conditional updates that would connect it:\nFROM\s+TO\s+RISK.*\n4.15.20\s+4.16.0\s+OVNKubernetesEgressIPRegression\s+Applies/,
    );
  });

  it('a malformed graph and a bad channel are errors that name the problem', async () => {
    await assert.rejects(
      run(['path', '--from', '4.14.1', '--to', '4.14.5', '--graph', fixture('bad-edge-index.json')]),
      {
        message: /edges\[1\]: index 7 is out of range \(3 nodes\)/,
      },
    );
    await assert.rejects(run(['path', '--from', '4.14.13', '--to', '4.16.1', '--channel', 'eus-4.15']), {
      message: /Extended Update Support channels exist only for even minors/,
    });
  });

  it('--from and --to are required; --help shows examples', async () => {
    await assert.rejects(run(['path', '--to', '4.16.1']), { code: 'commander.missingMandatoryOptionValue' });
    let help = '';
    const command = upgradeCommand();
    const path = command.commands.find((c) => c.name() === 'path');
    path?.configureOutput({ writeOut: (text) => void (help += text) }).exitOverride();
    await assert.rejects(command.parseAsync(['path', '--help'], { from: 'user' }), {
      code: 'commander.helpDisplayed',
    });
    assert.match(help, /--graph <file-or-url>/);
    assert.match(help, /Examples:\n {2}lcm upgrade path --from 4.14.13 --to 4.16.1\n/);
  });
});
